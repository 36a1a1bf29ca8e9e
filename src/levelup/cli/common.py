"""What every command shares: the environment object, output helpers, error handling.

Heavy modules (the store, SQLAlchemy, Rich) are imported inside functions so that a
command only pays for what it uses.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, TextIO

import click
import typer
from typer.core import TyperGroup

from levelup.domain.dates import DateError
from levelup.domain.metrics import MetricError
from levelup.domain.vocab import UnknownValue
from levelup.errors import ExitStatus, LevelupError

if TYPE_CHECKING:
    from rich.console import Console
    from sqlalchemy import Connection, Engine

    from levelup.domain.dates import DateRange
    from levelup.settings import Settings


@dataclass
class Env:
    """Streams, settings (home, database URL) and the clock of one command run."""

    settings: Settings
    today: date = field(default_factory=date.today)
    out: TextIO | None = None  # None: whatever sys.stdout is when writing
    err: TextIO | None = None
    _engine: Engine | None = None

    @property
    def stdout(self) -> TextIO:
        return self.out or sys.stdout

    @property
    def stderr(self) -> TextIO:
        return self.err or sys.stderr

    def engine(self) -> Engine:
        """The ledger's engine, upgraded to the current schema on first use."""
        if self._engine is None:
            from levelup.store.db import open_ledger

            self._engine = open_ledger(self.settings.url)
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
        from levelup.domain.dates import window

        return window(since, until, self.today)

    def day(self, text: str | None) -> date:
        from levelup.domain.dates import parse_day

        return parse_day(text, self.today) if text else self.today

    def console(self) -> Console:
        from rich.console import Console

        return Console(file=self.stdout, highlight=False, soft_wrap=False)

    def json(self, data: Any) -> None:
        json.dump(data, self.stdout, indent=2, ensure_ascii=False, default=str)
        self.stdout.write("\n")

    def listing(self, items: Sequence[Any], as_json: bool, line: Callable[[Any], str]) -> None:
        """Print ``items`` as a JSON array, or one ``line(item)`` each."""
        if as_json:
            from levelup.domain.serialize import to_json

            self.json(to_json(list(items)))
            return
        for item in items:
            self.say(line(item))

    def say(self, text: str) -> None:
        """A short confirmation line on standard output."""
        self.stdout.write(text + "\n")

    def warn(self, text: str) -> None:
        self.stderr.write(text + "\n")


def get_env(ctx: typer.Context | click.Context) -> Env:
    env = ctx.find_root().obj
    if not isinstance(env, Env):
        raise RuntimeError("levelup's main callback did not set up the environment")
    return env


class LevelupGroup(TyperGroup):
    """Turns LevelupError and the domain's parse errors into one line and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except LevelupError as exc:
            _fail(str(exc), exc.status)
        except (DateError, MetricError, UnknownValue) as exc:
            _fail(str(exc), ExitStatus.BAD_INPUT)


def _fail(message: str, status: int) -> None:
    click.echo(f"levelup: error: {message}", err=True)
    raise click.exceptions.Exit(int(status))


JSON_OPTION = typer.Option(False, "--json", help="Print JSON instead of a table.")
SINCE_OPTION = typer.Option(
    None, "--since", help="Start of the period: 2026-03-01, last week, 2026-Q3, since March, A..B."
)
UNTIL_OPTION = typer.Option(None, "--until", help="End of the period (same forms as --since).")
