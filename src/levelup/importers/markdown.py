"""A Markdown brag document: headings give periods or sections, bullets are entries.

    ## 2026 Q1                      <- a period: entries are dated Jan 1 to Mar 31
    ### Wins                        <- a section: the kind of the bullets below
    - Shipped the checkout cache (2026-03-14): p95 900 -> 200 ms
      - more detail                 <- nested bullets and indented lines become details

A bullet's own date (``2026-03-14``, ``March 14, 2026``, ``Mar 14``) wins over its period.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from levelup.domain.dates import MONTHS
from levelup.domain.models import Entry
from levelup.importers.base import Detected, ImportContext, Importer, Record, Skipped
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
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_YEAR = r"((?:19|20)\d{2})"
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MONTH_DAY = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+{_YEAR})?", re.I)
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH})\.?(?:\s+{_YEAR})?\b", re.I)
_QUARTER = re.compile(rf"\bQ([1-4])\s*[-/ ]?\s*{_YEAR}\b|\b{_YEAR}\s*[-/ ]?\s*Q([1-4])\b", re.I)
_HALF = re.compile(rf"\bH([12])\s*[-/ ]?\s*{_YEAR}\b|\b{_YEAR}\s*[-/ ]?\s*H([12])\b", re.I)
_MONTH_YEAR = re.compile(rf"\b({_MONTH})\.?,?\s+{_YEAR}\b|\b{_YEAR}-(\d{{2}})\b", re.I)
_YEAR_ONLY = re.compile(rf"\b{_YEAR}\b")
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
            yield from parse_brag(path, text, ctx)


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
        if heading:
            level = len(heading.group(1))
            while stack and stack[-1][0] >= level:
                stack.pop()
            above = stack[-1][1] if stack else Heading()
            stack.append((level, _heading(heading.group(2), above)))
        if (heading or bullet or not line.strip()) and current is not None:
            if not (bullet and len(bullet.group(1)) > current.indent):
                yield current
                current = None
        if heading:
            continue
        if bullet and current is None:
            context = stack[-1][1] if stack else Heading()
            current = Bullet(line=number, indent=len(bullet.group(1)), text=bullet.group(3),
                             heading=context, checked=bullet.group(2))
        elif current is not None and line.strip():
            current.details.append(bullet.group(3) if bullet else line.strip())
    if current is not None:
        yield current


def _heading(text: str, above: Heading) -> Heading:
    period = parse_period(text)
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
    day = find_day(bullet.text, period)
    if day is None and period is None:
        return Skipped(where=f"{path}:{bullet.line}",
                       reason="no date: put it under a dated heading such as '## March 2026' "
                              "or write a date in it (2026-03-14)")
    title = _INLINE_ISO.sub("", _DATE_PREFIX.sub("", bullet.text))
    title = _EMPHASIS.sub("", title).strip() or bullet.text.strip()
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
        project=bullet.heading.project,
        source_id=stable_id(key, seen[key]),
    )
    if bullet.checked is not None:
        entry.kind, entry.status = "plan", "done" if bullet.checked.lower() == "x" else "open"
    return entry
