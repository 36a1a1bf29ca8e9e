"""Opening a ledger: engine, connection pragmas, and the schema-version check.

The check reads ``alembic_version`` directly so that everyday commands never import
Alembic; only a new or older database pays for the migration machinery.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError, OperationalError

from levelup.domain.steps import Step
from levelup.errors import Busy, LevelupError, NoLedger

# Kept equal to the newest file in levelup/migrations/versions (a test checks it).
HEAD_REVISION = "0013"
KNOWN_REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008",
                   "0009", "0010", "0011", "0012", "0013")
BACKUPS_KEPT = 7  # the default of the backups_kept setting
BUSY_TIMEOUT_MS = 15000  # how long a command waits for another one's write lock


class StoreError(LevelupError):
    """The database cannot be opened or is not a levelup ledger."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def sqlite_path(url: str) -> Path | None:
    if not url.startswith("sqlite:///"):
        return None
    raw = url.removeprefix("sqlite:///")
    return None if raw in ("", ":memory:") else Path(raw)


def make_engine(url: str, *, pooled: bool = True) -> Engine:
    """An engine for ``url``; SQLite files get WAL mode, foreign keys and a busy timeout.

    Without ``pooled`` (a one-shot command) a database server's connection is closed when let
    go, so the process never holds more than the one it is using; SQLite keeps its pool.
    """
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # the home: private
    options: dict[str, Any] = {}
    if not pooled and not url.startswith("sqlite"):
        from sqlalchemy.pool import NullPool

        options["poolclass"] = NullPool
    try:
        engine = create_engine(url, future=True, **options)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise StoreError(f"cannot use database URL '{url}': {exc}") from None
    except ModuleNotFoundError as exc:
        raise StoreError(
            f"database URL '{url}' needs the driver '{exc.name}': pip install 'levelup[postgres]'"
        ) from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        if not pooled:  # a one-shot command leaves the file whole; a server lets SQLite's
            event.listen(engine, "checkin", _checkpoint_after_writes)  # autocheckpoint do it
    return engine


def _checkpoint_after_writes(dbapi_connection: Any, record: Any) -> None:
    """A connection that wrote, back in the pool at the end of its work: copy what it committed
    from the write-ahead log into the ledger file, without waiting for readers or writers
    (PASSIVE), so that the file alone holds it. Cheap; nothing to do after reads."""
    import sqlite3  # loaded already: this is a SQLite connection

    if dbapi_connection is None:
        return
    changes = dbapi_connection.total_changes  # rows this connection has changed since opening
    if changes == record.info.get("checkpointed_at", 0):
        return
    record.info["checkpointed_at"] = changes
    try:
        dbapi_connection.execute("PRAGMA wal_checkpoint(PASSIVE)").close()
    except sqlite3.Error:
        pass  # another connection is checkpointing: it copies these pages too


def current_revision(conn: Connection) -> str | None:
    """The schema revision of the database, None for an empty one.

    Raises StoreError for a file that is not a database or holds someone else's tables.
    """
    return _checked(conn, *schema_state(conn))[0]


def _checked(conn: Connection, revision: str | None,
             tables: set[str]) -> tuple[str | None, set[str]]:
    if revision is None and tables and not tables <= levelup_tables(tables):
        raise StoreError(f"{_where(conn)} holds other tables; it is not a levelup ledger")
    return revision, tables


def schema_state(conn: Connection) -> tuple[str | None, set[str]]:
    """The revision (None without one) and the tables besides SQLite's and Alembic's."""
    try:
        tables = set(_table_names(conn))
    except DatabaseError as exc:
        raise StoreError(f"{_where(conn)} is not a levelup ledger ({exc.orig})"
                         + recovery(_where(conn))) from None
    revision = None
    if "alembic_version" in tables:
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        revision = row[0] if row else None
    return revision, tables - {"sqlite_sequence", "alembic_version"}


def levelup_tables(tables: set[str]) -> set[str]:
    """Which of ``tables`` levelup's migrations make (with the full-text tables)."""
    from levelup.store.tables import metadata

    return {name for name in tables if name.split("_fts")[0] in metadata.tables}


def _table_names(conn: Connection) -> list[str]:
    if conn.dialect.name == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type='table'"
    else:
        sql = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    return [row[0] for row in conn.execute(text(sql))]


def _where(conn: Connection) -> str:
    url = conn.engine.url
    return url.database or str(url) if url.get_backend_name() == "sqlite" else str(url)


def recovery(where: str) -> str:
    """How to recover the ledger at ``where``: its newest backup, or an export."""
    from levelup.store.backups import list_backups

    backups = list_backups(Path(where)) if where and "://" not in where else []
    if not backups:
        return "; move it aside and import an export (`levelup import json FILE`), if you have one"
    newest = backups[0].path
    return f"; restore its newest backup, {newest}: `levelup restore {newest.name}`"


def is_busy(exc: BaseException) -> bool:
    """Whether a database error means another connection holds the lock we waited for."""
    orig = getattr(exc, "orig", exc)
    message = str(orig).lower()
    return ("database is locked" in message or "database table is locked" in message
            or getattr(orig, "sqlstate", None) == "55P03" or "lock timeout" in message)


BUSY = "the ledger is busy with another levelup command; try again"


MIGRATION_LOCK = 424242  # the PostgreSQL advisory lock that serialises schema changes


