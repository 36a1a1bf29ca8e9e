"""A statement as the sparse vectors the linear heads read.

Three kinds of feature, each a name mapped to a value:

- words: stems, adjacent stem pairs and the leading verb (``text.features``), each weighing
  1/sqrt(how many there are), so that a paragraph does not outvote a line;
- cues: ``@o:LABEL`` / ``@c:LABEL``, how many cue words or phrases of a label the statement
  holds (``lexicon.py``), phrases matched as phrases;
- rules: ``!NAME`` for each surface rule of ``signals.py`` that fires (a measured effect, a
  stated why, a personal action, filler, vagueness, an activity count...).

The outcome head never sees a number: no number feature, no ``!metric``. A before→after figure
says how much changed, not which outcome it served, so it cannot pull toward kpi.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from levelup.classify import signals
from levelup.classify.lexicon import COMPETENCY_CUES, OUTCOME_CUES
from levelup.classify.text import features

Vector = dict[str, float]
_NUMERIC = ("#num", "#pct", "#money")
_FROM_NUMBERS = ("!metric", "!vague")  # rules that read numbers: kept from the outcome head
_GROUP = re.compile(r"^(?:we|we've|our|the team|team|us)\b", re.IGNORECASE)


@cache
def cue_sets() -> dict[str, frozenset[str]]:
    """Stemmed cue features per ``@o:LABEL`` / ``@c:LABEL`` (computed once per process)."""
    out = {}
    for prefix, cues in (("@o:", OUTCOME_CUES), ("@c:", COMPETENCY_CUES)):
        for label, words in cues.items():
            out[prefix + label] = frozenset(cue_feature(w) for w in words.split()) - {""}
    return out


def cue_feature(cue: str) -> str:
    """The feature a cue matches: a phrase's stem pairs joined, or a word's stem."""
    feats = features(cue.replace("_", " "))
    words = [f for f in feats if "|" not in f and not f.startswith("^")]
    return "|".join(words) if len(words) > 1 else (words[0] if words else "")


def _phrase_feats(words: list[str]) -> set[str]:
    """Joined runs of two and three stems, so that three-word cues can match too."""
    return {"|".join(words[i:i + n]) for n in (2, 3) for i in range(len(words) - n + 1)}


def rules(text: str) -> set[str]:
    """The names of the surface rules that fire on ``text``."""
    stripped = signals.body(text)
    size = len(stripped.split())
    metric = signals.has_metric(text)
    generic = signals.generic_wording(text)
    fired = {
        "!metric": metric,
        "!why": signals.states_purpose(text),
        "!generic": generic,
        "!action": signals.has_action(text),
        "!vague": not metric and (generic or size <= 2),  # signals.is_vague, sharing work
        "!count": signals.activity_count(text) is not None,
        "!filler": signals.is_filler(text),
        "!named": signals.names_something(text),
        "!group": _GROUP.search(stripped) is not None,
        "!short": size <= 4,
        "!long": size >= 25,
    }
    return {name for name, on in fired.items() if on}


@dataclass(frozen=True, slots=True)
class Statement:
    """What the heads read of one statement (never mutate its dicts: they are shared)."""

    outcome: Vector  # the outcome head's vector: no number in it
    competency: Vector
    flag: Vector
    words: tuple[str, ...]  # the naive Bayes features of competencies
    outcome_words: tuple[str, ...]  # and of outcomes: the same without numbers


@lru_cache(maxsize=4096)
def statement(text: str) -> Statement:
    """The vectors and word features of ``text``; memoised per text."""
    feats = features(text)
    words = [f for f in feats if "|" not in f and not f.startswith("^")]
    present = set(feats) | _phrase_feats(words)
    cues = {name: float(len(present & members)) for name, members in cue_sets().items()
            if present & members}
    fired = dict.fromkeys(rules(text), 1.0)
    unique = dict.fromkeys(feats)
    numeric = [f for f in unique if "#" in f and any(n in f for n in _NUMERIC)]
    plain = [f for f in unique if f not in numeric] if numeric else list(unique)
    scale = 1.0 / math.sqrt(len(plain) + len(numeric) or 1)
    content = dict.fromkeys(plain, scale)
    outcome_cues = {k: v for k, v in cues.items() if k.startswith("@o:")}
    competency_cues = {k: v for k, v in cues.items() if k.startswith("@c:")}
    no_numbers = {k: v for k, v in fired.items() if k not in _FROM_NUMBERS}
    return Statement({**content, **outcome_cues, **no_numbers},
                     {**content, **competency_cues, **fired},
                     {**content, **dict.fromkeys(numeric, scale), **cues, **fired},
                     tuple(feats),
                     tuple(f for f in feats if f not in numeric) if numeric else tuple(feats))
