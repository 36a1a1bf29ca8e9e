"""jrnl journals: the JSON export (``jrnl --export json``) and the plain-text journal file.

The text format is what jrnl writes: an entry starts with ``[2026-03-14 09:30:00 AM] Title.``
at the start of a line; the title is the first sentence of that line (the whole line when it
has one sentence), the body the rest; a trailing `` *`` marks a starred entry; tags are words
starting with ``@`` or ``#``. An entry's key is its minute and title, so the text journal and
its JSON export give the same entries.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from levelup.domain.models import Entry
from levelup.domain.vocab import ENTRY_KINDS, UnknownValue, check
from levelup.importers.base import (
    Detected,
    ImportContext,
    Importer,
    ImportOption,
    Record,
    Retract,
    Skipped,
)
from levelup.importers.common import (
    BadInput,
    TagMap,
    item_lines,
    load_json,
    read_text,
    stable_id,
)

# jrnl's default timeformat is "%F %r"; older journals and custom configs use the others.
TIME_FORMATS = (
    "%Y-%m-%d %I:%M:%S %p",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %I:%M %p",
    "%Y-%m-%d",
)
_START = re.compile(r"^\[([^\]\n]+)\] ?(.*)$")
_DATE_LIKE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}")
_TAG = re.compile(r"(?<!\S)([@#][-+*#/\w]+)")
_TITLE_END = re.compile(r"[.!?\u2026]['\u2019\"\u201d]?[\])]*\s+")


@dataclass(slots=True)
class JournalEntry:
    when: datetime
    title: str
    body: str
    line: int
    tags: list[str] = field(default_factory=list)
    starred: bool = False
    # The title line as written, before the sentence split: what older imports keyed on.
    first_line: str = ""


class JrnlImporter(Importer):
    name = "jrnl"
    summary = "Import a jrnl journal: its JSON export or its plain-text journal file."
    inputs = "FILE"
    options = (
        ImportOption(name="tag_map", multiple=True,
                     help="Map a tag: '@checkout=project:checkout', '@perf=outcome:sla', "
                          "'@mentor=competency:mentoring' or '@oncall=kind:incident'. Labels "
                          "from the map follow it when it changes, until you confirm them."),
        ImportOption(name="kind", default="win",
                     help="Kind of the imported entries when no tag says otherwise."),
    )

    def read(self, inputs: list[str], ctx: ImportContext) -> Iterator[Record]:
        tag_map = TagMap.parse(ctx.options.get("tag_map") or ())
        kind = _kind(ctx.options.get("kind") or "win")
        for path in inputs:
            text = read_text(path)
            if text.lstrip().startswith("{"):
                yield Detected(format="jrnl-json")
                found = _json_entries(path, text)
            else:
                yield Detected(format="jrnl-text")
                found = _text_entries(path, text)
            yield from _records(found, ctx, tag_map, kind)


def _kind(value: str) -> str:
    try:
        return check(value, ENTRY_KINDS, "entry kind")
    except UnknownValue as exc:
        raise BadInput(f"--kind: {exc}") from None


def _records(
    found: Iterator[JournalEntry | Skipped], ctx: ImportContext, tag_map: TagMap, kind: str
) -> Iterator[Record]:
    for done, item in enumerate(found, 1):
        if done % 500 == 0:
            ctx.progress(done, None)
        if isinstance(item, Skipped):
            yield item
        elif ctx.in_range(item.when.date()):
            yield from _retract_unsplit(item)
            yield _entry(item, tag_map, kind)


def _key(item: JournalEntry, title: str) -> str:
    return stable_id(item.when.strftime("%Y-%m-%d %H:%M"), title.strip())


def _retract_unsplit(item: JournalEntry) -> Iterator[Retract]:
    """Older imports kept a one-line entry's sentences together in its title and key."""
    if item.first_line.strip() and item.first_line.strip() != item.title.strip():
        yield Retract(source="jrnl", source_id=_key(item, item.first_line))


def _entry(item: JournalEntry, tag_map: TagMap, kind: str) -> Entry:
    title = item.title.strip()
    if title.endswith(".") and not title.endswith(".."):
        title = title[:-1]
    entry = Entry(
        title=title or item.body.strip()[:80] or "(untitled jrnl entry)",
        date=item.when.date(),
        details=item.body.strip(),
        kind=kind,
        source="jrnl",
        source_id=_key(item, item.title),
    )
    tag_map.apply(entry, item.tags)
    _mark_mapped_labels(entry)
    return entry


