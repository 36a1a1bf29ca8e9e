"""jrnl journals: the JSON export (``jrnl --export json``) and the plain-text journal file.

The text format is what jrnl writes: an entry starts with ``[2026-03-14 09:30:00 AM] Title.``
at the start of a line; the title is the first sentence of that line (the whole line when it
has one sentence), the body the rest; a trailing `` *`` marks a starred entry; tags are words
starting with ``@`` or ``#``. An entry's key is its minute and title (repeats of both are
numbered in journal order), so the text journal and its JSON export give the same entries.

The stamp is written in jrnl's ``timeformat`` setting: ``--timeformat``, else the one in jrnl's
config, is read first, then jrnl's usual formats. A date-like stamp that none of them reads is a
bad record, never part of the entry before it. Encrypted journals are refused with a hint.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
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
# Directives of jrnl's timeformat (C strftime) that Python's strptime lacks.
_JRNL_DIRECTIVES = {"F": "%Y-%m-%d", "r": "%I:%M:%S %p", "T": "%H:%M:%S", "R": "%H:%M",
                    "D": "%m/%d/%y"}
_DIRECTIVE = re.compile(r"%(.)")
# A stamp is followed by a space or the line's end: "[2026-03-20](url)" is a Markdown link.
_START = re.compile(r"^\[([^\]\n]+)\](?:[ \t](.*))?$")
_DATE_LIKE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}")
_MONTHS = frozenset("jan feb mar apr may jun jul aug sep sept oct nov dec january february march "
                    "april june july august september october november december".split())
_DATE_WORDS = _MONTHS | frozenset("mon tue wed thu fri sat sun monday tuesday wednesday thursday "
                                  "friday saturday sunday am pm t z utc gmt".split())
_NUMERIC_DATE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")
_YEAR_OR_CLOCK = re.compile(r"(?<!\d)\d{4}(?!\d)|\d{1,2}:\d{2}")
_STAMP_CHARS = re.compile(r"[\w\s\-/.:,+]+")
# jrnl 2+ encrypts a journal into one Fernet token; jrnl 1.x wrote AES blocks as binary.
_FERNET = re.compile(r"gAAAAA[A-Za-z0-9_-]{60,}={0,2}")
_CONTROL = frozenset(range(1, 9)) | frozenset(range(14, 26)) | frozenset(range(28, 32))
ENCRYPTED_HINT = ("export it first with `jrnl --export json > FILE.json` (or decrypt it with "
                  "`jrnl --decrypt`) and import that")
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


@dataclass(frozen=True, slots=True)
class TimeFormat:
    """The strptime formats a text journal's stamps are read with, the user's first."""

    formats: tuple[str, ...] = TIME_FORMATS
    given: str = ""  # as the user or jrnl's config wrote it
    origin: str = ""  # "--timeformat" or the config file it came from


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
        ImportOption(name="timeformat",
                     help="jrnl's timeformat setting the text journal was written with, e.g. "
                          "'%d.%m.%Y %H:%M' or '%F %r'. Default: the timeformat in jrnl's config "
                          "($XDG_CONFIG_HOME/jrnl/jrnl.yaml, else ~/.config/jrnl/jrnl.yaml) when "
                          "there is one. jrnl's usual formats are always read too."),
    )

    def read(self, inputs: list[str], ctx: ImportContext) -> Iterator[Record]:
        tag_map = TagMap.parse(ctx.options.get("tag_map") or ())
        kind = _kind(ctx.options.get("kind") or "win")
        for path in inputs:
            text = _journal_text(path)
            if text.lstrip().startswith("{"):
                yield Detected(format="jrnl-json")
                found = _json_entries(path, text)
            else:
                yield Detected(format="jrnl-text")
                found = _text_entries(path, text, time_format(path, ctx.options.get("timeformat")))
            yield from _records(found, ctx, tag_map, kind)


def _kind(value: str) -> str:
    try:
        return check(value, ENTRY_KINDS, "entry kind")
    except UnknownValue as exc:
        raise BadInput(f"--kind: {exc}") from None


def _records(
    found: Iterator[JournalEntry | Skipped], ctx: ImportContext, tag_map: TagMap, kind: str
) -> Iterator[Record]:
    repeats: Counter[str] = Counter()  # entries of the same minute and title are numbered
    for done, item in enumerate(found, 1):
        if done % 500 == 0:
            ctx.progress(done, None)
        if isinstance(item, Skipped):
            yield item
            continue
        repeats[_key(item, item.title)] += 1
        if ctx.in_range(item.when.date()):
            yield from _retract_unsplit(item)
            yield _entry(item, tag_map, kind, repeats[_key(item, item.title)])


def _key(item: JournalEntry, title: str, repeat: int = 1) -> str:
    """An entry's source id: its minute and title, and, from the second entry of the same
    minute and title on, its number (the first keeps the id entries always had)."""
    minute, title = item.when.strftime("%Y-%m-%d %H:%M"), title.strip()
    return stable_id(minute, title) if repeat == 1 else stable_id(minute, title, repeat)


def _retract_unsplit(item: JournalEntry) -> Iterator[Retract]:
    """Older imports kept a one-line entry's sentences together in its title and key."""
    if item.first_line.strip() and item.first_line.strip() != item.title.strip():
        yield Retract(source="jrnl", source_id=_key(item, item.first_line))


