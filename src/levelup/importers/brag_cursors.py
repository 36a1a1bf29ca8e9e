"""What the last whole import of a brag document gave, so the next one retracts what is gone.

A document's cursor is named by its resolved path and lists the source ids of its bullets.
A document that was moved or renamed (``~/notes/brag.md`` -> ``~/brag/2026.md``) is
recognised by its content: a cursor whose file no longer exists and at least three quarters
of whose bullets this import gives again is this document's earlier path (a document split
in two halves is not taken for a moved one: that would retract the other half). Its
bullets count as the document's own (the ones gone since are retracted) and its cursor is
emptied, so it no longer keeps those bullets alive as "another document holds them".
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from levelup.importers.base import Cursor, ImportContext, Note, Record, Retract
from levelup.importers.common import stable_id

CURSOR_KEY = "bullets"  # per document: the source ids its last whole import gave
MAX_CURSOR_SOURCE = 500  # the width of import_state.source
PREFIX = "markdown:"


def document_cursor(path: str) -> tuple[str, str]:
    """The cursor of one brag document, named by its resolved absolute path."""
    resolved = str(Path(path).expanduser().resolve())
    name = f"{PREFIX}{resolved}"
    return (name if len(name) <= MAX_CURSOR_SOURCE else f"{PREFIX}{stable_id(resolved)}",
            CURSOR_KEY)


def retractions(path: str, keys: list[str], ctx: ImportContext) -> Iterator[Record]:
    """Retract what the document's last whole import gave (at this path or at the path it
    was moved from) and this one does not, unless another brag document gave it too; then
    record this import's source ids."""
    cursor, given = document_cursor(path), set(keys)
    moved_from = earlier_paths(cursor, given, ctx.cursors)
    before = set(_keys(ctx.cursors.get(cursor, "")))
    for old in moved_from:
        before |= set(_keys(ctx.cursors[old]))
        yield _moved_note(path, old[0].removeprefix(PREFIX), given, ctx.cursors[old])
        ctx.cursors[old] = ""
        yield Cursor(source=old[0], key=old[1], value="")
    for source_id in sorted(before - given - _elsewhere(cursor, ctx.cursors)):
        yield Retract(source="markdown", source_id=source_id)
    ctx.cursors[cursor] = "\n".join(sorted(given))
    yield Cursor(source=cursor[0], key=cursor[1], value=ctx.cursors[cursor])


def withheld(path: str, keys: list[str], ctx: ImportContext) -> Iterator[Record]:
    """Retract nothing, since a skipped bullet (its key is not known) may be one of those
    gone, and say so; the cursor keeps what it had, and adds this import's ids."""
    cursor = document_cursor(path)
    before = set(_keys(ctx.cursors.get(cursor, "")))
    gone = before - set(keys) - _elsewhere(cursor, ctx.cursors)
    if gone:
        entries = ("1 entry not removed though its bullet is" if len(gone) == 1 else
                   f"{len(gone)} entries not removed though their bullets are")
        which = "it" if len(gone) == 1 else "one of them"
        yield Note(text=f"{path}: {entries} gone (deleted or edited), since a skipped bullet "
                        f"may be {which}: fix the skipped bullets and import again")
    ctx.cursors[cursor] = "\n".join(sorted(before | set(keys)))
    yield Cursor(source=cursor[0], key=cursor[1], value=ctx.cursors[cursor])


def _elsewhere(cursor: tuple[str, str], cursors: dict[tuple[str, str], str]) -> set[str]:
    """The source ids the other brag documents gave."""
    return {key for name, value in _brag_cursors(cursors) if name != cursor
            for key in _keys(value)}


def earlier_paths(cursor: tuple[str, str], given: set[str],
                  cursors: dict[tuple[str, str], str]) -> list[tuple[str, str]]:
    """The cursors of documents that were this one before it moved: their file is gone and
    at least three quarters of their bullets are among ``given``."""
    found = []
    for name, value in _brag_cursors(cursors):
        old = set(_keys(value))
        if name != cursor and old and 4 * len(old & given) >= 3 * len(old) and _gone(name[0]):
            found.append(name)
    return found


def _gone(source: str) -> bool:
    """Whether the document a cursor names no longer exists; False when the cursor names
    a hash of a long path, which cannot be looked up."""
    path = Path(source.removeprefix(PREFIX))
    return path.is_absolute() and not path.exists()


def _moved_note(path: str, old_path: str, given: set[str], old_value: str) -> Note:
    old = set(_keys(old_value))
    return Note(text=f"{path}: read as {old_path} moved here ({len(old & given)} of its "
                     f"{len(old)} bullets are in it, and {old_path} no longer exists): "
                     "its bullets gone since its last import are retracted")


def _brag_cursors(cursors: dict[tuple[str, str], str]) -> Iterator[tuple[tuple[str, str], str]]:
    return ((name, value) for name, value in cursors.items()
            if name[1] == CURSOR_KEY and name[0].startswith(PREFIX))


def _keys(value: str) -> list[str]:
    return [key for key in value.split("\n") if key]
