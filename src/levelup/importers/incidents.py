"""`levelup import incidents FILE...`: pages and incidents from on-call tools.

Reads PagerDuty's incidents CSV, PagerDuty REST JSON pages (``{"incidents": [...]}``),
Opsgenie's alert CSV export, and any CSV through ``--map field=Column``. The format of each
file is detected from its content unless ``--format`` names it. Numeric dates (03/04/2026)
are read in one day order per file, the rule of ``import csv`` and ``import jira``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from levelup.domain.models import Incident
from levelup.importers.base import (
    Detected,
    ImportContext,
    Importer,
    ImportError_,
    ImportOption,
    Record,
    Skipped,
)
from levelup.importers.common import BadInput, load_json, read_text, timezone_option
from levelup.importers.day_order import day_order, scan_day_orders
from levelup.importers.oncall import layouts
from levelup.importers.oncall.pagerduty_json import incidents_of, read_page
from levelup.importers.oncall.times import BadTime, TimeRules, UnsettledDayOrder

FORMATS = ("auto", "pagerduty-csv", "pagerduty-json", "opsgenie-csv", "csv")
PROGRESS_EVERY = 20_000
csv.field_size_limit(16 * 1024 * 1024)


def parse_mapping(values: Any) -> dict[str, str]:
    """``["title=Summary", "created=Opened,service=App"]`` as {field: column}."""
    if isinstance(values, str):
        values = [values]
    mapping: dict[str, str] = {}
    for value in values or ():
        for pair in str(value).split(","):
            name, sep, column = pair.partition("=")
            name = name.strip().lower()
            if not sep or name not in layouts.FIELDS or not column.strip():
                raise ImportError_(
                    f"--map '{pair}' is not FIELD=Column with FIELD one of "
                    f"{', '.join(layouts.FIELDS)}"
                )
            mapping[name] = column.strip()
    return mapping


class IncidentsImporter(Importer):
    name = "incidents"
    summary = (
        "Import pages and incidents: PagerDuty CSV or REST JSON, Opsgenie alert CSV, or any "
        "CSV with --map. Feeds `levelup opportunities` (Pareto of recurring problems)."
    )
    inputs = "FILE"
    options: ClassVar[tuple[ImportOption, ...]] = (
        ImportOption(
            name="format", default="auto",
            help="Input format: auto (detect), pagerduty-csv, pagerduty-json, opsgenie-csv, "
            "or csv (generic, with --map).",
        ),
        ImportOption(
            name="map", multiple=True,
            help="Column of a field, FIELD=Column (fields: id, created, resolved, service, "
            "title, urgency, assignee); repeat or separate with commas.",
        ),
        ImportOption(
            name="date_format",
            help="How numeric dates read, e.g. %d/%m/%Y (default: the day order the file's "
            "dates show; ISO and epoch times need none).",
        ),
        ImportOption(
            name="timezone",
            help="Judge pages on this zone's clock, e.g. Europe/Paris (default: this "
            "machine's zone for UTC and epoch times; other offsets keep the export's clock).",
        ),
    )

    def read(self, inputs: list[str], ctx: ImportContext) -> Iterator[Record]:
        fmt = str(ctx.options.get("format") or "auto").lower()
        if fmt not in FORMATS:
            raise ImportError_(f"unknown incident format '{fmt}'; choose from {', '.join(FORMATS)}")
        mapping = parse_mapping(ctx.options.get("map"))
        times = TimeRules(date_format=ctx.options.get("date_format") or None,
                          zone=timezone_option(ctx.options.get("timezone")))
        counter = _Counter(ctx)
        for name in inputs:
            yield from _read_file(_readable(name), fmt, mapping, _File(ctx, counter, times))


def _readable(name: str) -> Path:
    """The file called ``name``, or the reason it cannot be read (as ``read_text`` words it)."""
    path = Path(name).expanduser()
    try:
        with path.open("rb"):
            return path
    except OSError as exc:
        raise ImportError_(f"{name}:1: cannot read: {exc.strerror or exc}") from None


class _Counter:
    """Reports progress every few thousand rows across all files."""

    def __init__(self, ctx: ImportContext) -> None:
        self.ctx, self.done = ctx, 0

    def tick(self) -> None:
        self.done += 1
        if self.done % PROGRESS_EVERY == 0:
            self.ctx.progress(self.done, None)


@dataclass(slots=True)
class _File:
    """What reading one file needs: the context, the progress counter, the time rules."""

    ctx: ImportContext
    counter: _Counter
    times: TimeRules


def _read_file(path: Path, fmt: str, mapping: dict[str, str], file: _File) -> Iterator[Record]:
    if fmt == "pagerduty-json" or (fmt == "auto" and _looks_like_json(path)):
        yield from _read_json(path, file)
    else:
        yield from _read_csv(path, fmt, mapping, file)


def _looks_like_json(path: Path) -> bool:
    with path.open("rb") as handle:
        start = handle.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    return start[:1] in (b"{", b"[")


def _read_json(path: Path, file: _File) -> Iterator[Record]:
    data = load_json(str(path))
    pages = data if isinstance(data, list) else [data]
    items = [incidents_of(page) for page in pages]
    if not pages or any(found is None for found in items):
        raise ImportError_(f'{path}:1: not a PagerDuty incidents page ({{"incidents": [...]}})')
    yield Detected(format="pagerduty-json")
    times = file.times.settle(None)  # the API writes ISO 8601; no day order to settle
    seen = _Seen()
    for number, page in enumerate(items):
        where = f"{path}:page {number + 1}:incidents" if len(items) > 1 else f"{path}:incidents"
        for index, result in read_page(page or [], times):
            file.counter.tick()
            if isinstance(result, str):
                yield Skipped(where=f"{where}[{index}]", reason=result)
            elif file.ctx.in_range(result.created.date()):
                yield seen.check(result, f"{where}[{index}]")


def _read_csv(path: Path, fmt: str, mapping: dict[str, str], file: _File) -> Iterator[Record]:
    """Rows streamed from the file; a byte that is not UTF-8 stops it, naming its line."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            yield from _read_rows(path, csv.reader(handle), fmt, mapping, file)
    except UnicodeDecodeError:
        read_text(str(path))  # raises BadInput at the line of the first bad byte
        raise BadInput(f"{path}:1: not UTF-8 text") from None


