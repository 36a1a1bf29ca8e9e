"""Whole-ledger commands: export, demo, config."""

from __future__ import annotations

from pathlib import Path

import typer

from levelup.cli.common import JSON_OPTION, get_env


def register(app: typer.Typer) -> None:
    app.command("export", help=export.__doc__)(export)
    app.command("demo", help=demo.__doc__)(demo)
    app.command("config", help=config.__doc__)(config)


def export(
    ctx: typer.Context,
    output: Path = typer.Option(None, "--output", "-o", help="File to write (default: stdout)."),
) -> None:
    """Write the whole ledger as one versioned JSON document (`levelup import json` reads it)."""
    import json

    from levelup.services.portable import export_ledger

    env = get_env(ctx)
    doc = export_ledger(env.ctx)
    if output is None:
        env.json(doc)
        return
    tmp = output.with_name(output.name + ".tmp")
    tmp.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(output)  # never leave a half-written export behind
    env.say(f"exported {len(doc['entries'])} entries to {output}")


def demo(
    ctx: typer.Context,
    home: Path = typer.Option(None, "--home", help="Demo folder (default: a 'demo' folder "
                              "next to your ledger's folder, never your own ledger)."),
    as_json: bool = JSON_OPTION,
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


def config(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """Show every setting, its value and what it does (override with LEVELUP_<NAME>)."""
    from levelup.services.config import list_settings

    env = get_env(ctx)
    settings = list_settings(env.ctx)
    if as_json:
        env.json({setting.name: setting.value for setting in settings})
        return
    for setting in settings:
        env.say(f"{setting.name:<20} {str(setting.value):<40} {setting.help}")
