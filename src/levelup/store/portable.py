"""Store helpers for whole-ledger export and import."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select

from levelup.domain.models import Incident
from levelup.store import tables as t
from levelup.store.scope import owned, owner_of

UID_TABLES = {
    "entries": t.entries,
    "expectations": t.expectations,
    "visibility": t.visibility,
    "feedback": t.feedback,
    "conversations": t.conversations,
    "checkins": t.checkins,
    "opportunities": t.opportunities,
}


def existing_uids(conn: Connection, *, kind: str) -> set[str]:
    table = UID_TABLES[kind]
    return set(conn.execute(select(table.c.uid).where(owned(conn, table))).scalars())


def entry_ids_by_uid(conn: Connection) -> dict[str, int]:
    query = select(t.entries.c.uid, t.entries.c.id).where(owned(conn, t.entries))
    return {uid: int(i) for uid, i in conn.execute(query)}


def source_keys(conn: Connection) -> dict[tuple[str, str], int]:
    """The ids of imported entries by (source, source_id), for de-duplication across ledgers."""
    rows = conn.execute(select(t.entries.c.source, t.entries.c.source_id, t.entries.c.id).where(
        owned(conn, t.entries), t.entries.c.source_id.is_not(None)))
    return {(source, sid): int(id_) for source, sid, id_ in rows}


def all_incidents(conn: Connection) -> list[Incident]:
    """Every stored incident, oldest first (for the export document)."""
    rows = conn.execute(select(t.incidents).where(owned(conn, t.incidents))
                        .order_by(t.incidents.c.created, t.incidents.c.id))
    return [Incident(**{k: v for k, v in row.items() if k != "owner_id"})
            for row in rows.mappings()]


def dismissed_imports(conn: Connection) -> list[dict[str, Any]]:
    """The imported entries the user deleted (imports do not add them again)."""
    table = t.dismissed_imports
    rows = conn.execute(select(table.c.source, table.c.source_id, table.c.fingerprint,
                               table.c.deleted_at).where(owned(conn, table))
                        .order_by(table.c.source, table.c.source_id)).mappings()
    return [{**row, "deleted_at": row["deleted_at"].isoformat()} for row in rows]


def add_dismissed(conn: Connection, *, rows: list[dict[str, Any]]) -> int:
    """Remember these deletions, but those already remembered; returns how many were new."""
    table = t.dismissed_imports
    known = {(s, i) for s, i in conn.execute(
        select(table.c.source, table.c.source_id).where(owned(conn, table)))}
    fresh = []
    for row in rows:  # a key twice in ``rows`` is remembered once
        if (key := (row["source"], row["source_id"])) not in known:
            known.add(key)
            fresh.append(row)
    if fresh:
        conn.execute(insert(table), [{**row, "owner_id": owner_of(conn)} for row in fresh])
    return len(fresh)
