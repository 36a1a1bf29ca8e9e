"""Imported entries: upsert by (source, source_id), retract, and rename keys, for one owner.

The bulk paths (one lookup of stored keys per chunk, one INSERT … RETURNING per chunk) are the
hot path of a large import; the results are the same as storing entries one by one.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Literal, Protocol

from sqlalchemy import Connection, delete, func, insert, or_, select, update

from levelup.domain.models import STORY_FIELDS, Entry
from levelup.store import tables as t
from levelup.store.entries import (
    Key,
    add_entry,
    by_source,
    child_rows,
    chunks,
    entry_key,
    fingerprint,
    get_entry,
    insert_child_rows,
    label_rows,
    load_entries,
    replace_entry,
    row_values,
    select_entries,
)
from levelup.store.entry_staging import Staged
from levelup.store.scope import owned


class LabelEntries(Protocol):
    """Suggests labels for the unlabelled entries of a list (``services.labelling.Labeller``)."""

    def __call__(self, entries: list[Entry], /) -> None: ...

    def start(self, entries: list[Entry], /) -> Callable[[], None]:
        """Begin; the returned function waits until the entries are labelled."""
        ...


Upsert = Literal["new", "updated", "unchanged"]


def _comparable(entry: Entry) -> tuple[Any, ...]:
    return (
        entry.title,
        entry.details,
        entry.date,
        entry.end_date,
        entry.kind,
        entry.project,
        entry.status,
        sorted((m.name, m.baseline, m.result, m.unit, m.better or "") for m in entry.metrics),
        sorted(entry.links),
        sorted((q.quote, q.author) for q in entry.testimonials),
        tuple(getattr(entry, name) for name in STORY_FIELDS),
    )


def upsert_entry(conn: Connection, *, entry: Entry) -> Upsert:
    """Insert or refresh an imported entry keyed by (source, source_id).

    Labels the user confirmed on the stored entry are kept; suggestions are refreshed.
    """
    found = conn.execute(
        select(t.entries.c.id).where(
            owned(conn, t.entries), t.entries.c.source == entry.source,
            t.entries.c.source_id == entry.source_id,
        )
    ).scalar()
    if found is None:
        add_entry(conn, entry=entry)
        return "new"
    stored = get_entry(conn, entry_id=int(found))
    _keep_story(stored, entry)
    if _comparable(stored) == _comparable(entry):
        return "unchanged"
    entry.id, entry.uid = stored.id, stored.uid
    if any(lab.confirmed for lab in stored.outcomes + stored.competencies):
        entry.outcomes, entry.competencies = stored.outcomes, stored.competencies
    replace_entry(conn, entry=entry)
    return "updated"


Changes = list[tuple[str, Entry]]  # ("new" | "updated", entry), in the order written


def upsert_entries(
    conn: Connection, *, entries: Sequence[Entry], label: LabelEntries | None = None,
    changes: Changes | None = None, same_as: Mapping[Key, Sequence[Key]] | None = None,
    staged: Staged | None = None,
) -> Counter[str]:
    """``upsert_entry`` for many entries at once: counts of new / updated / unchanged.

    One lookup of the stored keys per chunk, one bulk insert of the new entries and of their
    children; only changed entries are rewritten. Same result as upserting one by one.
    ``label`` fills the suggested labels of an unlabelled entry, only if it will be written.
    ``changes``, when given, receives each entry written and whether it was new or updated.
    ``same_as`` names, per entry key, other keys of the same work: a new entry one of whose
    other keys is stored is not added (counted as ``duplicates``). New entries ``staged``
    beforehand are added from there (see ``stage_entries``).
    """
    counts: Counter[str] = Counter()
    batch: list[Entry] = []
    keys: set[tuple[str, str]] = set()
    for entry in entries:
        if entry.source_id is None:
            _label([entry], label)
            outcome = upsert_entry(conn, entry=entry)
            counts[outcome] += 1
            if changes is not None and outcome != "unchanged":
                changes.append((outcome, entry))
            continue
        key = (entry.source, entry.source_id)
        if key in keys:  # a repeat is compared with the first one, as one by one would
            counts += _upsert_batch(conn, batch, label, changes, same_as, staged)
            batch, keys = [], set()
        batch.append(entry)
        keys.add(key)
    counts += _upsert_batch(conn, batch, label, changes, same_as, staged)
    return counts


def _label(entries: list[Entry], label: LabelEntries | None) -> None:
    if label is not None and entries:
        label(entries)  # it fills the unlabelled ones


def _upsert_batch(
    conn: Connection, entries: list[Entry], label: LabelEntries | None, changes: Changes | None,
    same_as: Mapping[Key, Sequence[Key]] | None, staged: Staged | None = None,
) -> Counter[str]:
    """Upsert entries whose (source, source_id) keys are all distinct and set."""
    counts: Counter[str] = Counter()
    for chunk in chunks(entries):
        stored_ids = _stored_ids(conn, [entry_key(e) for e in chunk])
        fresh = [e for e in chunk if entry_key(e) not in stored_ids]
        if same_as and fresh:
            elsewhere = _stored_elsewhere(conn, [entry_key(e) for e in fresh], same_as)
            fresh = [e for e in fresh if entry_key(e) not in elsewhere]
            counts["duplicates"] += len(elsewhere)
        if fresh and (deleted := _dismissed(conn, fresh)):
            fresh = [e for e in fresh if entry_key(e) not in deleted]
            counts["dismissed"] += len(deleted)  # the user deleted them: not added again
        _add_entries(conn, fresh, label, staged)
        counts["new"] += len(fresh)
        if changes is not None:
            changes += [("new", entry) for entry in fresh]
        known = [e for e in chunk if entry_key(e) in stored_ids]
        if not known:
            continue
        stored = {
            entry_key(e): e
            for e in load_entries(
                conn, select_entries(conn).where(t.entries.c.id.in_(list(stored_ids.values())))
            )
        }
        changed = []
        for entry in known:
            before = stored[entry_key(entry)]
            _keep_story(before, entry)
            if _comparable(before) == _comparable(entry) and not _labels_moved(before, entry):
                counts["unchanged"] += 1
                continue
            entry.id, entry.uid = before.id, before.uid
            if any(lab.confirmed for lab in before.outcomes + before.competencies):
                entry.outcomes, entry.competencies = before.outcomes, before.competencies
            changed.append(entry)
        _label(changed, label)
        for entry in changed:
            replace_entry(conn, entry=entry)
        counts["updated"] += len(changed)
        if changes is not None:
            changes += [("updated", entry) for entry in changed]
    return counts


def _keep_story(before: Entry, entry: Entry) -> None:
    """The parts of the story the user wrote stay, unless the source now tells them."""
    for name in STORY_FIELDS:
        if not getattr(entry, name):
            setattr(entry, name, getattr(before, name))


def _labels_moved(before: Entry, entry: Entry) -> bool:
    """The importer's own labels changed (e.g. a new tag map) and the user confirmed none."""
    if not (entry.outcomes or entry.competencies):
        return False  # the classifier fills those: nothing the importer asserts
    if any(lab.confirmed for lab in before.outcomes + before.competencies):
        return False
    return _label_ids(before) != _label_ids(entry)


