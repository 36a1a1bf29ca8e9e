"""The `levelup` command: the root group, global options, and where commands are registered."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import typer

from levelup.cli.common import Env, LevelupGroup

app = typer.Typer(
    cls=LevelupGroup,
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    help="levelup turns your everyday engineering work into a promotion case.\n\n"
    "Capture work in seconds (`levelup log`), tie it to outcomes and competencies, track who "
    "heard about it, and generate the weekly update, 1:1 agenda, self-review and promotion "
    "packet. Your ledger is one SQLite file in $LEVELUP_HOME; nothing leaves your machine.",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from levelup import __version__

        typer.echo(f"levelup {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    db: str = typer.Option(
        None, "--db", envvar="LEVELUP_DATABASE_URL",
        help="Database URL, e.g. postgresql+psycopg://user@host/db (default: SQLite in home).",
    ),
    home: Path = typer.Option(
        None, "--home", envvar="LEVELUP_HOME", help="Ledger folder (default: platform data dir)."
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Set up the environment every command shares."""
    from levelup.settings import load

    if isinstance(ctx.obj, Env):  # tests pass a prepared Env
        return
    ctx.obj = Env(settings=load(home=home, database_url=db))


def _register() -> None:
    from levelup.cli import (
        coach,
        entries,
        ladder,
        ledger,
        opportunities,
        people,
        readiness,
        records,
        reports,
    )

    for module in (entries, people, records, ladder, coach, readiness, reports, opportunities,
                   ledger):
        module.register(app)


_register()
_command: click.Group | None = None


def command() -> click.Group:
    """The root click group with the lazily-loaded `import` group attached."""
    global _command
    if _command is None:
        from levelup.cli.imports import ImportGroup, add_builtin_imports

        group = typer.main.get_command(app)
        assert isinstance(group, click.Group)
        imports = ImportGroup(
            name="import",
            help="Import work from git, GitHub, Jira, calendars, jrnl, CSV, Markdown, "
            "incident exports, or a levelup JSON export. Every import is one transaction and "
            "idempotent: running it twice adds nothing the second time.",
        )
        add_builtin_imports(imports)
        group.add_command(imports)
        _command = group
    return _command


def run(args: list[str] | None = None, **extra: Any) -> None:
    command()(args=args, prog_name="levelup", **extra)
