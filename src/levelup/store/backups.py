"""Backups of a SQLite ledger: SQLite's online backup (WAL included), rotated, restored whole.

A backup is written under a temporary name and renamed when complete, so a kill never leaves
a truncated backup under a normal name. Backups live in ``backups/`` beside the ledger, named
``ledger-YYYYMMDD-HHMMSS-ffffff-REASON.db`` so that names sort by age.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

FOLDER = "backups"
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6}-\d{6})-(?P<reason>[a-z0-9-]+)\.db$")
_WAIT_MS = 15000


@dataclass(frozen=True, slots=True)
class Backup:
    """One backup file: where it is, when it was taken, why, and its size in bytes."""

    path: Path
    taken: datetime
    reason: str
    size: int


def backups_folder(ledger: Path) -> Path:
    return ledger.parent / FOLDER


def companions(ledger: Path) -> list[Path]:
    """The files SQLite and levelup keep beside the ledger."""
    return [ledger.with_name(ledger.name + suffix)
            for suffix in ("-wal", "-shm", "-journal", ".lock")]


def list_backups(ledger: Path) -> list[Backup]:
    """The ledger's backups, newest first."""
    folder = backups_folder(ledger)
    found = []
    for path in folder.glob(f"{ledger.stem}-*.db") if folder.is_dir() else ():
        match = _NAME.match(path.name)
        if match is None or match["stem"] != ledger.stem:
            continue
        taken = datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S-%f")
        found.append(Backup(path, taken, match["reason"], path.stat().st_size))
    return sorted(found, key=lambda backup: backup.path.name, reverse=True)


@contextlib.contextmanager
def _sqlite(path: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(path, timeout=_WAIT_MS / 1000, isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout={_WAIT_MS}")
        yield conn
    finally:
        conn.close()


def copy_database(source: Path, target: Path, *, journal: str = "DELETE") -> None:
    """A consistent copy of ``source`` (WAL included) at ``target``, via a temporary name."""
    partial = target.with_name(target.name + ".part")
    partial.unlink(missing_ok=True)
    with _sqlite(source) as src, _sqlite(partial) as dst:
        src.backup(dst)
        dst.execute(f"PRAGMA journal_mode={journal}")
    _sync(partial)
    os.replace(partial, target)


def _sync(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def take_backup(ledger: Path, *, reason: str, kept: int | None) -> Path:
    """Back the ledger up now into its backups folder; keep the newest ``kept`` (all: None)."""
    folder = backups_folder(ledger)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{ledger.stem}-{stamp}-{reason}.db"
    copy_database(ledger, target)
    if kept is not None:
        prune(ledger, kept=kept)
    return target


def prune(ledger: Path, *, kept: int) -> None:
    """Remove all but the newest ``kept`` backups (never the last one)."""
    for backup in list_backups(ledger)[max(kept, 1):]:
        backup.path.unlink(missing_ok=True)


def taken_today(ledger: Path) -> bool:
    """Whether a backup of the ledger was taken today (by this machine's clock)."""
    today = datetime.now().date()
    return any(backup.taken.date() == today for backup in list_backups(ledger)[:1])


def check_database(path: Path) -> str | None:
    """The schema revision of a healthy SQLite ledger at ``path``; raises sqlite3.Error if not
    one; None for a database without a revision."""
    with _sqlite(path) as conn:
        verdict = conn.execute("PRAGMA quick_check").fetchone()
        if verdict is None or verdict[0] != "ok":
            raise sqlite3.DatabaseError(f"integrity check failed: {verdict}")
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.OperationalError:
            return None
        return None if row is None else str(row[0])


def restore_into(ledger: Path, backup: Path) -> None:
    """Replace the ledger's content by the backup's, all or nothing.

    A readable ledger is overwritten page by page in one SQLite transaction (WAL-aware); a
    missing or unreadable one is moved into the backups folder and the copy renamed into place.
    """
    if readable(ledger):
        with _sqlite(backup) as src, _sqlite(ledger) as dst:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=WAL")
        return
    fresh = ledger.with_name(ledger.name + ".restoring")
    copy_database(backup, fresh, journal="WAL")
    if ledger.exists():
        folder = backups_folder(ledger)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        for path in [ledger, *companions(ledger)[:3]]:
            if path.exists():
                os.replace(path, folder / f"damaged-{stamp}-{path.name}")
    os.replace(fresh, ledger)


def readable(path: Path) -> bool:
    if not path.is_file() or path.stat().st_size == 0:
        return False
    try:
        with _sqlite(path) as conn:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return True
    except sqlite3.DatabaseError:
        return False
