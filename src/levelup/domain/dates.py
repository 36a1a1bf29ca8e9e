"""Natural dates and ranges: "yesterday", "last week", "2026-Q3", "since March", "A..B".

Pure functions; the caller passes ``today`` so results are reproducible.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
UNITS = {"day": 1, "days": 1, "week": 7, "weeks": 7}


class DateError(ValueError):
    """Text that is not a date or range this module understands."""


@dataclass(frozen=True, slots=True)
class DateRange:
    """Inclusive range; an open end is ``None``."""

    start: date | None
    end: date | None

    def contains(self, day: date) -> bool:
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


def _month_range(year: int, month: int) -> DateRange:
    first = date(year, month, 1)
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return DateRange(first, nxt - timedelta(days=1))


def _quarter_range(year: int, quarter: int) -> DateRange:
    if not 1 <= quarter <= 4:
        raise DateError(f"quarter must be 1-4, got Q{quarter}")
    first_month = 3 * (quarter - 1) + 1
    return DateRange(date(year, first_month, 1), _month_range(year, first_month + 2).end)


def _shift_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _relative(text: str, today: date) -> DateRange | None:
    """this/last/next week|month|quarter|year, today, yesterday, N days ago, last N days."""
    if text == "today":
        return DateRange(today, today)
    if text == "yesterday":
        day = today - timedelta(days=1)
        return DateRange(day, day)
    match = re.fullmatch(r"(this|last|next) (week|month|quarter|year)", text)
    if match:
        which, unit = match.groups()
        delta = {"this": 0, "last": -1, "next": 1}[which]
        if unit == "week":
            monday = today - timedelta(days=today.weekday()) + timedelta(weeks=delta)
            return DateRange(monday, monday + timedelta(days=6))
        if unit == "month":
            return _month_range(*_shift_months(today.year, today.month, delta))
        if unit == "quarter":
            year, month = _shift_months(today.year, today.month, 3 * delta)
            return _quarter_range(year, (month - 1) // 3 + 1)
        year = today.year + delta
        return DateRange(date(year, 1, 1), date(year, 12, 31))
    match = re.fullmatch(r"(\d+) (days?|weeks?|months?) ago", text)
    if match:
        day = _go_back(today, int(match.group(1)), match.group(2))
        return DateRange(day, day)
    match = re.fullmatch(r"(?:last|past) (\d+) (days?|weeks?|months?)", text)
    if match:
        return DateRange(_go_back(today, int(match.group(1)), match.group(2)), today)
    return None


def _go_back(today: date, count: int, unit: str) -> date:
    if unit.startswith("month"):
        year, month = _shift_months(today.year, today.month, -count)
        return date(year, month, min(today.day, _month_range(year, month).end.day))  # type: ignore[union-attr]
    return today - timedelta(days=count * UNITS[unit])


def _weekday(text: str, today: date) -> DateRange | None:
    match = re.fullmatch(
        r"(last )?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)", text
    )
    if not match:
        return None
    target = WEEKDAYS.index(match.group(2))
    back = (today.weekday() - target) % 7
    if match.group(1) and back == 0:
        back = 7
    day = today - timedelta(days=back)
    return DateRange(day, day)


def _absolute(text: str, today: date) -> DateRange | None:
    """ISO day, month (2026-03), year, quarter (2026-Q3, Q3 2026, Q3), month names."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            day = date.fromisoformat(text)
        except ValueError as exc:
            raise DateError(f"'{text}' is not a real date ({exc})") from None
        return DateRange(day, day)
    match = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if match:
        month = int(match.group(2))
        if not 1 <= month <= 12:
            raise DateError(f"'{text}' has no month {month}")
        return _month_range(int(match.group(1)), month)
    if re.fullmatch(r"\d{4}", text):
        year = int(text)
        return DateRange(date(year, 1, 1), date(year, 12, 31))
    match = re.fullmatch(r"(?:(\d{4})[- ]?q(\d)|q(\d)(?: (\d{4}))?)", text)
    if match:
        year = int(match.group(1) or match.group(4) or today.year)
        return _quarter_range(year, int(match.group(2) or match.group(3)))
    match = re.fullmatch(r"([a-z]+)(?: (\d{4}))?", text)
    if match and match.group(1) in MONTHS:
        month = MONTHS[match.group(1)]
        year = int(match.group(2)) if match.group(2) else today.year
        if not match.group(2) and month > today.month:
            year -= 1  # "March" in November means the March just past
        return _month_range(year, month)
    return None


def parse_range(text: str, today: date) -> DateRange:
    """Parse a natural period into an inclusive DateRange.

    Accepts "A..B" (either side may be empty), "since X" and "until X" as well as every
    single period that ``parse_period`` knows.
    """
    norm = " ".join(text.strip().lower().split())
    if ".." in norm:
        left, right = (part.strip() for part in norm.split("..", 1))
        start = parse_range(left, today).start if left else None
        end = parse_range(right, today).end if right else None
        if start and end and start > end:
            raise DateError(f"range '{text}' ends before it starts")
        return DateRange(start, end)
    if norm.startswith("since "):
        return DateRange(parse_range(norm[6:], today).start, None)
    if norm.startswith("until "):
        return DateRange(None, parse_range(norm[6:], today).end)
    for parser in (_relative, _weekday, _absolute):
        found = parser(norm, today)
        if found is not None:
            return found
    raise DateError(
        f"cannot read '{text}' as a date or period "
        "(try 2026-03-14, yesterday, last week, this quarter, 2026-Q3, since March, A..B)"
    )


def parse_day(text: str, today: date) -> date:
    """Parse one day: ISO, today, yesterday, a weekday, "3 days ago"."""
    found = parse_range(text, today)
    if found.start is None or found.start != found.end:
        raise DateError(f"'{text}' is a period, not a single day")
    return found.start


def window(since: str | None, until: str | None, today: date) -> DateRange:
    """The range from ``since`` to ``until`` (either may be absent)."""
    start = parse_range(since, today).start if since else None
    end = None
    if until:
        end = parse_range(until, today).end
    elif since and ".." in since:
        end = parse_range(since, today).end
    if start and end and start > end:
        raise DateError(f"since {since} is after until {until}")
    return DateRange(start, end)
