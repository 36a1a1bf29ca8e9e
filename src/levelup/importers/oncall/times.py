"""Timestamps of on-call exports: ISO 8601 with or without offset, epoch seconds or millis,
numeric dates such as ``03/04/2026 10:00`` read in one day order per file.

Times are stored as naive wall time on the engineer's clock, because off-hours pages are
judged by the clock the engineer was paged on: a time with an offset other than UTC keeps
the wall time it was written with (the export's zone), while a UTC time or an epoch (which
carry no zone of their own) is moved to this machine's zone; ``--timezone`` moves every time
with an offset to that zone. Naive times are taken as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, tzinfo

from levelup.importers.day_order import NUMERIC_DAY

ZERO = timedelta(0)
_TIME_OF_DAY = re.compile(r"\d{1,2}:\d{2}")


class BadTime(ValueError):
    """A value that is not a timestamp."""


class UnsettledDayOrder(Exception):
    """A numeric date was met before the file's day order was settled."""


@dataclass(frozen=True, slots=True)
class TimeRules:
    """How one file's times read and on which clock they are stored.

    ``date_format`` is ``--date-format`` (strptime); ``day_first`` is the file's day order
    once ``settled``; ``zone`` is ``--timezone`` (None: this machine's zone).
    """

    date_format: str | None = None
    day_first: bool | None = None
    settled: bool = False
    zone: tzinfo | None = None

    def settle(self, day_first: bool | None) -> TimeRules:
        """These rules with the day order the whole file showed (None: it shows none)."""
        return replace(self, day_first=day_first, settled=True)

    def parse(self, text: str) -> datetime:
        """A timestamp as written, aware when the text carried an offset (``Z`` is UTC)."""
        return parse_time(text, self)

    def pair(self, created: datetime, resolved: datetime | None
             ) -> tuple[datetime, datetime | None]:
        """Both times as naive wall time on the user's clock; ``resolved`` never before it."""
        if resolved is not None and created.tzinfo is not None and resolved.tzinfo is not None:
            resolved = resolved.astimezone(created.tzinfo)  # one clock for both ends
        naive = self.wall(created)
        if resolved is None:
            return naive, None
        resolved = self.wall(resolved)
        return naive, resolved if resolved >= naive else None

    def wall(self, value: datetime) -> datetime:
        """``value`` as naive wall time (see the module's docstring for which clock)."""
        if value.tzinfo is None:
            return value
        if self.zone is None and value.utcoffset() != ZERO:
            return value.replace(tzinfo=None)
        return value.astimezone(self.zone).replace(tzinfo=None)  # zone None: this machine's


DEFAULT_RULES = TimeRules(settled=True)  # no file to settle a day order: 03/04/2026 is refused


def parse_time(text: str, rules: TimeRules = DEFAULT_RULES) -> datetime:
    """A timestamp, aware when the text carried an offset (``Z`` counts as UTC).

    UnsettledDayOrder when a numeric date needs the file's day order and it is not settled.
    """
    value = text.strip()
    if not value:
        raise BadTime("empty timestamp")
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        pass
    if value.replace(".", "", 1).isdigit():
        number = float(value)
        seconds = number / 1000 if number > 1e11 else number  # epoch millis or seconds
        try:
            return datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            raise BadTime(f"{value[:30]} is not a time (a number too large for a date)") from None
    if rules.date_format:
        return _formatted(value, rules.date_format)
    numeric = NUMERIC_DAY.match(value)
    if numeric is not None:
        return _numeric(value, numeric, rules)
    return _loose(value)


def _formatted(value: str, fmt: str) -> datetime:
    """``value`` in the ``--date-format``; a time after the date is allowed (Excel adds one)."""
    try:
        return datetime.strptime(value, fmt)
    except ValueError:
        pass
    day, _, rest = value.partition(" ")
    try:
        return _with_time(datetime.strptime(day, fmt), rest)
    except ValueError:
        raise BadTime(f"'{value}' does not match --date-format {fmt}") from None


def _numeric(value: str, match: re.Match[str], rules: TimeRules) -> datetime:
    """A date such as 03/04/2026 (with a time) in the file's day order; dots are day first."""
    sep = match.group(2)
    day_first = True if sep == "." else rules.day_first
    if day_first is None and not rules.settled:
        raise UnsettledDayOrder
    year = "%Y" if len(match.group(4)) == 4 else "%y"
    fmt = f"%d{sep}%m{sep}{year}" if day_first else f"%m{sep}%d{sep}{year}"
    day_text = f"{match.group(1)}{sep}{match.group(3)}{sep}{match.group(4)}"
    try:
        if day_first is None:
            raise ValueError
        return _with_time(datetime.strptime(day_text, fmt), value[len(day_text):])
    except ValueError:
        raise BadTime(f"'{value}' is not a date and time") from None


def _with_time(day: datetime, rest: str) -> datetime:
    """``day`` at the time of day (and zone) written after it; ValueError if it is none."""
    rest = rest.strip()
    if not rest:
        return day
    if not _TIME_OF_DAY.match(rest):
        raise ValueError(rest)
    from dateutil import parser

    try:
        return parser.parse(rest, default=day)
    except (ValueError, OverflowError):
        raise ValueError(rest) from None


def _loose(value: str) -> datetime:
    from dateutil import parser

    try:
        return parser.parse(value)
    except (ValueError, OverflowError):
        raise BadTime(f"'{value}' is not a date and time") from None


def local_pair(created: datetime, resolved: datetime | None) -> tuple[datetime, datetime | None]:
    """Both times as naive wall time on this machine's clock (see ``TimeRules.pair``)."""
    return DEFAULT_RULES.pair(created, resolved)


def after(created: datetime, seconds_text: str, *, millis: bool = False) -> datetime | None:
    """``created`` plus a duration column (seconds, or milliseconds); None when empty."""
    value = seconds_text.strip()
    if not value:
        return None
    try:
        amount = float(value)
    except ValueError:
        raise BadTime(f"'{value}' is not a duration") from None
    return created + timedelta(seconds=amount / 1000 if millis else amount)
