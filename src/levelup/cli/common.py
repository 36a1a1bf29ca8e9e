"""What every command shares: the environment object, output helpers, error handling.

Heavy modules (the store, SQLAlchemy, Rich) are imported inside functions so that a
command only pays for what it uses.

Every line printed goes through ``clean``: titles imported from other people's calendars,
issues and pull requests may hold escape sequences a terminal would obey. ``--json`` prints the
exact text, with every such character escaped.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

import click
import typer
from typer.core import TyperGroup

from levelup.context import Context
from levelup.domain.dates import DateError
from levelup.domain.metrics import MetricError
from levelup.domain.text import QUOTED_HEAD, QUOTED_MAX
from levelup.domain.vocab import UnknownValue
from levelup.errors import ExitStatus, LevelupError

if TYPE_CHECKING:
    from rich.console import Console

    from levelup.settings import Settings

# What a terminal would obey rather than show: C0 controls but tab, newline and the CR of a
# CRLF; DEL; C1 controls; the bidi embeddings, overrides and isolates that reorder a line.
_UNSAFE = re.compile(r"\r(?!\n)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Those json.dumps leaves raw with ensure_ascii=False (it escapes C0 controls itself).
_JSON_RAW = re.compile(r"[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean(text: str) -> str:
    """``text`` safe for a terminal: each control character shown as a placeholder (ESC as
    ``^[``, a bidi override as ``<U+202E>``); tabs and line breaks kept."""
    return _UNSAFE.sub(_placeholder, text)


def _placeholder(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return "^" + chr(code + 0x40)
    return "^?" if code == 0x7F else f"<U+{code:04X}>"


# A quoted value in a message (as repr or by hand quotes it) longer than QUOTED_MAX.
_LONG_QUOTE = re.compile(
    "|".join(rf"{q}(?:[^{q}\\\n]|\\.){{{QUOTED_MAX},}}{q}" for q in "'\"")
)
MESSAGE_MAX = 400  # a message line longer than this keeps its start and its end


def readable(message: str) -> str:
    """A message cut to a readable length: each quoted value over 200 characters to its
    first 80 and its length; a message still over 400 characters to its start and end."""
    if len(message) <= QUOTED_MAX:
        return message
    message = _LONG_QUOTE.sub(_short_quote, message)
    if len(message) <= MESSAGE_MAX:
        return message
    cut = len(message) - 300
    return f"{message[:200]}… ({cut:,} characters) …{message[-100:]}"


def _short_quote(match: re.Match[str]) -> str:
    text = match.group()
    inner = text[1:-1]
    return f"{text[0]}{inner[:QUOTED_HEAD]}…{text[0]} ({len(inner):,} characters)"


@functools.cache
def _clean_console() -> type[Console]:
    from rich.console import Console
    from rich.text import Text

    class CleanConsole(Console):
        """A Rich console that cleans every string it renders (tables and titles too)."""

        def render_str(self, text: str, **options: Any) -> Text:
            return super().render_str(clean(text), **options)

    return CleanConsole


class Env:
    """One command run: its context (settings, ledger, clock, owner) and its streams."""

    def __init__(self, settings: Settings | None = None, today: date | None = None,
                 out: TextIO | None = None, err: TextIO | None = None, *,
                 ctx: Context | None = None) -> None:
        if ctx is None:
            if settings is None:
                raise TypeError("Env needs settings or a context")
            ctx = Context(settings=settings, today=today or date.today())
        self.ctx = ctx
        self.out = out  # None: whatever sys.stdout is when writing
        self.err = err

    @property
    def settings(self) -> Settings:
        return self.ctx.settings

    @settings.setter
    def settings(self, value: Settings) -> None:
        self.ctx.settings = value

    @property
    def today(self) -> date:
        return self.ctx.today

    @today.setter
    def today(self, value: date) -> None:
        self.ctx.today = value

    @property
    def stdout(self) -> TextIO:
        return self.out or sys.stdout

    @property
    def stderr(self) -> TextIO:
        return self.err or sys.stderr

    def close(self) -> None:
        self.ctx.close()

    def console(self) -> Console:
        return _clean_console()(file=self.stdout, highlight=False, soft_wrap=False)

    def json(self, data: Any) -> None:
        """``data`` as JSON: the exact text, with C1 controls and bidi overrides escaped too."""
        text = json.dumps(data, indent=2, ensure_ascii=False, default=str)
        self.stdout.write(_JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n")

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
        self.stdout.write(clean(text) + "\n")

    def warn(self, text: str) -> None:
        self.stderr.write(clean(text) + "\n")

    def write(self, text: str) -> None:
        """A document (a report, a mapping) on standard output, as it is but cleaned."""
        self.stdout.write(clean(text))


def get_env(ctx: typer.Context | click.Context) -> Env:
    env = ctx.find_root().obj
    if not isinstance(env, Env):
        raise RuntimeError("levelup's main callback did not set up the environment")
    return env


class LevelupGroup(TyperGroup):
    """Turns LevelupError and the domain's parse errors into one line and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        args = [*ctx._protected_args, *ctx.args]  # Group.invoke consumes them
        try:
            return super().invoke(ctx)
        except LevelupError as exc:
            _fail(phrase(exc, _invoked_params(self, ctx, args)), exc.status)
        except (DateError, MetricError, UnknownValue) as exc:
            _fail(str(exc), ExitStatus.BAD_INPUT)


def phrase(exc: LevelupError, params: dict[str, str] | None = None) -> str:
    """The error's line for a terminal: fields named by their flags, a step by its command."""
    from levelup.cli.steps import command
    from levelup.errors import FieldError, joint

    text = exc.message
    if isinstance(exc, FieldError):
        label = (params or {}).get(exc.field) or "--" + exc.field.replace("_", "-")
        text = label + joint(exc.problem) + exc.problem
    if exc.step is not None:
        text += f" (`{command(exc.step)}`)"
    return text


def _invoked_params(group: click.Group, ctx: click.Context, args: list[str]) -> dict[str, str]:
    """Field name -> how the invoked command spells it (``--until``, ``TITLE``)."""
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
    click.echo(f"levelup: error: {readable(clean(message))}", err=True)
    raise click.exceptions.Exit(int(status))


JSON_OPTION = typer.Option(False, "--json", help="Print JSON instead of a table.")
SINCE_OPTION = typer.Option(
    None, "--since", help="Start of the period: 2026-03-01, last week, 2026-Q3, since March, A..B."
)
UNTIL_OPTION = typer.Option(None, "--until", help="End of the period (same forms as --since).")


_C = TypeVar("_C", bound=click.Command)
_INT64 = click.IntRange(-(2**63), 2**63 - 1)


def bounded(command: _C) -> _C:
    """``command`` with every integer parameter refused, in one line, beyond what a database
    column holds (99999999999999999999 would otherwise overflow the SQL binding)."""
    for param in command.params:
        if param.type is click.INT:
            param.type = _INT64
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            bounded(sub)
    return command
