"""The CSV export of Jira's issue navigator ("Export > CSV (all fields / current fields)").

Jira repeats a column for multi-valued fields (``Labels``, ``Component/s``, ``Sprint``), names
custom fields ``Custom field (Story Points)``, and writes dates in the user's format, by
default ``14/Mar/26 3:42 PM``. Numeric dates (``03/04/2026``) read one way for the whole
file: the way its days over 12 show, else ``--date-format`` must say; dotted ones day first.

Epics are named by their summary, as the API import names them: an ``Epic Link`` key by the
epic's own row when the export holds it, and on Jira Cloud (whose exports give ``Parent``
and ``Parent summary`` instead) the parent of an issue that is neither a sub-task nor an
epic, which Jira's hierarchy makes an epic.

An export in another language (German, French, Spanish, Brazilian Portuguese) is read through
``jira_columns``: its header names become the English ones and its months English months. A
file saved again by a spreadsheet may separate its cells with ";" or a tab instead of ",".
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from levelup.importers.base import Skipped
from levelup.importers.common import BadInput, csv_rows
from levelup.importers.day_order import DayFormat, day_order, scan_day_orders
from levelup.importers.jira_columns import PARENT_KEY, Language, language_of
from levelup.importers.jira_issues import JiraIssue, points

STORY_POINTS = ("Custom field (Story Points)", "Custom field (Story point estimate)",
                "Story Points", "Story point estimate")
EPIC = ("Custom field (Epic Link)", "Epic Link")
PARENT = ("Parent", "Parent id", PARENT_KEY)
# Columns whose dates tell the file's day order (Updated is not kept, but it tells too).
DATE_COLUMNS = ("Created", "Updated", "Resolved")
SUB_TASK = re.compile(r"sub[\s_-]?task", re.IGNORECASE)  # Sub-task, Subtask, Sub-Task
DELIMITERS = (",", ";", "\t")  # Jira writes ","; spreadsheets save again with the others

# Jira Server/Data Center can allow text fields far over csv's 128 KB default (long pasted
# logs): cells up to this size are read, as the incidents importer reads them.
FIELD_LIMIT = 16 * 1024 * 1024

Values = dict[str, list[str]]
Header = tuple[Iterator[list[str]], list[str], Language | None]


def is_jira_csv(text: str) -> bool:
    """Whether the text starts with the header of a Jira export, in a language levelup reads."""
    return _header(text)[2] is not None


def read_csv(path: str, text: str,
             date_format: str | None = None) -> Iterator[tuple[int, JiraIssue | Skipped]]:
    """(line, issue or Skipped) for every row of an export; BadInput when the file's day
    order cannot be told and no ``date_format`` (strptime) says it."""
    reader, header, language = checked_header(path, text)
    english = [language.english(name) for name in header]
    rows = [(line, _values(english, cells)) for line, cells in csv_rows(path, reader)]
    dates = _Dates(_day_format(path, rows, date_format), language)
    export = Export.of(values for _, values in rows)
    for line, values in rows:
        yield line, _row(path, line, values, dates, export)


def checked_header(path: str, text: str) -> tuple[Iterator[list[str]], list[str], Language]:
    """(the reader past the header row, the header, its language); BadInput naming the
    header when the text is not a Jira export levelup reads."""
    reader, header, language = _header(text)
    if not header:
        raise BadInput(f"{path}:1: empty file: expected Jira's CSV header")
    if language is None:
        raise BadInput(f"{path}:1: not a Jira CSV export: no 'Issue key' and 'Summary' columns "
                       f"in a language levelup reads; the header is: {_shown(header)}")
    return reader, header, language


def _header(text: str) -> Header:
    """The header read with the first delimiter that makes it one levelup reads, else ","."""
    csv.field_size_limit(max(csv.field_size_limit(), FIELD_LIMIT))  # process-wide: never lower
    readings = [_read_header(text, delimiter) for delimiter in DELIMITERS]
    return next((reading for reading in readings if reading[2] is not None), readings[0])


def _read_header(text: str, delimiter: str) -> Header:
    """(the reader past the header row, the header, the header's language) with a delimiter."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=delimiter)
    try:
        header = next(reader, [])
    except csv.Error:
        header = []
    return reader, header, language_of(header)


def _shown(header: list[str], limit: int = 6) -> str:
    """The first names of a header, for an error message."""
    names = ", ".join(name.strip() for name in header[:limit])
    return names + (", …" if len(header) > limit else "")


@dataclass(frozen=True, slots=True)
class Export:
    """What the rows of one export say about each other: summaries by key and by id, and
    issue types by id, to name an epic or a parent that is itself in the export."""

    by_key: dict[str, str]
    by_id: dict[str, tuple[str, str]]  # issue id -> (issue type, summary)

    @classmethod
    def of(cls, rows: Iterable[Values]) -> Export:
        by_key: dict[str, str] = {}
        by_id: dict[str, tuple[str, str]] = {}
        for values in rows:
            summary = _first(values, "Summary")
            if _first(values, "Issue key"):
                by_key[_first(values, "Issue key")] = summary
            if _first(values, "Issue id"):
                by_id[_first(values, "Issue id")] = (_first(values, "Issue Type"), summary)
        return cls(by_key, by_id)

    def epic_and_parent(self, values: Values) -> tuple[str, str]:
        """(epic, parent), each by name where the export can tell it."""
        link = _first(values, *EPIC)
        parent_id = _first(values, *PARENT)
        parent = (_first(values, "Parent summary") or self.by_id.get(parent_id, ("", ""))[1]
                  or self.by_key.get(parent_id, "" if parent_id.isdigit() else parent_id))
        if link:
            return self.by_key.get(link) or link, parent
        if parent and self._parent_is_epic(parent_id, _first(values, "Issue Type")):
            return parent, ""
        return "", parent

    def _parent_is_epic(self, parent_id: str, issue_type: str) -> bool:
        """The parent's own type when its row is here; else what Jira's hierarchy allows:
        a sub-task's parent is a story or task, an epic's is above it, anyone else's an epic."""
        if parent_id in self.by_id:
            return self.by_id[parent_id][0].strip().lower() == "epic"
        kind = issue_type.strip().lower()
        return bool(kind) and kind != "epic" and not SUB_TASK.search(kind)


def _first(values: Values, *names: str) -> str:
    return next((values[name][0] for name in names if name in values), "")


def _values(header: list[str], cells: list[str]) -> Values:
    """Column name -> the row's non-empty cells under it (Jira repeats multi-valued ones)."""
    values: Values = {}
    for name, cell in zip(header, cells, strict=False):
        if cell.strip():
            values.setdefault(name, []).append(cell.strip())
    return values


def _day_format(path: str, rows: list[tuple[int, Values]],
                strptime: str | None) -> DayFormat:
    """``--date-format``, else one day order for the whole export, from its dates."""
    if strptime:
        return DayFormat(strptime=strptime)
    cells = ((line, name, values[name][0]) for line, values in rows
             for name in DATE_COLUMNS if name in values)
    order = day_order(path, scan_day_orders(cells), "this file")
    return DayFormat() if order is None else DayFormat(day_first=dict.fromkeys(DATE_COLUMNS,
                                                                                 order))


@dataclass(frozen=True, slots=True)
class _Dates:
    """How the date cells of one export read: its day order and its language's months."""

    days: DayFormat
    language: Language

    def day(self, values: Values, column: str) -> date | None:
        """The day in the row's ``column``, None if empty; ValueError naming the cell as the
        export wrote it when it is not a day."""
        text = _first(values, column)
        if not text:
            return None
        english = self.language.english_date(text)
        try:
            return self.days.parse(english, column)
        except ValueError:
            if english == text:
                raise
            raise ValueError(f"not a date: {text!r}") from None


def _row(path: str, line: int, values: Values, dates: _Dates, export: Export
         ) -> JiraIssue | Skipped:
    def one(*names: str) -> str:
        return _first(values, *names)

    key, summary = one("Issue key"), one("Summary")
    if not key or not summary:
        return Skipped(where=f"{path}:{line}", reason="row without 'Issue key' or 'Summary'")
    try:
        created, resolved = dates.day(values, "Created"), dates.day(values, "Resolved")
    except ValueError as exc:
        return Skipped(where=f"{path}:{line}", reason=f"{key}: {exc}")
    if created is None and resolved is None:
        return Skipped(where=f"{path}:{line}", reason=f"{key}: no 'Created' or 'Resolved' date")
    epic, parent = export.epic_and_parent(values)
    return JiraIssue(
        key=key, summary=summary, issue_type=one("Issue Type"), status=one("Status"),
        priority=one("Priority"), resolution=one("Resolution"), created=created,
        resolved=resolved, story_points=points(one(*STORY_POINTS)), epic=epic, parent=parent,
        project=one("Project name", "Project key"), description=one("Description"),
        labels=values.get("Labels", []),
        components=values.get("Component/s", []) or values.get("Components", []),
    )

