"""Whole-ledger commands: export, demo, config (and config set/unset)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from levelup.cli.common import JSON_OPTION, Env, get_env


def register(app: typer.Typer) -> None:
    app.command("export", help=export.__doc__)(export)
    app.command("demo", help=demo.__doc__)(demo)
    app.add_typer(config_app, name="config")


def export(
    ctx: typer.Context,
    output: Path = typer.Option(None, "--output", "-o", help="File to write (default: stdout)."),
) -> None:
    """Write the whole ledger as one versioned JSON document (`levelup import json` reads it)."""
    from contextlib import ExitStack

    from levelup.cli.common import _JSON_RAW
    from levelup.services.portable_export import ExportProgress, export_file, export_to

    env = get_env(ctx)
    with ExitStack() as stack:
        bars: list[Any] = []

        def show(event: ExportProgress) -> None:  # a bar on a terminal, from the first page
            if not bars:
                from rich.console import Console
                from rich.progress import BarColumn, MofNCompleteColumn, Progress

                bars.append(stack.enter_context(Progress(
                    "export", BarColumn(), MofNCompleteColumn(), transient=True,
                    console=Console(file=env.stderr))))
                bars.append(bars[0].add_task("export", total=event.total))
            bars[0].update(bars[1], completed=event.done, total=event.total)

        progress = show if env.stderr.isatty() else None
        if output is None:  # as `--json` prints: C1 controls and bidi overrides escaped too
            export_to(env.ctx, write=lambda text: env.stdout.write(_JSON_RAW.sub(
                lambda m: f"\\u{ord(m.group()):04x}", text)), indent=2, progress=progress)
            return
        done = export_file(env.ctx, path=output, progress=progress)
    env.say(f"exported {done.entries} entries to {output}")  # whole or not at all


def demo(
    ctx: typer.Context,
    home: Path = typer.Option(None, "--home", help="Demo folder (default: a 'demo' folder "
                              "next to your ledger's folder, never your own ledger)."),
    as_json: bool = JSON_OPTION,
    serve: bool = typer.Option(False, "--serve/--no-serve", help="Then serve the demo in "
                               "your browser, as `levelup serve` does (`./dev demo` does)."),
    port: int = typer.Option(8765, "--port", help="Port to serve on, with --serve."),
) -> None:
    """Build a realistic demo ledger (half a year of a mid-level engineer) and show an overview.

    Point any command at it with LEVELUP_HOME=<folder> or --home <folder>."""
    from levelup.cli.demo_view import show
    from levelup.cli.readiness import readiness_json
    from levelup.services.demo import run_demo

    env = get_env(ctx)
    built = run_demo(env.ctx, home=home)
    summary = {**built.overview, "readiness": readiness_json(built.readiness),
               "reports": [str(p) for p in built.reports]}
    if as_json:
        env.json(summary)
    else:
        show(env, summary)
    if serve:
        _serve_demo(env, built.home, port)


def _serve_demo(env: Env, home: Path, port: int) -> None:
    """Serve the demo just built, on its own ledger (never the user's)."""
    from dataclasses import replace

    from levelup.cli.serve import serve_ledger
    from levelup.context import Context

    settings = replace(env.settings, home=home, database_url="")
    demo = Context(settings=settings, today=env.ctx.today, zone=env.ctx.zone, owner=env.ctx.owner)
    env.say("")
    serve_ledger(Env(ctx=demo, out=env.out, err=env.err), port=port)


config_app = typer.Typer(help="Show the settings and where each comes from; `config set` and "
                         "`config unset` change the config file in your home folder.",
                         invoke_without_command=True)


@config_app.callback()
def config(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """Show every setting, its value, where it comes from (default, config file,
    LEVELUP_<NAME>, option) and what it does."""
    if ctx.invoked_subcommand is not None:
        return
    from levelup.services.config import show_config

    env = get_env(ctx)
    found = show_config(env.ctx)
    if as_json:
        env.json({setting.name: setting.value for setting in found.settings})
        return
    env.say(f"Config file: {found.path}")
    for s in found.settings:
        env.say(f"{s.name:<20} {str(s.value):<32} {s.source:<26} {s.help}")
    for key in found.ignored:
        env.warn(f"{key} in {found.path} is ignored (not a setting, or a secret): "
                 f"levelup config unset {key}")


@config_app.command("set")
def config_set(
    ctx: typer.Context,
    key: str = typer.Argument(..., help="A setting's name (levelup config lists them)."),
    value: str = typer.Argument(..., help="Its value."),
) -> None:
    """Set a setting in the config file (HOME/config.toml, readable by you only); a
    LEVELUP_<NAME> variable still wins. Secrets are refused."""
    from levelup.services.config import set_config

    env = get_env(ctx)
    change = set_config(env.ctx, key=key, value=value)
    env.say(f"{change.key} = {change.value!r} in {change.path}")


@config_app.command("unset")
def config_unset(ctx: typer.Context,
                 key: str = typer.Argument(..., help="The setting to remove.")) -> None:
    """Remove a setting from the config file (its default applies again)."""
    from levelup.services.config import unset_config

    env = get_env(ctx)
    change = unset_config(env.ctx, key=key)
    env.say(f"removed {change.key} from {change.path}" if change.changed
            else f"{change.key} was not set in {change.path}")
