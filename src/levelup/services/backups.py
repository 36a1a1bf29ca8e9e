"""Backups of the ledger: take one now, list them, restore one (the current ledger saved first).

Automatic backups are taken by the context (one a day, on the first writing command) and by the
store (before every schema upgrade); all live in ``backups/`` beside the SQLite ledger.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from levelup.context import Context
from levelup.domain.steps import Step
from levelup.errors import LevelupError, NotFound
from levelup.store.backups import Backup


@dataclass(frozen=True, slots=True)
class Restored:
    """The backup brought back, and where the ledger as it was before is kept (None: there was
    no readable ledger; a damaged one is moved into the backups folder)."""

    backup: Path
    saved: Path | None


def _ledger(ctx: Context) -> Path:
    from levelup.store.db import sqlite_path

    path = sqlite_path(ctx.settings.url)
    if path is None:
        raise LevelupError("backups are for a SQLite ledger; back up a database server with its "
                           "own tools, or export the ledger", step=Step("export"))
    return path


def backup_ledger(ctx: Context) -> Backup:
    """Back the ledger up now (SQLite's online backup, WAL included)."""
    from levelup.store.backups import list_backups, take_backup

    path = _ledger(ctx)
    with ctx.read():
        pass  # an existing, healthy ledger: its errors say what is wrong otherwise
    taken = take_backup(path, reason="manual", kept=ctx.settings.backups_kept)
    return next(b for b in list_backups(path) if b.path == taken)


def list_ledger_backups(ctx: Context) -> list[Backup]:
    """The ledger's backups, newest first."""
    from levelup.store.backups import list_backups

    return list_backups(_ledger(ctx))


def restore_ledger(ctx: Context, *, backup: str) -> Restored:
    """Replace the ledger by ``backup`` (a name from the list, or a file), all or nothing, after
    backing the current ledger up."""
    from levelup.store.backups import prune, readable, restore_into, take_backup

    path = _ledger(ctx)
    chosen = _find(path, backup)
    _check(chosen)
    ctx.close()
    saved = take_backup(path, reason="before-restore", kept=None) if readable(path) else None
    restore_into(path, chosen)
    prune(path, kept=ctx.settings.backups_kept + 1)  # the one just saved is kept too
    with ctx.read():
        pass  # upgraded now if the backup is of an older schema
    return Restored(chosen, saved)


def _find(ledger: Path, name: str) -> Path:
    from levelup.store.backups import backups_folder

    for candidate in (backups_folder(ledger) / name, Path(name).expanduser()):
        try:
            if candidate.is_file():
                return candidate
        except OSError:  # a name too long for the file system names no backup
            continue
    shown = name if len(name) <= 80 else name[:80] + "…"
    raise NotFound(f"no backup '{shown}' (a name in {backups_folder(ledger)}, or a file)",
                   step=Step("restore"))


def _check(backup: Path) -> None:
    from levelup.store.backups import check_database
    from levelup.store.db import KNOWN_REVISIONS

    try:
        revision = check_database(backup)
    except sqlite3.Error as exc:
        raise LevelupError(f"{backup} is not a healthy SQLite ledger ({exc}); choose another "
                           "backup", step=Step("restore")) from None
    if revision not in KNOWN_REVISIONS:
        raise LevelupError(f"{backup} is not a levelup ledger this levelup can read (schema "
                           f"{revision})", step=Step("restore"))
