"""A cheap marker of a database's state: it changes whenever any connection, of any process,
commits a write. Used to keep computed pages between requests of the long-lived server."""

from __future__ import annotations

from sqlalchemy import Connection, text


def change_marker(conn: Connection) -> str:
    """PostgreSQL's current snapshot: its ``xmax`` moves when any transaction starts writing and
    its ``xmin``/in-progress list when one ends, whatever the process. SQLite has no such thing
    shared between processes: the caller stats the files instead, and gets ``""`` here."""
    if conn.dialect.name != "postgresql":
        return ""
    return str(conn.execute(text("SELECT txid_current_snapshot()::text")).scalar_one())
