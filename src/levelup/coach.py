"""The impact coach: would this statement convince a promotion committee, and what is missing?

Pure: ``coach(text)`` reads nothing but the packaged classifier model.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from levelup.classify import shipped_model, signals
from levelup.classify.classifier import flags as learned_flags
from levelup.classify.explain import reasons
from levelup.domain.models import STORY_FIELDS, Entry

WEIGHTS = {"has_metric": 35, "has_outcome": 30, "has_action": 25, "specific": 10}

SUGGEST_METRIC = ("Add a number that shows the effect, ideally the before and after "
                  "(e.g. 'pages per week from 12 to 3', 'p99 from 1.8s to 450ms').")
SUGGEST_COUNT = ("'{count}' counts activity, not effect: say what changed because of it "
                 "(fewer incidents, faster pages, hours saved).")
SUGGEST_OUTCOME = ("Say why it mattered and who benefited: customers, revenue, cost, "
                   "reliability, safety, or the team.")
SUGGEST_ACTION = ("Say what you personally did, starting with a verb: 'I designed…', "
                  "'Led…', rather than 'we', 'the team' or a passive sentence.")
SUGGEST_VAGUE = ("Name the specific system, change or person instead of 'worked on', "
                 "'helped with', 'things' or 'stuff'.")


def missing_story(entry: Entry) -> list[str]:
    """The parts of ``entry``'s story (``STORY_FIELDS``) not recorded, in the order a story
    is told: the coach asks for them, and never fills them in."""
    return [name for name in STORY_FIELDS if not getattr(entry, name).strip()]


@dataclass(slots=True, frozen=True)
class CoachResult:
    has_metric: bool
    has_outcome: bool
    has_action: bool
    vague: bool
    score: int
    suggestions: list[str] = field(default_factory=list)
    # for each flag that asks for a change, the words of the statement that decided it
    reasons: dict[str, list[str]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The public JSON shape of the coach."""
        return asdict(self)


def score(*, has_metric: bool, has_outcome: bool, has_action: bool, vague: bool) -> int:
    """0-100: the weight of every element the statement has."""
    parts = {"has_metric": has_metric, "has_outcome": has_outcome, "has_action": has_action,
             "specific": not vague}
    return sum(WEIGHTS[name] for name, present in parts.items() if present)


def _because(why: dict[str, list[str]], name: str) -> str:
    words = [w for w in why.get(name, []) if " " not in w or len(w.split()) <= 3]
    return f" (decided by: {', '.join(repr(w) for w in words)})" if words else ""


def _suggestions(text: str, flags: dict[str, bool], why: dict[str, list[str]]) -> list[str]:
    out: list[str] = []
    if not flags["has_metric"]:
        count = signals.activity_count(text)
        out.append(SUGGEST_COUNT.format(count=count) if count else SUGGEST_METRIC)
    if not flags["has_outcome"]:
        out.append(SUGGEST_OUTCOME)
    if not flags["has_action"]:
        out.append(SUGGEST_ACTION + _because(why, "has_action"))
    if flags["vague"]:
        out.append(SUGGEST_VAGUE + _because(why, "vague"))
    return out


def coach(text: str) -> CoachResult:
    """Check ``text`` for a metric, an outcome, a personal action and vagueness."""
    if not text.strip():
        return _result(EMPTY, _suggestions(text, EMPTY, {}), {})
    model = shipped_model()
    flags = learned_flags(model, text)
    wanting = [name for name, value in flags.items() if value == (name == "vague")]
    why = {name: found for name in wanting if (found := reasons(model, text, name))}
    return _result(flags, _suggestions(text, flags, why) + regressed_metrics(text), why)


EMPTY = {"has_metric": False, "has_outcome": False, "has_action": False, "vague": True}


def _result(flags: dict[str, bool], suggestions: list[str],
            why: dict[str, list[str]]) -> CoachResult:
    return CoachResult(has_metric=flags["has_metric"], has_outcome=flags["has_outcome"],
                       has_action=flags["has_action"], vague=flags["vague"],
                       score=score(**flags), suggestions=suggestions, reasons=why)


def entry_score(title: str, details: str) -> int:
    """The coach's score of an entry's wording (title and details), as stored with the entry
    when it is written (``entries.coach_score``) and read by readiness and the reports."""
    text = f"{title}. {details}".strip()
    if not text.strip(". "):
        return score(**EMPTY)
    return score(**learned_flags(shipped_model(), text))  # the flags only: no reasons, no tips


def regressed_metrics(text: str) -> list[str]:
    """A warning for each ``NAME: BEFORE -> AFTER`` in the text that moved the wrong way."""
    from levelup.domain.metrics import MetricError, parse_metric, regressed, regression_note

    notes = []
    for part in re.split(r"(?<!\d)\.\s+|;\s*|\n", text):
        try:
            metric = parse_metric(part)
        except MetricError:
            continue
        if regressed(metric):
            notes.append(regression_note(metric))
    return notes