def _mark_mapped_labels(entry: Entry) -> None:
    """Labels from the tag map follow the map on the next import, so they stay suggestions
    (of full weight) until the user confirms them."""
    for label in entry.outcomes + entry.competencies:
        label.confirmed, label.score = False, 1.0


def split_title(text: str) -> tuple[str, str]:
    """jrnl's rule: the title is the first line, up to its first sentence end (".", "?" or
    "!" followed by a space) if it has one; the rest is the body."""
    first, _, rest = text.strip().partition("\n")
    end = _TITLE_END.search(first)
    if end is not None:
        return first[: end.end()].strip(), (first[end.end():] + "\n" + rest).strip()
    return first.strip(), rest.strip()


def tags_of(text: str) -> list[str]:
    return sorted({tag.lower() for tag in _TAG.findall(text)})


def parse_stamp(text: str) -> datetime | None:
    for fmt in TIME_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
    return None


def _text_entries(path: str, text: str) -> Iterator[JournalEntry | Skipped]:
    """Entries of a plain-text journal; a date-like stamp that does not parse is Skipped."""
    current: JournalEntry | None = None
    lines: list[str] = []
    skipping = False  # inside an entry whose stamp was unreadable
    for number, line in enumerate(text.splitlines(), 1):
        start = _START.match(line)
        when = parse_stamp(start.group(1)) if start else None
        if start and when is None and _DATE_LIKE.match(start.group(1)):
            if current is not None:
                yield _finish(current, lines)
            current, skipping = None, True
            yield Skipped(where=f"{path}:{number}", reason=f"unreadable date [{start.group(1)}]")
        elif start is not None and when is not None:
            if current is not None:
                yield _finish(current, lines)
            current = JournalEntry(when=when, title="", body="", line=number)
            lines, skipping = [start.group(2)], False
        elif current is not None:
            lines.append(line)
        elif line.strip() and not skipping:
            raise BadInput(f"{path}:{number}: not a jrnl journal: expected an entry "
                           "starting '[2026-03-14 09:30] Title.'")
    if current is not None:
        yield _finish(current, lines)


def _finish(current: JournalEntry, lines: list[str]) -> JournalEntry:
    first = lines[0].rstrip() if lines else ""
    if first.endswith("*"):
        current.starred = True
        lines = [first.rstrip("* ")] + lines[1:]
    raw = "\n".join(lines)
    current.title, current.body = split_title(raw)
    current.first_line = raw.strip().partition("\n")[0]
    current.tags = tags_of(raw)
    return current


def _json_entries(path: str, text: str) -> Iterator[JournalEntry | Skipped]:
    data = load_json(path, text)
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise BadInput(f"{path}:1: not a jrnl JSON export: expected an object with 'entries'")
    for line, raw in zip(item_lines(text, "entries"), data["entries"], strict=True):
        try:
            yield _json_entry(raw, line)
        except KeyError as exc:
            yield Skipped(where=f"{path}:{line}", reason=f"bad jrnl entry: no {exc.args[0]!r}")
        except (ValueError, TypeError) as exc:
            yield Skipped(where=f"{path}:{line}", reason=f"bad jrnl entry: {exc}")


def _json_entry(raw: Any, line: int) -> JournalEntry:
    if not isinstance(raw, dict):
        raise TypeError("an entry must be an object")
    stamp = f"{raw['date']} {raw.get('time') or '00:00'}"
    when = parse_stamp(stamp)
    if when is None:
        raise ValueError(f"unreadable date {stamp!r}")
    given, body = str(raw.get("title") or ""), str(raw.get("body") or "")
    if not (given.strip() or body.strip()):
        raise ValueError("entry has neither title nor body")
    # jrnl versions split a one-line entry differently: split it again as the text is split
    title, rest = split_title(given)
    tags = raw.get("tags")
    return JournalEntry(
        when=when, title=title, body=f"{rest}\n{body}".strip(), line=line,
        starred=bool(raw.get("starred")), first_line=given,
        tags=[str(t).lower() for t in tags] if isinstance(tags, list)
        else tags_of(f"{given}\n{body}"),
    )
