"""The one registry of report renderers: a format is a plugin of ``levelup.renderers.v1``.

The built-in formats are listed here like datasette's default plugins, so they work in any
install; a third party's distribution adds (or replaces) a format through the entry-point group.
"""

from __future__ import annotations

from importlib.metadata import EntryPoint, entry_points

from levelup.errors import FieldError, LevelupError
from levelup.reports.renderers.base import ENTRY_POINT_GROUP, Renderer, RenderOptions

__all__ = ["BUILT_IN", "ENTRY_POINT_GROUP", "RenderOptions", "Renderer", "formats", "renderer"]

BUILT_IN: dict[str, str] = {
    "md": "levelup.reports.renderers.md:MarkdownRenderer",
    "html": "levelup.reports.renderers.html:HtmlRenderer",
    "pdf": "levelup.reports.renderers.pdf:PdfRenderer",
    "eml": "levelup.reports.renderers.eml:EmailRenderer",
}


def renderer_entry_points() -> dict[str, EntryPoint]:
    """Format name -> where its renderer lives: the built-in ones, then installed plugins."""
    points = {name: EntryPoint(name, value, ENTRY_POINT_GROUP) for name, value in BUILT_IN.items()}
    points.update({ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)})
    return points


def formats() -> tuple[str, ...]:
    """Every format a report can be rendered in, built-in ones first."""
    return tuple(renderer_entry_points())


def renderer(fmt: str) -> Renderer:
    """The renderer of ``fmt``; only that one is imported."""
    points = renderer_entry_points()
    if fmt not in points:
        raise FieldError("fmt", f"'{fmt}' is not a report format; choose from "
                         f"{', '.join(points)}")
    try:
        cls = points[fmt].load()
    except Exception as exc:  # a plugin's own bug: name it, never a traceback
        raise LevelupError(f"renderer plugin '{fmt}' ({points[fmt].value}) cannot be loaded: "
                           f"{type(exc).__name__}: {exc}") from exc
    if not (isinstance(cls, type) and issubclass(cls, Renderer)):
        raise LevelupError(f"renderer plugin '{fmt}' ({points[fmt].value}) is not a Renderer")
    return cls()