def _label_ids(entry: Entry) -> tuple[list[str], list[str]]:
    return sorted(lab.id for lab in entry.outcomes), sorted(lab.id for lab in entry.competencies)


def _stored_elsewhere(
    conn: Connection, keys: list[Key], same_as: Mapping[Key, Sequence[Key]]
) -> set[Key]:
    """Which of ``keys`` name work already stored under one of its ``same_as`` keys.

    The other keys compare ignoring letter case: host names, and GitHub's owner and
    repository names, are the same whatever case a remote or a URL spells them in.
    """
    folded = {key: {(s, i.lower()) for s, i in same_as.get(key, ())} for key in keys}
    others = set().union(*folded.values())
    lowered = func.lower(t.entries.c.source_id)
    stored: set[Key] = set()
    # by the folded id alone: SQLite, without statistics, would scan the source's rows
    for chunk in chunks(sorted({source_id for _, source_id in others})):
        rows = conn.execute(select(t.entries.c.source, lowered).where(
            owned(conn, t.entries), lowered.in_(chunk)))
        stored.update((source, id_) for source, id_ in rows if (source, id_) in others)
    return {key for key in keys if folded[key] & stored}


def unstored(conn: Connection, *, entries: Sequence[Entry]) -> list[Entry]:
    """The entries whose (source, source_id) key no stored entry has (read only)."""
    keyed = [entry for entry in entries if entry.source_id is not None]
    stored: set[Key] = set()
    for chunk in chunks([entry_key(entry) for entry in keyed]):
        stored.update(_stored_ids(conn, chunk))
    return [entry for entry in entries
            if entry.source_id is None or entry_key(entry) not in stored]


