"""Queries behind readiness and `levelup today`, each bounded by a date window or a small table.

Entries are read as light facts (no metrics or links loaded), only inside the window.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, select

from levelup.readiness.model import CheckInScores, CompetencyLabel, EntryFacts, Record
from levelup.store import tables as t
from levelup.store.scope import owned


def window_entries(conn: Connection, *, start: date, end: date) -> list[EntryFacts]:
    """Entries dated in [start, end] other than plans, with competencies and evidence flags.

    One range read over the date index: the evidence bits and the coach's score were stored
    when each entry was written (migration 0012), so nothing is looked up per entry."""
    e = t.entries.c
    competency = t.entry_labels.alias("competency")
    query = (
        select(e.id, e.date, e.kind, e.title, e.details, e.evidence, e.coach_score,
               competency.c.label, competency.c.confirmed, competency.c.score)
        # Entries drive the join (date index), labels come by primary key.
        .outerjoin(competency, (competency.c.entry_id == e.id)
                   & (competency.c.vocab == "competency"))
        .where(owned(conn, t.entries), e.date.between(start, end), e.kind != "plan")
        .order_by(e.date, e.id, competency.c.position)
    )
    found: dict[int, EntryFacts] = {}
    for row in conn.execute(query).all():  # one fetch: row by row costs 10x more here
        entry = found.get(row[0])
        if entry is None:
            bits = row[5]
            entry = found[row[0]] = EntryFacts(
                id=row[0], date=row[1], kind=row[2], title=row[3], details=row[4],
                has_metric=bool(bits & t.EVIDENCE_METRIC),
                has_outcome=bool(bits & t.EVIDENCE_OUTCOME),
                has_quote=bool(bits & t.EVIDENCE_QUOTE), coach_score=row[6])
        if row[7] is not None:
            entry.competencies.append(CompetencyLabel(
                id=row[7], confirmed=bool(row[8]), score=row[9],
                primary=not entry.competencies))
    return list(found.values())


def coach_scores(conn: Connection, *, ids: list[int]) -> dict[int, int | None]:
    """The coach's score stored with each of these entries (None where it is not known)."""
    found: dict[int, int | None] = {}
    for start in range(0, len(ids), 900):  # SQLite's bound-parameter limit
        chunk = ids[start:start + 900]
        rows = conn.execute(select(t.entries.c.id, t.entries.c.coach_score)
                            .where(t.entries.c.id.in_(chunk)))
        found.update((row[0], row[1]) for row in rows)
    return found


def expectation_records(conn: Connection) -> list[Record]:
    """Every expectation, newest first (a short list kept by hand)."""
    e = t.expectations.c
    rows = conn.execute(select(e.id, e.agreed_on, e.kind, e.said_by, e.text)
                        .where(owned(conn, t.expectations))
                        .order_by(e.agreed_on.desc(), e.id.desc()))
    return [Record(id=i, date=d, kind=k, who=w or "", text=x) for i, d, k, w, x in rows]


def aspiration_records(conn: Connection) -> list[Record]:
    """Conversations where the user stated their aspiration, oldest first."""
    c = t.conversations.c
    rows = conn.execute(select(c.id, c.date, c.kind, c.with_name)
                        .where(owned(conn, t.conversations), c.aspiration_stated.is_(True))
                        .order_by(c.date, c.id))
    return [Record(id=i, date=d, kind=k, who=w, flag=True) for i, d, k, w in rows]


def feedback_records(conn: Connection, *, since: date) -> list[Record]:
    """Feedback since ``since`` plus every older one whose follow-up is still open."""
    f = t.feedback.c
    still_open = f.status.in_(["open", "in-progress"]) & (f.follow_up != "")
    rows = conn.execute(
        select(f.id, f.date, f.giver, f.text, f.asked, f.follow_up, still_open)
        .where(owned(conn, t.feedback), (f.date >= since) | still_open)
        .order_by(f.date, f.id)).all()
    links: dict[int, list[int]] = defaultdict(list)
    for feedback_id, entry_id in conn.execute(
        select(t.feedback_entries.c.feedback_id, t.feedback_entries.c.entry_id)
        .where(t.feedback_entries.c.feedback_id.in_([r[0] for r in rows]))):
        links[feedback_id].append(entry_id)
    return [Record(id=i, date=d, who=g, text=x, flag=bool(a), entry_ids=tuple(links[i]),
                   open_follow_up=u if o else "") for i, d, g, x, a, u, o in rows]


def checkin_scores(conn: Connection, *, since: date) -> list[CheckInScores]:
    import json

    c = t.checkins.c
    rows = conn.execute(select(c.id, c.date, c.scores)
                        .where(owned(conn, t.checkins), c.date >= since)
                        .order_by(c.date, c.id))
    return [CheckInScores(id=i, date=d, scores=json.loads(s)) for i, d, s in rows]


def has_ownership(conn: Connection) -> bool:
    """Whether any git ownership was imported (the bus-factor check can run)."""
    query = select(t.file_ownership.c.repo).where(owned(conn, t.file_ownership)).limit(1)
    return conn.execute(query).first() is not None


def last_date(conn: Connection, column: Any, *where: Any) -> date | None:
    """The latest ``column`` among the owner's rows of its table matching ``where``."""
    mine = owned(conn, column.table)
    found: date | None = conn.execute(select(func.max(column)).where(mine, *where)).scalar()
    return found


def last_weekly_report(conn: Connection) -> date | None:
    return last_date(conn, t.visibility.c.date, t.visibility.c.channel == "weekly-report")


def last_feedback_asked(conn: Connection) -> date | None:
    return last_date(conn, t.feedback.c.date, t.feedback.c.asked.is_(True))


def last_checkin(conn: Connection) -> date | None:
    return last_date(conn, t.checkins.c.date)


def last_role_expectation(conn: Connection) -> date | None:
    return last_date(conn, t.expectations.c.agreed_on, t.expectations.c.kind != "business-need")


def one_on_one_dates(conn: Connection, *, with_name: str, since: date) -> list[date]:
    """Days of 1:1s with ``with_name`` since ``since``, including booked future ones."""
    c = t.conversations.c
    rows = conn.execute(select(c.date).where(
        owned(conn, t.conversations), func.lower(c.with_name) == with_name.strip().lower(),
        c.kind == "1:1", c.date >= since))
    return sorted({row[0] for row in rows})
