"""Reading one report's data from the ledger (through the store gateway) and arranging it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import Connection

from levelup.domain.models import Entry, Profile, Project
from levelup.reports import content
from levelup.reports.content import Audience, Scorer
from levelup.reports.model import Agenda, Item, Quote, Report, Section, Weekly, quote_of
from levelup.store import reporting as q
from levelup.store.people import find_profile
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


def coach_scorer() -> Scorer | None:
    """The impact coach's 0-100 score of an entry's wording, when the coach is installed."""
    try:
        from levelup.coach import coach
    except ImportError:
        return None

    def score(entry: Entry) -> int:
        return coach(f"{entry.title}. {entry.details}".strip()).score

    return score


class Reader:
    """One report's reads: caches the audiences of entries it shows."""

    def __init__(self, conn: Connection, request: Request) -> None:
        self.conn = conn
        self.request = request
        self.audience: dict[int, list[tuple[str, bool]]] = {}
        self.coach = coach_scorer()
        self.shown: dict[int, Item] = {}

    def heard(self, entries: list[Entry]) -> Audience:
        missing = [e.id for e in entries if e.id is not None and e.id not in self.audience]
        if missing:
            found = audiences(self.conn, entry_ids=missing)
            self.audience.update({i: found.get(i, []) for i in missing})
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


def weekly(conn: Connection, request: Request) -> Report:
    """This week's wins, invisible work, risks, plans and asks."""
    start = request.start or monday(request.today)
    end = request.end or request.today
    read = Reader(conn, request)
    done = [e for e in q.period_entries(conn, start=start, end=end) if e.kind != "plan"]
    audience = read.heard(done)
    wins = content.rank([e for e in done if e.kind in content.WIN_KINDS], audience)
    wins = content.rank(wins[: request.limit * 4], audience, read.coach)[: request.limit * 2]
    cap = request.limit * 2
    last_start = start - timedelta(days=7)
    last_plans = q.period_entries(conn, start=last_start, end=start - timedelta(days=1),
                                  kinds=["plan"])
    body = Weekly(
        wins=read.items(wins),
        invisible=read.items([e for e in done if e.kind == "invisible"][:cap]),
        time=[Section(heading=name, items=read.items(found))
              for name, found in content.by_project(done)],
        risks=read.items([e for e in done if e.kind == "incident"][:cap]),
        open_feedback=[f for f in q.open_follow_ups(conn) if f.polarity == "constructive"],
        last_plans=content.plan_lines(last_plans),
        next_plans=content.plan_lines(q.open_plans(conn, until=end)),
        asks=list(request.asks),
    )
    return read.report(f"Weekly update, week of {start.isoformat()}", body, start, end,
                       find_profile(conn))


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
    top = [e for e in read.strongest(start=start, end=end, limit=request.limit + 3)
           if e.kind != "plan"][:3]
    projects = _projects(conn, top)
    stories = [content.story(e, projects.get(e.project or ""), read.heard(top)) for e in top]
    read.items(top)
    asked = q.questions_asked(conn, since=request.today - timedelta(days=request.question_days))
    body = Agenda(
        manager=manager, last_one_on_one=last, stories=stories,
        follow_ups=q.open_follow_ups(conn), question=content.pick_question(asked),
        feedback_ask=_feedback_ask(top),
        career=_career(profile) if not q.aspiration_stated(conn) else "",
        asks=list(request.asks),
    )
    report = read.report(f"1:1 agenda, {request.today.isoformat()}", body, start, end, profile)
    report.warnings += [gap for s in stories for gap in content.story_gaps(s)]
    return report


def _projects(conn: Connection, entries: list[Entry]) -> dict[str, Project]:
    from levelup.store.projects import list_projects

    names = {e.project for e in entries if e.project}
    return {p.name: p for p in list_projects(conn) if p.name in names} if names else {}


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