def _read_rows(
    path: Path, reader: Any, fmt: str, mapping: dict[str, str], file: _File
) -> Iterator[Record]:
    headers = next(reader, None)
    if not headers:
        raise ImportError_(f"{path}:1: empty file: expected a header row")
    _check_mapping(path, headers, mapping)
    layout = _layout(path, fmt, headers, mapping)
    rows = layouts.RowReader.for_header(layout, headers, file.times)
    if rows.missing():
        raise ImportError_(
            f"{path}:1: no column for {', '.join(rows.missing())}; "
            "name it with --map, e.g. --map title=Summary"
        )
    yield Detected(format=layout.name)
    yield from _rows(path, reader, rows, file)


def _check_mapping(path: Path, headers: list[str], mapping: dict[str, str]) -> None:
    """Every ``--map`` column is in the header (a typo must not fall back to a guess)."""
    keys = {layouts.header_key(name) for name in headers}
    for name, column in mapping.items():
        if layouts.header_key(column) not in keys:
            shown = ", ".join(h.strip().lstrip("\ufeff") for h in headers[:12])
            more = ", …" if len(headers) > 12 else ""
            raise ImportError_(f"{path}:1: --map {name}={column}: no such column "
                               f"(columns: {shown}{more})")


def _rows(path: Path, reader: Any, rows: layouts.RowReader, file: _File) -> Iterator[Record]:
    line = reader.line_num + 1
    since, until = file.ctx.since, file.ctx.until
    seen = _Seen()
    for row in reader:
        file.counter.tick()
        if row:
            try:
                incident = _read_row(path, rows, row)
            except (ValueError, BadTime, IndexError) as exc:
                yield Skipped(where=f"{path}:{line}", reason=str(exc))
            else:
                day = incident.created.date()
                if (since is None or day >= since) and (until is None or day <= until):
                    yield seen.check(incident, f"{path}:{line}")
        line = reader.line_num + 1


def _read_row(path: Path, rows: layouts.RowReader, row: list[str]) -> Incident:
    """The incident of a row; the first numeric date settles the whole file's day order."""
    try:
        return rows.read(row)
    except UnsettledDayOrder:
        rows.times = rows.times.settle(_day_first(path, rows))
        return rows.read(row)


def _day_first(path: Path, rows: layouts.RowReader) -> bool | None:
    """Whether the file's dates put the day first, from all its date cells (a second pass,
    made only for files with numeric dates); BadInput when they cannot tell."""
    columns = rows.date_columns()
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        cells = ((reader.line_num, name, row[at]) for row in reader
                 for name, at in columns if at < len(row))
        return day_order(str(path), scan_day_orders(cells), "this file")


class _Seen:
    """Page keys already read from one file: a repeated one is listed, not merged silently."""

    def __init__(self) -> None:
        self.keys: set[int] = set()  # hashes: a million pages' keys in ~70 MB

    def check(self, incident: Incident, where: str) -> Incident | Skipped:
        key = hash((incident.source, incident.source_id))
        if key in self.keys:
            return Skipped(where=where, bad=False,
                           reason=f"repeats the id {incident.source_id!r} of an earlier row; "
                           "the first is kept")
        self.keys.add(key)
        return incident


def _layout(path: Path, fmt: str, headers: list[str], mapping: dict[str, str]) -> layouts.Layout:
    named = {"pagerduty-csv": layouts.PAGERDUTY_CSV, "opsgenie-csv": layouts.OPSGENIE_CSV,
             "csv": layouts.GENERIC_CSV}
    layout = named.get(fmt) or layouts.detect(headers)
    if layout is None:
        if not mapping and not _generic_fits(headers):
            raise ImportError_(
                f"{path}:1: unknown incident CSV layout (columns: {', '.join(headers[:8])}); "
                "use --map created=COL --map title=COL ..."
            )
        layout = layouts.GENERIC_CSV
    return layouts.with_mapping(layout, mapping) if mapping else layout


def _generic_fits(headers: list[str]) -> bool:
    return not layouts.RowReader.for_header(layouts.GENERIC_CSV, headers).missing()
