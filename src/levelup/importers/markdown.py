"""A Markdown brag document: headings give periods or sections, bullets are entries.

    # 2026                          <- a period: the year
    ## Q1                           <- a quarter, half or month without a year: of the year above
    ### Wins                        <- a section: the kind of the bullets below
    - Shipped the [checkout cache](https://example.com/pr/1) (2026-03-14): p95 900 -> 200 ms
      - more detail                 <- nested bullets and indented lines become details

      A paragraph indented under it, after a blank line, is details too.

    ## Week of March 2              <- also a week, a range of days or of months
                                       ("Jan–Mar 2026", "Q1–Q2 2026"): ``brag_periods``

A heading that holds a day, week or range it cannot read ("Week 10", "Feb 30", "03/02/2026",
"Mar–Jan 2026") is never widened or narrowed to a month or year: its bullets are skipped,
naming the heading's line, unless they carry their own day. A document whose headings name
no date (sections only) is of the year its front matter's title, first heading or file name
names, or ``--year`` (``brag_year``). Front matter (``---`` … ``---`` at the top) is otherwise
not read, and nor are tables: a note says how many rows were left out.

A bullet's own date (``2026-03-14``, ``March 14, 2026``, ``Mar 14``) or period in brackets
with its year (``(Aug–Dec 2024)``) wins over its heading's period.
``[text](url)`` reads as its text; the URLs of a bullet and its details (inline, ``<url>``,
bare, or reference links: ``[text][label]`` with ``[label]: url`` below) are its links; code
spans stay as written (``brag_links``). Bullets may be ``-``, ``*``, ``+``, ``1.`` or, as
pasted from Google Docs, Word or Slack, ``•``, ``●`` or ``–``.

A brag document is a living document: a whole import (no ``--since``/``--until``) retracts
the entries of bullets gone from it since its last whole import (a cursor per document, by
its resolved path, lists the source ids that import gave; a moved or renamed document is
recognised by its bullets, see ``brag_cursors``). An import that skipped a bullet removes
nothing, since the skipped bullet may be one of those gone, and a note says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from levelup.domain.models import Entry
from levelup.importers.base import (
    Detected,
    ImportContext,
    Importer,
    ImportOption,
    Note,
    Record,
    Skipped,
)
from levelup.importers.brag_cursors import retractions, withheld
from levelup.importers.brag_links import inline_references, outside_code, plain_links, urls_in
from levelup.importers.brag_periods import (
    Period,
    UnreadableDate,
    find_day,
    parse_period,
    part_of_year,
)
from levelup.importers.brag_year import document_year, year_option
from levelup.importers.common import BadInput, read_text, stable_id

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
# "•", "●", "–" and the like: bullets pasted from Google Docs, Word, Notion or Slack.
BULLET = re.compile(
    r"^(\s*)(?:(?:[-*+–]|\d{1,3}[.)])\s+|[•●○◦▪■‣⁃]\s*(?=\S))(?:\[([ xX])\]\s+)?(.*)$")
SECTIONS = {
    "win": ("win", "accomplish", "achievement", "shipped", "delivered", "impact", "highlight"),
    "mentoring": ("mentor", "coaching", "helping others", "teaching", "onboarding"),
    "learning": ("learn", "training", "course", "upskill", "certification", "reading"),
    "incident": ("incident", "on-call", "oncall", "on call", "firefight", "outage"),
    "prevention": ("prevent", "reliability", "toil", "hardening"),
    "invisible": ("invisible", "behind the scenes", "glue", "unseen"),
    "plan": ("plan", "next", "goal", "todo", "to do", "upcoming"),
}
_PROJECT = re.compile(r"^\s*project\s*[:\-–—]\s*(.+)$", re.I)
_EMPHASIS = re.compile(r"\*\*|__")
_INLINE_ISO = re.compile(r"\s*\(\d{4}-\d{2}-\d{2}\)")
_DATE_PREFIX = re.compile(r"^\s*[(\[]?\s*\d{4}-\d{2}-\d{2}\s*[)\]]?\s*[:\-–—]?\s*")
_PARENS = re.compile(r"\(([^()]{4,40})\)")
_YEAR_IN = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_TABLE_ROW = re.compile(r"^ {0,3}\|")
_TABLE_RULE = re.compile(r"^ {0,3}\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")


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
    """What the headings above a line say: the period, the kind, the project, and the line,
    text and hint (how to write it) of a heading whose date could not be read."""

    period: Period | None = None
    kind: str = "win"
    project: str | None = None
    bad_date: tuple[int, str, str, str] | None = None  # line, heading, why, hint


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


class MarkdownImporter(Importer):
    name = "markdown"
    summary = "Import a Markdown brag document: bullets as entries under dated headings."
    inputs = "FILE"
    options = (
        ImportOption(name="year", help="The year of bullets no dated heading places (default: "
                     "the one year the front matter's title, first heading or file name names)."),
    )

    def read(self, inputs: list[str], ctx: ImportContext) -> Iterator[Record]:
        year_option(ctx.options.get("year"))  # a bad --year fails before any file is read
        for path in inputs:
            text = read_text(path)
            yield Detected(format="markdown-brag")
            keys: list[str] = []
            skipped = False  # a bad bullet has no key: it may be one that is not gone
            for record in parse_brag(path, text, ctx):
                if isinstance(record, Entry) and record.source_id:
                    keys.append(record.source_id)
                skipped = skipped or isinstance(record, Skipped)
                yield record
            if ctx.since is None and ctx.until is None:
                yield from (withheld if skipped else retractions)(path, keys, ctx)


def parse_brag(path: str, text: str, ctx: ImportContext) -> Iterator[Record]:
    """Records of one brag document, in order; Skipped for bullets without a date, a Note
    for table rows."""
    seen: dict[str, int] = {}
    done = 0
    given = year_option(ctx.options.get("year"))
    lines = text.splitlines()
    whole = document_year(path, lines, _front_matter(lines), given)
    for block in _blocks(inline_references(text), whole):
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


def _blocks(text: str, whole: Period | None = None) -> Iterator[Bullet | Table]:
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
            _push(stack, len(heading.group(1)), heading.group(2), number, whole)
        elif current is not None:
            current.add(line, bullet)
        elif bullet:
            context = stack[-1][1] if stack else Heading(period=whole)
            current = Bullet(line=number, indent=len(bullet.group(1)), text=bullet.group(3),
                             heading=context, checked=bullet.group(2))
        elif _TABLE_ROW.match(line):
            table.add(number, line)
    if current is not None:
        yield current
    if table.rows > 0:
        yield table


def _push(stack: list[tuple[int, Heading]], level: int, text: str, line: int,
          whole: Period | None) -> None:
    while stack and stack[-1][0] >= level:
        stack.pop()
    above = stack[-1][1] if stack else Heading(period=whole)
    stack.append((level, _heading(text, above, line)))


def _heading(text: str, above: Heading, line: int) -> Heading:
    try:
        period = parse_period(text, above.period) or part_of_year(text, above.period)
    except UnreadableDate as unreadable:
        return replace(above, kind=section_kind(text) or above.kind,
                       bad_date=(line, text, unreadable.why, unreadable.hint))
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


def _record(path: str, bullet: Bullet, seen: dict[str, int]) -> Entry | Skipped:
    period = bullet.heading.period
    text = plain_links(bullet.text)
    day = find_day(text, period)
    own = _own_period(text, period) if day is None else None
    if own is not None:
        period = own
    elif day is None and (skipped := _undated(path, bullet)) is not None:
        return skipped
    title = _INLINE_ISO.sub("", _DATE_PREFIX.sub("", text))
    title = outside_code(title, lambda part: _EMPHASIS.sub("", part)).strip() or text.strip()
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


def _own_period(text: str, above: Period | None) -> Period | None:
    """A period a bullet names in brackets with its year ("(Aug–Dec 2024)", "(Q3 2024)")."""
    for inner in _PARENS.findall(text):
        if not _YEAR_IN.search(inner):
            continue
        try:
            found = parse_period(inner, above)
        except UnreadableDate:
            continue
        if found is not None:
            return found
    return None


def _undated(path: str, bullet: Bullet) -> Skipped | None:
    """Why a bullet without a day of its own has no date either, if it has none."""
    where = f"{path}:{bullet.line}"
    if bullet.heading.bad_date is not None:
        line, heading, why, hint = bullet.heading.bad_date
        return Skipped(where=where, reason=f"its heading at {path}:{line} ({heading!r}) {why}: "
                       f"{hint}")
    if bullet.heading.period is None:
        return Skipped(where=where,
                       reason="no date: put it under a dated heading such as '## March 2026' "
                              "or write a date in it (2026-03-14)")
    return None


def _links(bullet: Bullet) -> list[str]:
    """The URLs a bullet and its details link to, each once, in order."""
    return list(dict.fromkeys(url for line in (bullet.text, *bullet.details)
                              for url in urls_in(line)))
