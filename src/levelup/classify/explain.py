"""Why the coach raised a flag: the words of the statement behind its strongest features.

A learned flag is a sum of feature weights; the features that pushed hardest toward the answer
are turned back into the author's own words ('helped with', 'we', '40%'), so a user can see
why "helped with the rollout" counts as no action.
"""

from __future__ import annotations

import re

from levelup.classify import signals
from levelup.classify.classifier import Model, flag_reasons
from levelup.classify.text import _TOKEN, _word_token

_RULE_PATTERNS: dict[str, re.Pattern[str]] = {
    "!generic": re.compile(signals._VAGUE_WORDS.pattern + "|" + signals._GENERIC.pattern,
                           re.IGNORECASE),
    "!filler": signals.FILLER,
    "!count": signals.ACTIVITY_COUNT,
    "!group": re.compile(r"^\s*(?:we|we've|our|the team|team|us)\b", re.IGNORECASE),
    "!why": signals._WHY,
}
_RULE_WORDS = {"!short": "a very short statement", "!long": "a long statement",
               "!named": "a named system or person", "!metric": "a measured effect",
               "!action": "a personal action verb", "!vague": "generic wording"}


def words_for(text: str, feature: str) -> str | None:
    """The words of ``text`` that a feature stands for, or None when it is not readable."""
    pattern = _RULE_PATTERNS.get(feature)
    if pattern is not None:
        match = pattern.search(signals.body(text))
        return match.group(0).strip() if match else None
    if feature in _RULE_WORDS:
        return _RULE_WORDS[feature]
    if feature.startswith(("@", "#")):
        return None
    wanted = feature.lstrip("^").split("|")
    raws = _TOKEN.findall(text.lower())
    stems = [(raw, _word_token(raw)) for raw in raws]
    found = [raw for raw, token in stems if token in wanted]
    return " ".join(dict.fromkeys(found)) or None


def reasons(model: Model, text: str, flag: str, limit: int = 3) -> list[str]:
    """Up to ``limit`` phrases of ``text`` that decided ``flag``, strongest first."""
    out: list[str] = []
    for feature in flag_reasons(model, text, flag, limit=limit * 3):
        phrase = words_for(text, feature)
        if phrase and phrase not in out:
            out.append(phrase)
        if len(out) == limit:
            break
    return out
