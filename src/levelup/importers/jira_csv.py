"""The CSV export of Jira's issue navigator ("Export > CSV (all fields / current fields)").

Jira repeats a column for multi-valued fields (``Labels``, ``Component/s``, ``Sprint``), names
custom fields ``Custom field (Story Points)``, and writes dates in the user's format, by
default ``14/Mar/26 3:42 PM``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from levelup.importers.base import Skipped
from levelup.importers.common import BadInput, csv_rows, parse_day
from levelup.importers.jira_issues import JiraIssue, points

STORY_POINTS = ("Custom field (Story Points)", "Custom field (Story point estimate)",
                "Story Points", "Story point estimate")
EPIC = ("Custom field (Epic Link)", "Epic Link")


def is_jira_csv(text: str) -> bool:
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    return "Issue key" in first and "Summary" in first


def read_csv(path: str, text: str) -> Iterator[tuple[int, JiraIssue | Skipped]]:
    """(line, issue or Skipped) for every row of an export."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        raise BadInput(f"{path}:1: empty file: expected Jira's CSV header") from None
    if "Issue key" not in header or "Summary" not in header:
        raise BadInput(f"{path}:1: not a Jira CSV export: no 'Issue key' and 'Summary' columns")
    for line, cells in csv_rows(path, reader):
        yield line, _row(path, line, header, cells)


def _row(path: str, line: int, header: list[str], cells: list[str]) -> JiraIssue | Skipped:
    values: dict[str, list[str]] = {}
    for name, cell in zip(header, cells, strict=False):
        if cell.strip():
            values.setdefault(name, []).append(cell.strip())

    def one(*names: str) -> str:
        return next((values[n][0] for n in names if n in values), "")

    key, summary = one("Issue key"), one("Summary")
    if not key or not summary:
        return Skipped(where=f"{path}:{line}", reason="row without 'Issue key' or 'Summary'")
    try:
        created = parse_day(one("Created")) if one("Created") else None
        resolved = parse_day(one("Resolved")) if one("Resolved") else None
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
