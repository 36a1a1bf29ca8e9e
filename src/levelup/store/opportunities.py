"""Repository functions for the opportunity backlog."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, insert, select, update

from levelup.domain.models import Opportunity
from levelup.domain.steps import Step
from levelup.errors import NotFound
from levelup.store import tables as t
from levelup.store.scope import owned, owner_of


def _opportunity(row: Any) -> Opportunity:
    return Opportunity(
        id=row["id"], uid=row["uid"], kind=row["kind"], title=row["title"],
        hypothesis=row["hypothesis"], problem_key=row["problem_key"], status=row["status"],
        done_entry_id=row["done_entry_id"], created=row["created"], done_on=row["done_on"],
    )


def add_opportunity(conn: Connection, *, opportunity: Opportunity, today: date) -> Opportunity:
    """Store a new opportunity; returns it with ``id`` and ``created`` set."""
    opportunity.created = opportunity.created or today
    values = {
        "uid": opportunity.uid, "owner_id": owner_of(conn), "kind": opportunity.kind,
        "title": opportunity.title,
        "hypothesis": opportunity.hypothesis, "problem_key": opportunity.problem_key,
        "status": opportunity.status, "done_entry_id": opportunity.done_entry_id,
        "created": opportunity.created, "done_on": opportunity.done_on,
    }
    result = conn.execute(insert(t.opportunities).values(values))
    opportunity.id = int(result.inserted_primary_key[0])  # type: ignore[index]
    return opportunity


def get_opportunity(conn: Connection, *, opportunity_id: int) -> Opportunity:
    row = conn.execute(
        select(t.opportunities).where(
            t.opportunities.c.id == opportunity_id, owned(conn, t.opportunities))
    ).mappings().first()
    if row is None:
        raise NotFound(f"no opportunity with id {opportunity_id}", step=Step("opportunity.list"))
    return _opportunity(row)


def list_opportunities(
    conn: Connection, *, status: str | None = None, linked_done: bool = False
) -> list[Opportunity]:
    """Opportunities, open ones first then by id; ``linked_done``: done, with problem and entry."""
    query = select(t.opportunities).where(owned(conn, t.opportunities))
    if status is not None:
        query = query.where(t.opportunities.c.status == status)
    if linked_done:
        query = query.where(
            t.opportunities.c.status == "done",
            t.opportunities.c.problem_key.is_not(None),
            t.opportunities.c.done_entry_id.is_not(None),
        )
    order = (t.opportunities.c.status != "open", t.opportunities.c.id)
    return [_opportunity(row) for row in conn.execute(query.order_by(*order)).mappings()]


def mark_done(conn: Connection, *, opportunity_id: int, entry_id: int, day: date) -> None:
    conn.execute(
        update(t.opportunities)
        .where(t.opportunities.c.id == opportunity_id, owned(conn, t.opportunities))
        .values(status="done", done_entry_id=entry_id, done_on=day)
    )


def update_opportunity(conn: Connection, *, opportunity: Opportunity) -> Opportunity:
    """Write the fields the user states (title, kind, hypothesis, problem) of ``opportunity``."""
    done = conn.execute(
        update(t.opportunities)
        .where(t.opportunities.c.id == opportunity.id, owned(conn, t.opportunities))
        .values(title=opportunity.title, kind=opportunity.kind,
                hypothesis=opportunity.hypothesis, problem_key=opportunity.problem_key)
    )
    if done.rowcount == 0:
        raise NotFound(f"no opportunity with id {opportunity.id}", step=Step("opportunity.list"))
    return opportunity
