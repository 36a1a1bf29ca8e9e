"""Whose rows a connection reads and writes: every owned row carries its owner's id.

The context scopes its engine to one owner (an execution option every connection inherits);
the store's functions read it with ``owner_of(conn)`` and put it into each query and insert.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Connection, Engine, Table, func, literal_column

OWNER_OPTION = "levelup_owner"


def scoped(engine: Engine, owner: int) -> Engine:
    """``engine`` (sharing its pool) whose connections belong to ``owner``."""
    return engine.execution_options(**{OWNER_OPTION: owner})


def owner_of(conn: Connection) -> int:
    """The owner a connection was scoped to; a connection from an unscoped engine is a bug."""
    owner = conn.get_execution_options().get(OWNER_OPTION)
    if not isinstance(owner, int):
        raise RuntimeError("this connection is not scoped to an owner (use Context.begin/read)")
    return owner


def owned(conn: Connection, table: Table) -> ColumnElement[bool]:
    """The condition that keeps ``table``'s rows to the connection's owner."""
    condition = table.c.owner_id == owner_of(conn)
    if conn.dialect.name == "sqlite":
        # A SQLite ledger is one person's: the condition holds for (nearly) every row. Told so,
        # the planner still uses the owner-led indexes for ranges, but no longer scans a whole
        # ledger through them instead of following a full-text match's rowids (7x slower).
        return func.likelihood(condition, literal_column("0.99"))
    return condition
