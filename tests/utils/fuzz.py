"""The contract every importer keeps on untrusted input, checked on fuzzed files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from levelup.domain.models import Entry
from levelup.errors import LevelupError
from levelup.importers.base import ImportContext, Importer, Skipped


def entries_or_clean_error(importer: Importer, path: Path) -> list[Entry]:
    """Read ``path``: either one error line naming the file, or records whose bad rows name
    file:line. Returns the entries read (none after a clean error)."""
    ctx = ImportContext(since=None, until=None, today=date(2026, 11, 20))
    try:
        records = list(importer.read([str(path)], ctx))
    except LevelupError as exc:
        assert str(exc).startswith(f"{path}:") and "\n" not in str(exc)
        return []
    for record in records:
        if isinstance(record, Skipped):
            assert record.where.startswith(f"{path}:")
    return [record for record in records if isinstance(record, Entry)]
