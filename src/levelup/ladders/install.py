"""Installing an imported framework as a ladder file in the user's ladder folder."""

from __future__ import annotations

from pathlib import Path

from levelup.ladders.catalog import ladders_dir
from levelup.ladders.convert import convert, default_mapping_text
from levelup.ladders.model import Ladder, LadderError, ladder_from_dict


def _read(path: Path) -> str:
    try:
        return path.expanduser().read_text(encoding="utf-8")
    except OSError as exc:
        raise LadderError(f"{path}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise LadderError(f"{path}: not a UTF-8 text file") from None


def import_ladder(fmt: str, source: Path, home: Path, *, mapping: Path | None = None,
                  ladder_id: str | None = None) -> tuple[Ladder, Path]:
    """Convert ``source`` and write it to ``home/ladders/<id>.yml`` (replacing a previous one)."""
    import yaml

    mapping_text = _read(mapping) if mapping else default_mapping_text()
    data = convert(fmt, _read(source), mapping_text, str(source), ladder_id)
    folder = ladders_dir(home)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{data['id']}.yml"
    header = f"# Imported by levelup from {source.name} ({fmt}); edit freely.\n"
    target.write_text(header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
                      encoding="utf-8")
    return ladder_from_dict(data, origin=str(target)), target
