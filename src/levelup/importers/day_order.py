"""Numeric dates whose day order a file must settle: 14/03/2026 or 03/14/2026.

A file (a CSV sheet, a Jira export) is read one way throughout: its dates show the order when
one has a part over 12; dotted dates (14.03.2026) are always day first; when nothing tells,
the import stops and asks for ``--date-format``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from levelup.importers.common import BadInput, parse_day

# 14.03.2026, 3/14/2026, 14-03-2026, 28/06/24 (a two-digit year, as Jira's dd/MM/yy writes
# it), with an optional time of day (Excel and Jira add one).
NUMERIC_DAY = re.compile(
    r"(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AP]M)?)?",
    re.I)


@dataclass(slots=True)
class DayFormat:
    """How one file's date cells read: ``--date-format``, else per column whether its
    numeric dates with slashes or dashes put the day first (dots always do)."""

    strptime: str | None = None
    day_first: dict[str, bool] = field(default_factory=dict)

    def parse(self, value: str, column: str) -> date:
        """The day of one cell of ``column``; ValueError if it is not one."""
        if self.strptime:
            return _strptime_day(value, self.strptime)
        match = NUMERIC_DAY.fullmatch(value)
        if match is None:
            return parse_day(value)
        day_first = True if match.group(2) == "." else self.day_first.get(column)
        if day_first is None or day_first not in _day_orders(match):
            raise ValueError(f"not a date: {value!r}")
        first, second, year = int(match.group(1)), int(match.group(3)), _year(match.group(4))
        return date(year, second, first) if day_first else date(year, first, second)


@dataclass(slots=True)
class DayOrders:
    """What numeric dates with slashes or dashes show: day first (True) or month first
    (False) -> the first (line, value) showing it; and the first (line, column, value)
    that reads either way."""

    shown: dict[bool, tuple[int, str]] = field(default_factory=dict)
    ambiguous: tuple[int, str, str] | None = None


def scan_day_orders(cells: Iterable[tuple[int, str, str]]) -> DayOrders:
    """What the (line, column, value) date cells of a file show about their day order."""
    orders = DayOrders()
    for line, column, value in cells:
        value = value.strip()
        match = NUMERIC_DAY.fullmatch(value)
        if match is None or match.group(2) == ".":
            continue
        possible = _day_orders(match)
        if len(possible) == 1:
            orders.shown.setdefault(possible[0], (line, value))
        elif possible and orders.ambiguous is None:
            orders.ambiguous = (line, column, value)
    return orders


def day_order(path: str, orders: DayOrders, scope: str,
              known: frozenset[bool] = frozenset()) -> bool | None:
    """Whether the dates of ``scope`` (e.g. ``column 'date'``) put the day first: the order
    they show, else the one order in ``known``, else None when none needs telling.

    BadInput when they show both orders, or when a date reads either way and nothing tells.
    """
    shown = orders.shown
    if len(shown) == 2:
        line = max(shown[True][0], shown[False][0])
        raise BadInput(f"{path}:{line}: {scope} has dates day first ({shown[True][1]!r}) and "
                       f"month first ({shown[False][1]!r}): pass --date-format, e.g. "
                       "--date-format %d/%m/%Y")
    order = next(iter(shown or (known if len(known) == 1 else ())), None)
    if order is None and orders.ambiguous is not None:
        line, column, value = orders.ambiguous
        sep = "-" if "-" in value else "/"
        match = NUMERIC_DAY.fullmatch(value)
        year = "%y" if match is not None and len(match.group(4)) == 2 else "%Y"
        raise BadInput(f"{path}:{line}: cannot tell whether {value!r} in column {column!r} is "
                       f"day or month first (no date in {scope} has a part over 12): pass "
                       f"--date-format %d{sep}%m{sep}{year} or --date-format "
                       f"%m{sep}%d{sep}{year}")
    return order


def _day_orders(match: re.Match[str]) -> list[bool]:
    """The orders (day first: True) under which a numeric date is a real day."""
    first, second, year = int(match.group(1)), int(match.group(3)), _year(match.group(4))
    return [day_first for day_first, month, day in ((True, second, first), (False, first, second))
            if _is_day(year, month, day)]


def _year(text: str) -> int:
    """A year of four digits, or of two read as strptime's %y reads them (69-99: 1900s)."""
    year = int(text)
    if len(text) == 2:
        return year + (1900 if year >= 69 else 2000)
    return year


def _is_day(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _strptime_day(value: str, fmt: str) -> date:
    """``value`` in the user's format; a time after the date is allowed (Excel adds one)."""
    try:
        return datetime.strptime(value, fmt).date()
    except ValueError:
        if " " not in value:
            raise
        return datetime.strptime(value.split()[0], fmt).date()
