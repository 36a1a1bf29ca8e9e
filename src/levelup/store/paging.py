"""One page of the ledger's timeline: the list filters, newest first, from an offset."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from levelup.domain.models import Entry
from levelup.store import tables as t
from levelup.store.entries import filter_entries, load_entries, select_entries


def entries_page(conn: Connection, *, limit: int, offset: int = 0, **filters: Any) -> list[Entry]:
    """Up to ``limit`` entries matching ``filters`` after the first ``offset``, newest first."""
    query = filter_entries(conn, select_entries(conn), **filters)
    order = (t.entries.c.date.desc(), t.entries.c.id.desc())
    return load_entries(conn, query.order_by(*order).limit(limit).offset(offset))
