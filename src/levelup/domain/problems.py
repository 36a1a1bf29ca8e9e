"""Problem keys: incident titles with their noise removed, near-duplicates merged.

"CPU high on web-17" and "High CPU on web-03" are one recurring problem: hosts, numbers,
ids, addresses, timestamps, quoted values and paths become ``*`` (``normalise_title``),
and titles whose remaining words are nearly the same set share one key (``ProblemKeys``).
Pure functions; the store seeds ``ProblemKeys`` with the keys it already holds so that
keys stay stable across imports.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Sequence

WILD = "*"
MAX_KEY = 300  # the width of incidents.problem_key
SIMILARITY = 0.8  # token-set (Jaccard) similarity from which two titles are one problem

# One pass over the title: the first alternative that matches wins, so order matters.
_NOISE = re.compile(
    r"""
      (?P<quoted>"[^"]*"|'[^']*'|`[^`]*`)
    | (?P<uuid>\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b)
    | (?P<timestamp>\b\d{4}-\d{2}-\d{2}(?:[t\s]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?
         (?:z|[+-]\d{2}:?\d{2})?)?\b|\b\d{1,2}:\d{2}(?::\d{2})?\b)
    | (?P<ip>\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b|\b(?:[0-9a-f]{1,4}:){3,7}[0-9a-f]{1,4}\b)
    | (?P<email>\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b)
    | (?P<url>\b[a-z][a-z0-9+.-]*://\S+)
    | (?P<path>(?<![\w.])(?:~|\.{1,2})?(?:/[\w.@%+-]+){2,}/?)
    | (?P<hex>\b(?:0x[0-9a-f]+|(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{6,})\b)
    | (?P<host>\b[a-z][a-z_]*(?:-[a-z_]+)*?[-_.]?\d+[a-z0-9]*(?:[-.][a-z0-9]+)*\b)
    | (?P<number>[-+]?\d+(?:[.,]\d+)*)
    """,
    re.VERBOSE,
)
_LEAD = re.compile(r"^(?:\[[^\]]*\]\s*|(?:re|fwd?|alert|incident|resolved|triggered)\s*:\s*)+")
_SEPARATORS = re.compile(r"[\s\x00-\x1f\x7f,;|()\[\]{}<>=]+")
_EDGE_PUNCT = ".:!?#\"'`-_%/"
_STARS = re.compile(r"(?:\*[\s*]*)+")
_WORDLIKE = re.compile(r"[\w*]")


def _replace(match: re.Match[str]) -> str:
    kind = match.lastgroup
    text = match.group()
    if kind == "host":
        prefix = re.match(r"[a-z_]+(?:-[a-z_]+)*?[-_.]?(?=\d)", text)
        stem = prefix.group() if prefix else ""
        return f"{stem}{WILD}" if stem.strip("-_.") else WILD
    if kind == "number":
        return WILD
    return f" {WILD} "


def normalise_title(title: str) -> str:
    """The title in lower case with its variable parts as ``*`` and spacing collapsed."""
    text = _LEAD.sub("", title.strip().lower())
    text = _NOISE.sub(_replace, text)
    for _ in range(5):  # tidying can expose more to tidy ("*~" → "* ~" → "*")
        tidy = _tidy(text)
        if tidy == text:
            break
        text = tidy
    if len(text) > MAX_KEY:  # cut at a word boundary so the key re-normalises to itself
        text = _tidy(text[: MAX_KEY + 1].rsplit(" ", 1)[0][:MAX_KEY])
    return text or WILD


def _tidy(text: str) -> str:
    words = (word.strip(_EDGE_PUNCT) for word in _SEPARATORS.split(_STARS.sub("* ", text)))
    return " ".join(word for word in words if _WORDLIKE.search(word))


def tokens(key: str) -> frozenset[str]:
    """The words of a normalised title that say what the problem is (wildcards left out)."""
    return frozenset(word for word in key.split() if word != WILD)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard similarity of two token sets (1.0 for two empty sets)."""
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


class ProblemKeys:
    """Assigns problem keys, merging a title into a known key whose words nearly match.

    Results are cached per distinct title, so a million pages of a few hundred problems
    cost a few hundred normalisations. The first key seen for a problem is kept.
    """

    def __init__(self, known: Iterable[str] = (), *, threshold: float = SIMILARITY) -> None:
        self.threshold = threshold
        self._by_title: dict[str, str] = {}
        self._by_key: dict[str, str] = {}
        self._by_tokens: dict[frozenset[str], str] = {}
        self._index: dict[str, list[tuple[str, frozenset[str]]]] = {}
        for key in known:
            self._remember(key, key)

    def key(self, title: str) -> str:
        """The problem key of ``title``."""
        found = self._by_title.get(title)
        if found is None:
            found = self._key_of_normalised(normalise_title(title))
            if len(self._by_title) < 1_000_000:  # bound memory on endlessly varied titles
                self._by_title[title] = found
        return found

    def _key_of_normalised(self, norm: str) -> str:
        known = self._by_key.get(norm)
        if known is not None:
            return known
        words = tokens(norm)
        key = self._by_tokens.get(words) or self._nearest(words) or norm
        self._remember(norm, key)
        return key

    def _nearest(self, words: frozenset[str]) -> str | None:
        """The best known key with similarity ≥ threshold (prefix filtering on sorted words)."""
        if len(words) < 2:
            return None
        ordered = sorted(words)
        # A key sharing ≥ threshold·|words| words must contain one of these first words.
        prefix = len(ordered) - math.ceil(self.threshold * len(ordered)) + 1
        best, best_score = None, self.threshold
        seen: set[str] = set()
        for word in ordered[:prefix]:
            for key, key_words in self._index.get(word, ()):
                if key in seen:
                    continue
                seen.add(key)
                score = similarity(words, key_words)
                if score >= best_score and (best is None or score > best_score):
                    best, best_score = key, score
        return best

    def _remember(self, norm: str, key: str) -> None:
        self._by_key[norm] = key
        if norm != key:
            return
        words = tokens(key)
        self._by_tokens.setdefault(words, key)
        for word in words:
            self._index.setdefault(word, []).append((key, words))


def problem_label(key: str, limit: int = 60) -> str:
    """A key short enough for a table cell or a chart axis."""
    return key if len(key) <= limit else key[: limit - 1] + "…"


def closest_keys(text: str, known: Sequence[str], limit: int = 3) -> list[str]:
    """The known keys most like ``text`` (a mistyped key), best first; at most ``limit``."""
    wanted = text.strip().lower()
    close = difflib.get_close_matches(wanted, known, n=limit, cutoff=0.6)
    if close:
        return close
    words = tokens(normalise_title(wanted))  # no close spelling: the keys sharing most words
    scored = sorted(known, key=lambda key: (-similarity(words, tokens(key)), key))
    return [key for key in scored[:limit] if words & tokens(key)]
