"""Any CSV file or JSON array of objects, with a column mapping.

``levelup import csv work.csv --map title=Summary --map date=Closed --map project=Team``.
Columns named like a mapping key (``title``, ``date``, ...) are mapped without ``--map``.
A row that cannot be read is Skipped with its file and line.

A row is known by its ``source_id`` column, else by its date and title (a repeat of the same
date and title in the file is numbered in file order), so re-reading a file changes nothing.
An id names one entry across all files of a ``--source`` (a re-export of the same tool
updates its rows), so files that number their own rows need a ``--source`` each. Nested
JSON objects are read by dotted path (``--map link=content.url``); mapping the object
itself is an error naming the row. A link cell gives only the URLs in it.
Dates: ISO, ``DD.MM.YYYY`` (day first), and ``D/M/YYYY`` or ``M/D/YYYY`` read one way for a
whole column: the way its days over 12 show, else ``--date-format`` must say. Also Notion's
``March 3, 2026 10:00 AM (GMT+1)`` and its ranges ``A → B`` (a range in the date column gives
the end date too), and Excel serial numbers (``46095``). A column is found by its name even
when the file adds spaces or emoji around it (Notion does).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from levelup.domain.metrics import MetricError, parse_metric
from levelup.domain.models import Entry, Label
from levelup.domain.vocab import COMPETENCIES, ENTRY_KINDS, OUTCOMES, UnknownValue, check
from levelup.importers.base import Detected, ImportContext, Importer, ImportOption, Record, Skipped
from levelup.importers.cell_dates import (
    SERIAL_RANGE,
    excel_day,
    is_number,
    range_parts,
    zoned_day,
)
from levelup.importers.common import (
    BadInput,
    csv_rows,
    item_lines,
    load_json,
    read_text,
    stable_id,
)
from levelup.importers.day_order import DayFormat, day_order, scan_day_orders

KEYS = (
    "title", "date", "end_date", "details", "kind", "project",
    "outcome", "competency", "metric", "link", "source_id",
)
# Keys that may take several columns (their values are joined or listed).
MULTI = frozenset({"details", "outcome", "competency", "metric", "link"})
DATE_KEYS = ("date", "end_date")
LIST_SEPARATORS = (";", "|", ",")
MAX_SOURCE = 40
_URL = re.compile(r"\b(?:[a-z][a-z0-9+.-]*://|www\.)[^\s<>\"|;]+", re.I)
_TRAILING = ".,:!?'\"*"


@dataclass(slots=True)
class Row:
    line: int
    cells: dict[str, str]
    # JSON: the fields that hold an object or a list of them -> which ("an object", ...)
    objects: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Sheet:
    """One file being read: its mapping, its dates, and the keys its rows got so far."""

    path: str
    mapping: dict[str, list[str]]
    days: DayFormat
    kind: str
    source: str
    repeats: Counter[tuple[date, str]] = field(default_factory=Counter)
    ids: dict[str, Row] = field(default_factory=dict)  # id column value -> first row with it


class TabularImporter(Importer):
    name = "csv"
    summary = "Import rows of a CSV file or JSON array, mapping columns to entry fields."
    inputs = "FILE"
    options = (
        ImportOption(name="map", multiple=True,
                     help="KEY=COLUMN; keys: " + ", ".join(KEYS) + ". Repeat for each key. "
                          "A row is known by its source_id column, else by its date and "
                          "title (repeats numbered in file order)."),
        ImportOption(name="kind", default="win", help="Kind of rows without a kind column."),
        ImportOption(name="source", default="csv",
                     help="Source name stored with the entries (keeps imports apart). A "
                          "source_id is one row in every file of the same source: a row of "
                          "another file with that id replaces it. Give files that number "
                          "their own rows (1, 2, 3...) a --source each."),
        ImportOption(name="date_format",
                     help="strptime format of the date columns, e.g. %d/%m/%Y; needed when "
                          "no date tells whether D/M/YYYY or M/D/YYYY is meant. Without "
                          "it: ISO, DD.MM.YYYY, 'March 3, 2026 10:00 AM (GMT+1)' (Notion). "
                          "Always: ranges 'A → B' (start and end date) and Excel serial "
                          f"numbers ({SERIAL_RANGE})."),
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
            table = list(rows)  # a misplaced header shows in the rows: say so before mapping
            mapping = column_mapping(path, specs, columns)
            days = day_format(path, table, mapping, ctx.options.get("date_format") or None)
            sheet = Sheet(path=path, mapping=mapping, days=days, kind=kind, source=source)
            for done, row in enumerate(table, 1):
                if done % 500 == 0:
                    ctx.progress(done, None)
                yield from _row_records(sheet, row, ctx)


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
        column = _named_column(path, column, columns)
        if key in mapping and key not in MULTI:
            raise BadInput(f"--map {spec!r}: {key} is already mapped to {mapping[key][0]!r}")
        mapping.setdefault(key, []).append(column)
    for column in columns:
        key = _plain_name(column).replace(" ", "_")
        if key in KEYS and key not in mapping:
            mapping[key] = [column]
    for needed in ("title", "date"):
        if needed not in mapping:
            raise BadInput(f"{path}:1: no column for {needed!r}: add --map {needed}=COLUMN "
                           f"(columns: {', '.join(columns) or 'none'})")
    return mapping


def _plain_name(column: str) -> str:
    """A column name without case, spaces or symbols around it: ``📅 Date `` -> ``date``."""
    return re.sub(r"^\W+|\W+$", "", " ".join(column.split())).casefold()


def _named_column(path: str, name: str, columns: list[str]) -> str:
    """The column ``--map`` names: that very name, else the one column of its plain name
    (Notion exports put emoji and trailing spaces in column names)."""
    plain = _plain_name(name)
    alike = [column for column in columns if plain and _plain_name(column) == plain]
    if name in columns or len(alike) == 1:
        return name if name in columns else alike[0]
    if alike:
        raise BadInput(f"{path}:1: {name!r} may be any of the columns "
                       f"{', '.join(repr(c) for c in alike)}: give the exact name")
    raise BadInput(f"{path}:1: no column {name!r} (columns: {', '.join(columns)})")


def _csv_rows(path: str, text: str) -> tuple[list[str], Iterator[Row]]:
    text = text.replace("\r\n", "\n")  # Excel's line ends, also inside quoted cells
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
    try:
        header = next(reader)
    except StopIteration:
        raise BadInput(f"{path}:1: empty file: expected a header row") from None
    except csv.Error as exc:
        raise BadInput(f"{path}:1: not a CSV file: {exc}") from None
    columns = [name for name in header if name.strip()]  # Sheets and Excel add unnamed ones
    if len(set(columns)) != len(columns):
        dupes = sorted({c for c in columns if columns.count(c) > 1})
        raise BadInput(f"{path}:1: duplicate column names: {', '.join(dupes)}")
    return columns, _csv_body(path, reader, header)


def _delimiter(text: str) -> str:
    """The header line's separator: comma, semicolon (European Excel) or tab."""
    header = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=header.count)