def _stored_ids(conn: Connection, keys: list[Key]) -> dict[Key, int]:
    """The ids of the stored entries with these (source, source_id) keys."""
    found: dict[Key, int] = {}
    for source, source_ids in by_source(keys).items():
        rows = conn.execute(
            select(t.entries.c.source_id, t.entries.c.id).where(
                owned(conn, t.entries), t.entries.c.source == source,
                t.entries.c.source_id.in_(source_ids),
            )
        )
        found.update({(source, source_id): int(id_) for source_id, id_ in rows})
    return found


def _add_entries(conn: Connection, entries: list[Entry], label: LabelEntries | None = None,
                 staged: Staged | None = None) -> None:
    """``add_entry`` for many: one INSERT … RETURNING for the entries, one per child table.

    ``label`` suggests labels for the unlabelled ones while the rows are written (in another
    process when it has one); the label rows follow once it is done. Entries ``staged``
    beforehand (labelled then) are added from their staging tables.
    """
    if staged is not None and (ready := [e for e in entries if e.uid in staged.uids]):
        staged.add(conn, ready)
        entries = [e for e in entries if e.uid not in staged.uids]
    if not entries:
        return
    finish = label.start(entries) if label is not None else None
    projects: dict[str, int | None] = {}
    now = datetime.now().replace(microsecond=0)
    rows = []
    for entry in entries:
        values = row_values(conn, entry, projects, scored=False)
        entry.created_at = values["created_at"] = entry.created_at or now
        rows.append(values)
    # Ids come back matched by uid: asking for them in parameter order would make SQLAlchemy
    # send one INSERT per row on SQLite instead of a thousand rows per statement.
    statement = insert(t.entries).returning(t.entries.c.uid, t.entries.c.id)
    ids: dict[str, int] = dict(conn.execute(statement, rows).all())
    children: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for entry in entries:
        entry.id = int(ids[entry.uid])
        for table, table_rows in child_rows(entry.id, entry, labels=finish is None).items():
            children[table] += table_rows
    insert_child_rows(conn, children)
    if finish is not None:
        finish()
        labels = [row for entry in entries for row in label_rows(ids[entry.uid], entry)]
        insert_child_rows(conn, {t.entry_labels: labels})


def _dismissed(conn: Connection, entries: list[Entry]) -> set[Key]:
    """Which of these entries the user deleted, as they are; a deletion of other work under
    the same key is forgotten (that entry comes back)."""
    dismissed = t.dismissed_imports
    wanted = {entry_key(e): fingerprint(e) for e in entries}
    found: set[Key] = set()
    for source, source_ids in by_source(list(wanted)).items():
        rows = conn.execute(select(dismissed.c.source_id, dismissed.c.fingerprint).where(
            owned(conn, dismissed), dismissed.c.source == source,
            dismissed.c.source_id.in_(source_ids))).all()
        same = {source_id for source_id, fingerprint in rows
                if wanted[(source, source_id)] == fingerprint}
        found.update((source, source_id) for source_id in same)
        if other := [source_id for source_id, _ in rows if source_id not in same]:
            conn.execute(delete(dismissed).where(owned(conn, dismissed),
                                                 dismissed.c.source == source,
                                                 dismissed.c.source_id.in_(other)))
    return found


