"""Storing what an importer reads: one transaction, upserts keyed by source id, a summary.

The plugins in ``levelup.importers`` only yield records; this is where they meet the ledger.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine

from levelup.domain.models import Conversation, Entry, Incident
from levelup.domain.ownership import Ownership
from levelup.errors import LevelupError
from levelup.importers.base import (
    Cursor,
    Detected,
    ImportContext,
    Importer,
    Note,
    OwnershipReset,
    Record,
    Rekey,
    Retract,
    SameAs,
    Skipped,
    VisibilityHint,
)

if TYPE_CHECKING:
    from levelup.store.entry_staging import Staged
    from levelup.store.entry_upserts import LabelEntries

BATCH = 5000


class ImportFailed(LevelupError):
    """A bad record while bad ones are not skipped: the message is ``where: reason``."""


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


@dataclass(frozen=True, slots=True)
class Change:
    """One record a dry run would write or remove."""

    change: str  # new / updated / removed
    record: str  # entry / conversation / incident
    date: date
    title: str


@dataclass(slots=True)
class ImportSummary:
    """What an import did, or a dry run would do; ``as_json`` is the ``--json`` summary."""

    # new / updated / unchanged / removed / duplicates / dismissed
    counts: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)  # entries / conversations / incidents
    skipped: list[Skipped] = field(default_factory=list)
    kept: list[Skipped] = field(default_factory=list)  # retracted entries the user added to
    formats: list[str] = field(default_factory=list)
    hints: list[VisibilityHint] = field(default_factory=list)
    dry_run: bool = False
    changes: list[Change] = field(default_factory=list)  # filled by a dry run only
    notes: list[str] = field(default_factory=list)
    read: int = 0  # records the importer yielded (not in the JSON: a measure of progress)

    def as_json(self) -> dict[str, Any]:
        return {
            "new": self.counts["new"],
            "updated": self.counts["updated"],
            "unchanged": self.counts["unchanged"],
            "removed": self.counts["removed"],
            "duplicates": self.counts["duplicates"],  # already in the ledger from elsewhere
            "dismissed": self.counts["dismissed"],  # deleted by the user: not added again
            "skipped": [{"where": s.where, "reason": s.reason} for s in self.skipped],
            "kept": [{"where": s.where, "reason": s.reason} for s in self.kept],
            "records": dict(self.kinds),
            "formats": self.formats,
            "visibility_hints": [
                {"stakeholder": h.stakeholder, "date": h.date.isoformat(), "title": h.title}
                for h in self.hints
            ],
            "notes": self.notes,
            "dry_run": self.dry_run,
            **({"changes": [{"change": c.change, "record": c.record,
                             "date": c.date.isoformat(), "title": c.title}
                            for c in self.changes]} if self.dry_run else {}),
        }


@dataclass(slots=True)
class _Batches:
    entries: list[Entry] = field(default_factory=list)
    incidents: list[Incident] = field(default_factory=list)
    ownership: list[Ownership] = field(default_factory=list)
    retracted: list[Retract] = field(default_factory=list)
    # entry key -> keys of the same work from other importers (kept for the whole run)
    same_as: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=dict)
    staged: Staged | None = None  # new entries' rows written ahead (see entry_staging)


def run_import(
    engine: Engine,
    importer: Importer,
    inputs: list[str],
    context: ImportContext,
    *,
    dry_run: bool = False,
    skip_bad: bool = False,
    label: LabelEntries | None = None,
) -> ImportSummary:
    """Read every record of ``importer`` and store it in one transaction.

    A bad record aborts the whole import (nothing is written) unless ``skip_bad``.
    With ``dry_run`` everything is computed, then rolled back.
    """
    from levelup.services.opportunities import refresh_page_metrics
    from levelup.store.state import get_cursors

    summary = ImportSummary(dry_run=dry_run)
    with engine.connect() as conn:
        context.cursors = get_cursors(conn)
        conn.rollback()
        # Read, classify and stage before the transaction: SQLite has one writer at a time,
        # and a `levelup log` run meanwhile waits for the writing only.
        records = _read(importer.read(inputs, context), skip_bad=skip_bad)
        staged = _prepare(conn, records, label)
        try:
            with conn.begin():
                _consume(conn, records, summary, skip_bad=skip_bad, label=label, staged=staged)
                if summary.kinds["incidents"]:
                    refresh_page_metrics(conn)  # fixes measured by their page rate see the data
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        finally:
            if staged is not None:
                staged.drop(conn)
    return summary


def _read(records: Iterable[Record], *, skip_bad: bool) -> list[Record]:
    """Every record of the import, in order; a bad one fails it now, before any writing."""
    read: list[Record] = []
    for record in records:
        if isinstance(record, Skipped) and record.bad and not skip_bad:
            raise ImportFailed(f"{record.where}: {record.reason}")
        read.append(record)
    return read


def _prepare(conn: Connection, records: list[Record], label: LabelEntries | None) -> Staged | None:
    """Before writing, the slow part of adding the entries the ledger does not hold yet: their
    suggested labels and, on SQLite, their rows staged (``Staged``).

    Stored entries are labelled and scored while writing, only if they changed; so is every
    entry when the import renames keys (which entries are stored depends on the renaming).
    """
    from levelup.store.entry_staging import stage_entries
    from levelup.store.entry_upserts import unstored

    if any(isinstance(record, Rekey) for record in records):
        return None
    fresh = unstored(conn, entries=[r for r in records if isinstance(r, Entry)])
    conn.rollback()
    if not fresh:
        return None
    if label is not None:
        label(fresh)
    if conn.dialect.name != "sqlite":
        return None  # PostgreSQL writers do not wait for one another's transactions
    # No coach scores: at an import's size the coach costs more than the import; readers
    # score the few entries they rank (``store.entries.row_values``).
    return stage_entries(conn, entries=fresh, scores={})


def _consume(
    conn: Connection,
    records: Iterable[Record],
    summary: ImportSummary,
    *,
    skip_bad: bool,
    label: LabelEntries | None,
    staged: Staged | None = None,
) -> None:
    from levelup.store.records import upsert_conversation
    from levelup.store.state import set_cursor

    batches = _Batches(staged=staged)
    for record in records:
        summary.read += 1
        if isinstance(record, Entry):
            batches.entries.append(record)
            if len(batches.entries) >= BATCH:
                _flush_entries(conn, batches, summary, label)
        elif isinstance(record, Conversation):
            outcome = upsert_conversation(conn, conversation=record)
            summary.counts[outcome] += 1
            summary.kinds["conversations"] += 1
            if summary.dry_run and outcome != "unchanged":
                summary.changes.append(Change(outcome, "conversation", record.date,
                                              f"{record.kind} with {record.with_}"))
        elif isinstance(record, Incident):
            batches.incidents.append(record)
            if len(batches.incidents) >= BATCH:
                _flush_incidents(conn, batches, summary)
        elif isinstance(record, Ownership):
            batches.ownership.append(record)
            if len(batches.ownership) >= BATCH:
                _flush_ownership(conn, batches)
        elif isinstance(record, OwnershipReset):
            _flush_ownership(conn, batches)
            _reset_ownership(conn, record.repo)
        elif isinstance(record, Retract):
            batches.retracted.append(record)
        elif isinstance(record, Rekey):
            _flush_entries(conn, batches, summary, label)
            _rekey(conn, record)
        elif isinstance(record, SameAs):
            batches.same_as.setdefault((record.source, record.source_id), []).append(
                (record.other_source, record.other_source_id))
        elif isinstance(record, Cursor):
            set_cursor(conn, source=record.source, key=record.key, value=record.value)
        elif isinstance(record, Skipped):
            if record.bad and not skip_bad:
                raise ImportFailed(f"{record.where}: {record.reason}")
            summary.skipped.append(record)
        elif isinstance(record, Detected):
            summary.formats.append(record.format)
        elif isinstance(record, VisibilityHint):
            summary.hints.append(record)
        elif isinstance(record, Note) and record.text not in summary.notes:
            summary.notes.append(record.text)
    _flush_entries(conn, batches, summary, label)
    _flush_incidents(conn, batches, summary)
    _flush_ownership(conn, batches)
    _retract(conn, batches.retracted, summary)


def _flush_entries(
    conn: Connection, batches: _Batches, summary: ImportSummary, label: LabelEntries | None
) -> None:
    if not batches.entries:
        return
    from levelup.store.entry_upserts import upsert_entries

    # labels are suggested only for entries that are written (new or changed)
    changes: list[tuple[str, Entry]] | None = [] if summary.dry_run else None
    summary.counts.update(upsert_entries(conn, entries=batches.entries, label=label,
                                         changes=changes, same_as=batches.same_as,
                                         staged=batches.staged))
    summary.changes += [Change(outcome, "entry", e.date, e.title) for outcome, e in changes or ()]
    summary.kinds["entries"] += len(batches.entries)
    batches.entries = []


def _flush_incidents(conn: Connection, batches: _Batches, summary: ImportSummary) -> None:
    if not batches.incidents:
        return
    from levelup.store.incidents import upsert_incidents

    changes: list[tuple[str, Incident]] | None = [] if summary.dry_run else None
    for outcome, count in upsert_incidents(conn, incidents=batches.incidents,
                                           changes=changes).items():
        summary.counts[outcome] += count
    summary.changes += [Change(outcome, "incident", i.created.date(), i.title)
                        for outcome, i in changes or ()]
    summary.kinds["incidents"] += len(batches.incidents)
    batches.incidents = []


def _flush_ownership(conn: Connection, batches: _Batches) -> None:
    if not batches.ownership:
        return
    from levelup.store.ownership import merge_ownership

    merge_ownership(conn, rows=batches.ownership)
    batches.ownership = []


def _reset_ownership(conn: Connection, repo: str) -> None:
    from levelup.store.ownership import delete_ownership

    delete_ownership(conn, repo=repo)


def _rekey(conn: Connection, record: Rekey) -> None:
    from levelup.store.entry_upserts import rekey_entries

    rekey_entries(conn, source=record.source, old_prefix=record.old_prefix,
                  new_prefix=record.new_prefix)


def _retract(conn: Connection, retracted: list[Retract], summary: ImportSummary) -> None:
    _retract_entries(conn, [r for r in retracted if r.kind == "entries"], summary)
    _retract_conversations(conn, [r for r in retracted if r.kind == "conversations"], summary)


def _retract_entries(conn: Connection, retracted: list[Retract], summary: ImportSummary) -> None:
    if not retracted:
        return
    from levelup.store.entry_upserts import retract_entries

    removed, kept = retract_entries(conn, keys=[(r.source, r.source_id) for r in retracted])
    summary.counts["removed"] += len(removed)
    if summary.dry_run:
        summary.changes += [Change("removed", "entry", e.date, e.title) for e in removed]
    summary.kept += [Skipped(where=f"entry {entry.id} {entry.title!r}",
                             reason="no longer stands, kept because you added to it")
                     for entry in kept]


def _retract_conversations(
    conn: Connection, retracted: list[Retract], summary: ImportSummary
) -> None:
    if not retracted:
        return
    from levelup.store.records import retract_conversations

    removed, kept = retract_conversations(
        conn, imported={(r.source, r.source_id): r.notes for r in retracted})
    summary.counts["removed"] += len(removed)
    if summary.dry_run:
        summary.changes += [Change("removed", "conversation", c.date, f"{c.kind} with {c.with_}")
                            for c in removed]
    summary.kept += [Skipped(where=f"conversation {c.id} {c.kind} with {c.with_} on {c.date}",
                             reason="no longer stands, kept because you added to it")
                     for c in kept]
