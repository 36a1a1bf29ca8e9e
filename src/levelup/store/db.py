"""Opening a ledger: engine, connection pragmas, and the schema-version check.

The check reads ``alembic_version`` directly so that everyday commands never import
Alembic; only a new or older database pays for the migration machinery.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError, OperationalError

from levelup.errors import LevelupError

# Kept equal to the newest file in levelup/migrations/versions (a test checks it).
HEAD_REVISION = "0007"
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007")


class StoreError(LevelupError):
    """The database cannot be opened or is not a levelup ledger."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def sqlite_path(url: str) -> Path | None:
    if not url.startswith("sqlite:///"):
        return None
    raw = url.removeprefix("sqlite:///")
    return None if raw in ("", ":memory:") else Path(raw)


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get WAL mode, foreign keys and a busy timeout."""
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = create_engine(url, future=True)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise StoreError(f"cannot use database URL '{url}': {exc}") from None
    except ModuleNotFoundError as exc:
        raise StoreError(
            f"database URL '{url}' needs the driver '{exc.name}': pip install 'levelup[postgres]'"
        ) from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def current_revision(conn: Connection) -> str | None:
    """The schema revision of the database, None for an empty one.

    Raises StoreError for a file that is not a database or holds someone else's tables.
    """
    try:
        tables = set(_table_names(conn))
    except DatabaseError as exc:
        raise StoreError(f"{_where(conn)} is not a levelup ledger ({exc.orig})") from None
    if "alembic_version" not in tables:
        if tables - {"sqlite_sequence"}:
            raise StoreError(f"{_where(conn)} holds other tables; it is not a levelup ledger")
        return None
    row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    return row[0] if row else None


def _table_names(conn: Connection) -> list[str]:
    if conn.dialect.name == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type='table'"
    else:
        sql = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    return [row[0] for row in conn.execute(text(sql))]


def _where(conn: Connection) -> str:
    url = conn.engine.url
    return url.database or str(url) if url.get_backend_name() == "sqlite" else str(url)


@contextlib.contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    """Serialise schema creation between processes opening the same ledger at once."""
    path = sqlite_path(str(engine.url))
    if path is not None:
        import fcntl

        with open(path.with_suffix(path.suffix + ".lock"), "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield
        return
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(424242)"))
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(424242)"))
            conn.commit()


def ensure_schema(engine: Engine) -> None:
    """Bring the database to HEAD_REVISION, backing up an older SQLite file first."""
    if _revision(engine) == HEAD_REVISION:
        return
    with _migration_lock(engine):
        revision = _revision(engine)
        if revision == HEAD_REVISION:
            return
        if revision is not None and revision not in KNOWN_REVISIONS:
            raise StoreError(
                f"the ledger has schema {revision}, newer than this levelup knows; upgrade levelup"
            )
        if revision is not None:
            backup_sqlite(engine, revision)
        upgrade(engine)


def _revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as conn:
            return current_revision(conn)
    except OperationalError as exc:
        raise StoreError(f"cannot open the ledger at {engine.url}: {exc.orig}") from None
    except DatabaseError as exc:  # raised while connecting: the file is not a database
        where = engine.url.database if engine.dialect.name == "sqlite" else engine.url
        raise StoreError(f"{where} is not a levelup ledger ({exc.orig})") from None


def backup_sqlite(engine: Engine, revision: str) -> Path | None:
    path = sqlite_path(str(engine.url))
    if path is None or not path.exists():
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    backup = path.with_name(f"{path.name}.{revision}.{stamp}.bak")
    shutil.copy2(path, backup)
    return backup


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run Alembic migrations up to ``revision`` (imports Alembic: not on the hot path)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "levelup:migrations")
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:  # recreating a parent table must not cascade to its children
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        with conn.begin():
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
        if sqlite:
            _check_foreign_keys(conn)
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.exec_driver_sql("PRAGMA journal_mode=WAL")  # readers and a writer at once
            conn.commit()


def _check_foreign_keys(conn: Connection) -> None:
    """After migrating with foreign keys off, every reference must still hold."""
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").first()
    if broken is not None:
        raise StoreError(f"the migrated ledger has a broken reference in table {broken[0]}")


def open_ledger(url: str) -> Engine:
    """An engine on an up-to-date ledger at ``url``."""
    engine = make_engine(url)
    ensure_schema(engine)
    return engine
