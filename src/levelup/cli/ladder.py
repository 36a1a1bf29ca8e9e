"""`levelup ladder`: the career ladders, what the next level asks, and importing frameworks."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from levelup.cli.common import JSON_OPTION, get_env

if TYPE_CHECKING:
    from levelup.cli.common import Env
    from levelup.ladders import Ladder

ladder_app = typer.Typer(help="Career ladders: levels x competencies, and what the next "
                         "level asks of you.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(ladder_app, name="ladder")


@ladder_app.command("list")
def ladder_list(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """List the built-in ladders and those in $LEVELUP_HOME/ladders."""
    from levelup.ladders import list_ladders

    env = get_env(ctx)
    ladders = list_ladders(env.settings.home)
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
    from levelup.ladders import find_ladder, ladder_to_dict

    env = get_env(ctx)
    lad = find_ladder(ladder_id, env.settings.home)
    data = ladder_to_dict(lad)
    if level:
        wanted = lad.check_level(level).id
        for track in data["tracks"]:
            track["levels"] = [lv for lv in track["levels"] if lv["id"] == wanted]
        data["tracks"] = [t for t in data["tracks"] if t["levels"]]
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


def _profile_levels(env: Env) -> tuple[str | None, str | None, str | None]:
    """(ladder, current, target) from the ledger's profile, or Nones when there is none."""
    from levelup.store.people import find_profile

    with env.read() as conn:
        profile = find_profile(conn)
    if profile is None:
        return None, None, None
    return profile.ladder, profile.level, profile.target_level


@ladder_app.command("next")
def ladder_next(
    ctx: typer.Context,
    current: str = typer.Option(None, "--current", help="Current level (default: profile)."),
    target: str = typer.Option(None, "--target", help="Target level (default: profile)."),
    ladder_id: str = typer.Option(None, "--ladder", help="Ladder id (default: profile)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """What changes between your current and target level, competency by competency."""
    from levelup.errors import LevelupError
    from levelup.ladders import find_ladder, next_level

    env = get_env(ctx)
    wanted: tuple[str | None, str | None, str | None] = (ladder_id, current, target)
    if not (current and target):
        profile = _profile_levels(env)
        wanted = (ladder_id or profile[0], current or profile[1], target or profile[2])
    if not (wanted[1] and wanted[2]):
        raise LevelupError("no profile yet: run `levelup init`, or pass --current and --target")
    lad, current, target = find_ladder(wanted[0], env.settings.home), wanted[1], wanted[2]
    steps = next_level(lad, current, target)
    if as_json:
        return env.json({"ladder": lad.id, "current": lad.check_level(current).id,
                         "target": lad.check_level(target).id,
                         "competencies": [s.to_dict() for s in steps]})
    _print_steps(env, lad, current, target, steps)


def _print_steps(env: Env, lad: Ladder, current: str, target: str, steps: list[Any]) -> None:
    now, then = lad.check_level(current), lad.check_level(target)
    env.say(f"{now.id} {now.name} -> {then.id} {then.name}: {then.summary}")
    for step in steps:
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
    from levelup.ladders.convert import default_mapping_text

    get_env(ctx).stdout.write(default_mapping_text())


@ladder_app.command("import")
def ladder_import(
    ctx: typer.Context,
    fmt: str = typer.Argument(..., metavar="ft|monzo", help="ft: FT job family YAML; monzo: "
                              "Monzo framework Markdown with YAML front matter."),
    file: str = typer.Argument(..., help="The framework file."),
    mapping: str = typer.Option(None, "--mapping", help="YAML mapping of themes/topics to "
                                 "competencies (see `levelup ladder mapping`)."),
    ladder_id: str = typer.Option(None, "--id", help="Ladder id (default: from the file)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Convert a public framework into a ladder and install it in $LEVELUP_HOME/ladders."""
    from levelup.ladders.install import import_ladder

    env = get_env(ctx)
    lad, path = import_ladder(fmt, Path(file), env.settings.home,
                              mapping=Path(mapping) if mapping else None, ladder_id=ladder_id)
    if as_json:
        return env.json({"id": lad.id, "name": lad.name, "path": str(path),
                         "levels": [lv.id for lv in lad.levels()]})
    env.say(f"installed ladder '{lad.id}' ({len(lad.levels())} levels) at {path}")
