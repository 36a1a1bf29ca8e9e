"""The demo: a realistic ledger in its own folder, and an overview of it.

``run_demo(ctx, home=…)`` builds it and returns what it holds; the adapter shows it.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from levelup.context import Context
from levelup.domain import models as m
from levelup.domain.metrics import format_metric, parse_metric
from levelup.errors import FieldError
from levelup.services import demo_data as data

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from levelup.readiness import Readiness

MARKER = ".levelup-demo"
WEEKS = 26
ANCHOR_DAYS = 145  # anchors fall in the last 145 days: inside the packet's six-month window
SERVICES = ["checkout", "payments", "search", "refunds", "catalog", "accounts"]
FEATURES = ["rate limiting", "structured logging", "request tracing", "pagination",
            "bulk export", "retry budgets", "schema validation", "health checks",
            "feature-flag clean-up", "connection pooling", "a read replica", "idempotency keys"]
TOPICS = ["consistent hashing", "PostgreSQL query plans", "OpenTelemetry", "Rust for services",
          "queueing theory", "incident command"]
FILLER = {
    "win": ["Shipped {feature} in the {service} service", "Finished {feature} for {service}"],
    "invisible": ["Helped Marcus debug {feature} in {service}",
                  "Reviewed {feature} changes for the {service} team"],
    "learning": ["Read up on {topic}", "Worked through a tutorial on {topic}"],
    "incident": ["Responded to a {service} page about {feature}"],
    "prevention": ["Added an alert on {feature} for {service}",
                   "Added regression tests for {feature} in {service}"],
    "mentoring": ["Paired with Tom on {feature} in {service}",
                  "Reviewed Tom's pull request on {feature} with detailed notes"],
    "other": ["Planned the sprint for the {service} team", "Interviewed a backend candidate"],
}
KIND_WEIGHTS = {"win": 34, "invisible": 16, "learning": 8, "incident": 10, "prevention": 10,
                "mentoring": 12, "other": 10}
COMPETENCY_OF = {"win": ["delivery", "craft"], "invisible": ["collaboration"],
                 "learning": ["craft"], "incident": ["ownership"],
                 "prevention": ["ownership", "craft"], "mentoring": ["mentoring"],
                 "other": ["collaboration"]}


def demo_home(ctx: Context, home: Path | None) -> Path:
    """The demo's folder (``home``, default next to the ledger's): never the user's own."""
    folder = (home or ctx.settings.home.parent / "levelup-demo").expanduser().resolve()
    own = ctx.settings.home.expanduser().resolve()
    if folder == own and not (folder / MARKER).exists():
        raise FieldError("home", f"{folder} holds your own ledger; pick another for the demo")
    if folder.exists() and any(folder.iterdir()) and not (folder / MARKER).exists():
        raise FieldError("home", f"{folder} is not empty and not a levelup demo; pick another")
    return folder


def build_demo(ctx: Context, folder: Path) -> Context:
    """Write a fresh demo ledger into ``folder``; returns a context on it (same clock, owner)."""
    from dataclasses import replace

    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text("made by levelup's demo; safe to delete\n")
    for old in folder.glob("ledger.db*"):
        old.unlink()
    settings = replace(ctx.settings, home=folder, database_url="")
    demo = Context(settings=settings, today=ctx.today, zone=ctx.zone, owner=ctx.owner)
    with demo.begin() as conn:
        _fill(conn, ctx.today, random.Random(7))
    return demo


def _fill(conn: Connection, today: date, rng: random.Random) -> None:
    from levelup.store import people, projects

    start = today - timedelta(weeks=WEEKS)
    people.save_profile(conn, profile=m.Profile(**data.PROFILE))
    for name, relation, decides in data.STAKEHOLDERS:
        people.add_stakeholder(conn, stakeholder=m.Stakeholder(
            name=name, relation=relation, decision_maker=decides))
    for spec in data.PROJECTS:
        projects.save_project(conn, project=m.Project(start=start, **spec))  # type: ignore[arg-type]
    entries = _entries(conn, start, today, rng)
    _records(conn, start, today, rng, entries)
    _incidents(conn, start, today, rng, entries)


