"""Readiness and what is due today, from the ledger: gather the input in one read, apply rules.

``readiness_for(ctx)`` and ``today_for(ctx)`` are the calls the CLI, the demo and the web use.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date, timedelta
from pathlib import PurePath
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from levelup.readiness import Person, Readiness, ReadinessInput, Thresholds, assess
from levelup.readiness.evidence import candidates, window_start
from levelup.readiness.today import Due, TodayInput, due
from levelup.store import readiness as q
from levelup.store.people import get_profile, list_stakeholders
from levelup.store.records import audiences

if TYPE_CHECKING:
    from levelup.context import Context
    from levelup.domain.models import Profile
    from levelup.settings import Settings


def thresholds(settings: Settings) -> Thresholds:
    """The readiness thresholds of these settings."""
    return Thresholds(**{f.name: getattr(settings, f.name) for f in fields(Thresholds)})


def readiness_for(ctx: Context, *, level: str | None = None) -> Readiness:
    """Readiness of the ledger's person for ``level`` (default: the profile's target level)."""
    with ctx.read() as conn:
        data = gather(conn, settings=ctx.settings, today=ctx.today, level=level)
    return assess(data)


def gather(conn: Connection, *, settings: Settings, today: date,
           level: str | None = None) -> ReadinessInput:
    """Everything the readiness rules read, bounded by the window."""
    from levelup.ladders import find_ladder

    profile = get_profile(conn)
    target = find_ladder(profile.ladder, home=settings.home).check_level(
        level or profile.target_level)
    th = thresholds(settings)
    start = window_start(today, th.window_months)
    entries = q.window_entries(conn, start=start, end=today)
    top_ids = [e.id for e in candidates(entries, th.strongest_entries)]
    return ReadinessInput(
        today=today, target_level=target.id, manager=profile.manager,
        competencies=list(target.competencies),
        expectations_text={c: cell.expectations[0] for c, cell in target.competencies.items()
                           if cell.expectations},
        entries=entries, heard_by=audiences(conn, entry_ids=top_ids),
        people=[Person(p.name, p.relation, p.decision_maker) for p in list_stakeholders(conn)],
        expectations=q.expectation_records(conn), aspirations=q.aspiration_records(conn),
        feedback=q.feedback_records(conn, since=start),
        checkins=q.checkin_scores(conn, since=start),
        sole_paths=_sole_paths(conn, settings, today), thresholds=th)


def _sole_paths(conn: Connection, settings: Settings, today: date) -> list[str] | None:
    from levelup.store.ownership import sole_owner_paths
    from levelup.store.state import get_cursors

    configured = settings.git_emails or get_cursors(conn).get(("git", "identities"), "")
    emails = [e.strip() for e in configured.split(",") if e.strip()]
    if not emails or not q.has_ownership(conn):
        return None
    since = today - timedelta(days=round(settings.bus_factor_months * 365 / 12))
    found = sole_owner_paths(conn, author_emails=emails, since=since,
                             depth=settings.bus_factor_depth)
    return [f"{PurePath(o.repo).name}/{o.path}" for o in found]


def today_for(ctx: Context) -> list[Due]:
    """What is due now for the ledger's person, most pressing first."""
    with ctx.read() as conn:
        profile = get_profile(conn)
        data = _today_input(conn, profile, ctx.settings, ctx.today)
    return due(data)


def _today_input(conn: Connection, profile: Profile, settings: Settings,
                 today: date) -> TodayInput:
    talks = (q.one_on_one_dates(conn, with_name=profile.manager, since=today - timedelta(
        days=180)) if profile.manager else [])
    return TodayInput(
        today=today, manager=profile.manager, last_weekly_report=q.last_weekly_report(conn),
        one_on_ones=talks, last_feedback_asked=q.last_feedback_asked(conn),
        last_checkin=q.last_checkin(conn), last_expectation=q.last_role_expectation(conn),
        thresholds=thresholds(settings))
