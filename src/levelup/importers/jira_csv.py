"""The CSV export of Jira's issue navigator ("Export > CSV (all fields / current fields)").

Jira repeats a column for multi-valued fields (``Labels``, ``Component/s``, ``Sprint``), names
custom fields ``Custom field (Story Points)``, and writes dates in the user's format, by
default ``14/Mar/26 3:42 PM``. Numeric dates (``03/04/2026``) read one way for the whole
file: the way its days over 12 show, else ``--date-format`` must say; dotted ones day first.

Epics are named by their summary, as the API import names them: an ``Epic Link`` key by the
epic's own row when the export holds it, and on Jira Cloud (whose exports give ``Parent``
and ``Parent summary`` instead) the parent of an issue that is neither a sub-task nor an
epic, which Jira's hierarchy makes an epic.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from levelup.importers.base import Skipped
from levelup.importers.common import BadInput, csv_rows
from levelup.importers.day_order import DayFormat, day_order, scan_day_orders
from levelup.importers.jira_issues import JiraIssue, points

STORY_POINTS = ("Custom field (Story Points)", "Custom field (Story point estimate)",
                "Story Points", "Story point estimate")
EPIC = ("Custom field (Epic Link)", "Epic Link")
# Columns whose dates tell the file's day order (Updated is not kept, but it tells too).
DATE_COLUMNS = ("Created", "Updated", "Resolved")
SUB_TASK = re.compile(r"sub[\s_-]?task", re.IGNORECASE)  # Sub-task, Subtask, Sub-Task

Values = dict[str, list[str]]


def is_jira_csv(text: str) -> bool:
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    return "Issue key" in first and "Summary" in first


def read_csv(path: str, text: str,
             date_format: str | None = None) -> Iterator[tuple[int, JiraIssue | Skipped]]:
    """(line, issue or Skipped) for every row of an export; BadInput when the file's day
    order cannot be told and no ``date_format`` (strptime) says it."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise BadInput(f"{path}:1: empty file: expected Jira's CSV header") from None
    if "Issue key" not in header or "Summary" not in header:
        raise BadInput(f"{path}:1: not a Jira CSV export: no 'Issue key' and 'Summary' columns")
    rows = [(line, _values(header, cells)) for line, cells in csv_rows(path, reader)]
    days = _day_format(path, rows, date_format)
    export = Export.of(values for _, values in rows)
    for line, values in rows:
        yield line, _row(path, line, values, days, export)


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
        parent_id = _first(values, "Parent", "Parent id")
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


def _row(path: str, line: int, values: Values, days: DayFormat, export: Export
         ) -> JiraIssue | Skipped:
    def one(*names: str) -> str:
        return _first(values, *names)

    key, summary = one("Issue key"), one("Summary")
    if not key or not summary:
        return Skipped(where=f"{path}:{line}", reason="row without 'Issue key' or 'Summary'")
    try:
        created = days.parse(one("Created"), "Created") if one("Created") else None
        resolved = days.parse(one("Resolved"), "Resolved") if one("Resolved") else None
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

