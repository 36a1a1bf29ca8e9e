"""Reading one report's data from the ledger (through the store gateway) and arranging it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import Connection

from levelup.domain.models import Entry, Feedback, Profile, Project
from levelup.errors import FieldError
from levelup.readiness import Readiness
from levelup.reports import content
from levelup.reports.content import Audience, Scorer
from levelup.reports.model import (
    Agenda,
    Bar,
    Item,
    PlanLine,
    Quote,
    Report,
    Weekly,
    quote_of,
)
from levelup.store import reporting as q
from levelup.store.people import find_profile
from levelup.store.readiness import coach_scores
from levelup.store.records import audiences


@dataclass(slots=True, kw_only=True)
class Request:
    """What the user asked for: kind, period (already resolved) and report options."""

    kind: str
    today: date
    start: date | None = None
    end: date | None = None
    audience: str | None = None
    asks: list[str] = field(default_factory=list)
    by: str = "quarter"  # brag periods: month or quarter
    weak_score: int = 40
    window_months: int = 6
    question_days: int = 90
    home: Path | None = None
    limit: int = 5  # items per section
    readiness: Readiness | None = None  # for the gaps of an agenda or a packet's preview
    week: str | None = None  # weekly: last, this or an ISO week (2026-W49)
    feedback: bool = False  # weekly: add constructive feedback the recipient gave


def coach_scorer(stored: Mapping[int, int | None] | None = None) -> Scorer | None:
    """The impact coach's 0-100 score of an entry's wording: the one stored with the entry
    when it was written (``stored``, by entry id), else the coach's, when it is installed."""
    try:
        from levelup.coach import entry_score
    except ImportError:
        return None
    known = stored if stored is not None else {}

    def score(entry: Entry) -> int:
        found = known.get(entry.id) if entry.id is not None else None
        return found if found is not None else entry_score(entry.title, entry.details)

    return score


class Reader:
    """One report's reads: caches the audiences and stored coach scores of entries it ranks."""

    def __init__(self, conn: Connection, request: Request) -> None:
        self.conn = conn
        self.request = request
        self.audience: dict[int, list[tuple[str, bool]]] = {}
        self.scores: dict[int, int | None] = {}
        self.coach = coach_scorer(self.scores)
        self.shown: dict[int, Item] = {}

    def heard(self, entries: list[Entry]) -> Audience:
        """Who heard of each entry; reads their stored coach scores in the same pass, since
        everything the report ranks goes through here first."""
        missing = [e.id for e in entries if e.id is not None and e.id not in self.audience]
        if missing:
            found = audiences(self.conn, entry_ids=missing)
            self.audience.update({i: found.get(i, []) for i in missing})
            self.scores.update(coach_scores(self.conn, ids=missing))
        return self.audience

    def items(self, entries: list[Entry]) -> list[Item]:
        """Items for entries, remembered as shown in the report."""
        audience = self.heard(entries)
        out = [content.item(e, audience) for e in entries]
        self.shown.update({i.entry.id: i for i in out if i.entry.id is not None})
        return out

    def strongest(self, *, start: date | None, end: date | None, limit: int,
                  **filters: object) -> list[Entry]:
        """Strongest by recorded evidence in SQL, re-ranked with the coach among candidates."""
        found = q.strongest_entries(self.conn, start=start, end=end, limit=limit * 3,
                                    **filters)  # type: ignore[arg-type]
        return content.rank(found, self.heard(found), self.coach)[:limit]

    def strongest_by(self, *, start: date, end: date, by: str, limit: int
                     ) -> dict[str, list[Entry]]:
        """Per competency, outcome or kind: the strongest entries, re-ranked with the coach."""
        found = q.strongest_by(self.conn, start=start, end=end, by=by, limit=limit * 3)
        audience = self.heard([e for group in found.values() for e in group])
        return {name: content.rank(group, audience, self.coach)[:limit]
                for name, group in found.items()}

    def report(self, title: str, body: object, start: date | None, end: date | None,
               profile: Profile | None) -> Report:
        items = list(self.shown.values())
        return Report(kind=self.request.kind, title=title, profile=profile, start=start,
                      end=end, today=self.request.today, body=body,  # type: ignore[arg-type]
                      audience=self.request.audience, items=items,
                      warnings=content.weak_warnings(items, self.coach, self.request.weak_score))


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


ISO_WEEK = re.compile(r"(\d{4})-?w(\d{1,2})")
THURSDAY = 3  # from Thursday on, the weekly covers the current week; before, the last one


def weekly_period(request: Request) -> tuple[date, date, str]:
    """The weekly's first and last day and its title.

    A period given with since/until is used as it is, and titled as a week only when it is one.
    Otherwise ``week`` chooses (last, this, 2026-W49); by default the last full week early in
    the week (Monday to Wednesday) and the current one from Thursday."""
    today = request.today
    if request.start or request.end:
        end = request.end or today
        start = request.start or monday(end)
        if start.weekday() == 0 and end - start == timedelta(days=6):
            return start, end, f"Weekly update, week of {start.isoformat()}"
        return start, end, f"Update, {start.isoformat()} to {end.isoformat()}"
    chosen = request.week or ("this" if today.weekday() >= THURSDAY else "last")
    week = chosen.strip().lower()
    if week == "this":
        start, end = monday(today), today
    elif week == "last":
        start = monday(today) - timedelta(days=7)
        end = start + timedelta(days=6)
    else:
        start = _iso_week(chosen)
        end = min(start + timedelta(days=6), max(today, start))
    return start, end, f"Weekly update, week of {start.isoformat()}"


