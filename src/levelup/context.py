"""The context of one use case: settings, the ledger's engine, the clock, and whose ledger it is.

Every service takes a ``Context`` first. It lives below the adapters: the CLI builds one per
command, a web request builds one per request (with the signed-in person as ``owner``). It holds
no streams and prints nothing; heavy modules (SQLAlchemy, the store) load on first use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

    from levelup.domain.dates import DateRange
    from levelup.settings import Settings

LOCAL_OWNER = 1  # the one person of a local ledger
T = TypeVar("T")


@dataclass
class Activity:
    """What this process did to ledgers, for the line printed on Ctrl-C."""

    open: int = 0  # transactions begun and not yet ended
    committed: int = 0  # transactions committed
    rolled_back: int = 0  # writing transactions rolled back by Ctrl-C

    def reset(self) -> None:
        self.open = self.committed = self.rolled_back = 0

    def watch(self, engine: Engine) -> None:
        from sqlalchemy import event

        event.listen(engine, "begin", self._began)
        event.listen(engine, "commit", self._committed)
        event.listen(engine, "rollback", self._ended)

    def _began(self, _conn: Connection) -> None:
        self.open += 1

    def _committed(self, _conn: Connection) -> None:
        self.committed += 1
        self._ended(_conn)

    def _ended(self, _conn: Connection) -> None:
        self.open = max(self.open - 1, 0)


ACTIVITY = Activity()


@contextmanager
def _busy() -> Iterator[None]:
    """A lock held by another command longer than we wait is Busy, one line, not a trace."""
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from levelup.errors import Busy
    from levelup.store.db import BUSY, is_busy

    try:
        yield
    except (OperationalError, sqlite3.OperationalError) as exc:
        if is_busy(exc):
            raise Busy(BUSY) from None
        raise


@contextmanager
def _transaction(engine: Engine) -> Iterator[Connection]:
    try:
        with engine.begin() as conn:
            yield conn
    except KeyboardInterrupt:
        ACTIVITY.rolled_back += 1  # engine.begin() rolled the transaction back
        raise


def local_zone() -> tzinfo:
    """This machine's time zone, as it is now."""
    zone = datetime.now().astimezone().tzinfo
    assert zone is not None
    return zone


@dataclass
class Context:
    """Settings, the engine, today and the time zone, and the owner whose rows are read."""

    settings: Settings
    today: date = field(default_factory=date.today)
    zone: tzinfo = field(default_factory=local_zone)
    owner: int = LOCAL_OWNER
    # A server keeps a pool of connections; a one-shot command holds one at a time (a database
    # server's connections are scarce when many commands run at once).
    pooled: bool = False
    _engine: Engine | None = field(default=None, repr=False)
    _backed_up: bool = field(default=False, repr=False)

    def engine(self) -> Engine:
        """The ledger's engine scoped to ``owner``, upgraded to the current schema on first use;
        a missing ledger is created (for writing)."""
        return self._open(create=True)

    def _open(self, *, create: bool) -> Engine:
        if self._engine is None:
            from levelup.store.db import open_ledger
            from levelup.store.scope import scoped

            kept = self.settings.backups_kept
            with _busy():
                engine = open_ledger(self.settings.url, create=create, kept=kept,
                                     pooled=self.pooled)
            ACTIVITY.watch(engine)
            self._engine = scoped(engine, self.owner)
        return self._engine

    def close(self) -> None:
        """Let go of the ledger (its connections); the next use opens it again."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A connection inside one transaction: all or nothing. Creates a missing ledger, and
        backs the ledger up on the first writing command of the day. A transaction that may
        lose a race with other writers and is safe to re-run should use ``write``."""
        engine = self._writable()
        with _busy(), _transaction(engine) as conn:
            yield conn

    def write(self, body: Callable[[Connection], T]) -> T:
        """``body(conn)`` run inside one transaction, all or nothing, like ``begin``; run again
        from the start (after a short random pause) when it lost a race with another writer:
        a deadlock, a serialization failure, a unique key taken a moment before. ``body`` must
        be safe to re-run: it changes nothing outside the database."""
        import time

        from sqlalchemy.exc import DBAPIError

        from levelup.store.retry import ATTEMPTS, pause, retryable

        engine = self._writable()
        with _busy():
            for attempt in range(1, ATTEMPTS):
                try:
                    with _transaction(engine) as conn:
                        result = body(conn)
                    break
                except DBAPIError as exc:
                    if not retryable(exc):
                        raise
                    time.sleep(pause(attempt))
            else:
                with _transaction(engine) as conn:  # the last attempt: its error is the user's
                    result = body(conn)
        return result

    def _writable(self) -> Engine:
        """The engine, with a missing ledger created and the day's backup taken."""
        if not self._backed_up:
            self._backed_up = True
            existed = self._engine is not None or self._ledger_file() is not None
            self.engine()
            if existed:
                self._daily_backup()
        return self.engine()

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A connection for reading an existing ledger: a missing one is NoLedger, never made."""
        engine = self._open(create=False)
        with _busy(), engine.connect() as conn:
            yield conn

    def _ledger_file(self) -> Path | None:
        """The SQLite ledger file, when there is one."""
        from levelup.store.db import sqlite_path

        path = sqlite_path(self.settings.url)
        return path if path is not None and path.is_file() else None

    def _daily_backup(self) -> None:
        from levelup.store.backups import take_backup, taken_today

        path = self._ledger_file()
        if path is None or taken_today(path):
            return
        kept = self.settings.backups_kept
        with _busy():
            take_backup(path, reason="daily", kept=kept)

    def window(self, since: str | None, until: str | None) -> DateRange:
        """The period named by ``since``/``until`` (natural language), relative to today."""
        from levelup.domain.dates import DateError, parse_range, window
        from levelup.errors import FieldError

        for name, text in (("since", since), ("until", until)):
            try:
                parse_range(text, self.today) if text else None
            except DateError as exc:
                raise FieldError(name, f": {exc}") from None
        try:
            return window(since, until, self.today)
        except DateError:
            raise FieldError("since", f"{since} is after the end of the period, {until}") from None

    def day(self, text: str | None) -> date:
        """The day named by ``text``; today when it is empty."""
        from levelup.domain.dates import parse_day

        return parse_day(text, self.today) if text else self.today
