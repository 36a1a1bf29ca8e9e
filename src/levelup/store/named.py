"""Get-or-create for rows found by name (projects, stakeholders), safe with many writers.

Looking a name up and inserting it when missing races: two writers both miss it, both insert,
and the loser's transaction (with the user's entry in it) fails on the unique index. Here the
insert is ``INSERT … ON CONFLICT DO NOTHING`` and the row is read back after it, so whoever
inserted first, both writers get the same id and neither fails.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, func, select

from levelup.errors import LevelupError
from levelup.store import tables as t
from levelup.store.scope import owned, owner_of


def id_by_name(conn: Connection, table: Table, name: str) -> int | None:
    """The id of the owner's row of ``table`` called ``name`` ignoring case (as the unique
    index ``(owner_id, lower(name))`` does), None when there is none."""
    found = conn.execute(select(table.c.id).where(
        owned(conn, table), func.lower(table.c.name) == func.lower(name))).scalar()
    return None if found is None else int(found)


def insert_unless_present(conn: Connection, table: Table, values: dict[str, Any]) -> bool:
    """Insert ``values`` into ``table`` unless a row with one of its unique keys is there; a
    row another writer is adding (not yet committed) is waited for and wins. Whether it
    inserted."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        done = conn.execute(pg_insert(table).values(values).on_conflict_do_nothing())
    else:  # each dialect loaded only when used: PostgreSQL's costs ~70 ms (see tables.py)
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        done = conn.execute(sqlite_insert(table).values(values).on_conflict_do_nothing())
    return bool(done.rowcount)


def get_or_create(conn: Connection, table: Table, values: dict[str, Any]) -> int:
    """The id of the row of ``table`` named ``values["name"]`` (ignoring case), inserting
    ``values`` first when there is none."""
    name = values["name"]
    found = id_by_name(conn, table, name)
    if found is not None:
        return found
    insert_unless_present(conn, table, {**values, "owner_id": owner_of(conn)})
    made = id_by_name(conn, table, name)
    if made is None:  # the row in the way has another unique key (its uid), not this name
        raise LevelupError(f"cannot add '{name}': its id {values.get('uid')} belongs to "
                           f"another row of {table.name}")
    return made


def project_id(conn: Connection, name: str | None, uid: str | None = None) -> int | None:
    """The id of the project called ``name`` (ignoring case), creating it (with ``uid``) on
    first use; race-free with other writers."""
    if not name:
        return None
    from levelup.domain.models import new_uid

    return get_or_create(conn, t.projects,
                         {"uid": uid or new_uid(), "name": name, "status": "active"})