@contextlib.contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    """Serialise schema creation between processes opening the same SQLite ledger at once."""
    path = sqlite_path(str(engine.url))
    assert path is not None, "a database server migrates under its advisory lock"
    with _file_lock(path):
        yield


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    import fcntl

    with open(path.with_suffix(path.suffix + ".lock"), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def ensure_schema(engine: Engine, *, create: bool = True, kept: int = BACKUPS_KEPT) -> None:
    """Bring the database to HEAD_REVISION, backing up an older SQLite file first.

    Every upgrade is one transaction. Without ``create``, an empty database is NoLedger.
    """
    if engine.dialect.name != "sqlite":
        _ensure_server_schema(engine, create=create)
        return
    if _state(engine)[0] == HEAD_REVISION:
        return
    with _migration_lock(engine):
        revision, tables = _state(engine)
        if revision == HEAD_REVISION:
            return
        _refuse_newer(revision)
        if revision is None and not tables:
            if not create:
                raise no_ledger(str(engine.url))
            upgrade(engine)
        elif revision is None:
            from levelup.store.repair import repair_half_created

            repair_half_created(engine, tables, kept=kept)
        else:
            _upgrade_from(engine, revision, kept=kept)


def _refuse_newer(revision: str | None) -> None:
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise StoreError(
            f"the ledger has schema {revision}, newer than this levelup knows; upgrade levelup"
        )


def _ensure_server_schema(engine: Engine, *, create: bool) -> None:
    """PostgreSQL: check, lock and migrate on ONE connection, in one transaction (DDL is
    transactional there), so many processes opening a new database at once migrate it once
    and none holds a second connection while it waits for the lock."""
    with _opening(engine):
        conn = engine.connect()
    with conn:
        if _checked(conn, *schema_state(conn))[0] == HEAD_REVISION:
            return
        conn.rollback()
        with conn.begin():
            # Held until this transaction ends: the next process sees the finished schema.
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            revision, tables = _checked(conn, *schema_state(conn))
            if revision == HEAD_REVISION:
                return
            _refuse_newer(revision)
            where = str(engine.url)
            if revision is None and tables:
                raise StoreError(f"{where} holds levelup tables without a schema version; it "
                                 "cannot be repaired automatically" + recovery(where))
            if revision is None and not create:
                raise no_ledger(where)
            from levelup.store.migrate import upgrade_on

            upgrade_on(conn)


def no_ledger(where: str) -> NoLedger:
    return NoLedger(f"there is no ledger at {where}: check LEVELUP_HOME (or --home, --db), "
                    "or make one", step=Step("init"))


def _upgrade_from(engine: Engine, revision: str, *, kept: int) -> None:
    path = sqlite_path(str(engine.url))
    if path is None:
        upgrade(engine)
        return
    from levelup.store.backups import take_backup

    taken = take_backup(path, reason=f"schema-{revision}", kept=kept)
    try:
        upgrade(engine)
    except OperationalError as exc:
        if is_busy(exc) or not _already_done(exc):
            raise
        from levelup.store.repair import repair_half_upgraded

        repair_half_upgraded(engine, revision, taken=taken)


def _already_done(exc: OperationalError) -> bool:
    """A migration that failed because an earlier, killed run had done part of it."""
    message = str(exc.orig)
    return "already exists" in message or "duplicate column" in message


def _state(engine: Engine) -> tuple[str | None, set[str]]:
    with _opening(engine), engine.connect() as conn:
        return _checked(conn, *schema_state(conn))


@contextlib.contextmanager
def _opening(engine: Engine) -> Iterator[None]:
    """A database that cannot be opened is one line: busy, unreachable, or not a ledger."""
    try:
        yield
    except OperationalError as exc:
        if is_busy(exc):
            raise Busy(BUSY) from None
        raise StoreError(f"cannot open the ledger at {engine.url}: {exc.orig}") from None
    except DatabaseError as exc:  # raised while connecting: the file is not a database
        where = engine.url.database if engine.dialect.name == "sqlite" else engine.url
        raise StoreError(f"{where} is not a levelup ledger ({exc.orig})"
                         + recovery(str(where))) from None


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run Alembic migrations up to ``revision`` in one transaction (imports Alembic)."""
    from levelup.store.migrate import run_upgrade

    try:
        run_upgrade(engine.url.render_as_string(hide_password=False), revision)
    except OperationalError as exc:
        if is_busy(exc):
            raise Busy(BUSY) from None
        raise


def check_file(path: Path, *, create: bool) -> None:
    """Refuse a path that is not a ledger file: a folder, an empty file; or a missing one when
    reading."""
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a levelup ledger")
    if not path.exists():
        if not create:
            raise no_ledger(str(path))
        return
    wal = path.with_name(path.name + "-wal")
    if path.stat().st_size == 0 and not (wal.exists() and wal.stat().st_size > 0):
        raise StoreError(f"the ledger {path} is empty (0 bytes): it was not written completely "
                         "(a full disk or a failed sync?)" + recovery(str(path)))


def open_ledger(url: str, *, create: bool = True, kept: int = BACKUPS_KEPT,
                pooled: bool = True) -> Engine:
    """An engine on an up-to-date ledger at ``url``.

    With ``create`` a missing ledger is made (a SQLite file appears whole, never empty);
    without it, a missing or empty one raises NoLedger and nothing is created. Without
    ``pooled``, at most one connection to a database server is open at a time.
    """
    path = sqlite_path(url)
    if path is not None:
        check_file(path, create=create)
        if not path.exists():
            _create_sqlite(path)
    engine = make_engine(url, pooled=pooled)
    try:
        ensure_schema(engine, create=create, kept=kept)
    except BaseException:
        engine.dispose()
        raise
    return engine


def _create_sqlite(path: Path) -> None:
    from levelup.store.migrate import create_sqlite

    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with _file_lock(path):
        if not path.exists():
            try:
                create_sqlite(path)
            except OperationalError as exc:
                if is_busy(exc):
                    raise Busy(BUSY) from None
                raise
