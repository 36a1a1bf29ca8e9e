"""Store helpers for whole-ledger export and import."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Connection, and_, insert, or_, select

from levelup.domain.models import Entry, Incident
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


_CHUNK = 900  # bound parameters per query, under SQLite's limit


def entry_pages(conn: Connection, *, size: int = 2000) -> Iterator[list[Entry]]:
    """Every entry with its children, oldest first (by date, then id), ``size`` at a time:
    each page is found from where the last one ended, so memory holds one page."""
    from levelup.store.entries import load_entries, select_entries

    c = t.entries.c
    after: tuple[Any, Any] | None = None
    while True:
        query = select_entries(conn)
        if after is not None:  # date >= first: the date index narrows; the rest breaks ties
            query = query.where(c.date >= after[0],
                                or_(c.date > after[0], and_(c.date == after[0], c.id > after[1])))
        page = load_entries(conn, query.order_by(c.date, c.id).limit(size))
        if page:
            yield page
        if len(page) < size:
            return
        after = (page[-1].date, page[-1].id)


def uids_by_id(conn: Connection, *, ids: Iterable[int]) -> dict[int, str]:
    """The uids of the owner's entries with these ids."""
    wanted, found = sorted(set(ids)), {}
    for start in range(0, len(wanted), _CHUNK):
        found.update({int(i): uid for i, uid in conn.execute(
            select(t.entries.c.id, t.entries.c.uid).where(
                owned(conn, t.entries), t.entries.c.id.in_(wanted[start:start + _CHUNK])))})
    return found


def ids_by_uid(conn: Connection, *, uids: Iterable[str]) -> dict[str, int]:
    """The ids of the owner's entries with these uids."""
    wanted, found = sorted(set(uids)), {}
    for start in range(0, len(wanted), _CHUNK):
        found.update({uid: int(i) for uid, i in conn.execute(
            select(t.entries.c.uid, t.entries.c.id).where(
                owned(conn, t.entries), t.entries.c.uid.in_(wanted[start:start + _CHUNK])))})
    return found


def stored_uids(conn: Connection, *, kind: str, uids: Iterable[str]) -> set[str]:
    """Which of these uids the owner's records of ``kind`` already have."""
    table, wanted = UID_TABLES[kind], sorted(set(uids))
    found: set[str] = set()
    for start in range(0, len(wanted), _CHUNK):
        found.update(conn.execute(select(table.c.uid).where(
            owned(conn, table), table.c.uid.in_(wanted[start:start + _CHUNK]))).scalars())
    return found


def stored_source_keys(conn: Connection, *, keys: Iterable[tuple[str, str]]
                       ) -> dict[tuple[str, str], int]:
    """The ids of the owner's entries imported under these (source, source_id) keys."""
    by_source: dict[str, set[str]] = {}
    for source, source_id in keys:
        by_source.setdefault(source, set()).add(source_id)
    found: dict[tuple[str, str], int] = {}
    for source, source_ids in by_source.items():
        wanted = sorted(source_ids)
        for start in range(0, len(wanted), _CHUNK):
            found.update({(source, sid): int(i) for sid, i in conn.execute(
                select(t.entries.c.source_id, t.entries.c.id).where(
                    owned(conn, t.entries), t.entries.c.source == source,
                    t.entries.c.source_id.in_(wanted[start:start + _CHUNK])))})
    return found


def add_entries(conn: Connection, *, entries: list[Entry]) -> None:
    """Insert these new entries with their children in a few statements; sets their ids."""
    from levelup.store.entry_upserts import _add_entries

    _add_entries(conn, entries)
