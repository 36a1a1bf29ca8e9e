"""A Markdown brag document: headings give periods or sections, bullets are entries.

    # 2026                          <- a period: the year
    ## Q1                           <- a quarter, half or month without a year: of the year above
    ### Wins                        <- a section: the kind of the bullets below
    - Shipped the [checkout cache](https://example.com/pr/1) (2026-03-14): p95 900 -> 200 ms
      - more detail                 <- nested bullets and indented lines become details

      A paragraph indented under it, after a blank line, is details too.

    ## Week of March 2              <- seven days from the day it names, whatever the weekday
    ## 2026-W10                        ("week ending March 8": the seven to it); ISO: Mon-Sun
    ## March 3–7, 2026              <- a range: also "Mar 2 - Mar 13", "2026-03-02 → 2026-03-13",
                                       with -, –, —, → or "to"; no year: the year above

A heading that holds a day, week or range it cannot read ("Week 10", "Feb 30", "03/02/2026")
is never widened to the month or year: its bullets are skipped, naming the heading's line,
unless they carry their own day. Front matter (``---`` … ``---`` at the top) is not read, and
nor are tables: a note says how many rows were left out.

A bullet's own date (``2026-03-14``, ``March 14, 2026``, ``Mar 14``) wins over its period.
``[text](url)`` reads as its text; the URLs of a bullet and its details are its links.

A brag document is a living document: a whole import (no ``--since``/``--until``) retracts
the entries of bullets gone from it since its last whole import (a cursor per document, by
its resolved path, lists the source ids that import gave).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

from levelup.domain.dates import MONTHS
from levelup.domain.models import Entry
from levelup.importers.base import (
    Cursor,
    Detected,
    ImportContext,
    Importer,
    Note,
    Record,
    Retract,
    Skipped,
)
from levelup.importers.common import BadInput, read_text, stable_id

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
BULLET = re.compile(r"^(\s*)(?:[-*+]|\d{1,3}[.)])\s+(?:\[([ xX])\]\s+)?(.*)$")
SECTIONS = {
    "win": ("win", "accomplish", "achievement", "shipped", "delivered", "impact", "highlight"),
    "mentoring": ("mentor", "coaching", "helping others", "teaching", "onboarding"),
    "learning": ("learn", "training", "course", "upskill", "certification", "reading"),
    "incident": ("incident", "on-call", "oncall", "on call", "firefight", "outage"),
    "prevention": ("prevent", "reliability", "toil", "hardening"),
    "invisible": ("invisible", "behind the scenes", "glue", "unseen"),
    "plan": ("plan", "next", "goal", "todo", "to do", "upcoming"),
}
CURSOR_KEY = "bullets"  # per document: the source ids its last whole import gave
MAX_CURSOR_SOURCE = 500  # the width of import_state.source
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
_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(\s*<?([^()\s<>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_PROJECT = re.compile(r"^\s*project\s*[:\-–—]\s*(.+)$", re.I)
_EMPHASIS = re.compile(r"\*\*|__")
_INLINE_ISO = re.compile(r"\s*\(\d{4}-\d{2}-\d{2}\)")
_DATE_PREFIX = re.compile(r"^\s*[(\[]?\s*\d{4}-\d{2}-\d{2}\s*[)\]]?\s*[:\-–—]?\s*")
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
_TABLE_ROW = re.compile(r"^ {0,3}\|")
_TABLE_RULE = re.compile(r"^ {0,3}\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
Point = tuple[int | None, int | None, int]  # year, month, day: the end of a range


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date


@dataclass(slots=True)
class Bullet:
    line: int
    indent: int
    text: str
    heading: Heading
    checked: str | None = None
    details: list[str] = field(default_factory=list)
    gap: bool = False  # a blank line came after the last line read into it

    def takes(self, line: str, item: re.Match[str] | None) -> bool:
        """Whether a line (not a heading) belongs to this bullet: a nested bullet, a blank
        line, an indented line, or text right below it (a lazy continuation)."""
        if item is not None:
            return len(item.group(1)) > self.indent
        indent = len(line) - len(line.lstrip())
        return not line.strip() or indent > self.indent or not self.gap

    def add(self, line: str, item: re.Match[str] | None) -> None:
        if not line.strip():
            self.gap = True
            return
        if self.gap and self.details:
            self.details.append("")  # a paragraph of its own
        self.details.append(item.group(3) if item else line.strip())
        self.gap = False


@dataclass(slots=True)
class Heading:
    """What the headings above a line say: the period, the kind, the project, and the line
    and text of a heading whose date could not be read."""

    period: Period | None = None
    kind: str = "win"
    project: str | None = None
    bad_date: tuple[int, str] | None = None


@dataclass(slots=True)
class Table:
    """Table rows no bullet took: where the first is, how many (headers and rules aside)."""

    line: int = 0
    rows: int = 0
    last: int = 0  # the line of the row read last

    def add(self, number: int, line: str) -> None:
        if _TABLE_RULE.match(line):
            self.rows -= int(self.last == number - 1)  # the row above was the header
        else:
            self.line, self.rows = self.line or number, self.rows + 1
        self.last = number


class UnreadableDate(ValueError):
    """A heading holds a day, week or range this importer cannot read."""


class MarkdownImporter(Importer):
    name = "markdown"
    summary = "Import a Markdown brag document: bullets as entries under dated headings."
    inputs = "FILE"

    def read(self, inputs: list[str], ctx: ImportContext) -> Iterator[Record]:
        for path in inputs:
            text = read_text(path)
            yield Detected(format="markdown-brag")
            keys: list[str] = []
            whole = ctx.since is None and ctx.until is None
            for record in parse_brag(path, text, ctx):
                if isinstance(record, Entry) and record.source_id:
                    keys.append(record.source_id)
                whole = whole and not isinstance(record, Skipped)  # a bad bullet has no key
                yield record
            if whole:
                yield from retractions(path, keys, ctx)


def document_cursor(path: str) -> tuple[str, str]:
    """The cursor of one brag document, named by its resolved absolute path."""
    resolved = str(Path(path).expanduser().resolve())
    name = f"markdown:{resolved}"
    return (name if len(name) <= MAX_CURSOR_SOURCE else f"markdown:{stable_id(resolved)}",
            CURSOR_KEY)


def retractions(path: str, keys: list[str], ctx: ImportContext) -> Iterator[Record]:
    """Retract what the document's last whole import gave and this one does not (unless
    another brag document gave it too), then record this import's source ids."""
    cursor = document_cursor(path)
    before = set(ctx.cursors.get(cursor, "").split("\n"))
    elsewhere = {key for (source, name), value in ctx.cursors.items()
                 if name == CURSOR_KEY and source.startswith("markdown:")
                 and (source, name) != cursor for key in value.split("\n")}
    for source_id in sorted(before - set(keys) - elsewhere - {""}):
        yield Retract(source="markdown", source_id=source_id)
    ctx.cursors[cursor] = "\n".join(sorted(set(keys)))
    yield Cursor(source=cursor[0], key=cursor[1], value=ctx.cursors[cursor])


