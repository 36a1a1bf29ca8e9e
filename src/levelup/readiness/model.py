"""Readiness as plain data: what the rules read (``ReadinessInput``) and what they find.

Pure: no database, no clock. The service in ``levelup.services.readiness`` fills the input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from levelup.domain.steps import Step

Status = Literal["met", "partial", "missing"]
FACTORS: tuple[str, ...] = (
    "sustained", "visibility", "business_need", "successor", "aspiration", "prevention",
    "mentoring", "bus_factor", "feedback", "expectations", "checkin",
)


@dataclass(slots=True, frozen=True)
class CompetencyLabel:
    """A competency on an entry: confirmed, or suggested with the classifier's score."""

    id: str
    confirmed: bool = True
    score: float | None = None
    primary: bool = True


@dataclass(slots=True, kw_only=True)
class EntryFacts:
    """What readiness needs of one entry in the window (never the whole ledger)."""

    id: int
    date: date
    kind: str
    title: str
    details: str = ""
    competencies: list[CompetencyLabel] = field(default_factory=list)
    has_metric: bool = False
    has_outcome: bool = False
    has_quote: bool = False
    coach_score: int | None = None  # stored when the entry was written; None: run the coach
    # Evidence recorded on the entry: a metric counts double, outcome and quote once.
    recorded_strength: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self.recorded_strength = 2 * self.has_metric + self.has_outcome + self.has_quote

    @property
    def text(self) -> str:
        return f"{self.title}. {self.details}".strip()


@dataclass(slots=True, frozen=True)
class Person:
    name: str
    relation: str
    decision_maker: bool


@dataclass(slots=True, frozen=True)
class Record:
    """A dated record other than an entry (expectation, conversation, check-in, feedback)."""

    id: int
    date: date
    kind: str = ""
    who: str = ""
    text: str = ""
    flag: bool = False  # aspiration stated / feedback asked
    open_follow_up: str = ""  # feedback: follow-up still open
    entry_ids: tuple[int, ...] = ()


@dataclass(slots=True, frozen=True)
class CheckInScores:
    id: int
    date: date
    scores: dict[str, int]

    @property
    def average(self) -> float:
        return sum(self.scores.values()) / len(self.scores) if self.scores else 0.0


@dataclass(slots=True, frozen=True)
class Thresholds:
    """The readiness settings (see ``levelup.settings``), copied so the core stays pure."""

    sustained_months: int = 4
    window_months: int = 6
    visibility_share: float = 0.5
    strongest_entries: int = 10
    feedback_weeks: int = 6
    expectations_days: int = 90
    prevention_ratio: float = 1.0
    weak_score: int = 40
    mentoring_entries: int = 3
    critical_tasks: int = 3
    checkin_days: int = 14
    bus_factor_months: int = 12
    one_on_one_days: int = 14


@dataclass(slots=True, kw_only=True)
class ReadinessInput:
    """Everything the readiness rules read, gathered by one service call."""

    today: date
    target_level: str
    competencies: list[str]  # those the target level of the ladder defines
    expectations_text: dict[str, str] = field(default_factory=dict)  # competency -> ladder text
    manager: str | None = None
    entries: list[EntryFacts] = field(default_factory=list)  # window entries, plans excluded
    heard_by: dict[int, list[tuple[str, bool]]] = field(default_factory=dict)
    people: list[Person] = field(default_factory=list)
    expectations: list[Record] = field(default_factory=list)
    aspirations: list[Record] = field(default_factory=list)
    feedback: list[Record] = field(default_factory=list)
    checkins: list[CheckInScores] = field(default_factory=list)
    sole_paths: list[str] | None = None  # None: no git ownership imported (or no emails set)
    thresholds: Thresholds = field(default_factory=Thresholds)


@dataclass(slots=True, kw_only=True)
class CompetencyResult:
    id: str
    status: Status
    evidence: list[int]
    months_with_evidence: int
    months: list[str] = field(default_factory=list)  # YYYY-MM with enough evidence

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.status, "evidence": self.evidence,
                "months_with_evidence": self.months_with_evidence}


@dataclass(slots=True, kw_only=True)
class Factor:
    id: str
    status: Status
    detail: str
    evidence: list[int] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.status, "detail": self.detail,
                "evidence": self.evidence}


@dataclass(slots=True, kw_only=True)
class Action:
    """What to do next for a factor; ``step`` names the action that records it, if any."""

    text: str
    factor: str
    entries: list[int] = field(default_factory=list)
    weight: float = 0.0  # how much of a gap it closes; orders the list, not shown
    step: Step | None = None

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "factor": self.factor, "entries": self.entries,
                "step": self.step.to_json() if self.step else None}


@dataclass(slots=True, kw_only=True)
class Readiness:
    target_level: str
    competencies: list[CompetencyResult]
    factors: list[Factor]
    actions: list[Action]

    def factor(self, factor_id: str) -> Factor:
        return next(f for f in self.factors if f.id == factor_id)

    def to_json(self) -> dict[str, Any]:
        """The assessment as JSON; each action's ``step`` is for the adapter to phrase."""
        return {
            "target_level": self.target_level,
            "competencies": [c.to_json() for c in self.competencies],
            "factors": [f.to_json() for f in self.factors],
            "actions": [a.to_json() for a in self.actions],
        }
