"""The `levelup` command: the root group, global options, and where commands are registered."""

from __future__ import annotations

import copy
import gc
import os
import sys
from pathlib import Path
from typing import Any

import click
import typer

from levelup.cli.common import Env, LevelupGroup, bounded

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
    if ctx.invoked_subcommand != "doctor":  # doctor reports it as one of its checks
        _warn_if_exposed(ctx.obj)


def _warn_if_exposed(env: Env) -> None:
    """One line on stderr when others can enter the home folder."""
    try:
        if not env.settings.home.stat().st_mode & 0o077:
            return  # private, as levelup makes it: the doctor's module stays unloaded
    except OSError:
        return
    from levelup.cli.steps import notice
    from levelup.services.doctor import exposed_home

    warning = exposed_home(env.settings)
    if warning:
        env.warn(f"levelup: warning: {notice(warning)}")


def _register() -> None:
    from levelup.cli import (
        backups,
        coach,
        doctor,
        entries,
        ladder,
        ledger,
        opportunities,
        people,
        readiness,
        records,
        removals,
        reports,
        serve,
        server,
        share,
        tokens,
    )

    for module in (entries, people, records, ladder, coach, readiness, reports, opportunities,
                   ledger, doctor, backups, serve, server, share, tokens, removals):
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
        # --install-completion/--show-completion live on the whole group only: a run of one
        # command (`log`) never builds them, and a shell's TAB always reaches the whole group.
        group.params.extend(typer.main.get_install_completion_arguments())
        _command = bounded(group)
    return _command


def invoked(args: list[str]) -> str | None:
    """The command name in ``args``, after the root options; None for help or no command."""
    rest = iter(args)
    for arg in rest:
        if arg in ("--db", "--home"):
            next(rest, None)
        elif not arg.startswith("-"):
            return arg
        elif not arg.startswith(("--db=", "--home=")):
            return None  # --help, --version or a mistake: the whole group answers
    return None


def command_only(name: str) -> click.Group | None:
    """The root group holding only the command ``name`` (None if there is no such command).

    Building click commands from every Typer function costs more than running `log`, so a
    run builds just the one it invokes.
    """
    only = copy.copy(app)
    only.registered_commands = [
        info for info in app.registered_commands
        if (info.name or typer.main.get_command_name(info.callback.__name__)) == name  # type: ignore[union-attr]
    ]
    only.registered_groups = [info for info in app.registered_groups if info.name == name]
    if not (only.registered_commands or only.registered_groups):
        return None
    group = typer.main.get_command(only)
    assert isinstance(group, click.Group)
    return bounded(group)


_QUICK = frozenset({"log", "list", "search", "show"})


def private_files() -> None:
    """Everything this process creates is its user's alone: folders 0700, files 0600."""
    os.umask(0o077)


def run(args: list[str] | None = None, **extra: Any) -> None:
    """The `levelup` program: every way of starting it comes through here."""
    private_files()
    name = invoked(sys.argv[1:] if args is None else args)
    group = command_only(name) if name and name != "import" else None
    if name in _QUICK:
        # These finish in a blink and make little cyclic garbage; collecting it while
        # SQLAlchemy's thousands of import-time objects are young costs ~15 ms of `log`.
        gc.disable()
    try:
        from levelup.cli.safety import run_guarded

        run_guarded(group or command(), args, **extra)
    finally:
        # Python's exit walks every object SQLAlchemy and the command created (~50 ms, a
        # fifth of `levelup log`); frozen objects are skipped, and the process is ending.
        gc.freeze()
