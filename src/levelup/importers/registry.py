"""Finding importers: every plugin of the ``levelup.importers.v1`` entry-point group.

The built-in importers are registered in levelup's own ``pyproject.toml`` like any third
party's, so ``importlib.metadata`` is the one place importers come from.
"""

from __future__ import annotations

from importlib.metadata import EntryPoint, entry_points

from levelup.errors import LevelupError
from levelup.importers.base import ENTRY_POINT_GROUP, Importer


def importer_entry_points() -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def load_importer(name: str) -> type[Importer]:
    points = importer_entry_points()
    if name not in points:
        import difflib

        near = difflib.get_close_matches(name, list(points), n=1)
        hint = (
            f"; did you mean '{near[0]}'?" if near else f"; choose from {', '.join(sorted(points))}"
        )
        raise LevelupError(f"unknown import source '{name}'{hint}")
    try:
        cls = points[name].load()
    except Exception as exc:  # a plugin's own bug: name it, never a traceback
        raise LevelupError(f"importer plugin '{name}' ({points[name].value}) cannot be loaded: "
                           f"{type(exc).__name__}: {exc}") from exc
    if not (isinstance(cls, type) and issubclass(cls, Importer)):
        raise LevelupError(f"importer plugin '{name}' ({points[name].value}) is not an Importer")
    return cls
