"""The ledger's entities as plain typed objects.

Stored objects carry a database ``id`` (local, short, what a user types) and a ``uid``
(global, stable across export/import and machines). People are referred to by name.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field


def new_uid() -> str:
    return uuid.uuid4().hex


@dataclass(slots=True, kw_only=True)
class Label:
    """An outcome or competency on an entry; suggested by the classifier until confirmed."""

    id: str
    confirmed: bool = True
    score: float | None = None


@dataclass(slots=True, kw_only=True)
class Metric:
    """A measured effect: ``name: baseline -> result unit`` (baseline may be absent)."""

    name: str
    result: float
    baseline: float | None = None
    unit: str = ""
    better: str | None = None  # "lower" or "higher"; None: inferred from the name and unit


# The parts of an entry's story, in the order it is told (issue: "a case that convinces").
STORY_FIELDS: tuple[str, ...] = (
    "context", "why", "did", "result_now", "result_later", "prevented",
)


@dataclass(slots=True, kw_only=True)
class Testimonial:
    __test__ = False  # not a pytest test class, despite the name

    quote: str
    author: str


@dataclass(slots=True, kw_only=True)
class Entry:
    title: str
    date: dt.date
    end_date: dt.date | None = None
    details: str = ""
    kind: str = "win"
    project: str | None = None
    outcomes: list[Label] = field(default_factory=list)
    competencies: list[Label] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    testimonials: list[Testimonial] = field(default_factory=list)
    # The story: the situation, why it mattered to the business, what the author did (their own
    # part), the result now, the result later, what it prevented. Empty: not recorded.
    context: str = ""
    why: str = ""
    did: str = ""
    result_now: str = ""
    result_later: str = ""
    prevented: str = ""
    source: str = "manual"
    source_id: str | None = None
    status: str | None = None  # plans: open/done/dropped/moved
    id: int | None = None
    uid: str = field(default_factory=new_uid)
    created_at: dt.datetime | None = None

    @property
    def outcome_ids(self) -> list[str]:
        return [label.id for label in self.outcomes]

    @property
    def competency_ids(self) -> list[str]:
        return [label.id for label in self.competencies]


@dataclass(slots=True, kw_only=True)
class Profile:
    name: str
    level: str
    target_level: str
    ladder: str = "software-engineer"
    manager: str | None = None


@dataclass(slots=True, kw_only=True)
class Stakeholder:
    name: str
    relation: str = "peer"
    decision_maker: bool = False
    notes: str = ""
    email: str = ""
    id: int | None = None
    uid: str = field(default_factory=new_uid)


@dataclass(slots=True, kw_only=True)
class Expectation:
    kind: str
    text: str
    agreed_on: dt.date
    said_by: str | None = None
    outcome: str = ""  # how it went, in the user's words
    outcome_on: dt.date | None = None  # the day the outcome was recorded
    id: int | None = None
    uid: str = field(default_factory=new_uid)


@dataclass(slots=True, kw_only=True)
class VisibilityEvent:
    """A stakeholder heard about some entries, on a date, through a channel."""

    stakeholder: str
    date: dt.date
    channel: str
    entry_ids: list[int] = field(default_factory=list)
    note: str = ""
    id: int | None = None
    uid: str = field(default_factory=new_uid)


@dataclass(slots=True, kw_only=True)
class Feedback:
    giver: str
    date: dt.date
    polarity: str
    text: str
    competency: str | None = None
    asked: bool = False
    follow_up: str = ""
    status: str = "open"
    quotable: bool = False  # the user marked it fit to quote in the packet
    entry_ids: list[int] = field(default_factory=list)
    id: int | None = None
    uid: str = field(default_factory=new_uid)


@dataclass(slots=True, kw_only=True)
class Project:
    name: str
    goal: str = ""
    outcome: str = ""
    role: str = ""
    stretch: bool = False
    stakeholders: list[str] = field(default_factory=list)
    start: dt.date | None = None
    end: dt.date | None = None
    status: str = "active"
    went_well: str = ""
    to_improve: str = ""
    lessons: str = ""
    id: int | None = None
    uid: str = field(default_factory=new_uid)


@dataclass(slots=True, kw_only=True)
class QuestionAnswer:
    question: str
    answer: str = ""


@dataclass(slots=True, kw_only=True)
class Conversation:
    """A 1:1 or career talk; ``aspiration_stated`` marks where the user said what they want next."""

    date: dt.date
    with_: str
    kind: str = "1:1"
    notes: str = ""
    questions: list[QuestionAnswer] = field(default_factory=list)
    aspiration_stated: bool = False
    source: str = "manual"
    source_id: str | None = None
    id: int | None = None
    uid: str = field(default_factory=new_uid)


@dataclass(slots=True, kw_only=True)
class CheckIn:
    """A self check-in: scores 1-5 keyed by the ids of ``vocab.CHECKIN_QUESTIONS``."""

    date: dt.date
    scores: dict[str, int] = field(default_factory=dict)
    notes: str = ""
    id: int | None = None
    uid: str = field(default_factory=new_uid)


@dataclass(slots=True, kw_only=True)
class Incident:
    """A page or incident from an on-call tool; ``problem_key`` groups recurring ones."""

    source: str
    source_id: str
    created: dt.datetime
    title: str
    resolved: dt.datetime | None = None
    service: str = ""
    urgency: str = ""
    assignee: str = ""
    problem_key: str = ""
    id: int | None = None


@dataclass(slots=True, kw_only=True)
class Opportunity:
    kind: str
    title: str
    hypothesis: str = ""
    problem_key: str | None = None
    status: str = "open"
    done_entry_id: int | None = None
    created: dt.date | None = None
    done_on: dt.date | None = None
    id: int | None = None
    uid: str = field(default_factory=new_uid)
