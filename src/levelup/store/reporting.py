"""Queries behind the reports: strongest entries of a period, plans, 1:1 history, evidence months.

Every query is bounded by the report's period so a 100k-entry ledger costs what one period costs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    case,
    func,
    select,
    update,
)

from levelup.domain.models import Entry, Feedback, Testimonial
from levelup.domain.steps import Step
from levelup.errors import LevelupError, NotFound
from levelup.store import tables as t
from levelup.store.entries import in_period, load_entries, select_entries
from levelup.store.records import list_feedback
from levelup.store.scope import owned


def _strength() -> ColumnElement[Any]:
    """Recorded evidence of an entry: a metric counts double; outcome, testimonial, and a
    decision maker having heard of it count once each."""
    eid, evidence = t.entries.c.id, t.entries.c.evidence
    # Bits kept by triggers (migration 0012): no lookup per entry of the period.
    has_metric = evidence.op("&")(t.EVIDENCE_METRIC) != 0
    has_outcome = evidence.op("&")(t.EVIDENCE_OUTCOME) != 0
    has_quote = evidence.op("&")(t.EVIDENCE_QUOTE) != 0
    # Evaluated once, not per entry: the few entries a decision maker heard about.
    heard = eid.in_(
        select(t.visibility_entries.c.entry_id)
        .join(t.visibility, t.visibility.c.id == t.visibility_entries.c.visibility_id)
        .join(t.stakeholders, t.stakeholders.c.id == t.visibility.c.stakeholder_id)
        .where(t.stakeholders.c.decision_maker.is_(True))
    )
    def one(cond: Any, weight: int) -> ColumnElement[Any]:
        return case((cond, weight), else_=0)

    return one(has_metric, 2) + one(has_outcome, 1) + one(has_quote, 1) + one(heard, 1)


def strongest_entries(
    conn: Connection,
    *,
    start: date | None,
    end: date | None,
    kinds: Sequence[str] = (),
    competency: str | None = None,
    outcome: str | None = None,
    limit: int = 10,
) -> list[Entry]:
    """The period's entries with the most recorded evidence, strongest first (plans only when
    ``kinds`` asks for them)."""
    strength = _strength().label("strength")
    query = select(t.entries.c.id, strength).where(owned(conn, t.entries),
                                                   *in_period(conn, start, end))
    query = query.where(t.entries.c.kind.in_(list(kinds)) if kinds else t.entries.c.kind != "plan")
    for vocab, label in (("competency", competency), ("outcome", outcome)):
        if label:
            query = query.where(
                t.entries.c.id.in_(
                    select(t.entry_labels.c.entry_id).where(
                        t.entry_labels.c.vocab == vocab, t.entry_labels.c.label == label
                    )
                )
            )
    ranked = conn.execute(
        query.order_by(strength.desc(), t.entries.c.date.desc(), t.entries.c.id.desc()).limit(
            limit
        )
    ).all()
    order = {row[0]: i for i, row in enumerate(ranked)}
    loaded = load_entries(conn, select_entries(conn).where(t.entries.c.id.in_(list(order))))
    return sorted(loaded, key=lambda e: order[e.id])


def strongest_by(
    conn: Connection, *, start: date | None, end: date | None, by: str, limit: int = 10
) -> dict[str, list[Entry]]:
    """The strongest entries of the period per competency, outcome or kind (``by``), computing
    each entry's evidence once and ranking within each group in SQL."""
    scored = (
        select(t.entries.c.id, t.entries.c.date, t.entries.c.kind, _strength().label("strength"))
        .where(owned(conn, t.entries), *in_period(conn, start, end), t.entries.c.kind != "plan")
        .cte("scored")
    )
    if by == "kind":
        group, source = scored.c.kind, select(scored.c.id, scored.c.kind.label("grp"))
    else:
        group = t.entry_labels.c.label
        source = select(scored.c.id, group.label("grp")).join(
            t.entry_labels, t.entry_labels.c.entry_id == scored.c.id
        ).where(t.entry_labels.c.vocab == by)
    rank = func.row_number().over(
        partition_by=group, order_by=(scored.c.strength.desc(), scored.c.date.desc(),
                                      scored.c.id.desc())
    )
    ranked = source.add_columns(rank.label("rn")).subquery()
    rows = conn.execute(
        select(ranked.c.grp, ranked.c.id).where(ranked.c.rn <= limit).order_by(
            ranked.c.grp, ranked.c.rn)
    ).all()
    query = select_entries(conn).where(t.entries.c.id.in_({r[1] for r in rows}))
    loaded = load_entries(conn, query)
    by_id = {e.id: e for e in loaded}
    found: dict[str, list[Entry]] = defaultdict(list)
    for name, entry_id in rows:
        found[name].append(by_id[entry_id])
    return found


