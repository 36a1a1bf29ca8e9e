"""Installing an imported framework as a ladder file in the user's ladder folder, removing one,
and restoring one carried by an export."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from levelup.ladders.catalog import BUILTIN, ladders_dir, load_file, user_ladder_files
from levelup.ladders.convert import convert, default_mapping_text
from levelup.ladders.load import load_text
from levelup.ladders.model import Ladder, LadderError, ladder_from_dict

FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,120}\.ya?ml")


def _read(path: Path) -> str:
    try:
        return path.expanduser().read_text(encoding="utf-8")
    except OSError as exc:
        raise LadderError(f"{path}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise LadderError(f"{path}: not a UTF-8 text file") from None


def convert_ladder(fmt: str, source: Path, *, mapping: Path | None = None,
                   ladder_id: str | None = None) -> dict[str, Any]:
    """The ladder ``source`` converts to, in its file shape (nothing written)."""
    mapping_text = _read(mapping) if mapping else default_mapping_text()
    return convert(fmt, _read(source), mapping_text, str(source), ladder_id)


def install_ladder(data: dict[str, Any], home: Path, *, source: Path,
                   fmt: str) -> tuple[Ladder, Path]:
    """Write ``data`` to ``home/ladders/<id>.yml`` (replacing a previous one)."""
    import yaml

    folder = ladders_dir(home)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{data['id']}.yml"
    header = f"# Imported by levelup from {source.name} ({fmt}); edit freely.\n"
    target.write_text(header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
                      encoding="utf-8")
    return ladder_from_dict(data, origin=str(target)), target


def import_ladder(fmt: str, source: Path, home: Path, *, mapping: Path | None = None,
                  ladder_id: str | None = None) -> tuple[Ladder, Path]:
    """Convert ``source`` and write it to ``home/ladders/<id>.yml`` (replacing a previous one)."""
    data = convert_ladder(fmt, source, mapping=mapping, ladder_id=ladder_id)
    return install_ladder(data, home, source=source, fmt=fmt)


def imported_files(ladder_id: str, home: Path) -> list[Path]:
    """The files in the user's ladder folder that hold the ladder ``ladder_id``."""
    found = []
    for path in user_ladder_files(home):
        if path.stem == ladder_id:
            found.append(path)
            continue
        try:
            if load_file(path).id == ladder_id:
                found.append(path)
        except LadderError:
            continue
    return found


def is_builtin(ladder_id: str) -> bool:
    return ladder_id in BUILTIN


def ladder_texts(home: Path) -> list[dict[str, str]]:
    """Each imported ladder file as ``{"name", "text"}``, for an export."""
    return [{"name": path.name, "text": path.read_text(encoding="utf-8")}
            for path in user_ladder_files(home)]


def check_ladder_text(name: str, text: str) -> None:
    """Refuse a name that is not a plain ladder file name, or a text that is not a ladder."""
    if not FILE_NAME.fullmatch(name):
        raise LadderError(f"'{name[:80]}' is not a ladder file name (NAME.yml)")
    load_text(text, name)


def restore_ladder(name: str, text: str, home: Path) -> Path | None:
    """Write a ladder file carried by an export; an existing file of that name is kept (None)."""
    check_ladder_text(name, text)
    folder = ladders_dir(home)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    if target.exists():
        return None
    target.write_text(text, encoding="utf-8")
    return target