def _csv_body(path: str, reader: Any, header: list[str]) -> Iterator[Row]:
    """The rows under the named columns; BadInput when a value sits under an unnamed one."""
    for line, cells in csv_rows(path, reader):
        named = list(zip(header, cells, strict=False))
        if any(cell.strip() and not name.strip() for name, cell in named):
            raise BadInput(f"{path}:{line}: a value under a column with no name; "
                           "is row 1 the header?")
        yield Row(line=line, cells={name: cell for name, cell in named if name.strip()})


def _json_rows(path: str, text: str) -> tuple[list[str], Iterator[Row]]:
    data = load_json(path, text)
    key = None
    if isinstance(data, dict):
        keys = [name for name, value in data.items() if isinstance(value, list)]
        if len(keys) > 1:  # a board or workspace export, such as Trello's
            raise BadInput(f"{path}:1: expected a JSON array of objects, or an object holding "
                           f"one; this one holds {len(keys)}: {', '.join(keys[:8])}: save the "
                           "one to import as a file of its own")
        if not keys:
            raise BadInput(f"{path}:1: expected a JSON array of objects")
        key = keys[0]
        data = data[key]
    if not isinstance(data, list):
        raise BadInput(f"{path}:1: expected a JSON array of objects")
    flat = [_flat(item) if isinstance(item, dict) else Row(line=0, cells={}) for item in data]
    columns = list(dict.fromkeys(name for row in flat for name in row.cells))
    rows = (replace(row, line=line) for line, row in zip(item_lines(text, key), flat, strict=True))
    return columns, rows


