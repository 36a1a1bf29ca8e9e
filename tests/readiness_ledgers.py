"""Scenario ledgers for readiness: complete, or lacking exactly one factor (``skip``).

Built through the public store functions; dates relative to TODAY (Friday 2026-11-20).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy import Connection

from levelup.cli.common import Env
from levelup.domain.models import CheckIn, Entry, Expectation
from levelup.importers.base import Ownership
from levelup.store.ownership import merge_ownership
from levelup.store.records import add_checkin, add_expectation
from tests import factories as f
from tests.factories import days_ago

ME = "ada@example.com"
MONTHS = (date(2026, 6, 10), date(2026, 7, 14), date(2026, 8, 11), date(2026, 9, 15),
          date(2026, 10, 13), date(2026, 11, 10))


def build(env: Env, skip: str | None = None) -> dict[str, list[Entry]]:
    """A ledger where every readiness factor is met, except ``skip`` (a factor id)."""
    env.settings = replace(env.settings, git_emails=ME)
    with env.ctx.begin() as conn:
        f.profile(conn)  # manager Grace Hopper, L3 -> L4
        f.stakeholder(conn, "Alan Turing", relation="skip-level", decision_maker=True)
        if skip != "successor":
            f.stakeholder(conn, "Linus Pauling", relation="mentee")
        made = {"wins": _wins(conn, burst=skip == "sustained")}
        made["work"] = _work(conn, skip)
        audience = "Grace Hopper" if skip == "visibility" else "Alan Turing"
        f.told(conn, audience, made["wins"], day=days_ago(1), channel="weekly-report")
        _records(conn, skip)
    return made


def _wins(conn: Connection, *, burst: bool) -> list[Entry]:
    days = [date(2026, 11, 2 + i) for i in range(6)] if burst else list(MONTHS)
    return [f.win_with_metric(conn, f"I redesigned the checkout cache so customers wait less, "
                              f"cutting p99 latency from 900ms to 250ms (step {i})", day=day)
            for i, day in enumerate(days)]


def _work(conn: Connection, skip: str | None) -> list[Entry]:
    made = []
    if skip != "mentoring":
        made += [f.entry(conn, f"Paired with a new engineer on billing, week {i}", kind="mentoring",
                         competencies=("mentoring",),
                         day=days_ago(3 + i if skip == "sustained" else 10 + 20 * i))
                 for i in range(3)]
    if skip != "successor":
        made.append(f.entry(conn, "Handed over the release rotation to Linus Pauling",
                            competencies=("ownership",), day=days_ago(12)))
    made.append(f.entry(conn, "Handled the queue outage", kind="incident", day=days_ago(40)))
    if skip != "prevention":
        made += [f.entry(conn, f"Added disk alerts before cluster {i} fills up",
                         kind="prevention", day=days_ago(30 + i)) for i in range(2)]
    return made


def _records(conn: Connection, skip: str | None) -> None:
    if skip != "business_need":
        _expect(conn, "business-need", "The platform group needs a second L4 to own on-call", 30)
    if skip != "expectations":
        for task in ("Keep checkout p99 under 300ms", "Run the release train", "Grow Linus"):
            _expect(conn, "critical-task", task, 20)
        _expect(conn, "success-definition", "Checkout never pages at night", 20)
    if skip != "aspiration":
        f.conversation(conn, day=days_ago(60), kind="career", aspiration=True)
    f.conversation(conn, day=days_ago(7))
    f.feedback(conn, day=days_ago(100 if skip == "feedback" else 10), asked=True)
    if skip != "checkin":
        add_checkin(conn, checkin=CheckIn(date=days_ago(30), scores={"listening": 3,
                                                                     "openness": 3}))
        add_checkin(conn, checkin=CheckIn(date=days_ago(5), scores={"listening": 4,
                                                                    "openness": 4}))
    others = [] if skip == "bus_factor" else ["bob@example.com"]
    merge_ownership(conn, rows=[
        Ownership(repo="/src/shop", path=f"checkout/{name}", author=who, commits=3,
                  first_date=days_ago(200), last_date=days_ago(9))
        for name in ("cache.py", "api.py") for who in [ME, *others]])


def _expect(conn: Connection, kind: str, text: str, age: int) -> None:
    add_expectation(conn, expectation=Expectation(kind=kind, text=text, said_by="Grace Hopper",
                                                  agreed_on=days_ago(age)))