def _iso_week(text: str) -> date:
    match = ISO_WEEK.fullmatch(text.strip().lower())
    try:
        if match:
            return date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        pass
    raise FieldError("week", f"'{text}' is not last, this or a week like 2026-W49")


def weekly(conn: Connection, request: Request) -> Report:
    """The week's wins, invisible work, learning, mentoring, risks, plans and asks: each entry
    once, time summarised per project, feedback only when asked for."""
    start, end, title = weekly_period(request)
    read = Reader(conn, request)
    done = [e for e in q.period_entries(conn, start=start, end=end) if e.kind != "plan"]
    audience = read.heard(done)
    cap = request.limit * 2

    def section(*kinds: str) -> list[Item]:
        found = content.rank([e for e in done if e.kind in kinds], audience)
        return read.items(content.rank(found[: cap * 2], audience, read.coach)[:cap])

    profile = find_profile(conn)
    body = Weekly(
        wins=section("win", "prevention"), invisible=section("invisible"),
        learning=section("learning"), mentoring=section("mentoring"),
        time=[Bar(label=name, value=len(found)) for name, found in
              content.by_project(done, per_project=len(done))]
        if any(e.project for e in done) else [],
        risks=section("incident"),
        open_feedback=_feedback_for(conn, request, profile) if request.feedback else [],
        last_plans=content.plan_lines(q.period_entries(
            conn, start=start - timedelta(days=7), end=start - timedelta(days=1),
            kinds=["plan"])),
        next_plans=_next_plans(conn, start=start, until=max(end, request.today)),
        next_heading="Next week" if end >= monday(request.today) else "This week",
        asks=list(request.asks),
    )
    report = read.report(title, body, start, end, profile)
    if not body.next_plans:
        report.warnings.append('No plans for the coming week yet (levelup plan "…").')
    return report


def _next_plans(conn: Connection, *, start: date, until: date) -> list[PlanLine]:
    """Open plans, then plans moved since the week before, carried forward."""
    moved = [p for p in q.period_entries(conn, start=start - timedelta(days=7), end=until,
                                         kinds=["plan"]) if p.status == "moved"]
    return content.plan_lines(q.open_plans(conn, until=until)) + content.plan_lines(moved)


def _feedback_for(conn: Connection, request: Request, profile: Profile | None
                  ) -> list[Feedback]:
    """Open constructive follow-ups of feedback the recipient gave; never other people's."""
    recipient = request.audience or (profile.manager if profile else None)
    if not recipient:
        return []
    return [f for f in q.open_follow_ups(conn) if f.polarity == "constructive"
            and f.giver.strip().lower() == recipient.strip().lower()]


def agenda(conn: Connection, request: Request) -> Report:
    """The next 1:1 as a chapter: stories of the strongest items since the last 1:1."""
    profile = find_profile(conn)
    manager = request.audience or (profile.manager if profile else None)
    last = q.last_conversation_date(conn, with_name=manager, before=request.today) \
        if manager else None
    start = request.start or (last + timedelta(days=1) if last else
                              request.today - timedelta(days=14))
    end = request.end or request.today
    read = Reader(conn, request)
    top = content.impact_only(e for e in read.strongest(start=start, end=end,
                                                        limit=request.limit + 3)
                              if e.kind != "plan")[:3]
    projects = _projects(conn, top)
    stories = [content.story(e, projects.get(e.project or ""), read.heard(top)) for e in top]
    read.items(top)
    asked = q.questions_asked(conn, since=request.today - timedelta(days=request.question_days))
    body = Agenda(
        manager=manager, last_one_on_one=last, stories=stories,
        follow_ups=q.open_follow_ups(conn), question=content.pick_question(asked),
        feedback_ask=_feedback_ask(top),
        career=_career(profile) if not q.aspiration_stated(conn) else "",
        asks=list(request.asks), gaps=readiness_gaps(request.readiness),
        open_plans=content.plan_lines(q.open_plans(conn, until=end)),
    )
    report = read.report(f"1:1 agenda, {request.today.isoformat()}", body, start, end, profile)
    report.warnings += [gap for s in stories for gap in content.story_gaps(s)]
    return report


def _projects(conn: Connection, entries: list[Entry]) -> dict[str, Project]:
    from levelup.store.projects import list_projects

    names = {e.project for e in entries if e.project}
    return {p.name: p for p in list_projects(conn) if p.name in names} if names else {}


def readiness_gaps(readiness: Readiness | None, limit: int = 3) -> list[str]:
    """The readiness actions that close the biggest gaps, as recorded by the rules."""
    return [action.text for action in readiness.actions[:limit]] if readiness else []


def _feedback_ask(top: list[Entry]) -> str:
    if top:
        return f"What could I have done better on \u201c{top[0].title}\u201d?"
    return "What is one thing I should do differently in the next weeks?"


def _career(profile: Profile | None) -> str:
    target = f" to {profile.target_level}" if profile else ""
    return (f"Say it out loud: I want to be promoted{target}. "
            "Ask what the case would need and who else should know my work.")


def quotes(conn: Connection, start: date | None, end: date | None) -> list[Quote]:
    return [quote_of(t, title) for t, title in q.testimonials_between(conn, start=start, end=end)]
