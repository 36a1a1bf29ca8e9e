"""What a report holds: recorded entries and records, arranged per kind. No I/O, no wording
beyond what the templates add."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from levelup.domain.models import Entry, Expectation, Feedback, Profile, Project, Testimonial

KINDS: tuple[str, ...] = ("weekly", "agenda", "review", "packet", "brag")
# The visibility channel a report travels through when sent.
CHANNEL = {"weekly": "weekly-report", "agenda": "1:1"}


@dataclass(slots=True, kw_only=True)
class Item:
    """One entry as reports show it: its recorded fields, phrased, plus who heard about it."""

    entry: Entry
    metrics: list[str] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)
    competencies: list[str] = field(default_factory=list)
    heard_by: list[str] = field(default_factory=list)
    decision_makers: list[str] = field(default_factory=list)
    regressed: list[str] = field(default_factory=list)  # metrics that moved the wrong way: private


@dataclass(slots=True, kw_only=True)
class Section:
    heading: str
    items: list[Item] = field(default_factory=list)
    note: str = ""  # a recorded text shown under the heading (e.g. a ladder expectation)
    mentions: list[Item] = field(default_factory=list)  # told in full elsewhere in the report


@dataclass(slots=True, kw_only=True)
class Story:
    """An entry told as a story: context, why it mattered, what I did, result now and later,
    what it prevented, and its links; an empty part was not recorded."""

    item: Item
    title: str = ""
    context: list[str] = field(default_factory=list)
    why: list[str] = field(default_factory=list)
    did: str = ""
    now: list[str] = field(default_factory=list)
    later: list[str] = field(default_factory=list)
    prevented: str = ""
    links: list[str] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class PlanLine:
    title: str
    status: str
    day: date


@dataclass(slots=True, kw_only=True)
class Quote:
    quote: str
    author: str
    about: str


@dataclass(slots=True, kw_only=True)
class Bar:
    """One bar of a chart: a label and a count measured from the ledger."""

    label: str
    value: int


@dataclass(slots=True, kw_only=True)
class Weekly:
    """Each entry of the period in one section; an empty section is left out when rendered."""

    wins: list[Item] = field(default_factory=list)  # wins and fires prevented
    invisible: list[Item] = field(default_factory=list)
    learning: list[Item] = field(default_factory=list)
    mentoring: list[Item] = field(default_factory=list)
    time: list[Bar] = field(default_factory=list)  # entries per project, busiest first
    risks: list[Item] = field(default_factory=list)  # incidents of the week
    open_feedback: list[Feedback] = field(default_factory=list)  # only when asked for
    last_plans: list[PlanLine] = field(default_factory=list)
    next_plans: list[PlanLine] = field(default_factory=list)  # open, and moved ones carried on
    next_heading: str = "Next week"
    asks: list[str] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class Agenda:
    manager: str | None = None
    last_one_on_one: date | None = None
    stories: list[Story] = field(default_factory=list)
    follow_ups: list[Feedback] = field(default_factory=list)
    question: str = ""
    feedback_ask: str = ""
    career: str = ""
    asks: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)  # what readiness still misses
    open_plans: list[PlanLine] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class Review:
    summary: list[str] = field(default_factory=list)
    highlights: list[Story] = field(default_factory=list)
    growth: list[Feedback] = field(default_factory=list)  # constructive feedback, what was done
    lessons: list[Project] = field(default_factory=list)  # projects with a post-mortem
    agreed: list[Expectation] = field(default_factory=list)  # what was agreed, how it went
    by_competency: list[Section] = field(default_factory=list)
    by_outcome: list[Section] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    chart: list[Bar] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class Seen:
    stakeholder: str
    decision_maker: bool
    titles: list[str] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class Packet:
    summary: list[str] = field(default_factory=list)
    highlights: list[Story] = field(default_factory=list)
    evidence: list[Section] = field(default_factory=list)  # every competency of the ladder
    projects: list[Project] = field(default_factory=list)
    agreed: list[Expectation] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    months: list[tuple[str, list[str]]] = field(default_factory=list)  # competency, months
    # The author's private bookkeeping: shown only in the private preview.
    seen: list[Seen] = field(default_factory=list)
    unseen: list[str] = field(default_factory=list)  # highlights no decision maker heard of
    chart: list[Bar] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class BragPeriod:
    label: str
    sections: list[Section] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class Brag:
    periods: list[BragPeriod] = field(default_factory=list)


Body = Weekly | Agenda | Review | Packet | Brag


@dataclass(slots=True, kw_only=True)
class Report:
    """A report of one kind for a period; ``items`` are every entry it shows."""

    kind: str
    title: str
    profile: Profile | None
    start: date | None
    end: date | None
    today: date
    body: Body
    audience: str | None = None
    items: list[Item] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # private preview only

    @property
    def entry_ids(self) -> list[int]:
        return sorted({i.entry.id for i in self.items if i.entry.id is not None})


def quote_of(testimonial: Testimonial, about: str) -> Quote:
    return Quote(quote=testimonial.quote, author=testimonial.author, about=about)
