"""Helpers the file and API importers share: reading files, stable ids, dates, tag maps."""

from __future__ import annotations

import codecs
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any

from levelup.domain.models import Entry, Label
from levelup.domain.text import quoted
from levelup.domain.vocab import COMPETENCIES, ENTRY_KINDS, OUTCOMES, UnknownValue, check
from levelup.errors import LevelupError


class BadInput(LevelupError):
    """A whole input that cannot be imported; the message is ``file:line: what is wrong``."""


def stable_id(*parts: object) -> str:
    """A short id that depends only on ``parts``: the same record gets the same id every run."""
    text = "\x1f".join(str(part) for part in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def read_text(path: str) -> str:
    """The text of a UTF-8 file, or of a UTF-16 one with its BOM (Excel's "Unicode text"),
    or BadInput naming file and line. A BOM is dropped."""
    try:
        raw = Path(path).expanduser().read_bytes()
    except OSError as exc:
        raise BadInput(f"{path}:1: cannot read: {exc.strerror or exc}") from None
    return decode_text(path, raw)


def decode_text(path: str, raw: bytes) -> str:
    """``read_text`` of bytes already read; ``path`` names them in errors."""
    utf16 = raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    try:
        return raw.decode("utf-16") if utf16 else raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if utf16:
            line = raw[: exc.start].decode("utf-16", errors="replace").count("\n") + 1
            raise BadInput(f"{path}:{line}: not UTF-16 text, though it starts as such") from None
        line = raw[: exc.start].count(b"\n") + 1
        raise BadInput(f"{path}:{line}: not UTF-8 text (byte 0x{raw[exc.start]:02x}); "
                       "save the file as UTF-8 and import it again") from None


def load_json(path: str, text: str | None = None) -> Any:
    """Parse a JSON file; a syntax error names the line."""
    text = read_text(path) if text is None else text
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadInput(f"{path}:{exc.lineno}: not valid JSON: {exc.msg}") from None
    except RecursionError:
        raise BadInput(f"{path}:1: not valid JSON: nested too deeply") from None


def json_documents(path: str, text: str) -> Iterator[tuple[int, str, Any]]:
    """(first line, text, value) of each JSON document: one, or several back to back as
    ``gh api --paginate`` writes them."""
    decoder = json.JSONDecoder()
    pos, line = 0, 1
    while True:
        space = _SPACE.match(text, pos)
        start = space.end() if space else pos
        line += text.count("\n", pos, start)
        if start >= len(text):
            return
        try:
            value, pos = decoder.raw_decode(text, start)
        except json.JSONDecodeError as exc:
            raise BadInput(f"{path}:{exc.lineno}: not valid JSON: {exc.msg}") from None
        except RecursionError:
            raise BadInput(f"{path}:{line}: not valid JSON: nested too deeply") from None
        yield line, text[start:pos], value
        line += text.count("\n", start, pos)


_SPACE = re.compile(r"\s*")
_JSON_SPACE = re.compile(r"[ \t\n\r]*")
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def parse_timestamp(text: str) -> datetime:
    """An ISO 8601 timestamp as APIs send it (``2026-03-14T09:30:00Z``); ValueError if not."""
    return datetime.fromisoformat(text.strip().replace("Z", "+00:00"))


# Exported forms besides ISO: Jira's default (14/Mar/26 3:42 PM) and Excel's (6/21/2025 16:14).
DAY_FORMATS = (
    "%d/%b/%y %I:%M %p", "%d/%b/%y %H:%M", "%d/%b/%y", "%d/%b/%Y %I:%M %p", "%d/%b/%Y",
    "%m/%d/%Y %H:%M", "%m/%d/%Y",
)


# Two defaults that differ in month and day; the year is always in the text.
_DEFAULTS = (datetime(2000, 1, 1), datetime(2000, 2, 2))


def timezone_option(name: str | None) -> tzinfo | None:
    """The zone a ``--timezone`` option names (None: this machine's); BadInput if unknown."""
    if not name:
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file
        shown = name if len(name) <= 60 else name[:60] + "…"
        raise BadInput(f"--timezone: unknown time zone {shown!r} (e.g. Europe/Paris)") from None


def parse_day(text: str) -> date:
    """A date from ISO text, an ISO timestamp, or common exported forms; ValueError if none.

    Text without a four-digit year (other than Jira's own format) is refused rather than
    completed from today's date, so a re-run never reads a row differently.
    """
    text = text.strip()
    match = _ISO_DAY.match(text)
    if match:
        return date(*(int(g) for g in match.groups()))
    for fmt in DAY_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    if not re.search(r"\b\d{4}\b", text):
        raise ValueError(f"not a date: {quoted(text)}")
    from dateutil import parser

    try:  # parsed twice: a day or month the text lacks would come from the default
        days = {parser.parse(text, default=default).date() for default in _DEFAULTS}
    except (ValueError, OverflowError):
        raise ValueError(f"not a date: {quoted(text)}") from None
    if len(days) > 1:
        raise ValueError(f"not a day (no month or day of the month): {quoted(text)}")
    return days.pop()


def first_paragraph(text: str, limit: int = 400) -> str:
    """The first paragraph of a body, shortened to ``limit`` characters."""
    para = text.strip().split("\n\n", 1)[0].strip()
    return para if len(para) <= limit else para[: limit - 1].rstrip() + "…"


@dataclass(slots=True)
class TagRule:
    """Where one tag (or value) sends an entry: project, outcome, competency or kind."""

    field: str
    value: str


@dataclass(slots=True)
class TagMap:
    """``--tag-map "@checkout=project:checkout"``: tags mapped to projects, outcomes, kinds."""

    rules: dict[str, list[TagRule]] = field(default_factory=dict)

    @classmethod
    def parse(cls, specs: Iterable[str]) -> TagMap:
        tag_map = cls()
        for spec in specs:
            tag, sep, target = spec.partition("=")
            fld, colon, value = target.partition(":")
            if not (sep and colon and tag.strip() and value.strip()):
                raise BadInput(
                    f"--tag-map {quoted(spec)}: expected TAG=FIELD:VALUE, e.g. @perf=outcome:sla"
                )
            rule = TagRule(field=fld.strip().lower(), value=_checked(fld.strip().lower(), value))
            tag_map.rules.setdefault(_tag_key(tag), []).append(rule)
        return tag_map

    def apply(self, entry: Entry, tags: Iterable[str]) -> None:
        """Set the entry's project, kind and labels from the rules of its tags."""
        for tag in tags:
            for rule in self.rules.get(_tag_key(tag), ()):
                apply_field(entry, rule.field, rule.value)


def _tag_key(tag: str) -> str:
    """``@Perf``, ``#perf`` and ``perf`` name the same tag."""
    return tag.strip().lstrip("@#").lower()


TAG_FIELDS = ("project", "outcome", "competency", "kind")


def _checked(fld: str, value: str) -> str:
    try:
        if fld == "outcome":
            return check(value, OUTCOMES, "outcome")
        if fld == "competency":
            return check(value, COMPETENCIES, "competency")
        if fld == "kind":
            return check(value, ENTRY_KINDS, "entry kind")
    except UnknownValue as exc:
        raise BadInput(f"--tag-map: {exc}") from None
    if fld != "project":
        raise BadInput(f"--tag-map: unknown field {fld!r}; choose from {', '.join(TAG_FIELDS)}")
    return value.strip()


def apply_field(entry: Entry, fld: str, value: str) -> None:
    """Set one mapped field on an entry (labels from a user's mapping count as confirmed)."""
    if fld == "project":
        entry.project = value
    elif fld == "kind":
        entry.kind = value
    elif fld == "outcome" and value not in entry.outcome_ids:
        entry.outcomes.append(Label(id=value))
    elif fld == "competency" and value not in entry.competency_ids:
        entry.competencies.append(Label(id=value))


def item_lines(text: str, key: str | None = None) -> list[int]:
    """The line where each item of a valid JSON text's array begins: the top-level array,
    or the one under ``key`` in the top-level object. Items of any type count."""
    decoder = json.JSONDecoder()
    pos = _json_skip(text, 0)
    if key is not None:
        pos = _array_under(text, pos, key, decoder)
    lines: list[int] = []
    line, counted = 1, 0
    pos = _json_skip(text, pos + 1)
    while text[pos] != "]":
        line, counted = line + text.count("\n", counted, pos), pos
        lines.append(line)
        pos = _json_skip(text, decoder.raw_decode(text, pos)[1])
        if text[pos] == ",":
            pos = _json_skip(text, pos + 1)
    return lines


def _array_under(text: str, pos: int, key: str, decoder: json.JSONDecoder) -> int:
    """Where the value of ``key`` begins in the object at ``pos`` (the last one, as json does)."""
    found = pos
    pos = _json_skip(text, pos + 1)
    while text[pos] != "}":
        name, pos = decoder.raw_decode(text, pos)
        pos = _json_skip(text, _json_skip(text, pos) + 1)  # past the colon
        if name == key:
            found = pos
        pos = _json_skip(text, decoder.raw_decode(text, pos)[1])
        if text[pos] == ",":
            pos = _json_skip(text, pos + 1)
    return found


def _json_skip(text: str, pos: int) -> int:
    match = _JSON_SPACE.match(text, pos)
    assert match is not None  # the pattern matches the empty string
    return match.end()


def csv_rows(path: str, reader: Any) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of every non-blank row after the header, or BadInput at file:line."""
    import csv

    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise BadInput(f"{path}:{line}: not valid CSV: {exc}") from None
        if any(cell.strip() for cell in cells):
            yield line, cells
        line = reader.line_num + 1