def _flat(item: dict[str, Any]) -> Row:
    """A JSON object as a row: each field's text, and the fields of a nested object under
    their dotted path (``content.url``); a field holding an object has no text of its own."""
    row = Row(line=0, cells={})

    def walk(name: str, value: Any) -> None:
        if isinstance(value, dict):
            row.cells[name], row.objects[name] = "", "an object"
            for key, inner in value.items():
                walk(f"{name}.{key}", inner)
        elif isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
            row.cells[name], row.objects[name] = "", "a list of objects"
        else:
            row.cells[name] = _json_text(value)

    for key, value in item.items():
        walk(str(key), value)
    return row


def _json_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(_json_text(v) for v in value)
    return str(value)


def day_format(path: str, rows: list[Row], mapping: dict[str, list[str]],
               strptime: str | None) -> DayFormat:
    """How the file's dates read; BadInput when a column's D/M or M/D order cannot be told.

    A column's order is the one its dates with a part over 12 show; a column without such a
    date takes the order of the file's other date columns. One order holds for a column.
    """
    if strptime:
        return DayFormat(strptime=strptime)
    columns = [mapping[key][0] for key in DATE_KEYS if key in mapping]
    scans = {column: scan_day_orders(_date_texts(rows, column)) for column in columns}
    known = frozenset(order for scan in scans.values() for order in scan.shown)
    days = DayFormat()
    for column, scan in scans.items():
        order = day_order(path, scan, f"column {column!r}", known)
        if order is not None:
            days.day_first[column] = order
    return days


def _date_texts(rows: list[Row], column: str) -> Iterator[tuple[int, str, str]]:
    """(line, column, text) of each date in a column; a range has two."""
    for row in rows:
        try:
            parts = range_parts(row.cells.get(column, ""))
        except ValueError:
            continue  # its row says so when it is read
        yield from ((row.line, column, part) for part in parts if part is not None)


def _row_records(sheet: Sheet, row: Row, ctx: ImportContext) -> Iterator[Record]:
    where = f"{sheet.path}:{row.line}"
    if not row.cells:
        yield Skipped(where=where, reason="not an object")
        return
    try:
        entry = row_entry(row, sheet)
    except (ValueError, MetricError, UnknownValue) as exc:
        yield Skipped(where=where, reason=str(exc))
        return
    if ctx.in_range(entry.end_date or entry.date):
        yield entry


def row_entry(row: Row, sheet: Sheet) -> Entry:
    """The entry of one row; ValueError (or a vocabulary error) says what is wrong."""
    mapping = sheet.mapping

    def one(key: str) -> str:
        return _cell(row, mapping[key][0], key) if key in mapping else ""

    def many(key: str) -> list[str]:
        return [_cell(row, c, key) for c in mapping.get(key, ())]

    title = one("title")
    if not title:
        raise ValueError(f"empty title (column {mapping['title'][0]!r})")
    day, end = _span(one("date"), mapping["date"][0], sheet.days)
    if one("end_date"):  # the row's own end date goes before the end of a range
        start_of_end, end_of_end = _span(one("end_date"), mapping["end_date"][0], sheet.days)
        end = end_of_end or start_of_end
    entry = Entry(
        title=title, date=day, end_date=end if end != day else None, source=sheet.source,
        details="\n\n".join(v for v in many("details") if v),
        kind=check(one("kind"), ENTRY_KINDS, "entry kind") if one("kind") else sheet.kind,
        project=one("project") or None,
        outcomes=[Label(id=check(v, OUTCOMES, "outcome")) for v in _split(many("outcome"))],
        competencies=[Label(id=check(v, COMPETENCIES, "competency"))
                      for v in _split(many("competency"))],
        metrics=[parse_metric(v) for v in many("metric") if v],
        links=_urls(many("link")),
    )
    if entry.end_date and entry.end_date < entry.date:
        raise ValueError(f"end date {entry.end_date} is before date {entry.date}")
    entry.source_id = _source_id(sheet, row, one("source_id"), entry)
    return entry


