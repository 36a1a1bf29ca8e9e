"""Any CSV file or JSON array of objects, with a column mapping.

``levelup import csv work.csv --map title=Summary --map date=Closed --map project=Team``.
Columns named like a mapping key (``title``, ``date``, ...) are mapped without ``--map``.
A row that cannot be read is Skipped with its file and line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from levelup.domain.metrics import MetricError, parse_metric
from levelup.domain.models import Entry, Label
from levelup.domain.vocab import COMPETENCIES, ENTRY_KINDS, OUTCOMES, UnknownValue, check
from levelup.importers.base import Detected, ImportContext, Importer, ImportOption, Record, Skipped
from levelup.importers.common import (
    BadInput,
    csv_rows,
    load_json,
    object_lines,
    parse_day,
    read_text,
    stable_id,
)

KEYS = (
    "title", "date", "end_date", "details", "kind", "project",
    "outcome", "competency", "metric", "link", "source_id",
)
# Keys that may take several columns (their values are joined or listed).
MULTI = frozenset({"details", "outcome", "competency", "metric", "link"})
LIST_SEPARATORS = (";", "|", ",")
MAX_SOURCE = 40


@dataclass(slots=True)
class Row:
    line: int
    cells: dict[str, str]


class TabularImporter(Importer):
    name = "csv"
    summary = "Import rows of a CSV file or JSON array, mapping columns to entry fields."
    inputs = "FILE"
    options = (
        ImportOption(name="map", multiple=True,
                     help="KEY=COLUMN; keys: " + ", ".join(KEYS) + ". Repeat for each key."),
        ImportOption(name="kind", default="win", help="Kind of rows without a kind column."),
        ImportOption(name="source", default="csv",
                     help="Source name stored with the entries (keeps imports apart)."),
    )

    def read(self, inputs: list[str], ctx: ImportContext) -> Iterator[Record]:
        specs = list(ctx.options.get("map") or ())
        kind = _vocab(ctx.options.get("kind") or "win", ENTRY_KINDS, "entry kind", "--kind")
        source = str(ctx.options.get("source") or "csv")
        if len(source) > MAX_SOURCE:
            raise BadInput(f"--source: at most {MAX_SOURCE} characters")
        for path in inputs:
            text = read_text(path)
            is_json = Path(path).suffix.lower() == ".json" or text.lstrip()[:1] in ("[", "{")
            yield Detected(format="json" if is_json else "csv")
            columns, rows = _json_rows(path, text) if is_json else _csv_rows(path, text)
            mapping = column_mapping(path, specs, columns)
            for done, row in enumerate(rows, 1):
                if done % 500 == 0:
                    ctx.progress(done, None)
                yield from _row_records(path, row, mapping, ctx, kind=kind, source=source)


def _vocab(value: str, allowed: tuple[str, ...], what: str, where: str) -> str:
    try:
        return check(value, allowed, what)
    except UnknownValue as exc:
        raise BadInput(f"{where}: {exc}") from None


def column_mapping(path: str, specs: list[str], columns: list[str]) -> dict[str, list[str]]:
    """Mapping key -> columns, from ``--map`` and from columns named like a key."""
    mapping: dict[str, list[str]] = {}
    for spec in specs:
        key, sep, column = spec.partition("=")
        key = key.strip().lower().replace("-", "_")
        if not sep or key not in KEYS:
            raise BadInput(f"--map {spec!r}: expected KEY=COLUMN with KEY one of {', '.join(KEYS)}")
        if column not in columns:
            raise BadInput(f"{path}:1: no column {column!r} (columns: {', '.join(columns)})")
        if key in mapping and key not in MULTI:
            raise BadInput(f"--map {spec!r}: {key} is already mapped to {mapping[key][0]!r}")
        mapping.setdefault(key, []).append(column)
    for column in columns:
        key = column.strip().lower().replace(" ", "_")
        if key in KEYS and key not in mapping:
            mapping[key] = [column]
    for needed in ("title", "date"):
        if needed not in mapping:
            raise BadInput(f"{path}:1: no column for {needed!r}: add --map {needed}=COLUMN "
                           f"(columns: {', '.join(columns) or 'none'})")
    return mapping


def _csv_rows(path: str, text: str) -> tuple[list[str], Iterator[Row]]:
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
    try:
        header = next(reader)
    except StopIteration:
        raise BadInput(f"{path}:1: empty file: expected a header row") from None
    except csv.Error as exc:
        raise BadInput(f"{path}:1: not a CSV file: {exc}") from None
    if len(set(header)) != len(header):
        dupes = sorted({c for c in header if header.count(c) > 1})
        raise BadInput(f"{path}:1: duplicate column names: {', '.join(dupes)}")
    return header, _csv_body(path, reader, header)


def _delimiter(text: str) -> str:
    """The header line's separator: comma, semicolon (European Excel) or tab."""
    header = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=header.count)


