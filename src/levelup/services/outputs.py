"""Where `--output` may write: a regular file that is not the ledger, nor one of its companions.

`export -o` and `report … -o` share this check, so no output ever overwrites the ledger, its
-wal/-shm/.lock files or its backups, a folder, or a device such as /dev/full.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from levelup.context import Context
from levelup.errors import FieldError

_SQLITE = b"SQLite format 3\x00"
_COMPANION_SUFFIXES = ("-wal", "-shm", "-journal", ".lock")


def check_output(path: Path, *, ctx: Context | None = None, make_folders: bool = False) -> Path:
    """``path`` if an output may be written there; else FieldError("output", why)."""
    path = path.expanduser()
    problem = _problem(path, ctx, make_folders=make_folders)
    if problem:
        raise FieldError("output", f"{path} {problem}")
    return path


def write_output(path: Path, data: str | bytes, *, ctx: Context | None = None,
                 make_folders: bool = False) -> Path:
    """Write ``data`` to ``path`` whole (a temporary name renamed when complete)."""
    path = check_output(path, ctx=ctx, make_folders=make_folders)
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        if make_folders:
            path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            partial.write_bytes(data)
        else:
            partial.write_text(data, encoding="utf-8")
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise FieldError("output", f"{path} cannot be written ({exc.strerror})") from None
    return path


def _problem(path: Path, ctx: Context | None, *, make_folders: bool) -> str:
    target = path.resolve()
    if ctx is not None and _is_ledger_file(target, ctx):
        return "is the ledger or one of its files; write somewhere else"
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        return f"cannot be written ({exc.strerror})"
    if mode is not None and stat.S_ISDIR(mode):
        return "is a folder; give a file name"
    if mode is not None and not stat.S_ISREG(mode):
        return "is not a regular file; give a file name"
    if mode is not None and _is_database(target):
        return "is a SQLite database (a ledger?); it is not overwritten"
    if target.name.endswith(_COMPANION_SUFFIXES) and _is_database(_companion_of(target)):
        return "belongs to a SQLite database (a ledger?); write somewhere else"
    parent = target.parent
    if not make_folders and not parent.is_dir():
        return f"cannot be written: there is no folder {parent}"
    return ""


def _is_ledger_file(target: Path, ctx: Context) -> bool:
    from levelup.store.backups import backups_folder
    from levelup.store.db import sqlite_path

    ledger = sqlite_path(ctx.settings.url)
    if ledger is None:
        return False
    ledger = ledger.expanduser().resolve()
    names = {ledger.name, *(ledger.name + suffix for suffix in _COMPANION_SUFFIXES)}
    return ((target.parent == ledger.parent and target.name in names)
            or backups_folder(ledger) in target.parents)


def _companion_of(target: Path) -> Path:
    for suffix in _COMPANION_SUFFIXES:
        if target.name.endswith(suffix):
            return target.with_name(target.name.removesuffix(suffix))
    return target


def _is_database(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(16) == _SQLITE
    except OSError:
        return False