def _entries(conn: Connection, start: date, today: date, rng: random.Random) -> list[m.Entry]:
    from levelup.store.entries import add_entry

    anchors = (data.WINS + data.INVISIBLE + data.LEARNING + data.INCIDENTS + data.PREVENTION
               + data.MENTORING)
    made = []
    first = max(start, today - timedelta(days=ANCHOR_DAYS))
    for i, template in enumerate(anchors):
        day = first + timedelta(days=int((i + 0.5) * (today - first).days / len(anchors)))
        made.append(_anchor(template, _weekday(day)))
    this_monday = today - timedelta(days=today.weekday())
    made += [_anchor(template, this_monday + timedelta(days=offset))
             for offset, template in data.RECENT]
    for week in range(WEEKS):
        for _ in range(5):
            made.append(_filler(rng, _weekday(start + timedelta(weeks=week,
                                                                days=rng.randrange(5)))))
    for title in data.PLANS:
        made.append(m.Entry(title=title, date=today - timedelta(days=today.weekday()),
                            kind="plan", status="open"))
    made.sort(key=lambda e: e.date)
    for entry in made:
        add_entry(conn, entry=entry)
    return made


def _weekday(day: date) -> date:
    return day - timedelta(days=max(0, day.weekday() - 4))


def _anchor(template: data.Template, day: date) -> m.Entry:
    kind, project, title, details, outcomes, competencies, metrics = template
    quote = data.TESTIMONIALS.get(title)
    entry = m.Entry(
        title=title, date=day, kind=kind, project=project, details=details,
        outcomes=[m.Label(id=o) for o in outcomes],
        competencies=[m.Label(id=c) for c in competencies],
        metrics=[parse_metric(x) for x in metrics],
        testimonials=[m.Testimonial(quote=quote[0], author=quote[1])] if quote else [],
    )
    for part, text in data.STORIES.get(title, {}).items():  # context, why, did, results …
        setattr(entry, part, text)
    return entry


def _filler(rng: random.Random, day: date) -> m.Entry:
    kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
    title = rng.choice(FILLER[kind]).format(feature=rng.choice(FEATURES),
                                            service=rng.choice(SERVICES),
                                            topic=rng.choice(TOPICS))
    return m.Entry(title=title, date=day, kind=kind,
                   competencies=[m.Label(id=c, confirmed=False, score=0.6)
                                 for c in COMPETENCY_OF[kind]])


def _records(conn: Connection, start: date, today: date, rng: random.Random,
             entries: list[m.Entry]) -> None:
    from levelup.store import records

    for kind, text, by, age in data.EXPECTATIONS:
        records.add_expectation(conn, expectation=m.Expectation(
            kind=kind, text=text, said_by=by, agreed_on=today - timedelta(days=age)))
    for giver, polarity, text, competency, asked, follow, age in data.FEEDBACK:
        records.add_feedback(conn, feedback=m.Feedback(
            giver=giver, polarity=polarity, text=text, competency=competency, asked=asked,
            follow_up=follow, status="open" if follow else "done",
            quotable=polarity == "positive",
            date=today - timedelta(days=age)))
    _one_on_ones(conn, start, today, entries)
    for month in range(6):
        day = start + timedelta(days=30 * month + 3)
        scores = {q: min(5, 2 + (month + i) // 3) for i, q in enumerate(
            ("listening", "openness", "influence", "helping", "attitude", "ownership"))}
        records.add_checkin(conn, checkin=m.CheckIn(date=day, scores=scores))


def _one_on_ones(conn: Connection, start: date, today: date, entries: list[m.Entry]) -> None:
    """Fortnightly 1:1s with the manager, where recent wins were told; a few skip-level demos."""
    from levelup.domain.vocab import QUESTION_BANK
    from levelup.store import records

    manager, skip = data.PROFILE["manager"], "Priya Natarajan"
    day, previous, n = start + timedelta(days=4), start, 0
    while day <= today:
        told = [e.id for e in entries if previous < e.date <= day and e.kind in
                ("win", "prevention", "incident") and e.id is not None]
        question = QUESTION_BANK[n % len(QUESTION_BANK)]
        records.add_conversation(conn, conversation=m.Conversation(
            date=day, with_=manager, notes="Weekly priorities and blockers",
            questions=[m.QuestionAnswer(question=question, answer="Discussed; notes kept")],
            aspiration_stated=n == 6, kind="career" if n == 6 else "1:1"))
        if told:
            records.add_visibility(conn, event=m.VisibilityEvent(
                stakeholder=manager, date=day, channel="1:1", entry_ids=told[:4]))
        previous, day, n = day, day + timedelta(days=14), n + 1
    shown = [e.id for e in entries if e.title.startswith(("Cut checkout", "Presented the"))]
    records.add_visibility(conn, event=m.VisibilityEvent(
        stakeholder=skip, date=today - timedelta(days=40), channel="demo",
        entry_ids=[i for i in shown if i is not None]))


