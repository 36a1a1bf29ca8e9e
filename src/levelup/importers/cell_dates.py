"""Date cells that exported sheets write and text date parsers do not read.

- Excel serial numbers (``46095``, ``46095.5``): a column formatted as a number, not a date.
- Timestamps with a zone (``2026-10-07T22:30:00.000Z``): the day is the user's, not UTC's.
- Notion's "Markdown & CSV" export: ``March 3, 2026 10:00 AM (GMT+1)`` and ranges
  ``March 3, 2026 → March 7, 2026`` (a range within one day ends in a bare time).

The text of each date still goes to the shared parsers (``common.parse_day`` via
``DayFormat``); this module only turns a number into a day and cuts a cell into its dates.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from levelup.importers.common import parse_timestamp

# Day 0 of Excel's 1900 date system; starting on the 30th absorbs Excel's 1900-02-29.
EXCEL_DAY_ZERO = date(1899, 12, 30)
# Serials read as dates: 1954-10-03 to 2119-01-11; other numbers are not taken for dates.
FIRST_SERIAL, LAST_SERIAL = 20_000, 80_000
SERIAL_RANGE = (f"{FIRST_SERIAL} to {LAST_SERIAL}, "
                f"{EXCEL_DAY_ZERO + timedelta(FIRST_SERIAL)} to "
                f"{EXCEL_DAY_ZERO + timedelta(LAST_SERIAL)}")

NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
RANGE_ARROW = "→"
# A time zone after a time: (GMT+1), (GMT-5:30), (UTC), (EST), (Europe/Berlin).
ZONE = re.compile(r"\s*\((?:[A-Z]{2,5}(?:[+-]\d{1,2}(?::\d{2})?)?"
                  r"|[A-Za-z_]+(?:/[A-Za-z0-9_+-]+)+)\)\Z")
# An ISO timestamp with its zone, as Linear, GitHub and Jira APIs write them.
ZONED = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?"
                   r"\s*(?:Z|[+-]\d{2}(?::?\d{2})?)", re.I)
TIME_ONLY = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AP]M)?", re.I)


def is_number(text: str) -> bool:
    """Whether a cell holds a plain number (``46095``, ``46095.5``, ``-3``)."""
    return NUMBER.fullmatch(text.strip()) is not None


def excel_day(text: str) -> date:
    """The day of an Excel 1900-system serial (the fraction, a time of day, is dropped);
    ValueError when ``text`` is not a number from FIRST_SERIAL to LAST_SERIAL."""
    if not is_number(text):
        raise ValueError(f"not a number: {text!r}")
    serial = float(text.strip().replace(",", "."))
    if not FIRST_SERIAL <= serial < LAST_SERIAL + 1:
        raise ValueError(f"not an Excel serial date ({SERIAL_RANGE}): {text!r}")
    return EXCEL_DAY_ZERO + timedelta(days=int(serial))


def zoned_day(text: str) -> date | None:
    """The day, in this machine's time zone, of an ISO timestamp with a zone (UTC's
    ``2026-10-07T22:30:00Z`` is the 8th in Berlin); None for any other text."""
    if ZONED.fullmatch(text.strip()) is None:
        return None
    try:
        return parse_timestamp(text.strip().upper()).astimezone().date()
    except ValueError:
        return None


def range_parts(text: str) -> tuple[str, str | None]:
    """The start and end date texts of a cell (end None for a single date), without the
    time zone Notion writes after a time. An end that is only a time is the start's day,
    so it comes back as the start's text. ValueError for two arrows or an empty side."""
    sides = [_without_zone(side) for side in text.split(RANGE_ARROW)]
    if len(sides) == 1:
        return sides[0], None
    if len(sides) > 2 or not all(sides):
        raise ValueError(f"not a date or a range of two dates: {text!r}")
    start, end = sides
    return start, start if TIME_ONLY.fullmatch(end) else end


def _without_zone(text: str) -> str:
    return ZONE.sub("", text.strip()).strip()
