"""The renderer plugin interface (entry-point group ``levelup.renderers.v1``).

A renderer turns a built ``Report`` into one output format: text or bytes, plus the media type
a web page would serve it as. It never touches the database. A third-party renderer is a class
of this shape, registered in its distribution's ``pyproject.toml``::

    [project.entry-points."levelup.renderers.v1"]
    docx = "my_package.module:DocxRenderer"
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from levelup.reports.model import Report

ENTRY_POINT_GROUP = "levelup.renderers.v1"


@dataclass(frozen=True, slots=True, kw_only=True)
class RenderOptions:
    """What a rendering may use besides the report: templates, the private preview, addresses."""

    home: Path | None = None  # $LEVELUP_HOME: its templates/ win over the packaged ones
    preview: bool = False  # add the coach's private notes (text formats only)
    sender: str = ""
    to: str = ""


class Renderer:
    """Base class of every renderer; subclasses set the class attributes and ``render``."""

    name: ClassVar[str]
    media_type: ClassVar[str]
    binary: ClassVar[bool] = False  # True when ``render`` returns bytes (a file, not a page)

    def render(self, report: Report, options: RenderOptions) -> str | bytes:
        raise NotImplementedError