def _incidents(conn: Connection, start: date, today: date, rng: random.Random,
               entries: list[m.Entry]) -> None:
    """Half a year of pages; disk-full pages stop after the clean-up was automated."""
    from levelup.services.opportunities import mark_done_by
    from levelup.store.incidents import upsert_incidents
    from levelup.store.opportunities import add_opportunity

    fix = next(e for e in entries if e.title.startswith("Automated the disk clean-up"))
    pages: list[m.Incident] = []
    for day_offset in range((today - start).days):
        day = start + timedelta(days=day_offset)
        for _ in range(rng.choice((1, 2, 2, 3, 4))):
            title, service, _share = rng.choices(data.PAGES,
                                                 weights=[p[2] for p in data.PAGES])[0]
            if title.startswith("Disk full") and day > fix.date and rng.random() < 0.9:
                continue
            minute = timedelta(minutes=rng.randrange(1440))
            at = datetime.combine(day, datetime.min.time()) + minute
            pages.append(m.Incident(
                source="demo", source_id=f"P{len(pages) + 1:05d}", created=at,
                resolved=at + timedelta(minutes=rng.randrange(10, 180)), service=service,
                title=title.format(n=rng.randrange(1, 40)), urgency="high",
                assignee=rng.choice([data.PROFILE["name"], "Marcus Webb", "Ines Duarte"])))
    upsert_incidents(conn, incidents=pages)
    disk = next(p.problem_key for p in pages if p.title.startswith("Disk full"))
    opportunity = add_opportunity(conn, today=start, opportunity=m.Opportunity(
        kind="support-cost", title="Automate disk clean-up on the ledger databases",
        problem_key=disk, hypothesis="The most frequent page goes away"))
    assert opportunity.id is not None and fix.id is not None
    mark_done_by(conn, opportunity_id=opportunity.id, entry_id=fix.id)
    add_opportunity(conn, today=today, opportunity=m.Opportunity(
        kind="scale", title="Autoscale payments-api on queue depth",
        problem_key=next(p.problem_key for p in pages if p.title.startswith("CPU high")),
        hypothesis="CPU pages drop by half"))


def overview(ctx: Context) -> dict[str, Any]:
    """What the demo ledger holds, in numbers a reader checks at a glance."""
    from levelup.store import entries, people, records

    with ctx.read() as conn:
        profile = people.get_profile(conn)
        everything = entries.list_entries(conn)
        heard = records.audiences(conn, entry_ids=[e.id for e in everything if e.id])
        talks = records.list_conversations(conn)
        feedback = records.list_feedback(conn)
    wins = [e for e in everything if e.kind == "win"]
    strongest = [e for e in _highlighted(ctx) if e.kind == "win"]
    return {
        "home": str(ctx.settings.home),
        "profile": {"name": profile.name, "level": profile.level,
                    "target_level": profile.target_level, "manager": profile.manager},
        "entries": len(everything),
        "by_kind": dict(Counter(e.kind for e in everything).most_common()),
        "conversations": len(talks),
        "feedback": len(feedback),
        "wins_heard_by_a_decision_maker_other_than_the_manager": sum(
            1 for e in wins
            if any(d and n != profile.manager for n, d in heard.get(e.id or 0, []))),
        "wins": len(wins),
        "strongest_wins": [{"id": e.id, "date": e.date.isoformat(), "title": e.title,
                            "metrics": [format_metric(x) for x in e.metrics]} for e in strongest],
    }


def _highlighted(ctx: Context) -> list[m.Entry]:
    """The entries the demo's own packet leads with: its strongest wins are the ones shown."""
    from levelup.services.reports import build_report

    body = build_report(ctx, kind="packet").body
    return [story.item.entry for story in getattr(body, "highlights", [])]


@dataclass(frozen=True, slots=True)
class Demo:
    """The demo ledger built: its overview, readiness, and the reports written from it."""

    home: Path
    overview: dict[str, Any]
    readiness: Readiness
    reports: list[Path]


def run_demo(ctx: Context, *, home: Path | None = None) -> Demo:
    """Build a fresh demo ledger in ``home`` (never the user's own ledger) and describe it."""
    folder = demo_home(ctx, home)
    demo = build_demo(ctx, folder)
    try:
        return Demo(home=folder, overview=overview(demo), readiness=_readiness(demo),
                    reports=_reports(demo, folder / "reports"))
    finally:
        demo.close()


def _readiness(ctx: Context) -> Readiness:
    from levelup.services.readiness import readiness_for

    return readiness_for(ctx)


def _reports(ctx: Context, out_dir: Path) -> list[Path]:
    from levelup.services.reports import write_demo_reports

    out_dir.mkdir(parents=True, exist_ok=True)
    return write_demo_reports(ctx, out_dir)
