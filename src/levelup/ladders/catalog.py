"""Where ladders come from: the built-in ones, then ``$LEVELUP_HOME/ladders/*.yml``."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from levelup.ladders.load import load_text
from levelup.ladders.model import Ladder, LadderError

DEFAULT_LADDER = "software-engineer"
BUILTIN = ("software-engineer", "engineering-manager")


def ladders_dir(home: Path) -> Path:
    """The user's ladder folder inside the levelup home."""
    return home / "ladders"


def builtin_ladder(ladder_id: str) -> Ladder:
    text = resources.files("levelup.ladders").joinpath(f"data/{ladder_id}.yml").read_text()
    return load_text(text, f"{ladder_id}.yml")


def user_ladder_files(home: Path | None) -> list[Path]:
    if home is None or not ladders_dir(home).is_dir():
        return []
    folder = ladders_dir(home)
    return sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")])


def load_file(path: Path) -> Ladder:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise LadderError(f"{path}: cannot read ({exc.strerror})") from None
    return load_text(text, str(path), origin=str(path))


def list_ladders(home: Path | None = None) -> list[Ladder]:
    """Every ladder by id; a user's file with a built-in id replaces the built-in one."""
    found = {ladder_id: builtin_ladder(ladder_id) for ladder_id in BUILTIN}
    for path in user_ladder_files(home):
        ladder = load_file(path)
        found[ladder.id] = ladder
    return list(found.values())


def find_ladder(ladder_id: str | None = None, home: Path | None = None) -> Ladder:
    """The ladder with this id (default: the software engineer ladder)."""
    wanted = (ladder_id or DEFAULT_LADDER).strip()
    files = user_ladder_files(home)
    for path in files:
        if path.stem == wanted:
            return load_file(path)
    if not files and wanted in BUILTIN:  # nothing can replace it: skip reading the others
        return builtin_ladder(wanted)
    ladders = {ladder.id: ladder for ladder in list_ladders(home)}
    if wanted not in ladders:
        raise LadderError(f"no ladder '{wanted}'; known: {', '.join(sorted(ladders))}")
    return ladders[wanted]