def _entry(item: JournalEntry, tag_map: TagMap, kind: str, repeat: int) -> Entry:
    title = item.title.strip()
    if title.endswith(".") and not title.endswith(".."):
        title = title[:-1]
    entry = Entry(
        title=title or item.body.strip()[:80] or "(untitled jrnl entry)",
        date=item.when.date(),
        details=item.body.strip(),
        kind=kind,
        source="jrnl",
        source_id=_key(item, item.title, repeat),
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


def parse_stamp(text: str, formats: tuple[str, ...] = TIME_FORMATS) -> datetime | None:
    for fmt in formats:
        try:
            return datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
    return None


def _text_entries(path: str, text: str, fmt: TimeFormat) -> Iterator[JournalEntry | Skipped]:
    """Entries of a plain-text journal; a date-like stamp that does not parse is Skipped."""
    current: JournalEntry | None = None
    lines: list[str] = []
    skipping = False  # inside an entry whose stamp was unreadable
    after_blank = True  # the line before is blank, or there is none
    for number, line in enumerate(text.splitlines(), 1):
        start = _START.match(line)
        when = parse_stamp(start.group(1), fmt.formats) if start else None
        if start and when is None and _unread_stamp(start.group(1),
                                                    after_blank or current is None):
            if current is not None:
                yield _finish(current, lines)
            current, skipping = None, True
            yield Skipped(where=f"{path}:{number}", reason=_unreadable(start.group(1), fmt))
        elif start is not None and when is not None:
            if current is not None:
                yield _finish(current, lines)
            current = JournalEntry(when=when, title="", body="", line=number)
            lines, skipping = [start.group(2) or ""], False
        elif current is not None:
            lines.append(line)
        elif line.strip() and not skipping:
            raise BadInput(f"{path}:{number}: not a jrnl journal: expected an entry "
                           "starting '[2026-03-14 09:30] Title.'")
        after_blank = not line.strip()
    if current is not None:
        yield _finish(current, lines)


def _unread_stamp(stamp: str, after_blank: bool) -> bool:
    """Whether a line starting ``[stamp]`` starts an entry whose date was not read: an ISO
    date anywhere, another date-like stamp after a blank line."""
    return bool(_DATE_LIKE.match(stamp)) or (after_blank and date_like(stamp))


def date_like(stamp: str) -> bool:
    """Whether bracketed text reads as a date: a numeric date with a year or a time, or a
    month's name with a number. ``[x]``, ``[1.2.3]`` and ``[call at 10:30]`` do not."""
    words = re.findall(r"[^\W\d_]+", stamp.lower())
    if not _STAMP_CHARS.fullmatch(stamp) or any(word not in _DATE_WORDS for word in words):
        return False
    numeric = _NUMERIC_DATE.search(stamp) and _YEAR_OR_CLOCK.search(stamp)
    named = any(word in _MONTHS for word in words) and re.search(r"\d", stamp)
    return bool(numeric or named)


def _unreadable(stamp: str, fmt: TimeFormat) -> str:
    """Why a stamp was not read: a date that does not exist, or one in another format."""
    for strptime_fmt in fmt.formats:
        try:
            datetime.strptime(stamp.strip(), strptime_fmt)
        except ValueError as exc:
            if "does not match format" not in str(exc) and "unconverted data" not in str(exc):
                return f"unreadable date [{stamp}]: {exc}"
    tried = f" (nor {fmt.given!r} from {fmt.origin})" if fmt.given else ""
    return (f"a date jrnl's time format does not read: [{stamp}]{tried}; pass --timeformat "
            "(jrnl's timeformat setting)")


def strptime_format(timeformat: str) -> str:
    """jrnl's timeformat as Python's strptime reads it: ``%F %r`` is ``%Y-%m-%d %I:%M:%S %p``."""
    return _DIRECTIVE.sub(lambda m: _JRNL_DIRECTIVES.get(m.group(1), m.group(0)), timeformat)


def time_format(path: str, option: str | None) -> TimeFormat:
    """The formats to read the journal at ``path`` with: ``--timeformat``, else jrnl's config."""
    if option:
        return _checked_format(option, "--timeformat")
    found = config_timeformat(path)
    return _checked_format(*found) if found else TimeFormat()


def _checked_format(given: str, origin: str) -> TimeFormat:
    fmt, sample = strptime_format(given.strip()), datetime(2026, 3, 14, 21, 30, 45)
    try:
        back = datetime.strptime(sample.strftime(fmt), fmt)
    except ValueError as exc:
        raise BadInput(f"{origin}: timeformat {given!r} cannot be read back: {exc}") from None
    if back.date() != sample.date():
        raise BadInput(f"{origin}: timeformat {given!r} lacks a year, month or day")
    return TimeFormat(formats=(fmt, *(f for f in TIME_FORMATS if f != fmt)),
                      given=given, origin=origin)


def config_timeformat(journal: str) -> tuple[str, str] | None:
    """(timeformat, config file) from jrnl's config: the journal's own setting under
    ``journals`` when it has one, else the top-level one; None without a config."""
    import yaml

    folder = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    config = Path(folder) / "jrnl" / "jrnl.yaml"
    try:
        data = yaml.safe_load(config.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict):
        return None
    found = _own_setting(data.get("journals"), journal, "timeformat") or data.get("timeformat")
    return (found, str(config)) if isinstance(found, str) and found.strip() else None


def _own_setting(journals: Any, journal: str, key: str) -> Any:
    """``key`` of the journal at path ``journal`` in jrnl's ``journals`` map, if set there."""
    here = Path(journal).expanduser().resolve()
    for scoped in journals.values() if isinstance(journals, dict) else ():
        where = scoped.get("journal") if isinstance(scoped, dict) else None
        if where and Path(os.path.expandvars(str(where))).expanduser().resolve() == here:
            return scoped.get(key)
    return None


def _journal_text(path: str) -> str:
    """The journal's text; an encrypted journal is refused with how to export it."""
    try:
        text = read_text(path)
    except BadInput:
        if _old_encrypted(path):
            raise BadInput(f"{path}:1: binary, as jrnl 1.x encrypted journals are: "
                           f"{ENCRYPTED_HINT}") from None
        raise
    if _FERNET.fullmatch(text.strip()):
        raise BadInput(f"{path}:1: an encrypted jrnl journal: {ENCRYPTED_HINT}")
    return text


def _old_encrypted(path: str) -> bool:
    """AES blocks, as jrnl 1.x wrote: 16-byte blocks with control bytes no text has."""
    try:
        raw = Path(path).expanduser().read_bytes()
    except OSError:
        return False
    return len(raw) >= 32 and len(raw) % 16 == 0 and any(b in _CONTROL for b in raw)


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
