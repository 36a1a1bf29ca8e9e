"""Problem keys: noise removed from incident titles, near-duplicates merged."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from levelup.domain.problems import MAX_KEY, ProblemKeys, normalise_title, similarity, tokens


@pytest.mark.parametrize(
    ("title", "key"),
    [
        ("CPU high on web-17", "cpu high on web-*"),
        ("[FIRING:3] Disk full on db-07 (/var/lib/postgresql/data 91%)", "disk full on db-*"),
        ("Request 3f2504e0-4f89-11d3-9a0c-0305e82c3301 failed at 2026-11-03T10:22:01Z",
         "request * failed at *"),
        ("Timeout connecting to 10.0.3.17:5432", "timeout connecting to *"),
        ("Error in commit deadbeef12 by bob@example.com", "error in commit * by *"),
        ('Job "nightly-export" failed after 3 retries', "job * failed after * retries"),
        ("Queue depth 12,345 > 10000", "queue depth *"),
        ("Fetch https://api.example.com/v1/orders?id=9 failed", "fetch * failed"),
        ("", "*"),
    ],
)
def test_noise_is_removed(title: str, key: str) -> None:
    assert normalise_title(title) == key


def test_hosts_of_one_role_are_one_problem_and_word_order_does_not_matter() -> None:
    keys = ProblemKeys()
    first = keys.key("CPU high on web-17")
    assert keys.key("CPU high on web-03") == first
    assert keys.key("High CPU on web-42") == first
    assert keys.key("CPU high on db-03") != first  # another role is another problem


def test_near_duplicates_merge_but_different_problems_do_not() -> None:
    keys = ProblemKeys()
    disk = keys.key("Disk full on db-07 /data")
    assert keys.key("Disk almost full on db-07 /data") == disk  # 4 of 5 words shared
    assert keys.key("Disk slow on db-07") != disk
    assert keys.key("Memory full on cache-1") != disk


def test_keys_are_stable_across_imports_when_seeded_with_stored_keys() -> None:
    first = ProblemKeys()
    key = first.key("High CPU on web-17")
    later = ProblemKeys([key])
    assert later.key("CPU high on web-99") == key


_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=8)


@given(st.text(max_size=400))
def test_a_key_has_no_digits_is_short_and_normalising_is_idempotent(title: str) -> None:
    key = normalise_title(title)
    assert not re.search(r"[0-9]", key)
    assert 0 < len(key) <= MAX_KEY
    assert normalise_title(key) == key


@given(st.lists(_word, min_size=1, max_size=6), st.integers(0, 10**9), st.integers(0, 10**9))
def test_numbers_and_host_numbers_never_split_a_problem(
    words: list[str], a: int, b: int
) -> None:
    template = " ".join(words) + " on web-{} after {} ms"
    keys = ProblemKeys()
    assert keys.key(template.format(a, b)) == keys.key(template.format(b, a))


@given(st.lists(_word, min_size=2, max_size=8, unique=True), st.randoms())
def test_the_same_words_in_any_order_are_one_problem(words: list[str], rnd: object) -> None:
    keys = ProblemKeys()
    shuffled = list(words)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert keys.key(" ".join(words)) == keys.key(" ".join(shuffled))


def test_similarity_is_jaccard_of_words() -> None:
    assert similarity(tokens("a b c *"), tokens("c b a")) == 1.0
    assert similarity(tokens("a b"), tokens("c d")) == 0.0
    assert similarity(tokens("a b c d"), tokens("a b c e")) == pytest.approx(3 / 5)
