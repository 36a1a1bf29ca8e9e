"""The year a whole brag document is about, for documents whose headings name no date.

Real per-year brag documents often write their year once: in the front matter's title
(``title: "2024 brag document"``), in the first heading (``# Brag doc 2024``) or in the file
name (``brag-2024.md``), with sections such as "## Projects" below. That year is the period of
every bullet no dated heading or date of its own places; ``--year`` names it outright.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import PurePath

from levelup.importers.brag_periods import Period
from levelup.importers.common import BadInput

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_TITLE = re.compile(r"^\s*title\s*[:=]\s*(.+)$", re.I)
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")


def year_option(value: str | None) -> int | None:
    """The year ``--year`` names; BadInput if it is not one."""
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}", text) or not 1900 <= int(text) <= 2999:
        raise BadInput(f"--year: {text!r} is not a year (e.g. 2024)")
    return int(text)


def document_year(path: str, lines: list[str], front: int, given: int | None) -> Period | None:
    """The whole year of the document: ``given``, else the one year its front matter's
    title, title heading or file name names (the first of these that names exactly one)."""
    year = given
    if year is None:
        title = next((m[1] for line in lines[1:max(front - 1, 0)] if (m := _TITLE.match(line))),
                     "")
        heading = _title_heading([m for line in lines[front:] if (m := _HEADING.match(line))])
        year = next((found for text in (title, heading, PurePath(path).stem)
                     if (found := _one_year(text)) is not None), None)
    return Period(start=date(year, 1, 1), end=date(year, 12, 31)) if year else None


def _title_heading(headings: list[re.Match[str]]) -> str:
    """The first heading, when it is the document's title: a top-level heading, and the only
    one naming a year (else the headings are the periods themselves)."""
    if not headings or len(headings[0][1]) != 1:
        return ""
    if any(_YEAR.search(heading[2]) for heading in headings[1:]):
        return ""
    return headings[0][2]


def _one_year(text: str) -> int | None:
    years = set(_YEAR.findall(text))
    return int(years.pop()) if len(years) == 1 else None