def period_entries(
    conn: Connection,
    *,
    start: date | None,
    end: date | None,
    kinds: Sequence[str] = (),
    limit: int | None = None,
) -> list[Entry]:
    """Entries of a period (oldest first), optionally of some kinds."""
    query = select_entries(conn).where(*in_period(conn, start, end))
    if kinds:
        query = query.where(t.entries.c.kind.in_(list(kinds)))
    return load_entries(conn, query.order_by(t.entries.c.date, t.entries.c.id).limit(limit))


def open_plans(conn: Connection, *, until: date, limit: int = 50) -> list[Entry]:
    """Plans still open that were made on or before ``until``, oldest first."""
    query = select_entries(conn).where(
        t.entries.c.kind == "plan", t.entries.c.status == "open", t.entries.c.date <= until
    )
    return load_entries(conn, query.order_by(t.entries.c.date, t.entries.c.id).limit(limit))


def set_plan_status(conn: Connection, *, entry_id: int, status: str) -> None:
    """Mark a plan entry open, done, dropped or moved."""
    mine = (t.entries.c.id == entry_id, owned(conn, t.entries))
    kind = conn.execute(select(t.entries.c.kind).where(*mine)).scalar()
    if kind is None:
        raise NotFound(f"no entry with id {entry_id}", step=Step("plan.list"))
    if kind != "plan":
        raise LevelupError(f"entry #{entry_id} is a {kind}, not a plan")
    conn.execute(update(t.entries).where(*mine).values(status=status))


def last_conversation_date(
    conn: Connection, *, with_name: str, before: date, kinds: Sequence[str] = ("1:1",)
) -> date | None:
    """The day of the latest conversation with ``with_name`` on or before ``before``."""
    found = conn.execute(
        select(func.max(t.conversations.c.date)).where(
            owned(conn, t.conversations),
            func.lower(t.conversations.c.with_name) == with_name.strip().lower(),
            t.conversations.c.kind.in_(list(kinds)),
            t.conversations.c.date <= before,
        )
    ).scalar()
    return found


def questions_asked(conn: Connection, *, since: date) -> dict[str, date]:
    """Each question asked in a conversation since ``since``, with the last day it was asked."""
    rows = conn.execute(
        select(t.conversation_questions.c.question, func.max(t.conversations.c.date))
        .join(t.conversations, t.conversations.c.id == t.conversation_questions.c.conversation_id)
        .where(owned(conn, t.conversations), t.conversations.c.date >= since)
        .group_by(t.conversation_questions.c.question)
    )
    return {str(question): day for question, day in rows}


def aspiration_stated(conn: Connection) -> bool:
    """Whether any recorded conversation has the user stating their promotion aspiration."""
    found = conn.execute(
        select(t.conversations.c.id)
        .where(owned(conn, t.conversations), t.conversations.c.aspiration_stated.is_(True))
        .limit(1)
    ).first()
    return found is not None


def open_follow_ups(conn: Connection) -> list[Feedback]:
    """Feedback with a follow-up action that is not done or dropped yet."""
    ids = conn.execute(
        select(t.feedback.c.id).where(
            owned(conn, t.feedback),
            t.feedback.c.status.in_(["open", "in-progress"]), t.feedback.c.follow_up != ""
        )
    ).scalars()
    return list_feedback(conn, ids=list(ids))


def testimonials_between(
    conn: Connection, *, start: date | None, end: date | None, limit: int = 20
) -> list[tuple[Testimonial, str]]:
    """Testimonials on the period's entries, newest first, with the entry's title."""
    rows = conn.execute(
        select(t.testimonials.c.quote, t.testimonials.c.author, t.entries.c.title)
        .join(t.entries, t.entries.c.id == t.testimonials.c.entry_id)
        .where(owned(conn, t.entries), *in_period(conn, start, end))
        .order_by(t.entries.c.date.desc(), t.testimonials.c.id)
        .limit(limit)
    )
    return [(Testimonial(quote=q, author=a), title) for q, a, title in rows]


def competency_months(
    conn: Connection, *, start: date, end: date
) -> dict[str, dict[tuple[int, int], int]]:
    """Per competency: (year, month) -> how many entries carry it, within [start, end]."""
    rows = conn.execute(
        select(t.entry_labels.c.label, t.entries.c.date, func.count())
        .join(t.entries, t.entries.c.id == t.entry_labels.c.entry_id)
        .where(
            and_(owned(conn, t.entries), t.entry_labels.c.vocab == "competency",
                 t.entries.c.date.between(start, end))
        )
        .group_by(t.entry_labels.c.label, t.entries.c.date)
    )
    found: dict[str, dict[tuple[int, int], int]] = defaultdict(dict)
    for label, day, count in rows:  # per day in SQL (no date functions), per month here
        month = (day.year, day.month)
        found[label][month] = found[label].get(month, 0) + int(count)
    return found
