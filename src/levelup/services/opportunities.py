"""The opportunity finder: the Pareto report, on-call load, and fixes that measure themselves.

Use cases take a ``Context``: ``opportunity_report``, ``add_opportunity``,
``list_opportunities``, ``complete_opportunity``. The functions taking a connection
(``oncall_load``, ``mark_done_by``, ``refresh_page_metrics``) run inside a caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from levelup.domain.metrics import regressed
from levelup.domain.models import Metric, Opportunity
from levelup.domain.page_rate import RateWindows, page_rate_metric, rate_windows
from levelup.domain.pareto import (
    OFFICE_HOURS,
    ParetoRow,
    ProblemLoad,
    WeekCount,
    WorkHours,
    pareto,
    trend,
    vital_few,
    weekly,
)
from levelup.domain.steps import Step
from levelup.errors import FieldError

if TYPE_CHECKING:
    from levelup.context import Context
    from levelup.store.incidents import LoadCell


@dataclass(frozen=True, slots=True)
class OncallLoad:
    """Pages one person received in a period, and how many came outside working hours."""

    person: str
    pages: int
    off_hours: int
    toil_hours: float
    weeks: float

    @property
    def off_hours_share(self) -> float:
        return self.off_hours / self.pages if self.pages else 0.0

    @property
    def pages_per_week(self) -> float:
        return self.pages / self.weeks if self.weeks else float(self.pages)

    def as_json(self) -> dict[str, Any]:
        return {
            "person": self.person, "pages": self.pages, "off_hours": self.off_hours,
            "off_hours_share": round(self.off_hours_share, 4),
            "pages_per_week": round(self.pages_per_week, 2),
            "toil_hours": round(self.toil_hours, 2),
        }


@dataclass(slots=True)
class OpportunityReport:
    by: str
    start: date | None
    end: date | None
    hours: WorkHours
    rows: list[ParetoRow] = field(default_factory=list)
    weeks: list[WeekCount] = field(default_factory=list)
    oncall: OncallLoad | None = None

    @property
    def total(self) -> int:
        return sum(row.count for row in self.rows)

    @property
    def vital_few(self) -> list[ParetoRow]:
        return vital_few(self.rows)

    def as_json(self) -> dict[str, Any]:
        slope = trend(self.weeks)
        return {
            "by": self.by,
            "period": {"since": self.start, "until": self.end},
            "working_hours": {"start": self.hours.start, "end": self.hours.end,
                              "weekends_off": self.hours.weekends_off},
            "total": self.total,
            "problems": [row.as_json() for row in self.rows],
            "vital_few": [row.key for row in self.vital_few],
            "weekly": [{"week": w.week.isoformat(), "count": w.count} for w in self.weeks],
            "weekly_trend": None if slope is None else round(slope, 3),
            "oncall": self.oncall.as_json() if self.oncall else None,
        }


def oncall_load(
    conn: Connection, *, person: str | Sequence[str], since: date | None, until: date | None,
    hours: WorkHours = OFFICE_HOURS,
) -> OncallLoad:
    """Pages received by ``person`` (name or email, any of several) between since and until."""
    from levelup.store.incidents import person_load, time_span

    names = [person] if isinstance(person, str) else list(person)
    load = person_load(conn, names=names, start=since, end=until, hours=hours)
    span = time_span(conn)
    first = since or (span[0].date() if span else None)
    last = until or (span[1].date() if span else None)
    days = (last - first).days + 1 if first and last else 7
    return OncallLoad(" / ".join(names), load.pages, load.off_hours, load.toil_hours, days / 7)


def opportunity_report(
    ctx: Context, *, since: str | None = None, until: str | None = None, by: str = "problem",
    work_hours: str = "9-18", me: Sequence[str] = (),
) -> OpportunityReport:
    """The Pareto of recurring problems (or services) in the period, the weekly trend, and the
    on-call load of ``me`` (names or emails; default: the profile's name).

    ``work_hours`` is START-END in each page's local time, ``+weekends`` when those are worked.
    """
    from levelup.store.people import find_profile

    if by not in ("problem", "service"):
        raise FieldError("by", f"must be problem or service, not '{by}'")
    hours = parse_work_hours(work_hours)
    period = ctx.window(since, until)
    with ctx.read() as conn:
        profile = find_profile(conn)
        people = list(me) or ([profile.name] if profile else [])
        return _report(conn, start=period.start, end=period.end, by=by, hours=hours,
                       person=people)


def parse_work_hours(text: str) -> WorkHours:
    """``9-18`` or ``9-18+weekends`` as working hours."""
    start, _, end = text.partition("-")
    try:
        weekends = text.endswith("+weekends")
        return WorkHours(int(start), int(end.removesuffix("+weekends")), weekends_off=not weekends)
    except ValueError as exc:
        raise FieldError("work_hours", f"'{text}' is not START-END, e.g. 9-18 ({exc})") from None


def _report(
    conn: Connection, *, start: date | None, end: date | None, by: str,
    hours: WorkHours, person: Sequence[str],
) -> OpportunityReport:
    """One scan of the incidents grouped by (problem, week); the rest is summed here."""
    from levelup.store.incidents import load_cells

    cells = load_cells(conn, start=start, end=end, by=by, hours=hours, names=person)
    report = OpportunityReport(by=by, start=start, end=end, hours=hours)
    report.rows = pareto(_loads(cells))
    counts: dict[date, int] = {}
    for cell in cells:
        counts[cell.week] = counts.get(cell.week, 0) + cell.count
    report.weeks = weekly(counts, start if counts else None, end if counts else None)
    if person:
        report.oncall = _oncall(person, cells, report.weeks)
    return report


def _loads(cells: Sequence[LoadCell]) -> list[ProblemLoad]:
    merged: dict[str, list[Any]] = {}
    for c in cells:
        acc = merged.setdefault(c.key, [c.example_title, 0, 0, 0.0])
        acc[0] = min(acc[0], c.example_title)
        acc[1] += c.count
        acc[2] += c.off_hours
        acc[3] += c.toil_hours
    return [ProblemLoad(key=key, example_title=title, count=count, off_hours=off,
                        toil_hours=toil) for key, (title, count, off, toil) in merged.items()]


def _oncall(person: Sequence[str], cells: Sequence[LoadCell],
            weeks: Sequence[WeekCount]) -> OncallLoad:
    return OncallLoad(
        " / ".join(person), sum(c.mine for c in cells), sum(c.mine_off_hours for c in cells),
        sum(c.mine_toil_hours for c in cells), float(len(weeks) or 1),
    )


# --- the backlog ------------------------------------------------------------------------


def add_opportunity(ctx: Context, *, title: str, kind: str, problem: str | None = None,
                    hypothesis: str = "") -> Opportunity:
    """Add an opportunity of ``kind``; ``problem`` (a key or a page title) must be one the
    imported pages have."""
    from levelup.domain.vocab import OPPORTUNITY_KINDS, check
    from levelup.store import opportunities as store

    item = Opportunity(kind=check(kind, OPPORTUNITY_KINDS, "opportunity kind"), title=title,
                       hypothesis=hypothesis, problem_key=problem or None)
    with ctx.begin() as conn:
        if item.problem_key is not None:
            item.problem_key = known_problem_key(conn, item.problem_key)
        return store.add_opportunity(conn, opportunity=item, today=ctx.today)


def update_opportunity(ctx: Context, *, opportunity_id: int, title: str | None = None,
                       kind: str | None = None, problem: str | None = None,
                       hypothesis: str | None = None) -> Opportunity:
    """Correct an opportunity: only the fields given (not None) change; an empty ``problem``
    unlinks it. A done one keeps its problem: its page rate was measured on it."""
    from levelup.domain.vocab import OPPORTUNITY_KINDS, check
    from levelup.store import opportunities as store

    if title is not None and not title.strip():
        raise FieldError("title", "must not be empty")
    checked = check(kind, OPPORTUNITY_KINDS, "opportunity kind") if kind else None
    with ctx.begin() as conn:
        item = store.get_opportunity(conn, opportunity_id=opportunity_id)
        if problem is not None:
            key = known_problem_key(conn, problem) if problem.strip() else None
            if item.status == "done" and key != item.problem_key:
                raise FieldError("problem", "cannot change on a done opportunity: its page "
                                 "rate was measured on that problem")
            item.problem_key = key
        item.title = title.strip() if title is not None else item.title
        item.kind = checked or item.kind
        item.hypothesis = hypothesis if hypothesis is not None else item.hypothesis
        return store.update_opportunity(conn, opportunity=item)


def list_opportunities(ctx: Context, *, status: str | None = None) -> list[Opportunity]:
    """The backlog, open opportunities first; ``status`` keeps only open or done ones."""
    from levelup.store import opportunities as store

    with ctx.read() as conn:
        return store.list_opportunities(conn, status=status)


def known_problem_key(conn: Connection, text: str) -> str:
    """The stored problem key ``text`` names: the key itself, or a page title of that problem.

    A FieldError on ``problem`` naming the closest keys when it names none (its page rate
    would be 0 -> 0).
    """
    from levelup.domain.problems import ProblemKeys, closest_keys
    from levelup.store.incidents import stored_problem_keys

    known = stored_problem_keys(conn)
    if text in known:
        return text
    keyed = ProblemKeys(known).key(text)  # a title, as an import would key it
    if keyed in known:
        return keyed
    if not known:
        raise FieldError("problem", f"{text!r}: no problem keys yet; import pages first",
                         step=Step("import.incidents", {"_": "FILE"}))
    close = closest_keys(text, known)
    if close:
        raise FieldError("problem", f"{text!r}: no imported page has this problem key; did you "
                         f"mean {' or '.join(repr(k) for k in close)}?")
    raise FieldError("problem", f"{text!r}: no imported page has this problem key; see the "
                     "recurring problems", step=Step("opportunities"))


@dataclass(frozen=True, slots=True)
class Measured:
    """The page rate attached to an entry, or why there is none yet (and what to look at)."""

    metric: Metric | None
    windows: RateWindows | None
    note: str
    step: Step | None = None


def measure_fix(conn: Connection, *, problem_key: str, fix_day: date) -> Measured:
    """Pages/week of ``problem_key`` in equal windows before and after ``fix_day``."""
    from levelup.store.incidents import count_between, stored_problem_keys, time_span

    if problem_key not in stored_problem_keys(conn):  # a rate of 0 -> 0 would mean nothing
        return Measured(None, None, f"no imported page has the problem key {problem_key!r}; "
                        "see the recurring problems", Step("opportunities"))
    span = time_span(conn)
    windows = rate_windows(fix_day, *span) if span else None
    if windows is None:
        return Measured(None, None, "not enough incident data around the fix yet (a week "
                        "before and after); importing newer incidents will add the metric")
    before = count_between(conn, problem_key=problem_key, start=windows.before_start,
                           end=windows.before_end)
    after = count_between(conn, problem_key=problem_key, start=windows.after_start,
                          end=windows.after_end)
    metric = page_rate_metric(problem_key, before, after, windows.weeks)
    note = windows.describe()
    if regressed(metric):  # recorded as measured, but never shown as the fix's impact
        note += "; the page rate did not go down, so reports do not show it as impact"
    return Measured(metric, windows, note)


def attach_metric(conn: Connection, *, entry_id: int, metric: Metric) -> bool:
    """Put ``metric`` on the entry, replacing one of the same name; True if it changed."""
    from levelup.store.entries import get_entry, replace_entry

    entry = get_entry(conn, entry_id=entry_id)
    same = [m for m in entry.metrics if m.name == metric.name]
    if same and (same[0].baseline, same[0].result, same[0].unit) == (
        metric.baseline, metric.result, metric.unit
    ):
        return False
    entry.metrics = [m for m in entry.metrics if m.name != metric.name] + [metric]
    replace_entry(conn, entry=entry)
    return True


@dataclass(frozen=True, slots=True)
class Completed:
    """An opportunity done by an entry, and the page rate measured for a linked problem."""

    opportunity: Opportunity
    measured: Measured | None


def complete_opportunity(ctx: Context, *, opportunity_id: int, entry: int) -> Completed:
    """Mark an opportunity done by the entry with id ``entry`` (its date is the fix day); a
    linked problem's page rate before and after goes on the entry as a metric."""
    with ctx.begin() as conn:
        return Completed(*mark_done_by(conn, opportunity_id=opportunity_id, entry_id=entry))


def mark_done_by(
    conn: Connection, *, opportunity_id: int, entry_id: int
) -> tuple[Opportunity, Measured | None]:
    """Mark an opportunity done by an entry; a linked problem's page rate goes on the entry."""
    from levelup.store.entries import get_entry
    from levelup.store.opportunities import get_opportunity, mark_done

    opportunity = get_opportunity(conn, opportunity_id=opportunity_id)
    entry = get_entry(conn, entry_id=entry_id)
    mark_done(conn, opportunity_id=opportunity_id, entry_id=entry_id, day=entry.date)
    opportunity = get_opportunity(conn, opportunity_id=opportunity_id)
    if not opportunity.problem_key:
        return opportunity, None
    measured = measure_fix(conn, problem_key=opportunity.problem_key, fix_day=entry.date)
    if measured.metric is not None:
        attach_metric(conn, entry_id=entry_id, metric=measured.metric)
    return opportunity, measured


def refresh_page_metrics(conn: Connection) -> int:
    """Recompute the page-rate metric of every done, problem-linked opportunity.

    Called after an incident import; returns how many entries changed.
    """
    from levelup.errors import NotFound
    from levelup.store import opportunities as store
    from levelup.store.entries import get_entry

    changed = 0
    for opportunity in store.list_opportunities(conn, linked_done=True):
        assert opportunity.problem_key is not None and opportunity.done_entry_id is not None
        try:
            fix_day = get_entry(conn, entry_id=opportunity.done_entry_id).date
        except NotFound:
            continue
        measured = measure_fix(conn, problem_key=opportunity.problem_key, fix_day=fix_day)
        if measured.metric is not None:
            changed += attach_metric(conn, entry_id=opportunity.done_entry_id,
                                     metric=measured.metric)
    return changed


@dataclass(frozen=True, slots=True)
class BacklogItem:
    """An opportunity and, once done and linked to a problem, its page rate before and after."""

    opportunity: Opportunity
    measured: Measured | None


def backlog_rates(ctx: Context, *, status: str | None = None) -> list[BacklogItem]:
    """The backlog (as ``list_opportunities``), each done, linked one with its page rate."""
    items = list_opportunities(ctx, status=status)
    with ctx.read() as conn:
        return [BacklogItem(item, _measured(conn, item)) for item in items]


def _measured(conn: Connection, item: Opportunity) -> Measured | None:
    from levelup.errors import NotFound
    from levelup.store.entries import get_entry

    if item.status != "done" or not item.problem_key or item.done_entry_id is None:
        return None
    try:
        fix_day = get_entry(conn, entry_id=item.done_entry_id).date
    except NotFound:  # the entry that recorded the fix was deleted since
        return None
    return measure_fix(conn, problem_key=item.problem_key, fix_day=fix_day)
