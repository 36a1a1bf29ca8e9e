"""The whole ledger as one versioned JSON document, and back.

Import merges: records already present (same uid, or same source and source id for imported
entries; same name for stakeholders and projects) are left as they are, so importing twice
adds nothing. Entry references travel as uids, since local ids differ between ledgers. Fields
added since version 1 (an entry's story, a metric's ``better``, a stakeholder's email) are
optional, so a version 1 document from an older levelup reads as it did.

Both directions stream (``portable_export``, ``portable_import``): a ledger of a million
entries exports and imports in the memory of a page of them.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from typing import TYPE_CHECKING, Any

from levelup.domain.serialize import FormatError
from levelup.errors import LevelupError
from levelup.services.portable_export import FORMAT, VERSION, document, sections

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from levelup.context import Context
    from levelup.services.portable_import import Merge

__all__ = ["FORMAT", "VERSION", "export_document", "export_ledger", "import_document",
           "import_ledger", "merge_file", "read_document"]


def export_ledger(ctx: Context, *, now: datetime | None = None) -> dict[str, Any]:
    """Everything in the ledger as a JSON-ready document, dated ``now``, in memory (the
    command line writes it as it reads it: ``portable_export.export_to``)."""
    with ctx.read() as conn:
        return document(sections(conn, now=now, home=ctx.settings.home))


def export_document(conn: Connection, *, now: datetime | None = None) -> dict[str, Any]:
    """Everything ``conn`` reads of the ledger as a JSON-ready document."""
    return document(sections(conn, now=now))


def import_ledger(ctx: Context, *, file: str) -> Counter[str]:
    """Merge the export ``file`` into the ledger, all or nothing; how many records of each
    kind were added (none when they were all there already). The imported ladders and
    templates it carries are restored too (those already in the home are kept); they are
    checked before the ledger's transaction commits, and removed again if it does not."""
    from levelup.services.home_files import read_home_files, restore_home_files, undo

    written: list[Any] = []
    try:
        with ctx.begin() as conn:
            merge = _merge_file(conn, file)
            files = read_home_files(merge.home, path=file)
            restored, written = restore_home_files(files, ctx.settings.home)
    except BaseException:
        undo(written)
        raise
    return merge.added + restored


def merge_file(conn: Connection, *, path: str) -> Counter[str]:
    """Merge the export at ``path`` into the ledger of ``conn`` (its ladders and templates
    aside); returns how many records of each kind were added."""
    return _merge_file(conn, path).added


def _merge_file(conn: Connection, path: str) -> Merge:
    from levelup.services.portable_import import Merge, merge_stream

    merge = Merge(conn, path=path)
    try:
        with open(path, "rb") as fh:
            merge_stream(merge, fh, path)
        merge.finish()
    except OSError as exc:
        raise LevelupError(f"{path}: cannot read ({exc.strerror})") from None
    except FormatError as exc:
        raise LevelupError(f"{path}: {exc}") from None
    return merge


def read_document(path: str) -> dict[str, Any]:
    """Parse an export file whole; one clear error for a file that is not a levelup export."""
    from levelup.services.portable_import import check_header

    try:
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
    except OSError as exc:
        raise LevelupError(f"{path}: cannot read ({exc.strerror})") from None
    except json.JSONDecodeError as exc:
        raise LevelupError(f"{path}:{exc.lineno}: not JSON ({exc.msg})") from None
    check_header(doc if isinstance(doc, dict) else {}, path)
    return doc  # type: ignore[no-any-return]


def import_document(conn: Connection, doc: dict[str, Any], *, path: str = "export") -> Counter[str]:
    """Merge ``doc`` into the ledger; returns how many records of each kind were added."""
    from levelup.services.portable_import import Merge

    merge = Merge(conn, path=path, header=False)  # a document in memory was checked when read
    try:
        for key, value in doc.items():
            merge.section(key, value)
        merge.finish()
    except FormatError as exc:
        raise LevelupError(f"{path}: {exc}") from None
    return merge.added
