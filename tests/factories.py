"""Test data built through the public store functions (no SQL here), reusable by any test.

Dates are relative to ``conftest.TODAY`` (Friday 2026-11-20) unless given.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import count
from typing import Any

from sqlalchemy import Connection

from levelup.domain.models import (
    Conversation,
    Entry,
    Feedback,
    Label,
    Metric,
    Profile,
    QuestionAnswer,
    Stakeholder,
    Testimonial,
    VisibilityEvent,
)
from levelup.store.entries import add_entry
from levelup.store.people import add_stakeholder, save_profile
from levelup.store.records import add_conversation, add_feedback, add_visibility

TODAY = date(2026, 11, 20)
_seq = count(1)


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def profile(conn: Connection, **fields: Any) -> Profile:
    values: dict[str, Any] = {"name": "Ada Lovelace", "level": "L3", "target_level": "L4",
                              "manager": "Grace Hopper"}
    return save_profile(conn, profile=Profile(**(values | fields)))


def stakeholder(conn: Connection, name: str | None = None, *, relation: str = "peer",
                decision_maker: bool = False) -> Stakeholder:
    return add_stakeholder(conn, stakeholder=Stakeholder(
        name=name or f"Person {next(_seq)}", relation=relation, decision_maker=decision_maker))


def entry(conn: Connection, title: str | None = None, *, day: date = TODAY, kind: str = "win",
          outcomes: tuple[str, ...] = (), competencies: tuple[str, ...] = (),
          metrics: tuple[Metric, ...] = (), quotes: tuple[tuple[str, str], ...] = (),
          **fields: Any) -> Entry:
    """An entry; ``quotes`` are (quote, author) testimonials."""
    return add_entry(conn, entry=Entry(
        title=title or f"Entry {next(_seq)}", date=day, kind=kind,
        outcomes=[Label(id=o) for o in outcomes],
        competencies=[Label(id=c) for c in competencies], metrics=list(metrics),
        testimonials=[Testimonial(quote=q, author=a) for q, a in quotes], **fields))


def metric(name: str, result: float, baseline: float | None = None, unit: str = "") -> Metric:
    return Metric(name=name, result=result, baseline=baseline, unit=unit)


def win_with_metric(conn: Connection, title: str = "Cut checkout p99 latency", *,
                    day: date = TODAY, **fields: Any) -> Entry:
    fields.setdefault("outcomes", ("sla",))
    fields.setdefault("competencies", ("craft",))
    fields.setdefault("metrics", (metric("p99 latency", 250, 900, "ms"),))
    return entry(conn, title, day=day, project=fields.pop("project", "checkout"), **fields)


def plan(conn: Connection, title: str, *, day: date = TODAY, status: str = "open") -> Entry:
    return entry(conn, title, day=day, kind="plan", status=status)


def feedback(conn: Connection, text: str = "Write design docs before coding", *,
             giver: str = "Grace Hopper", day: date = TODAY, polarity: str = "constructive",
             follow_up: str = "Share a one-page design before each project",
             status: str = "open", entry_ids: tuple[int, ...] = (),
             asked: bool = False) -> Feedback:
    return add_feedback(conn, feedback=Feedback(
        giver=giver, date=day, polarity=polarity, text=text, follow_up=follow_up,
        status=status, entry_ids=list(entry_ids), asked=asked))


def conversation(conn: Connection, *, with_: str = "Grace Hopper", day: date = TODAY,
                 kind: str = "1:1", questions: tuple[str, ...] = (),
                 aspiration: bool = False) -> Conversation:
    return add_conversation(conn, conversation=Conversation(
        date=day, with_=with_, kind=kind, aspiration_stated=aspiration,
        questions=[QuestionAnswer(question=q) for q in questions]))


def told(conn: Connection, who: str, entries: list[Entry], *, day: date = TODAY,
         channel: str = "1:1") -> VisibilityEvent:
    return add_visibility(conn, event=VisibilityEvent(
        stakeholder=who, date=day, channel=channel,
        entry_ids=[e.id for e in entries if e.id is not None]))


def ledger(conn: Connection) -> dict[str, Entry]:
    """A small but complete ledger: profile, stakeholders (a decision maker), this week's wins
    with and without metrics, last month's win, invisible work, an incident, plans of last week
    and this week, feedback with a follow-up, a 1:1 with a question, a testimonial."""
    profile(conn)
    stakeholder(conn, "Alan Turing", relation="skip-level", decision_maker=True)
    stakeholder(conn, "Katherine Johnson", relation="peer")
    made = {
        "win": win_with_metric(conn, day=days_ago(2), competencies=("craft", "ownership"),
                               quotes=(("Checkout finally feels instant", "Katherine Johnson"),),
                               details="Customers abandoned carts during peak hours"),
        "plain": entry(conn, "Paired with the new hire on the billing service", day=days_ago(3),
                       kind="mentoring", competencies=("mentoring",), outcomes=("people",)),
        "old": win_with_metric(conn, "Migrated search to the new cluster", day=days_ago(40),
                               metrics=(metric("index time", 11, 47, "min"),),
                               competencies=("delivery",), project="search"),
        "invisible": entry(conn, "Debugged a flaky deploy for the payments team",
                           day=days_ago(1), kind="invisible", competencies=("collaboration",)),
        "incident": entry(conn, "Handled the Tuesday outage of the queue", day=days_ago(3),
                          kind="incident", competencies=("ownership",)),
        "prevention": entry(conn, "Added disk alerts before the cluster fills up",
                            day=days_ago(4), kind="prevention", outcomes=("safety",),
                            competencies=("ownership",),
                            metrics=(metric("pages per week", 3, 12),)),
        "last_plan_done": plan(conn, "Ship the retry budget", day=days_ago(9), status="done"),
        "last_plan_dropped": plan(conn, "Rewrite the cache layer", day=days_ago(8),
                                  status="dropped"),
        "next_plan": plan(conn, "Write the rollout doc for checkout", day=days_ago(1)),
    }
    feedback(conn, day=days_ago(20))
    conversation(conn, day=days_ago(7), questions=("What is the most important goal for me "
                                                   "this quarter?",))
    told(conn, "Alan Turing", [made["old"]], day=days_ago(30))
    return made
