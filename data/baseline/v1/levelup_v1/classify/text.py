"""Turning a statement into the features the classifier counts: stems and stem pairs."""

from __future__ import annotations

import re
from functools import cache

# The first word after an optional tag such as 'EM:': the verb that says what was done.
_LEAD = re.compile(r"^\s*(?:[A-Za-z][\w /&-]{0,24}:\s+)?(?:I\s+)?([A-Za-z]+)")
_TOKEN = re.compile(r"[a-z][a-z'+#-]*|\d+(?:[.,]\d+)*|[$€£%]")

STOPWORDS = frozenset(
    "a an the and or but of to in on at for with by from into onto as is are was were be been "
    "it its this that these those so than then there their them they we our us i my me he she "
    "his her you your not no can could would should will just also about after before over "
    "under up out all any each every some one which who whom what when where while do did does "
    "have has had more most very now new".split()
)
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ers", "er", "ed", "es", "ly", "s")


def stem(word: str) -> str:
    """A crude suffix stripper: good enough to merge 'deploys', 'deployed' and 'deploying'."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


@cache
def _word_token(raw: str) -> str | None:
    """The feature of one raw token (memoised: a vocabulary is small, statements are many)."""
    if raw[0].isdigit():
        return "#num"
    if raw in "$€£":
        return "#money"
    if raw == "%":
        return "#pct"
    word = raw.strip("'-")
    if not word or word in STOPWORDS:
        return None
    return stem(word)


def features(text: str) -> list[str]:
    """Stemmed content words plus adjacent pairs ('a|b'), in order of appearance."""
    words = [t for t in (_word_token(raw) for raw in _TOKEN.findall(text.lower())) if t]
    pairs = [f"{a}|{b}" for a, b in zip(words, words[1:], strict=False)]
    lead = _LEAD.search(text)
    head = [f"^{stem(lead.group(1).lower())}"] if lead else []
    return words + pairs + head
