"""The files of the levelup home that an export carries beside the ledger: imported ladders
(``HOME/ladders``) and the user's report template overrides (``HOME/templates``).

Both are optional sections of the version 1 export, ``{"name", "text"}`` per file, so a
document without them reads as before. A restore writes only files that are not there yet.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from levelup.errors import LevelupError

_TEMPLATE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,120}\.j2")


def export_home_files(home: Path | None) -> dict[str, Any]:
    """The ``ladders`` and ``templates`` sections for an export of this home."""
    from levelup.ladders.install import ladder_texts
    from levelup.reports.render import user_templates

    if home is None:
        return {}
    folder = user_templates(home)
    templates = sorted(folder.glob("*.j2")) if folder and folder.is_dir() else []
    return {"ladders": ladder_texts(home),
            "templates": [{"name": p.name, "text": p.read_text(encoding="utf-8")}
                          for p in templates if p.is_file()]}


@dataclass(frozen=True, slots=True)
class HomeFile:
    kind: str  # ladders or templates
    name: str
    text: str


def read_home_files(doc: dict[str, Any], *, path: str) -> list[HomeFile]:
    """The files the document carries, each checked (a plain file name; a ladder that loads)."""
    from levelup.ladders.install import check_ladder_text

    found = []
    for kind in ("ladders", "templates"):
        items = doc.get(kind) or []
        if not isinstance(items, list):
            raise LevelupError(f"{path}: {kind}: expected a list")
        for i, item in enumerate(items):
            where = f"{path}: {kind}[{i}]"
            if not (isinstance(item, dict) and isinstance(item.get("name"), str)
                    and isinstance(item.get("text"), str)):
                raise LevelupError(f"{where}: expected {{\"name\": ..., \"text\": ...}}")
            name, text = item["name"], item["text"]
            if kind == "ladders":
                try:
                    check_ladder_text(name, text)
                except LevelupError as exc:
                    raise LevelupError(f"{where}: {exc.message}") from None
            elif not _TEMPLATE_NAME.fullmatch(name):
                raise LevelupError(f"{where}: '{name[:80]}' is not a template file name")
            found.append(HomeFile(kind=kind, name=name, text=text))
    return found


def restore_home_files(files: list[HomeFile], home: Path | None) -> tuple[Counter[str], list[Path]]:
    """Write the files not already in ``home``; how many of each kind, and the paths written."""
    from levelup.ladders.install import restore_ladder
    from levelup.reports.render import user_templates

    added: Counter[str] = Counter()
    written: list[Path] = []
    if home is None:
        return added, written
    try:
        for item in files:
            if item.kind == "ladders":
                target = restore_ladder(item.name, item.text, home)
            else:
                target = _restore_template(item, user_templates(home) or home / "templates")
            if target is not None:
                written.append(target)
                added[item.kind] += 1
    except OSError as exc:
        undo(written)
        raise LevelupError(f"{home}: cannot restore {item.kind} '{item.name}' "
                           f"({exc.strerror})") from None
    return added, written


def _restore_template(item: HomeFile, folder: Path) -> Path | None:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / item.name
    if target.exists():
        return None
    target.write_text(item.text, encoding="utf-8")
    return target


def undo(written: list[Path]) -> None:
    """Remove the files a restore wrote (the ledger's merge failed)."""
    for path in written:
        path.unlink(missing_ok=True)
