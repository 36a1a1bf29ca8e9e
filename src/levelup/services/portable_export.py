"""The export document, written as it is read: a page of entries at a time.

The text is the one ``json.dumps(document, indent=…, ensure_ascii=False)`` gives for the whole
document, so a ledger of a million entries exports in the memory of one page. Sections come
in the document's order; the entries stream, the other records are few and come whole.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from levelup.domain.serialize import dump_indented, to_json
from levelup.errors import FieldError

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from levelup.context import Context
    from levelup.domain.models import Entry

FORMAT = "levelup-export"
VERSION = 1
PAGE = 2000  # entries fetched and written at a time


@dataclass(frozen=True, slots=True)
class ExportProgress:
    """``done`` of ``total`` entries written."""

    done: int
    total: int


@dataclass(frozen=True, slots=True)
class Exported:
    """What an export wrote: how many entries, and where (None: the given stream)."""

    entries: int
    path: Path | None = None


Section = tuple[str, Any, bool]  # key, value, whether the value is an iterable of list items
Progress = Callable[[ExportProgress], None]


def sections(conn: Connection, *, now: datetime | None = None,
             home: Path | None = None, progress: Progress | None = None) -> Iterator[Section]:
    """The document's sections in order; ``entries`` is an iterator of pages' items."""
    from levelup.services.home_files import export_home_files
    from levelup.store import people, projects, records

    yield "format", FORMAT, False
    yield "version", VERSION, False
    yield "exported_at", (now or datetime.now()).replace(microsecond=0).isoformat(), False
    yield "profile", to_json(people.find_profile(conn)), False
    yield "stakeholders", [_drop_id(s) for s in to_json(people.list_stakeholders(conn))], False
    yield "projects", [_drop_id(p) for p in to_json(projects.list_projects(conn))], False
    yield "entries", _entries(conn, progress), True
    yield "expectations", [_drop_id(x) for x in to_json(records.list_expectations(conn))], False
    yield "visibility", _with_uids(conn, records.list_visibility(conn)), False
    yield "feedback", _with_uids(conn, records.list_feedback(conn)), False
    yield "conversations", [_drop_id(c) for c in to_json(records.list_conversations(conn))], False
    yield "checkins", [_drop_id(c) for c in to_json(records.list_checkins(conn))], False
    yield from _optional_sections(conn)
    for key, value in export_home_files(home).items():
        yield key, value, False


def _entries(conn: Connection, progress: Progress | None) -> Iterator[list[Entry]]:
    """The entries, a page at a time."""
    from levelup.store.entries import count_entries
    from levelup.store.portable import entry_pages

    total = count_entries(conn) if progress is not None else 0
    done = 0
    for page in entry_pages(conn, size=PAGE):
        yield page
        done += len(page)
        if progress is not None:
            progress(ExportProgress(done=done, total=max(total, done)))


def _optional_sections(conn: Connection) -> Iterator[Section]:
    """Incidents and opportunities, stored by the opportunity finder, and the imported
    entries the user deleted (so that importing again does not bring them back)."""
    from levelup.store import opportunities, portable

    yield "incidents", [_drop_id(i) for i in to_json(portable.all_incidents(conn))], False
    items = opportunities.list_opportunities(conn)
    uid_of = portable.uids_by_id(conn, ids=[i.done_entry_id for i in items if i.done_entry_id])
    opps = []
    for item in items:
        data = _drop_id(to_json(item))
        data["done_entry_id"] = uid_of.get(item.done_entry_id) if item.done_entry_id else None
        opps.append(data)
    yield "opportunities", opps, False
    yield "dismissed", portable.dismissed_imports(conn), False


def _drop_id(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "id"}


def _with_uids(conn: Connection, items: list[Any]) -> list[dict[str, Any]]:
    """Records with the entries they point at as uids (local ids differ between ledgers)."""
    from levelup.store.portable import uids_by_id

    uid_of = uids_by_id(conn, ids=[i for item in items for i in item.entry_ids])
    out = []
    for item in items:
        data = _drop_id(to_json(item))
        data["entry_ids"] = sorted(uid_of[i] for i in data["entry_ids"])
        out.append(data)
    return out


def document(parts: Iterable[Section]) -> dict[str, Any]:
    """The sections as one document in memory (small ledgers, tests, the web)."""
    return {key: [_drop_id(to_json(item)) for page in value for item in page] if streamed
            else value for key, value, streamed in parts}


def text_chunks(parts: Iterable[Section], *, indent: int) -> Iterator[str]:
    """The document's JSON text, a section or a page of entries at a time."""
    pad = " " * indent
    opened = "{"
    for key, value, streamed in parts:
        head = f"{opened}\n{pad}{dump_indented(key, indent)}: "
        opened = ","
        if not streamed:
            yield head + dump_indented(value, indent, 1)
            continue
        yield head
        yield from _list_chunks(value, indent)
    yield "}" if opened == "{" else "\n}"


def _list_chunks(pages: Iterable[list[Any]], indent: int) -> Iterator[str]:
    """A list given a page at a time, as ``dump_indented`` would write it one level deep."""
    inner = "\n" + " " * (indent * 2)
    opened = "["
    for page in pages:
        parts = []
        for item in page:
            parts.append(f"{opened}{inner}{dump_indented(item, indent, 2, drop='id')}")
            opened = ","
        yield "".join(parts)
    yield "[]" if opened == "[" else "\n" + " " * indent + "]"


def export_to(ctx: Context, *, write: Callable[[str], Any], indent: int,
              now: datetime | None = None, progress: Progress | None = None) -> Exported:
    """Write the whole ledger's export document through ``write``, in pieces."""
    counted = _Counting(progress)
    with ctx.read() as conn:
        for chunk in text_chunks(sections(conn, now=now, home=ctx.settings.home,
                                          progress=counted), indent=indent):
            write(chunk)
    write("\n")
    return Exported(entries=counted.done)


def export_file(ctx: Context, *, path: Path, now: datetime | None = None,
                progress: Progress | None = None) -> Exported:
    """Write the export document to ``path`` whole or not at all (a temporary file renamed
    when complete); never over the ledger or one of its files."""
    from levelup.services.outputs import check_output

    path = check_output(path, ctx=ctx)
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        with partial.open("w", encoding="utf-8") as out:
            done = export_to(ctx, write=out.write, indent=1, now=now, progress=progress)
        partial.replace(path)
    except OSError as exc:
        raise FieldError("output", f"{path} cannot be written ({exc.strerror})") from None
    finally:
        partial.unlink(missing_ok=True)
    return Exported(entries=done.entries, path=path)


class _Counting:
    """Passes progress on and remembers how many entries were written."""

    def __init__(self, progress: Progress | None) -> None:
        self.progress, self.done = progress, 0

    def __call__(self, event: ExportProgress) -> None:
        self.done = event.done
        if self.progress is not None:
            self.progress(event)