def _cell(row: Row, column: str, key: str) -> str:
    """The text of a row's cell; ValueError when it holds an object (JSON), naming a field."""
    if column not in row.objects:
        return row.cells.get(column, "").strip()
    fields = [name for name in row.cells if name.startswith(f"{column}.")]
    wanted = {"link": "url", "source_id": "id"}.get(key, key)
    apt = [name for name in fields if name.rpartition(".")[2].lower() == wanted]
    hint = f": map one of its fields, e.g. --map {key}={(apt or fields)[0]}" if fields else ""
    raise ValueError(f"column {column!r} holds {row.objects[column]}, not a value{hint}")


def _source_id(sheet: Sheet, row: Row, given: str, entry: Entry) -> str:
    """The row's own id, else one from its date, title and how often they came before."""
    if given:
        first = sheet.ids.setdefault(given, row)
        if first.cells != row.cells:
            raise ValueError(f"id {given!r} is already used on line {first.line}")
        return given
    sheet.repeats[(entry.date, entry.title)] += 1
    repeat = sheet.repeats[(entry.date, entry.title)]
    day = entry.date.isoformat()
    # the first keeps the id rows always had, so ledgers imported before stay as they are
    return stable_id(day, entry.title) if repeat == 1 else stable_id(day, entry.title, repeat)


def _span(value: str, column: str, days: DayFormat) -> tuple[date, date | None]:
    """The day of a date cell, and the end day when it holds a range (``A → B``)."""
    if not value:
        raise ValueError(f"empty date (column {column!r})")
    try:
        start, end = range_parts(value)
    except ValueError:
        raise ValueError(f"not a date in column {column!r}: {value!r}") from None
    return _day(start, column, days), _day(end, column, days) if end is not None else None


def _day(value: str, column: str, days: DayFormat) -> date:
    number = is_number(value)
    try:
        if number:
            return _number_day(value, days)
        return zoned_day(value) or days.parse(value, column)
    except ValueError:
        hint = f" (a number is read as an Excel serial date: {SERIAL_RANGE})" if number else ""
        raise ValueError(f"not a date in column {column!r}: {value!r}{hint}") from None


def _number_day(value: str, days: DayFormat) -> date:
    """A number in a date column: in the user's ``--date-format`` when that reads it
    (``20260314`` for %Y%m%d), else an Excel serial. Never free text: ``2026`` is no day."""
    if days.strptime:
        try:
            return days.parse(value, "")
        except ValueError:
            pass
    return excel_day(value)


def _urls(values: list[str]) -> list[str]:
    """The URLs in link cells, each once: other words there (``see PR 12 at``) are no links."""
    found = [_trimmed(url.group(0)) for value in values for url in _URL.finditer(value)]
    return list(dict.fromkeys(found))


def _trimmed(url: str) -> str:
    """A URL without the punctuation of the sentence around it."""
    url = url.rstrip(_TRAILING)
    while url.endswith(")") and url.count(")") > url.count("("):
        url = url[:-1].rstrip(_TRAILING)
    return url


def _split(values: list[str], separators: tuple[str, ...] = LIST_SEPARATORS) -> list[str]:
    """Cells that list several values (``sla; kpi``) as one list without duplicates."""
    found: list[str] = []
    for value in values:
        parts = [value]
        for sep in separators:
            parts = [p for part in parts for p in part.split(sep)]
        found += [p.strip() for p in parts if p.strip() and p.strip() not in found]
    return found
