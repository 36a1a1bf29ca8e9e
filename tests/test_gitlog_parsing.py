"""The git importer's parsers: the NUL-token stream, numstat records, the merge graph."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st

from levelup.importers.gitlog import stream
from levelup.importers.gitlog.graph import read_graph
from levelup.importers.gitlog.grouping import is_pull_merge, issue_keys, parse_merge, pr_numbers

tokens = st.lists(st.text(alphabet=st.characters(blacklist_characters="\0",
                                                 blacklist_categories=("Cs",))), min_size=1)


@given(tokens, st.integers(min_value=1, max_value=7))
def test_tokens_survive_any_chunk_boundary(parts: list[str], size: int) -> None:
    data = "\0".join(parts).encode()
    original, stream._CHUNK = stream._CHUNK, size
    try:
        read = list(stream.nul_tokens(io.BytesIO(data)))
    finally:
        stream._CHUNK = original
    assert read == [p for i, p in enumerate(parts) if p or i < len(parts) - 1]


def test_numstat_records_with_rename_and_binary() -> None:
    raw = ["\x1ea\x1fsubject", "\n3\t1\tsrc/a.py", "0\t0\t", "old/name.py", "new/name.py",
           "-\t-\tlogo.png", "\x1eb\x1fempty", ""]
    first, second = stream.log_records(iter(raw), 2)
    assert first.fields == ["a", "subject"]
    assert first.files == ["src/a.py", "new/name.py", "logo.png"]
    assert (first.added, first.removed, first.binary) == (3, 1, 1)
    assert second.fields == ["b", "empty"] and second.files == []


def test_name_only_records_keep_new_paths_and_empty_commits() -> None:
    raw = ["\x1ea@x\x1f2026-03-01", "\nsrc/a.py", "new/name.py", "\x1eb@x\x1f2026-03-02",
           "\x1ec@x\x1f2026-03-03", "\n\nodd", ""]
    assert list(stream.name_records(iter(raw), 2)) == [
        (["a@x", "2026-03-01"], ["src/a.py", "new/name.py"]),
        (["b@x", "2026-03-02"], []),
        (["c@x", "2026-03-03"], ["\nodd"]),  # only the separator before the first path goes
    ]


def test_a_branch_merged_twice_belongs_to_the_first_merge() -> None:
    # main: A - M1 - M2 (HEAD); branch: A - b1 (merged by M1) - b2 (merged by M2)
    lines = ["M2\x1fM1 b2\x1fx@y\x1fX\x1fMerge branch 'b'", "b2\x1fb1\x1fme@y\x1fMe\x1fb2",
             "M1\x1fA b1\x1fx@y\x1fX\x1fMerge branch 'b'", "b1\x1fA\x1fme@y\x1fMe\x1fb1",
             "A\x1f\x1fme@y\x1fMe\x1fa"]
    graph = read_graph(lines, lambda email, name: email == "me@y")
    assert graph.merge_of == {"b2": "M2", "b1": "M1", "A": None}
    assert graph.commits == 5


def test_a_pull_of_the_main_branch_brings_in_no_work_item() -> None:
    # main: A - x1 - P (a colleague's `git pull`); P's side parent: A - me1 (pushed by me)
    lines = ["P\x1fx1 me1\x1fx@y\x1fX\x1fMerge branch 'main' of github.com:acme/proj",
             "x1\x1fA\x1fx@y\x1fX\x1fx1", "me1\x1fA\x1fme@y\x1fMe\x1fme1",
             "A\x1f\x1fme@y\x1fMe\x1fa"]
    graph = read_graph(lines, lambda email, name: email == "me@y")
    assert graph.merge_of == {"me1": None, "A": None}
    assert is_pull_merge("Merge remote-tracking branch 'origin/master'")
    assert not is_pull_merge("Merge branch 'feature/x' of github.com:acme/proj")
    assert not is_pull_merge("Merge pull request #12 from ada/main")


def test_messages() -> None:
    assert parse_merge("Merge pull request #12 from ada/login", "\nSign-in page\n") == (
        12, "Sign-in page")
    assert parse_merge("Merge branch 'feature/x'", "") == (None, "feature/x")
    assert pr_numbers("Fix crash (#41), see PR #40") == {40, 41}
    assert issue_keys("ABC-12 and UTF-8 in ISO-8601", "closes OPS-7") == {"ABC-12", "OPS-7"}


def test_a_git_error_is_the_line_that_says_what_failed() -> None:
    stderr = (b"warning: refname 'main' is ambiguous.\n"
              b"fatal: '/srv/origin.git' does not appear to be a git repository\n"
              b"fatal: Could not read from remote repository.\n\n"
              b"Please make sure you have the correct access rights\n")
    assert stream.git_error(stderr) == (
        "fatal: '/srv/origin.git' does not appear to be a git repository")
    assert stream.git_error(b"usage: git log\n") == "usage: git log"
    assert stream.git_error(b"") == "git gave no reason"


def test_long_lived_branches_and_merge_descriptions() -> None:
    from levelup.importers.gitlog.grouping import is_long_lived_merge, merge_description

    for subject in ("Merge branch 'stable'", "Merge branch '2.0.x'", "Merge branch 'maint'",
                    "Merge branch '1.0-maintenance'", "Merge branch 'release/1.2' into main",
                    "Merge pull request #4567 from pallets/2.0.x", "Merge tag 'v2.40.1'",
                    "Merge remote-tracking branch 'origin/develop'"):
        assert is_long_lived_merge(subject), subject
    for subject in ("Merge branch 'jk/fix-leak'", "Merge pull request #12 from ada/main",
                    "Merge branch 'feature/1'", "Merge pull request #9 from ada/release-notes"):
        assert not is_long_lived_merge(subject), subject
    body = ("\nThe parser leaked its buffer.\n\nIt frees it now.\n\n* jk/fix-leak:\n"
            "  parser: free\n\nSigned-off-by: J <j@x>\n")
    assert merge_description("Merge branch 'jk/fix-leak'", body) == (
        "The parser leaked its buffer.\n\nIt frees it now.")
    assert merge_description("Merge pull request #3 from a/b", "Title\n\nWhy it matters\n") == (
        "Why it matters")


def test_a_maintenance_branch_is_split_into_its_pull_requests() -> None:
    # main: A - M (merges stable); stable: A - P (merges PR #5: p1) - s1 (direct)
    lines = ["M\x1fA s1\x1fx@y\x1fX\x1fMerge branch 'stable'",
             "s1\x1fP\x1fme@y\x1fMe\x1fRelease 1.0.1",
             "P\x1fA p1\x1fx@y\x1fX\x1fMerge pull request #5 from me/fix",
             "p1\x1fA\x1fme@y\x1fMe\x1ffix", "A\x1f\x1fme@y\x1fMe\x1fa"]
    graph = read_graph(lines, lambda email, name: email == "me@y")
    assert graph.merge_of == {"s1": None, "p1": "P", "A": None}
