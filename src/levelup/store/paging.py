"""One page of the ledger's timeline: the list filters and a search, newest first.

A page is read from a key (the date and id of the last entry shown) or an offset. On SQLite a
search first asks the full-text index for at most ``SPARSE + 1`` matches: a rare word's few
entries are looked up by id and sorted; a common one (``la``: one entry in eight) is found by
walking the date index from the newest entry and keeping the matches, which stops after a page
instead of reading and sorting every match (3 ms against 100 ms on 100k entries). Nothing
counts the matches.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, or_

from levelup.domain.models import Entry
from levelup.store import tables as t
from levelup.store.entries import filter_entries, load_entries, select_entries

SPARSE = 400  # at most this many matches: sort them; more: walk the date index
Key = tuple[date, int]  # (date, id) of an entry: where the next page begins


def entries_page(conn: Connection, *, limit: int, offset: int = 0, query: str = "",
                 after: Key | None = None, **filters: Any) -> list[Entry]:
    """Up to ``limit`` entries matching ``filters`` (see ``filter_entries``) and every word of
    ``query``, newest first, older than the entry ``after`` names (else after ``offset``)."""
    found = filter_entries(conn, select_entries(conn), **filters)
    if query:
        found = found.where(_matching(conn, query))
    if after is not None:
        found = found.where(older_than(after))
    order = (t.entries.c.date.desc(), t.entries.c.id.desc())
    return load_entries(conn, found.order_by(*order).limit(limit).offset(offset))


def older_than(key: Key) -> ColumnElement[bool]:
    """Entries after ``key`` in the timeline's order (newest first). ``date <=`` alone bounds
    the date index's range; the rest breaks the tie between entries of that day."""
    day, entry_id = key
    c = t.entries.c
    return and_(c.date <= day, or_(c.date < day, c.id < entry_id))


def page_key(entry: Entry) -> str:
    """The key of the page after ``entry``, for a link: ``2026-11-18.1234``."""
    return f"{entry.date.isoformat()}.{entry.id}"


def parse_key(text: str) -> Key | None:
    """The key ``page_key`` wrote, or None for anything else (then the first page)."""
    day, _, entry_id = text.partition(".")
    try:
        return date.fromisoformat(day), int(entry_id)
    except ValueError:
        return None


def _matching(conn: Connection, query: str) -> ColumnElement[bool]:
    """Entries matching every word of ``query``, in the form that reads fewest rows."""
    from levelup.store.search import _fts_rowids, matching_ids

    if conn.dialect.name != "sqlite":
        return t.entries.c.id.in_(matching_ids(conn, t.entries, query))
    matches = _fts_rowids(t.entries, query)
    few = list(conn.execute(matches.limit(SPARSE + 1)).scalars())
    if len(few) <= SPARSE:
        return t.entries.c.id.in_(few)
    # ``id + 0`` is no rowid lookup: the planner walks the date index in the page's order and
    # tests each entry against the matches (built once), stopping when the page is full.
    return (t.entries.c.id + 0).in_(matches)