def _csv_body(path: str, reader: Any, header: list[str]) -> Iterator[Row]:
    for line, cells in csv_rows(path, reader):
        yield Row(line=line, cells=dict(zip(header, cells, strict=False)))


def _json_rows(path: str, text: str) -> tuple[list[str], Iterator[Row]]:
    data = load_json(path, text)
    depth = 1
    if isinstance(data, dict):
        lists = [value for value in data.values() if isinstance(value, list)]
        if len(lists) != 1:
            raise BadInput(f"{path}:1: expected a JSON array of objects")
        data, depth = lists[0], 2
    if not isinstance(data, list):
        raise BadInput(f"{path}:1: expected a JSON array of objects")
    lines = object_lines(text, depth=depth)
    columns: list[str] = []
    for item in data:
        if isinstance(item, dict):
            columns += [str(k) for k in item if str(k) not in columns]
    rows = (
        Row(line=lines[i] if i < len(lines) else 1,
            cells=_flat(item) if isinstance(item, dict) else {})
        for i, item in enumerate(data)
    )
    return columns, rows


def _flat(item: dict[str, Any]) -> dict[str, str]:
    def text(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, list):
            return "; ".join(text(v) for v in value)
        return str(value)

    return {str(k): text(v) for k, v in item.items()}


def _row_records(
    path: str, row: Row, mapping: dict[str, list[str]], ctx: ImportContext, *,
    kind: str, source: str,
) -> Iterator[Record]:
    if not row.cells:
        yield Skipped(where=f"{path}:{row.line}", reason="not an object")
        return
    try:
        entry = row_entry(row, mapping, kind=kind, source=source)
    except (ValueError, MetricError, UnknownValue) as exc:
        yield Skipped(where=f"{path}:{row.line}", reason=str(exc))
        return
    if ctx.in_range(entry.end_date or entry.date):
        yield entry


def row_entry(row: Row, mapping: dict[str, list[str]], *, kind: str, source: str) -> Entry:
    """The entry of one row; ValueError (or a vocabulary error) says what is wrong."""
    def one(key: str) -> str:
        return row.cells.get(mapping[key][0], "").strip() if key in mapping else ""

    def many(key: str) -> list[str]:
        return [row.cells.get(c, "").strip() for c in mapping.get(key, ())]

    title = one("title")
    if not title:
        raise ValueError(f"empty title (column {mapping['title'][0]!r})")
    day = _day(one("date"), mapping["date"][0])
    end = _day(one("end_date"), mapping["end_date"][0]) if one("end_date") else None
    entry = Entry(
        title=title, date=day, end_date=end if end != day else None, source=source,
        details="\n\n".join(v for v in many("details") if v),
        kind=check(one("kind"), ENTRY_KINDS, "entry kind") if one("kind") else kind,
        project=one("project") or None,
        outcomes=[Label(id=check(v, OUTCOMES, "outcome")) for v in _split(many("outcome"))],
        competencies=[Label(id=check(v, COMPETENCIES, "competency"))
                      for v in _split(many("competency"))],
        metrics=[parse_metric(v) for v in many("metric") if v],
        links=_split(many("link"), separators=(" ", ";", "|")),
        source_id=one("source_id") or stable_id(day.isoformat(), title),
    )
    if entry.end_date and entry.end_date < entry.date:
        raise ValueError(f"end date {entry.end_date} is before date {entry.date}")
    return entry


def _day(value: str, column: str) -> date:
    if not value:
        raise ValueError(f"empty date (column {column!r})")
    try:
        return parse_day(value)
    except ValueError:
        raise ValueError(f"not a date in column {column!r}: {value!r}") from None


def _split(values: list[str], separators: tuple[str, ...] = LIST_SEPARATORS) -> list[str]:
    """Cells that list several values (``sla; kpi``) as one list without duplicates."""
    found: list[str] = []
    for value in values:
        parts = [value]
        for sep in separators:
            parts = [p for part in parts for p in part.split(sep)]
        found += [p.strip() for p in parts if p.strip() and p.strip() not in found]
    return found
