"""What every command shares: the environment object, output helpers, error handling.

Heavy modules (the store, SQLAlchemy, Rich) are imported inside functions so that a
command only pays for what it uses.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, TextIO

import click
import typer
from typer.core import TyperGroup

from levelup.context import Context
from levelup.domain.dates import DateError
from levelup.domain.metrics import MetricError
from levelup.domain.vocab import UnknownValue
from levelup.errors import ExitStatus, LevelupError

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from rich.console import Console
    from sqlalchemy import Connection, Engine

    from levelup.domain.dates import DateRange
    from levelup.settings import Settings


@dataclass
class Env:
    """One command run: its context (settings, ledger, clock, owner) and its streams."""

    settings: Settings
    today: date = field(default_factory=date.today)
    out: TextIO | None = None  # None: whatever sys.stdout is when writing
    err: TextIO | None = None
    ctx: Context = field(init=False)

    def __post_init__(self) -> None:
        self.ctx = Context(settings=self.settings, today=self.today)

    @property
    def stdout(self) -> TextIO:
        return self.out or sys.stdout

    @property
    def stderr(self) -> TextIO:
        return self.err or sys.stderr

    def close(self) -> None:
        self.ctx.close()

    # Transitional: the context's ledger and clock, until every command goes through a service.
    def engine(self) -> Engine:
        return self.ctx.engine()

    def begin(self) -> AbstractContextManager[Connection]:
        return self.ctx.begin()

    def read(self) -> AbstractContextManager[Connection]:
        return self.ctx.read()

    def window(self, since: str | None, until: str | None) -> DateRange:
        return self.ctx.window(since, until)

    def day(self, text: str | None) -> date:
        return self.ctx.day(text)

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
            _fail(phrase(exc, _invoked_params(self, ctx)), exc.status)
        except (DateError, MetricError, UnknownValue) as exc:
            _fail(str(exc), ExitStatus.BAD_INPUT)


def phrase(exc: LevelupError, params: dict[str, str] | None = None) -> str:
    """The error's line for a terminal: fields named by their flags, a step by its command."""
    from levelup.cli.steps import command
    from levelup.errors import FieldError

    text = exc.message
    if isinstance(exc, FieldError):
        label = (params or {}).get(exc.field) or "--" + exc.field.replace("_", "-")
        text = f"{label} {exc.problem}"
    if exc.step is not None:
        text += f" (`{command(exc.step)}`)"
    return text


def _invoked_params(group: click.Group, ctx: click.Context) -> dict[str, str]:
    """Field name -> how the invoked command spells it (``--until``, ``TITLE``)."""
    args = [*ctx._protected_args, *ctx.args]
    command: click.Command | None = group
    for word in args:
        if not isinstance(command, click.Group):
            break
        command = command.get_command(ctx, word)
    if command is None or isinstance(command, click.Group):
        return {}
    return {p.name: (p.opts[0] if isinstance(p, click.Option) else p.human_readable_name)
            for p in command.params if p.name}


def _fail(message: str, status: int) -> None:
    click.echo(f"levelup: error: {message}", err=True)
    raise click.exceptions.Exit(int(status))


JSON_OPTION = typer.Option(False, "--json", help="Print JSON instead of a table.")
SINCE_OPTION = typer.Option(
    None, "--since", help="Start of the period: 2026-03-01, last week, 2026-Q3, since March, A..B."
)
UNTIL_OPTION = typer.Option(None, "--until", help="End of the period (same forms as --since).")
