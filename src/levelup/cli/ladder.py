"""`levelup ladder`: the career ladders, what the next level asks, and importing frameworks.

Thin adapters over ``levelup.services.ladders``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from levelup.cli.common import JSON_OPTION, get_env

if TYPE_CHECKING:
    from levelup.cli.common import Env
    from levelup.services.ladders import LevelChange

ladder_app = typer.Typer(help="Career ladders: levels x competencies, and what the next "
                         "level asks of you.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(ladder_app, name="ladder")


@ladder_app.command("list")
def ladder_list(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """List the built-in ladders and those in $LEVELUP_HOME/ladders."""
    from levelup.services.ladders import list_ladders

    env = get_env(ctx)
    ladders = list_ladders(env.ctx)
    if as_json:
        return env.json([{"id": lad.id, "name": lad.name, "origin": lad.origin,
                          "levels": [lv.id for lv in lad.levels()]} for lad in ladders])
    for lad in ladders:
        env.say(f"{lad.id:24s} {lad.name:28s} {' '.join(lv.id for lv in lad.levels())}")


@ladder_app.command("show")
def ladder_show(
    ctx: typer.Context,
    ladder_id: str = typer.Argument(None, metavar="[LADDER]",
                                    help="Ladder id (default: software-engineer)."),
    level: str = typer.Option(None, "--level", "-l", help="Show only this level, e.g. L4."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Show a ladder's levels and, per competency, the expectations and signals."""
    from levelup.services.ladders import show_ladder

    env = get_env(ctx)
    data = show_ladder(env.ctx, ladder_id=ladder_id, level=level)
    if as_json:
        return env.json(data)
    _print_ladder(env, data, detailed=bool(level))


def _print_ladder(env: Env, data: dict[str, Any], detailed: bool) -> None:
    env.say(f"{data['name']} ({data['id']})")
    for track in data["tracks"]:
        env.say(f"\n{track['name']}")
        for lv in track["levels"]:
            env.say(f"  {lv['id']:6s} {lv['name']}: {lv['summary']}")
            if not detailed:
                continue
            for cid, cell in lv["competencies"].items():
                env.say(f"    {cid}")
                for text in cell["expectations"]:
                    env.say(f"      - {text}")
                for text in cell["signals"]:
                    env.say(f"      signal: {text}")


@ladder_app.command("next")
def ladder_next(
    ctx: typer.Context,
    current: str = typer.Option(None, "--current", help="Current level (default: profile)."),
    target: str = typer.Option(None, "--target", help="Target level (default: profile)."),
    ladder_id: str = typer.Option(None, "--ladder", help="Ladder id (default: profile)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """What changes between your current and target level, competency by competency."""
    from levelup.services.ladders import level_change

    env = get_env(ctx)
    change = level_change(env.ctx, current=current, target=target, ladder_id=ladder_id)
    if as_json:
        return env.json(change.to_json())
    _print_steps(env, change)


def _print_steps(env: Env, change: LevelChange) -> None:
    now, then = change.current, change.target
    env.say(f"{now.id} {now.name} -> {then.id} {then.name}: {then.summary}")
    for step in change.competencies:
        env.say(f"\n{step.competency}")
        for text in step.current:
            env.say(f"  now:  {text}")
        for text in step.new:
            env.say(f"  next: {text}")
        for text in step.signals:
            env.say(f"  show: {text}")


@ladder_app.command("mapping")
def ladder_mapping(ctx: typer.Context) -> None:
    """Print the default theme -> competency mapping, to copy and edit for `ladder import`."""
    from levelup.services.ladders import ladder_mapping

    env = get_env(ctx)
    env.stdout.write(ladder_mapping(env.ctx))


@ladder_app.command("import")
def ladder_import(
    ctx: typer.Context,
    fmt: str = typer.Argument(..., metavar="ft|monzo", help="ft: FT job family YAML; monzo: "
                              "Monzo framework Markdown with YAML front matter."),
    file: str = typer.Argument(..., help="The framework file."),
    mapping: str = typer.Option(None, "--mapping", help="YAML mapping of themes/topics to "
                                 "competencies (see `levelup ladder mapping`)."),
    ladder_id: str = typer.Option(None, "--id", help="Ladder id (default: from the file)."),
    replace: bool = typer.Option(False, "--replace", help="Allow a built-in id or the ladder "
                                 "your profile uses (the import then takes its place)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Convert a public framework into a ladder and install it in $LEVELUP_HOME/ladders."""
    from levelup.services.ladders import import_ladder

    env = get_env(ctx)
    done = import_ladder(env.ctx, fmt=fmt, file=Path(file),
                         mapping=Path(mapping) if mapping else None, ladder_id=ladder_id,
                         replace=replace)
    if as_json:
        return env.json(done.to_json())
    levels = done.ladder.levels()
    env.say(f"installed ladder '{done.ladder.id}' ({len(levels)} levels) at {done.path}")


@ladder_app.command("remove")
def ladder_remove(
    ctx: typer.Context,
    ladder_id: str = typer.Argument(..., metavar="LADDER", help="Id of an imported ladder."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Remove an imported ladder from $LEVELUP_HOME/ladders (not a built-in one, nor the one
    your profile uses)."""
    from levelup.services.ladders import remove_ladder

    env = get_env(ctx)
    done = remove_ladder(env.ctx, ladder_id=ladder_id)
    if as_json:
        return env.json(done.to_json())
    back = "; the built-in ladder of that id is back" if done.builtin_back else ""
    env.say(f"removed ladder '{done.ladder_id}' ({', '.join(map(str, done.paths))}){back}")
