"""Full-text search: FTS5 on SQLite, tsvector GIN indexes on PostgreSQL.

Every word of the query must match (as a prefix), whatever the database.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import Column, Connection, Select, Table, select, text

from levelup.domain.models import Entry
from levelup.store import tables as t
from levelup.store.entries import filter_entries, load_entries, select_entries
from levelup.store.scope import owned

# Must match the expressions of the migration's GIN indexes to use them.
_PG_DOCUMENTS = {
    "entries": " || ' ' || ".join(
        f"coalesce(entries.{c}, '')"
        for c in ("title", "details", "context", "why", "did", "result_now", "result_later",
                  "prevented")
    ),
    "feedback": "coalesce(feedback.text, '') || ' ' || coalesce(feedback.follow_up, '')",
    "conversations": (
        "coalesce(conversations.notes, '') || ' ' || coalesce(conversations.with_name, '')"
    ),
}


def words(query: str) -> list[str]:
    return re.findall(r"\w+", query.lower())


def matching_ids(conn: Connection, table: Table, query: str) -> Select[Any]:
    """A subquery of the ids of the owner's ``table`` rows that match every word of ``query``.

    The full-text index spans every owner: its matches are joined back to ``table``.
    """
    tokens = words(query)
    name = table.name
    id_column: Column[int] = table.c.id
    if conn.dialect.name == "sqlite":
        return select(id_column).where(id_column.in_(_fts_rowids(table, query)),
                                       owned(conn, table))
    tsquery = " & ".join(f"{tok}:*" for tok in tokens)
    return select(id_column).where(
        owned(conn, table),
        text(
            f"to_tsvector('english', {_PG_DOCUMENTS[name]}) @@ to_tsquery('english', :tsq)"
        ).bindparams(tsq=tsquery),
    )


def _fts_rowids(table: Table, query: str) -> Select[Any]:
    """The rowids of SQLite's full-text index of ``table`` matching every word (any owner)."""
    fts = " ".join(f'"{tok}"*' for tok in words(query))
    return (
        select(text("rowid"))
        .select_from(text(f"{table.name}_fts"))
        .where(text(f"{table.name}_fts MATCH :fts").bindparams(fts=fts))
    )


def search_entries(
    conn: Connection,
    *,
    query: str,
    start: date | None = None,
    end: date | None = None,
    limit: int | None = None,
    **filters: Any,
) -> list[Entry]:
    """Entries matching every word of ``query``, newest first."""
    if not words(query):
        return []
    # The base query is the owner's already: on SQLite the match's rowids are looked up as they
    # come, without a second pass over the owner's entries.
    matches = (_fts_rowids(t.entries, query) if conn.dialect.name == "sqlite"
               else matching_ids(conn, t.entries, query))
    found = filter_entries(conn, select_entries(conn), start=start, end=end, **filters).where(
        t.entries.c.id.in_(matches)
    )
    return load_entries(
        conn, found.order_by(t.entries.c.date.desc(), t.entries.c.id.desc()).limit(limit)
    )


def search_ids(conn: Connection, *, table: Table, query: str) -> list[int]:
    """Ids of feedback or conversations matching ``query``."""
    if not words(query):
        return []
    return list(conn.execute(matching_ids(conn, table, query)).scalars())
