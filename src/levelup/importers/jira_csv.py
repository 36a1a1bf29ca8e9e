"""The CSV export of Jira's issue navigator ("Export > CSV (all fields / current fields)").

Jira repeats a column for multi-valued fields (``Labels``, ``Component/s``, ``Sprint``), names
custom fields ``Custom field (Story Points)``, and writes dates in the user's format, by
default ``14/Mar/26 3:42 PM``. Numeric dates (``03/04/2026``) read one way for the whole
file: the way its days over 12 show, else ``--date-format`` must say; dotted ones day first.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from levelup.importers.base import Skipped
from levelup.importers.common import BadInput, csv_rows
from levelup.importers.day_order import DayFormat, day_order, scan_day_orders
from levelup.importers.jira_issues import JiraIssue, points

STORY_POINTS = ("Custom field (Story Points)", "Custom field (Story point estimate)",
                "Story Points", "Story point estimate")
EPIC = ("Custom field (Epic Link)", "Epic Link")
# Columns whose dates tell the file's day order (Updated is not kept, but it tells too).
DATE_COLUMNS = ("Created", "Updated", "Resolved")


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
    for line, values in rows:
        yield line, _row(path, line, values, days)


def _values(header: list[str], cells: list[str]) -> dict[str, list[str]]:
    """Column name -> the row's non-empty cells under it (Jira repeats multi-valued ones)."""
    values: dict[str, list[str]] = {}
    for name, cell in zip(header, cells, strict=False):
        if cell.strip():
            values.setdefault(name, []).append(cell.strip())
    return values


def _day_format(path: str, rows: list[tuple[int, dict[str, list[str]]]],
                strptime: str | None) -> DayFormat:
    """``--date-format``, else one day order for the whole export, from its dates."""
    if strptime:
        return DayFormat(strptime=strptime)
    cells = ((line, name, values[name][0]) for line, values in rows
             for name in DATE_COLUMNS if name in values)
    order = day_order(path, scan_day_orders(cells), "this file")
    return DayFormat() if order is None else DayFormat(day_first=dict.fromkeys(DATE_COLUMNS,
                                                                                 order))


def _row(path: str, line: int, values: dict[str, list[str]], days: DayFormat
         ) -> JiraIssue | Skipped:
    def one(*names: str) -> str:
        return next((values[n][0] for n in names if n in values), "")

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
    return JiraIssue(
        key=key, summary=summary, issue_type=one("Issue Type"), status=one("Status"),
        priority=one("Priority"), resolution=one("Resolution"), created=created,
        resolved=resolved, story_points=points(one(*STORY_POINTS)), epic=one(*EPIC),
        parent=_parent(one("Parent summary"), one("Parent", "Parent id")),
        project=one("Project name", "Project key"), description=one("Description"),
        labels=values.get("Labels", []),
        components=values.get("Component/s", []) or values.get("Components", []),
    )


def _parent(summary: str, parent: str) -> str:
    """The parent issue (an epic, or a sub-task's story) by name; newer exports give its
    numeric id in ``Parent`` and its name in ``Parent summary``. A bare id says nothing."""
    if summary:
        return summary
    return "" if parent.isdigit() else parent