def source_ids_under(conn: Connection, *, source: str, prefix: str) -> list[str]:
    """The source ids of ``source``'s entries that start with ``prefix``."""
    return list(conn.execute(select(t.entries.c.source_id).where(
        owned(conn, t.entries), t.entries.c.source == source,
        t.entries.c.source_id.startswith(prefix, autoescape=True))).scalars())


def rekey_entries(conn: Connection, *, source: str, old_prefix: str, new_prefix: str) -> int:
    """Give ``source``'s entries under ``old_prefix`` that prefix instead; an entry whose new
    key another entry holds already keeps its old one. Returns how many were renamed."""
    taken = set(source_ids_under(conn, source=source, prefix=new_prefix))
    renamed = 0
    for source_id in source_ids_under(conn, source=source, prefix=old_prefix):
        new_id = new_prefix + source_id.removeprefix(old_prefix)
        if new_id not in taken:
            conn.execute(update(t.entries).where(
                owned(conn, t.entries), t.entries.c.source == source,
                t.entries.c.source_id == source_id,
            ).values(source_id=new_id))
            renamed += 1
    dismissed = t.dismissed_imports
    gone = conn.execute(select(dismissed.c.source_id).where(
        owned(conn, dismissed), dismissed.c.source == source,
        dismissed.c.source_id.startswith(old_prefix, autoescape=True))).scalars().all()
    for source_id in gone:  # the entries the user deleted stay deleted under the new name
        conn.execute(update(dismissed).where(
            owned(conn, dismissed), dismissed.c.source == source,
            dismissed.c.source_id == source_id,
        ).values(source_id=new_prefix + source_id.removeprefix(old_prefix)))
    return renamed


def retract_entries(
    conn: Connection, *, keys: Sequence[tuple[str, str]]
) -> tuple[list[Entry], list[Entry]]:
    """Delete imported entries by (source, source_id) unless the user added to them.

    An entry with confirmed labels, metrics, quotes, a story, or that a stakeholder was told
    about or feedback names, is kept. Returns the entries deleted and the entries kept.
    """
    found: dict[int, tuple[str, str]] = {}
    for source, source_ids in by_source(keys).items():
        for chunk in chunks(source_ids):
            rows = conn.execute(select(t.entries.c.id, t.entries.c.source_id).where(
                owned(conn, t.entries), t.entries.c.source == source,
                t.entries.c.source_id.in_(chunk)))
            found.update({int(id_): (source, source_id) for id_, source_id in rows})
    if not found:
        return [], []
    entries = load_entries(conn, select_entries(conn).where(t.entries.c.id.in_(list(found))))
    touched = set(_user_added(conn, list(found)))
    gone = [entry for entry in entries if entry.id not in touched]
    for chunk in chunks([entry.id for entry in gone]):
        conn.execute(delete(t.entries).where(t.entries.c.id.in_(chunk), owned(conn, t.entries)))
    return gone, [entry for entry in entries if entry.id in touched]


def _user_added(conn: Connection, ids: list[int]) -> Iterable[int]:
    """Which of ``ids`` hold something the user put there."""
    labels = t.entry_labels
    story = or_(*(t.entries.c[name] != "" for name in STORY_FIELDS))
    for chunk in chunks(ids):
        yield from conn.execute(select(t.entries.c.id).where(
            t.entries.c.id.in_(chunk), story)).scalars()
        yield from conn.execute(select(labels.c.entry_id).where(
            labels.c.entry_id.in_(chunk), labels.c.confirmed.is_(True))).scalars()
        for table in (t.entry_metrics, t.testimonials, t.visibility_entries,
                      t.feedback_entries):
            yield from conn.execute(select(table.c.entry_id).where(
                table.c.entry_id.in_(chunk))).scalars()


