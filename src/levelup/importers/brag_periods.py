"""The periods the headings of a brag document name: a day, a week, a range of days, a month,
a quarter, a half or a year.

    ## Week of March 2              <- seven days from the day it names, whatever the weekday
    ## 2026-W10                        ("week ending March 8": the seven to it); ISO: Mon-Sun
    ## March 3–7, 2026              <- a range: also "Mar 2 - Mar 13", "2026-03-02 → 2026-03-13",
                                       with -, –, —, → or "to"; no year: the year above
    ## Jan–Mar 2026                 <- a range of months, quarters or halves: from the first
                                       day of the first to the last day of the last; also
                                       "Nov 2025 – Feb 2026", "Q1 to Q2 2026", "2026-01 → 2026-03"
    ## 2025–2026                    <- a range of years: both whole years
    ## Q2, ## March, ## Jan–Mar     <- without a year: of the year of the heading above

A heading that holds a day, week or range it cannot read ("Week 10", "Feb 30", "03/02/2026",
"Mar–Jan 2026", "Q1–Q5", "March 2026 – present") raises UnreadableDate rather than widen or
narrow it to a month or year. A range of months crosses New Year only with the year of each
end ("Nov 2025 – Feb 2026"): "Nov–Feb 2026" could be either winter.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from levelup.domain.dates import MONTHS

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_YEAR = r"((?:19|20)\d{2})"
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MONTH_DAY = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+{_YEAR})?", re.I)
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH})\.?(?:\s+{_YEAR})?\b", re.I)
_QUARTER = re.compile(rf"\bQ([1-4])\s*[-/ ]?\s*{_YEAR}\b|\b{_YEAR}\s*[-/ ]?\s*Q([1-4])\b", re.I)
_HALF = re.compile(rf"\bH([12])\s*[-/ ]?\s*{_YEAR}\b|\b{_YEAR}\s*[-/ ]?\s*H([12])\b", re.I)
_MONTH_YEAR = re.compile(rf"\b({_MONTH})\.?,?\s+{_YEAR}\b|\b{_YEAR}-(\d{{2}})\b", re.I)
_YEAR_ONLY = re.compile(rf"\b{_YEAR}\b")
_MONTH_ALONE = re.compile(rf"^\W*({_MONTH})\b", re.I)  # "## March", "## **sept**"
_PART_ALONE = re.compile(r"^\W*(?:Q([1-4])|H([12]))\b", re.I)  # "## Q2", "## H1 goals"
_ISO_WEEK = re.compile(r"\b(\d{4})-?W(\d{2})\b")
_ORD = r"(?:st|nd|rd|th)?"
_POINT = (rf"\d{{4}}-\d{{2}}-\d{{2}}|(?:{_MONTH})\.?\s+\d{{1,2}}{_ORD}(?:,?\s+{_YEAR})?"
          rf"|\d{{1,2}}{_ORD}(?:\s+(?:{_MONTH})\.?)?(?:,?\s+{_YEAR})?")
_TO = r"\s*(?:->|[-–—→]|\bto\b|\bthrough\b|\buntil\b)\s*"
_RANGE = re.compile(rf"(?<![\w-])(?P<first>{_POINT})\b{_TO}(?P<last>{_POINT})\b(?!-\d)", re.I)
_MONTH_WORD = re.compile(rf"\b({_MONTH})\b", re.I)
_DAY_NUMBER = re.compile(r"(?<!\d)\d{1,2}(?!\d)")
# a day or week written in a way this importer does not read: never a month or a year
_DAYISH = re.compile(r"\b\d{4}[-/]\d{1,2}[-/]\d{1,2}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b"
                     r"|\bweek\s+(?:of\s+|ending\s+)?\d", re.I)
# one end of a range of months: a month, a quarter or a half, with its year or not
_PART = (rf"(?:{_MONTH})\.?(?:,?\s+{_YEAR})?|{_YEAR}-\d{{2}}(?!-?\d)"
         rf"|[QH]\d+\b(?:\s*[-/ ]?\s*{_YEAR})?|{_YEAR}\s*[-/ ]?\s*[QH]\d+")
_MONTH_RANGE = re.compile(rf"(?<![\w-])(?P<first>{_PART}){_TO}(?P<last>{_PART})(?!\w|-\d)", re.I)
# a day at one end, a month at the other ("Jan 5 – Mar 2026"): neither a day nor a month
_DAY_END = (rf"\d{{4}}-\d{{2}}-\d{{2}}|(?:{_MONTH})\.?\s+\d{{1,2}}{_ORD}\b(?:,?\s+{_YEAR})?"
            rf"|\d{{1,2}}{_ORD}\s+(?:{_MONTH})\b\.?(?:,?\s+{_YEAR})?")
_MIXED_RANGE = re.compile(rf"(?<![\w-])(?:(?:{_DAY_END}){_TO}(?:{_PART})(?!\w|-?\d)"
                          rf"|(?:{_PART}){_TO}(?:{_DAY_END}))", re.I)
_YEARS = re.compile(rf"(?<![\w-]){_YEAR}{_TO}{_YEAR}(?![\w-])")
_OPEN_RANGE = re.compile(rf"(?<![\w-])(?:{_PART}){_TO}(?:present|now|today|ongoing)\b", re.I)
_NAMED_MONTH = re.compile(rf"({_MONTH})\.?(?:,?\s+{_YEAR})?", re.I)
_NUMBERED_MONTH = re.compile(rf"{_YEAR}-(\d{{2}})")
_YEAR_PART = re.compile(rf"([QH])(\d+)(?:\s*[-/ ]?\s*{_YEAR})?|{_YEAR}\s*[-/ ]?\s*([QH])(\d+)",
                        re.I)
Point = tuple[int | None, int | None, int]  # year, month, day: the end of a range
Part = tuple[int | None, int, int]  # year, first month, months: the end of a range of months
NO_YEAR_HINT = "put it under a year heading such as '# 2026', or write the year in it"
DAY_HINT = "write it as 'Week of 2026-03-02', '2026-W10' or '2026-03-02 to 2026-03-13'"
MONTH_HINT = ("write a range of months earliest first, with the year of each end when it "
              "crosses New Year: 'Jan–Mar 2026', 'Nov 2025 – Feb 2026', 'Q1–Q2 2026'")


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date


class UnreadableDate(ValueError):
    """A heading holds a day, week or range this importer cannot read; ``hint`` says how to
    write it instead."""

    def __init__(self, text: str, hint: str = DAY_HINT,
                 why: str = "holds a date this importer cannot read") -> None:
        super().__init__(text)
        self.hint, self.why = hint, why


def parse_period(text: str, above: Period | None = None) -> Period | None:
    """The period a heading names: a day, week, range (of days or months), month, quarter,
    half or year; else None. A day or range without a year is in the year of ``above``.
    Raises UnreadableDate for a day, week or range it cannot read, rather than widen or
    narrow it to a month or year."""
    if match := _ISO_WEEK.search(text):
        return _iso_week(int(match.group(1)), int(match.group(2)))
    if (days := _range(text, above)) is not None:
        return days
    if _MIXED_RANGE.search(text):
        raise UnreadableDate(text, MONTH_HINT)
    if (day := find_day(text, above)) is not None:
        return _week_or_day(text, day)
    if above is None and _names_a_day(text) and not _YEAR_ONLY.search(text):
        raise UnreadableDate(text, NO_YEAR_HINT, why="names a day but no year")
    if _DAYISH.search(text) or _names_a_day(text):
        raise UnreadableDate(text)
    if (months := _month_range(text, above)) is not None:
        return months
    if (years := _year_range(text)) is not None:
        return years
    return _coarse_period(text)


def _year_range(text: str) -> Period | None:
    """Whole years from one to another ("2025–2026", "2024 to 2026"); None without one."""
    if (match := _YEARS.search(text)) is None:
        return None
    first, last = int(match[1]), int(match[2])
    if last < first:
        raise UnreadableDate("a range of years that ends before it starts",
                             "write a range of years earliest first: '2025–2026'")
    return Period(date(first, 1, 1), date(last, 12, 31))


def _iso_week(year: int, week: int) -> Period:
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        raise UnreadableDate(f"{year}-W{week:02}") from None
    return Period(monday, monday + timedelta(days=6))


def _week_or_day(text: str, day: date) -> Period:
    """A day; "week of" it: seven days from it; "week ending" it: seven days to it."""
    if re.search(r"\bweek\s+ending\b", text, re.I):
        return Period(day - timedelta(days=6), day)
    return Period(day, day + timedelta(days=6 if re.search(r"\bweek\b", text, re.I) else 0))


def _names_a_day(text: str) -> bool:
    """Whether the text names a month and a day ("Feb 30", "3 March"), read or not."""
    return any(match.group(group) != "may"  # the verb, not the month
               for pattern, group in ((_MONTH_DAY, 1), (_DAY_MONTH, 2))
               for match in pattern.finditer(text))


def _range(text: str, above: Period | None) -> Period | None:
    """The days from one date to another ("March 3–7, 2026", "2026-03-02 → 2026-03-13")."""
    for match in _RANGE.finditer(text):
        first, last = _point(match["first"]), _point(match["last"])
        if first is not None and last is not None and (first[1] or last[1]):
            return _span(first, last, above)
    return None


def _point(text: str) -> Point | None:
    """Year, month and day of one end of a range; the year and month may be missing."""
    if iso := _ISO.match(text):
        return (int(iso[1]), int(iso[2]), int(iso[3]))
    month, year = _MONTH_WORD.search(text), _YEAR_ONLY.search(text)
    day = _DAY_NUMBER.search(text)
    if month is not None and month[1] == "may":
        return None  # the verb, not the month
    assert day is not None  # each end of a range has its day
    return (int(year[1]) if year else None, MONTHS[month[1].lower()] if month else None,
            int(day[0]))


def _span(first: Point, last: Point, above: Period | None) -> Period:
    """The days from ``first`` to ``last``: a missing month is the other end's ("March 3–7",
    "3–7 March"), a missing year the other end's (or of ``above``), across New Year if the
    months say so ("Dec 28 – Jan 3, 2027")."""
    (start_year, start_month, start_day), (end_year, end_month, end_day) = first, last
    start_month, end_month = start_month or end_month, end_month or start_month
    if start_month is None or end_month is None:
        raise UnreadableDate("a range without a month")
    wraps = int(end_month < start_month)
    if end_year is not None:
        start_year = end_year - wraps if start_year is None else start_year
    elif start_year is not None:
        end_year = start_year + wraps
    elif above is not None:
        start_year, end_year = above.start.year, above.start.year + wraps
    else:
        raise UnreadableDate("a range without a year")
    start = _safe_date(start_year, start_month, start_day)
    end = _safe_date(end_year, end_month, end_day)
    if start is None or end is None or end < start:
        raise UnreadableDate("not a range of days")
    return Period(start, end)


def _month_range(text: str, above: Period | None) -> Period | None:
    """From the first day of one month, quarter or half to the last day of another ("Jan–Mar
    2026", "Nov 2025 – Feb 2026", "Q1–Q2 2026"); None if the text names no such range."""
    if _OPEN_RANGE.search(text):
        raise UnreadableDate(text, MONTH_HINT)  # its end moves with every import
    for match in _MONTH_RANGE.finditer(text):
        first, last = _part(match["first"]), _part(match["last"])
        if first is not None and last is not None:
            return _month_span(first, last, above)
    return None


def _part(text: str) -> Part | None:
    """Year, first month and number of months of one end of a range of months; None for
    "may", the verb. Raises UnreadableDate for a quarter or half that does not exist."""
    if named := _NAMED_MONTH.fullmatch(text):
        year = int(named[2]) if named[2] else None
        return None if named[1] == "may" else (year, MONTHS[named[1].lower()], 1)
    if (numbered := _NUMBERED_MONTH.fullmatch(text)) and 1 <= int(numbered[2]) <= 12:
        return (int(numbered[1]), int(numbered[2]), 1)
    if (part := _YEAR_PART.fullmatch(text)) and (found := _quarter_or_half(part)) is not None:
        return found
    raise UnreadableDate(text, MONTH_HINT)


def _quarter_or_half(part: re.Match[str]) -> Part | None:
    """Year, first month and months of "Q2", "H1 2026", "2026-Q3"; None for "Q5", "H3"."""
    letter, number, year = (part[1], part[2], part[3]) if part[1] else (
        part[5], part[6], part[4])
    size = 3 if letter.upper() == "Q" else 6
    if not 1 <= int(number) <= 12 // size:
        return None
    return (int(year) if year else None, size * int(number) - size + 1, size)


def _month_span(first: Part, last: Part, above: Period | None) -> Period:
    """The months from ``first`` to ``last``: a missing year is the other end's, or of
    ``above`` when neither has one. Raises UnreadableDate when the end comes first."""
    (start_year, start_month, start_count), (end_year, end_month, end_count) = first, last

    def span(start: int, end: int) -> Period:
        head, tail = _months(start, start_month, start_count), _months(end, end_month, end_count)
        if tail.start < head.start or tail.end < head.end:
            raise UnreadableDate("a range of months that ends before it starts", MONTH_HINT)
        return Period(head.start, tail.end)

    if start_year is not None:
        return span(start_year, start_year if end_year is None else end_year)
    if end_year is not None:
        return span(end_year, end_year)
    if above is None:
        raise UnreadableDate("a range of months without a year", MONTH_HINT)
    return _within(above, lambda year: span(year, year))


def _coarse_period(text: str) -> Period | None:
    """A quarter, half, month or year the text names with its year."""
    if match := _QUARTER.search(text):
        quarter, year = (int(match.group(1)), int(match.group(2))) if match.group(1) else (
            int(match.group(4)), int(match.group(3)))
        return _months(year, 3 * quarter - 2, 3)
    if match := _HALF.search(text):
        half, year = (int(match.group(1)), int(match.group(2))) if match.group(1) else (
            int(match.group(4)), int(match.group(3)))
        return _months(year, 6 * half - 5, 6)
    if match := _MONTH_YEAR.search(text):
        if match.group(1):
            return _months(int(match.group(2)), MONTHS[match.group(1).lower()], 1)
        if 1 <= int(match.group(4)) <= 12:
            return _months(int(match.group(3)), int(match.group(4)), 1)
    if match := _YEAR_ONLY.search(text):
        return _months(int(match.group(1)), 1, 12)
    return None


def part_of_year(text: str, above: Period | None) -> Period | None:
    """A month, quarter or half a heading names without a year ("March", "Q2"), in the year
    of the period above it; None without one."""
    if above is None:
        return None
    if match := _MONTH_ALONE.match(text):
        month, count = MONTHS[match.group(1).lower()], 1
    elif match := _PART_ALONE.match(text):
        quarter, half = match.groups()
        month, count = (3 * int(quarter) - 2, 3) if quarter else (6 * int(half) - 5, 6)
    else:
        return None
    return _within(above, lambda year: _months(year, month, count))


def _within(above: Period, period_in: Callable[[int], Period]) -> Period:
    """The period of the first year of ``above`` that lies inside it ("Jan" under "Nov 2025 –
    Feb 2026" is January 2026); of the year ``above`` starts in when none does."""
    for year in range(above.start.year, above.end.year + 1):
        period = period_in(year)
        if above.start <= period.start and period.end <= above.end:
            return period
    return period_in(above.start.year)


def _months(year: int, month: int, count: int) -> Period:
    last = month + count - 1
    end = date(year + last // 12, last % 12 + 1, 1) - timedelta(days=1)
    return Period(date(year, month, 1), end)


def find_day(text: str, period: Period | None) -> date | None:
    """A day written in the text; without a year, the year of ``period``."""
    if match := _ISO.search(text):
        return _safe_date(*(int(g) for g in match.groups()))
    for pattern, month_group, day_group, year_group in (
        (_MONTH_DAY, 1, 2, 3), (_DAY_MONTH, 2, 1, 3),
    ):
        for match in pattern.finditer(text):
            if match.group(month_group) == "may":
                continue  # the verb, not the month
            year = match.group(year_group)
            if year is None and period is None:
                continue
            day = _day_in(match, month_group, day_group, year, period)
            if day is not None:
                return day
    return None


def _day_in(match: re.Match[str], month_group: int, day_group: int, year: str | None,
            period: Period | None) -> date | None:
    month, day = MONTHS[match.group(month_group).lower()], int(match.group(day_group))
    if year is not None:
        return _safe_date(int(year), month, day)
    assert period is not None
    for candidate_year in range(period.start.year, period.end.year + 1):
        found = _safe_date(candidate_year, month, day)
        if found is not None and period.start <= found <= period.end:
            return found
    return _safe_date(period.start.year, month, day)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
