"""What the long-lived server computes for a page, kept between requests until the ledger
changes. The CLI never gains from it (one call per process) and never pays more than a stat.

The change marker, read before every use, is:
- the number of commits this process made (an engine ``commit`` event, any engine);
- on SQLite the size, time and inode of the ledger file and its ``-wal`` (another process such
  as `levelup log` writing while the server runs appends to the WAL or rewrites the file); on
  PostgreSQL the current transaction snapshot (``store.changes``);
- the user's ladder files (readiness reads them).
A result is kept per owner, ledger, day, time zone and settings; at most ``KEPT`` of them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from pathlib import Path

    from levelup.context import Context

T = TypeVar("T")
KEPT = 64

_lock = threading.Lock()
_kept: OrderedDict[Hashable, tuple[Hashable, Any]] = OrderedDict()
_computing: dict[Hashable, threading.Lock] = {}  # one lock per key: one computation at a time
_NONE = object()
_commits = 0
_listening = False


def _committed(_conn: object) -> None:
    global _commits
    _commits += 1


def _listen() -> None:
    global _listening
    if _listening:
        return
    from sqlalchemy import Engine, event

    event.listen(Engine, "commit", _committed)
    _listening = True


def _stat(path: Path) -> tuple[int, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def ledger_marker(ctx: Context) -> Hashable:
    """What changes whenever the ledger (or a ladder file) does; see the module's docstring."""
    from levelup.ladders.catalog import user_ladder_files
    from levelup.store.db import sqlite_path

    _listen()
    ladders = tuple((p.name, _stat(p)) for p in user_ladder_files(ctx.settings.home))
    path = sqlite_path(ctx.settings.url)
    if path is not None:
        files: Hashable = (_stat(path), _stat(path.with_name(path.name + "-wal")))
    else:
        from levelup.store.changes import change_marker

        with ctx.read() as conn:
            files = change_marker(conn)
    return (_commits, files, ladders)


def remembered(ctx: Context, name: str, compute: Callable[[], T], *args: Hashable) -> T:
    """``compute()``'s result for this owner's ledger, recomputed only when it has changed.
    Requests asking at once while it is computed wait for that one result (a page of 20
    browsers after a capture computes it once, not 20 times at once in memory)."""
    key = (name, args, ctx.settings.url, ctx.owner, ctx.today, str(ctx.zone), repr(ctx.settings))
    marker = ledger_marker(ctx)  # read before computing: a write meanwhile shows next time
    found = _kept_value(key, marker)
    if found is not _NONE:
        return found  # type: ignore[no-any-return]
    with _lock:
        gate = _computing.setdefault(key, threading.Lock())
    with gate:
        marker = ledger_marker(ctx)
        found = _kept_value(key, marker)  # computed by the request this one waited for
        if found is not _NONE:
            return found  # type: ignore[no-any-return]
        value = compute()
        with _lock:
            _kept[key] = (marker, value)
            _kept.move_to_end(key)
            while len(_kept) > KEPT:
                _computing.pop(_kept.popitem(last=False)[0], None)
    return value


def _kept_value(key: Hashable, marker: Hashable) -> Any:
    """The value kept for ``key`` if computed at ``marker``, else ``_NONE``."""
    with _lock:
        hit = _kept.get(key)
        if hit is None or hit[0] != marker:
            return _NONE
        _kept.move_to_end(key)
        return hit[1]


def forget() -> None:
    """Drop every kept result (tests)."""
    with _lock:
        _kept.clear()
        _computing.clear()
