"""A Markdown brag document: headings give periods or sections, bullets are entries.

    # 2026                          <- a period: the year
    ## Q1                           <- a quarter, half or month without a year: of the year above
    ### Wins                        <- a section: the kind of the bullets below
    - Shipped the [checkout cache](https://example.com/pr/1) (2026-03-14): p95 900 -> 200 ms
      - more detail                 <- nested bullets and indented lines become details

      A paragraph indented under it, after a blank line, is details too.

A bullet's own date (``2026-03-14``, ``March 14, 2026``, ``Mar 14``) wins over its period.
``[text](url)`` reads as its text; the URLs of a bullet and its details are its links.

A brag document is a living document: a whole import (no ``--since``/``--until``) retracts
the entries of bullets gone from it since its last whole import (a cursor per document, by
its resolved path, lists the source ids that import gave).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from levelup.domain.dates import MONTHS
from levelup.domain.models import Entry
from levelup.importers.base import (
    Cursor,
    Detected,
    ImportContext,
    Importer,
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
    """What the headings above a line say: the period, the kind, the project."""

    period: Period | None = None
    kind: str = "win"
    project: str | None = None


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
    """Records of one brag document, in order; Skipped for bullets without a date."""
    seen: dict[str, int] = {}
    found = False
    for done, bullet in enumerate(_bullets(text), 1):
        found = True
        if done % 500 == 0:
            ctx.progress(done, None)
        record = _record(path, bullet, seen)
        if isinstance(record, Skipped) or _overlaps(record, ctx):
            yield record
    if not found and text.strip():
        raise BadInput(f"{path}:1: no bullet points found: a brag document lists work as "
                       "'- item' under headings such as '## March 2026'")


def _overlaps(entry: Entry, ctx: ImportContext) -> bool:
    end = entry.end_date or entry.date
    after_start = ctx.since is None or end >= ctx.since
    return after_start and (ctx.until is None or entry.date <= ctx.until)


def _bullets(text: str) -> Iterator[Bullet]:
    stack: list[tuple[int, Heading]] = []  # (heading level, context below it)
    current: Bullet | None = None
    in_fence = False
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        if in_fence:
            continue
        heading, bullet = HEADING.match(line), BULLET.match(line)
        if current is not None and (heading or not current.takes(line, bullet)):
            yield current
            current = None
        if heading:
            _push(stack, len(heading.group(1)), heading.group(2))
        elif current is not None:
            current.add(line, bullet)
        elif bullet:
            context = stack[-1][1] if stack else Heading()
            current = Bullet(line=number, indent=len(bullet.group(1)), text=bullet.group(3),
                             heading=context, checked=bullet.group(2))
    if current is not None:
        yield current


def _push(stack: list[tuple[int, Heading]], level: int, text: str) -> None:
    while stack and stack[-1][0] >= level:
        stack.pop()
    above = stack[-1][1] if stack else Heading()
    stack.append((level, _heading(text, above)))


def _heading(text: str, above: Heading) -> Heading:
    period = parse_period(text) or part_of_year(text, above.period)
    if period is not None:
        return Heading(period=period, kind=above.kind, project=above.project)
    if project := _PROJECT.match(text):
        return Heading(period=above.period, kind=above.kind, project=project.group(1).strip())
    return Heading(period=above.period, kind=section_kind(text) or above.kind,
                   project=above.project)


def section_kind(text: str) -> str | None:
    """The entry kind a section heading names ("Wins", "Mentoring", "On-call"), if any."""
    for kind, words in SECTIONS.items():
        if re.search(r"\b(?:" + "|".join(map(re.escape, words)) + ")", text, re.I):
            return kind
    return None


def parse_period(text: str) -> Period | None:
    """The period a heading names: a day, week, month, quarter, half or year; else None."""
    day = find_day(text, None)
    if day is not None:
        week = "week" in text.lower()
        return Period(day, day + timedelta(days=6 if week else 0))
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
    if day is None and period is None:
        return Skipped(where=f"{path}:{bullet.line}",
                       reason="no date: put it under a dated heading such as '## March 2026' "
                              "or write a date in it (2026-03-14)")
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


def _links(bullet: Bullet) -> list[str]:
    """The URLs of the Markdown links in a bullet and its details, each once, in order."""
    urls = [m.group(2) for line in (bullet.text, *bullet.details) for m in _LINK.finditer(line)]
    return list(dict.fromkeys(urls))
