"""Cursors of incremental imports (``import_state``)."""

from __future__ import annotations

from sqlalchemy import Connection, delete, insert, select

from levelup.store import tables as t
from levelup.store.scope import owned, owner_of


def get_cursors(conn: Connection) -> dict[tuple[str, str], str]:
    rows = conn.execute(
        select(t.import_state.c.source, t.import_state.c.key, t.import_state.c.value)
        .where(owned(conn, t.import_state))
    )
    return {(source, key): value for source, key, value in rows}


def set_cursor(conn: Connection, *, source: str, key: str, value: str) -> None:
    conn.execute(
        delete(t.import_state).where(owned(conn, t.import_state),
                                     t.import_state.c.source == source, t.import_state.c.key == key)
    )
    conn.execute(insert(t.import_state).values(
        owner_id=owner_of(conn), source=source, key=key, value=value))
