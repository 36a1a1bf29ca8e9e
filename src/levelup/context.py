"""The context of one use case: settings, the ledger's engine, the clock, and whose ledger it is.

Every service takes a ``Context`` first. It lives below the adapters: the CLI builds one per
command, a web request builds one per request (with the signed-in person as ``owner``). It holds
no streams and prints nothing; heavy modules (SQLAlchemy, the store) load on first use.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

    from levelup.domain.dates import DateRange
    from levelup.settings import Settings

LOCAL_OWNER = 1  # the one person of a local ledger


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
    _engine: Engine | None = field(default=None, repr=False)

    def engine(self) -> Engine:
        """The ledger's engine scoped to ``owner``, upgraded to the current schema on first use."""
        if self._engine is None:
            from levelup.store.db import open_ledger
            from levelup.store.scope import scoped

            self._engine = scoped(open_ledger(self.settings.url), self.owner)
        return self._engine

    def close(self) -> None:
        """Let go of the ledger (its connections); the next use opens it again."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A connection inside one transaction: all or nothing."""
        with self.engine().begin() as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine().connect() as conn:
            yield conn

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