def parse_brag(path: str, text: str, ctx: ImportContext) -> Iterator[Record]:
    """Records of one brag document, in order; Skipped for bullets without a date, a Note
    for table rows."""
    seen: dict[str, int] = {}
    done = 0
    for block in _blocks(text):
        if isinstance(block, Table):
            yield _table_note(path, block)
            continue
        done += 1
        if done % 500 == 0:
            ctx.progress(done, None)
        record = _record(path, block, seen)
        if isinstance(record, Skipped) or _overlaps(record, ctx):
            yield record
    if not done and text.strip():
        raise BadInput(f"{path}:1: no bullet points found: a brag document lists work as "
                       "'- item' under headings such as '## March 2026'")


def _overlaps(entry: Entry, ctx: ImportContext) -> bool:
    end = entry.end_date or entry.date
    after_start = ctx.since is None or end >= ctx.since
    return after_start and (ctx.until is None or entry.date <= ctx.until)


def _table_note(path: str, table: Table) -> Note:
    rows = f"{table.rows} table rows were" if table.rows != 1 else "1 table row was"
    return Note(text=f"{path}:{table.line}: {rows} not read: bullets are entries "
                     "(write each as '- ...')")


def _front_matter(lines: list[str]) -> int:
    """How many lines the front matter at the top takes: from a first line ``---`` (YAML)
    or ``+++`` (TOML) to the line that closes it; 0 without one."""
    opener = lines[0].rstrip() if lines else ""
    closers = {"---": ("---", "..."), "+++": ("+++",)}.get(opener, ())
    for number, line in enumerate(lines[1:], 2):
        if closers and line.rstrip() in closers:
            return number
    return 0


def _blocks(text: str) -> Iterator[Bullet | Table]:
    """The bullets of a document, then its table rows no bullet took (if any)."""
    stack: list[tuple[int, Heading]] = []  # (heading level, context below it)
    current: Bullet | None = None
    in_fence = False
    table = Table()
    lines = text.splitlines()
    start = _front_matter(lines)
    for number, line in enumerate(lines[start:], start + 1):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        if in_fence:
            continue
        heading, bullet = HEADING.match(line), BULLET.match(line)
        if current is not None and (heading or not current.takes(line, bullet)):
            yield current
            current = None
        if heading:
            _push(stack, len(heading.group(1)), heading.group(2), number)
        elif current is not None:
            current.add(line, bullet)
        elif bullet:
            context = stack[-1][1] if stack else Heading()
            current = Bullet(line=number, indent=len(bullet.group(1)), text=bullet.group(3),
                             heading=context, checked=bullet.group(2))
        elif _TABLE_ROW.match(line):
            table.add(number, line)
    if current is not None:
        yield current
    if table.rows > 0:
        yield table


