"""Running Alembic migrations as ONE transaction, on SQLite too (transactional DDL).

pysqlite commits each CREATE/ALTER on its own unless the connection is in manual transaction
mode, so a kill between two statements used to leave half a schema that no later run could
finish. Here the DBAPI connection has ``isolation_level=None`` and SQLAlchemy's ``begin`` event
emits ``BEGIN IMMEDIATE`` (SQLAlchemy's documented pysqlite recipe): every statement of every
revision, and ``alembic_version``, commit together or not at all.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.pool import NullPool

FOREIGN_KEY_PROBLEM = "the migrated ledger has a broken reference in table"


def _manual_transactions(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # no implicit BEGIN/COMMIT from the driver
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA foreign_keys=OFF")  # recreating a parent must not cascade
    cursor.close()


def _begin(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def transactional_engine(url: str) -> Engine:
    """An engine whose transactions include DDL (SQLite) — for migrations only."""
    engine = create_engine(url, poolclass=NullPool)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _manual_transactions)
        event.listen(engine, "begin", _begin)
    return engine


def _config() -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "levelup:migrations")
    return config


def upgrade_on(conn: Connection, revision: str = "head") -> None:
    """Migrate to ``revision`` on ``conn``, inside the transaction its caller holds (on
    PostgreSQL, with the advisory lock taken on that same connection)."""
    from alembic import command

    config = _config()
    config.attributes["connection"] = conn
    command.upgrade(config, revision)


def run_upgrade(url: str, revision: str = "head", *, before: Any = None) -> None:
    """Migrate the database at ``url`` to ``revision`` in one transaction.

    ``before(conn)`` runs first inside that transaction (used to clear a half-created schema).
    """
    from alembic import command

    config = _config()
    engine = transactional_engine(url)
    sqlite = engine.dialect.name == "sqlite"
    try:
        with engine.connect() as conn:
            with conn.begin():
                if before is not None:
                    before(conn)
                config.attributes["connection"] = conn
                command.upgrade(config, revision)
                if sqlite:
                    _check_foreign_keys(conn)
            if sqlite:  # readers and a writer at once; outside any transaction
                conn.connection.dbapi_connection.execute(  # type: ignore[union-attr]
                    "PRAGMA journal_mode=WAL")
    finally:
        engine.dispose()


def _check_foreign_keys(conn: Connection) -> None:
    """After migrating with foreign keys off, every reference must still hold."""
    from levelup.store.db import StoreError

    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").first()
    if broken is not None:
        raise StoreError(f"{FOREIGN_KEY_PROBLEM} {broken[0]}")


def create_sqlite(path: Path) -> None:
    """A new ledger at ``path``, built under a temporary name and linked into place whole.

    A kill leaves no ledger or a complete one, never an empty file; a ledger another process
    created meanwhile is kept (the link refuses to replace it).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = path.with_name(f"{path.name}.new-{os.getpid()}")
    for stale in (fresh, *(fresh.with_name(fresh.name + s) for s in ("-wal", "-shm", "-journal"))):
        stale.unlink(missing_ok=True)
    try:
        run_upgrade(f"sqlite:///{fresh}")  # ends in WAL mode, checkpointed on close
        with open(fresh, "rb+") as handle:
            os.fsync(handle.fileno())
        try:
            os.link(fresh, path)
        except FileExistsError:
            pass
    finally:
        fresh.unlink(missing_ok=True)


def user_rows(conn: Connection, tables: set[str]) -> int:
    """Rows a person wrote in ``tables`` (the owner row a migration seeds does not count)."""
    from levelup.store.tables import metadata

    counted = (set(metadata.tables) - {"owners"}) & tables
    return sum(conn.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()
               for name in sorted(counted))


def drop_half_schema(conn: Connection) -> None:
    """Drop the tables a killed creation left (they hold no rows), inside the migration."""
    virtual = "SELECT name FROM sqlite_master WHERE type='table' AND sql LIKE 'CREATE VIRTUAL%'"
    for (name,) in conn.exec_driver_sql(virtual).all():
        conn.exec_driver_sql(f'DROP TABLE IF EXISTS "{name}"')
    rest = "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
    for (name,) in conn.exec_driver_sql(rest).all():
        conn.exec_driver_sql(f'DROP TABLE IF EXISTS "{name}"')