def _push(stack: list[tuple[int, Heading]], level: int, text: str, line: int) -> None:
    while stack and stack[-1][0] >= level:
        stack.pop()
    above = stack[-1][1] if stack else Heading()
    stack.append((level, _heading(text, above, line)))


def _heading(text: str, above: Heading, line: int) -> Heading:
    try:
        period = parse_period(text, above.period) or part_of_year(text, above.period)
    except UnreadableDate:
        return replace(above, kind=section_kind(text) or above.kind, bad_date=(line, text))
    if period is not None:
        return replace(above, period=period, bad_date=None)
    if project := _PROJECT.match(text):
        return replace(above, project=project.group(1).strip())
    return replace(above, kind=section_kind(text) or above.kind)


def section_kind(text: str) -> str | None:
    """The entry kind a section heading names ("Wins", "Mentoring", "On-call"), if any."""
    for kind, words in SECTIONS.items():
        if re.search(r"\b(?:" + "|".join(map(re.escape, words)) + ")", text, re.I):
            return kind
    return None


def parse_period(text: str, above: Period | None = None) -> Period | None:
    """The period a heading names: a day, week, range, month, quarter, half or year; else
    None. A day or range without a year is in the year of ``above``. Raises UnreadableDate
    for a day, week or range it cannot read, rather than widen it to a month or year."""
    if match := _ISO_WEEK.search(text):
        return _iso_week(int(match.group(1)), int(match.group(2)))
    if (days := _range(text, above)) is not None:
        return days
    if (day := find_day(text, above)) is not None:
        return _week_or_day(text, day)
    if _DAYISH.search(text) or _names_a_day(text):
        raise UnreadableDate(text)
    return _coarse_period(text)


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
    year = above.start.year
    if match := _MONTH_ALONE.match(text):
        return _months(year, MONTHS[match.group(1).lower()], 1)
    if match := _PART_ALONE.match(text):
        quarter, half = match.groups()
        if quarter:
            return _months(year, 3 * int(quarter) - 2, 3)
        return _months(year, 6 * int(half) - 5, 6)
    return None


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


def _record(path: str, bullet: Bullet, seen: dict[str, int]) -> Entry | Skipped:
    period = bullet.heading.period
    text = _LINK.sub(r"\1", bullet.text)
    day = find_day(text, period)
    if day is None and (skipped := _undated(path, bullet)) is not None:
        return skipped
    title = _INLINE_ISO.sub("", _DATE_PREFIX.sub("", text))
    title = _EMPHASIS.sub("", title).strip() or text.strip()
    if day is not None:
        start, end = day, day
    else:
        assert period is not None
        start, end = period.start, period.end
    key = f"{start.isoformat()}|{title.lower()}"
    seen[key] = seen.get(key, 0) + 1
    entry = Entry(
        title=title, date=start, end_date=end if end != start else None,
        details="\n".join(bullet.details), kind=bullet.heading.kind, source="markdown",
        project=bullet.heading.project, links=_links(bullet),
        source_id=stable_id(key, seen[key]),
    )
    if bullet.checked is not None:
        entry.kind, entry.status = "plan", "done" if bullet.checked.lower() == "x" else "open"
    return entry


def _undated(path: str, bullet: Bullet) -> Skipped | None:
    """Why a bullet without a day of its own has no date either, if it has none."""
    where = f"{path}:{bullet.line}"
    if bullet.heading.bad_date is not None:
        line, heading = bullet.heading.bad_date
        return Skipped(where=where, reason=f"its heading at {path}:{line} ({heading!r}) holds a "
                       "date this importer cannot read: write it as 'Week of 2026-03-02', "
                       "'2026-W10' or '2026-03-02 to 2026-03-13'")
    if bullet.heading.period is None:
        return Skipped(where=where,
                       reason="no date: put it under a dated heading such as '## March 2026' "
                              "or write a date in it (2026-03-14)")
    return None


def _links(bullet: Bullet) -> list[str]:
    """The URLs of the Markdown links in a bullet and its details, each once, in order."""
    urls = [m.group(2) for line in (bullet.text, *bullet.details) for m in _LINK.finditer(line)]
    return list(dict.fromkeys(urls))
