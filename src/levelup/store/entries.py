"""Repository functions for entries and their labels, metrics, links and testimonials."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, Literal, Protocol

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    delete,
    func,
    insert,
    select,
    update,
)

from levelup.domain.models import Entry, Label, Metric, Testimonial
from levelup.errors import NotFound
from levelup.store import tables as t


class LabelEntries(Protocol):
    """Suggests labels for the unlabelled entries of a list (``services.labelling.Labeller``)."""

    def __call__(self, entries: list[Entry], /) -> None: ...

    def start(self, entries: list[Entry], /) -> Callable[[], None]:
        """Begin; the returned function waits until the entries are labelled."""
        ...


Upsert = Literal["new", "updated", "unchanged"]
_CHUNK = 900  # stay under SQLite's bound-parameter limit


def project_id(conn: Connection, name: str | None, uid: str | None = None) -> int | None:
    """The id of the project called ``name``, creating it (with ``uid``) on first use."""
    if not name:
        return None
    found = conn.execute(select(t.projects.c.id).where(t.projects.c.name == name)).scalar()
    if found is not None:
        return int(found)
    from levelup.domain.models import new_uid

    values = {"uid": uid or new_uid(), "name": name, "status": "active"}
    result = conn.execute(insert(t.projects).values(values))
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def _row_values(
    conn: Connection, entry: Entry, projects: dict[str, int | None] | None = None
) -> dict[str, Any]:
    """The entries row of ``entry``; ``projects`` caches project ids by name across calls."""
    if projects is None:
        project = project_id(conn, entry.project)
    elif entry.project and entry.project not in projects:
        project = projects[entry.project] = project_id(conn, entry.project)
    else:
        project = projects.get(entry.project or "")
    return {
        "uid": entry.uid,
        "date": entry.date,
        "end_date": entry.end_date,
        "title": entry.title,
        "details": entry.details,
        "kind": entry.kind,
        "project_id": project,
        "source": entry.source,
        "source_id": entry.source_id,
        "status": entry.status,
    }


def _insert_children(conn: Connection, entry_id: int, entry: Entry) -> None:
    _insert_child_rows(conn, _child_rows(entry_id, entry))


def _child_rows(
    entry_id: int, entry: Entry, *, labels: bool = True
) -> dict[Any, list[dict[str, Any]]]:
    """The rows of every child table of one entry (the labels' too, unless not ``labels``)."""
    metrics = [
        {"entry_id": entry_id, "name": m.name, "baseline": m.baseline, "result": m.result,
         "unit": m.unit}
        for m in entry.metrics
    ]
    return {
        t.entry_labels: _label_rows(entry_id, entry) if labels else [],
        t.entry_metrics: metrics,
        t.entry_links: [{"entry_id": entry_id, "url": url} for url in entry.links],
        t.testimonials: [
            {"entry_id": entry_id, "quote": q.quote, "author": q.author}
            for q in entry.testimonials
        ],
    }


def _label_rows(entry_id: int, entry: Entry) -> list[dict[str, Any]]:
    return [
        {
            "entry_id": entry_id,
            "vocab": vocab,
            "label": lab.id,
            "confirmed": lab.confirmed,
            "score": lab.score,
            "position": position,
        }
        for vocab, group in (("outcome", entry.outcomes), ("competency", entry.competencies))
        for position, lab in enumerate(group)
    ]


def _insert_child_rows(conn: Connection, rows: dict[Any, list[dict[str, Any]]]) -> None:
    for table, table_rows in rows.items():
        if table_rows:
            conn.execute(insert(table), table_rows)  # executemany


def add_entry(conn: Connection, *, entry: Entry) -> Entry:
    """Insert ``entry`` with its children; returns it with ``id`` and ``created_at`` set."""
    values = _row_values(conn, entry)
    values["created_at"] = entry.created_at or datetime.now().replace(microsecond=0)
    result = conn.execute(insert(t.entries).values(values))
    entry.id = int(result.inserted_primary_key[0])  # type: ignore[index]
    entry.created_at = values["created_at"]
    _insert_children(conn, entry.id, entry)
    return entry


def replace_entry(conn: Connection, *, entry: Entry) -> Entry:
    """Overwrite the stored entry ``entry.id`` with every field and child of ``entry``."""
    if entry.id is None:
        raise NotFound("entry has no id")
    values = _row_values(conn, entry)
    done = conn.execute(update(t.entries).where(t.entries.c.id == entry.id).values(values))
    if done.rowcount == 0:
        raise NotFound(f"no entry with id {entry.id}")
    for table in (t.entry_labels, t.entry_metrics, t.entry_links, t.testimonials):
        conn.execute(delete(table).where(table.c.entry_id == entry.id))
    _insert_children(conn, entry.id, entry)
    return entry


def _comparable(entry: Entry) -> tuple[Any, ...]:
    return (
        entry.title,
        entry.details,
        entry.date,
        entry.end_date,
        entry.kind,
        entry.project,
        entry.status,
        sorted((m.name, m.baseline, m.result, m.unit) for m in entry.metrics),
        sorted(entry.links),
        sorted((q.quote, q.author) for q in entry.testimonials),
    )


def upsert_entry(conn: Connection, *, entry: Entry) -> Upsert:
    """Insert or refresh an imported entry keyed by (source, source_id).

    Labels the user confirmed on the stored entry are kept; suggestions are refreshed.
    """
    found = conn.execute(
        select(t.entries.c.id).where(
            t.entries.c.source == entry.source, t.entries.c.source_id == entry.source_id
        )
    ).scalar()
    if found is None:
        add_entry(conn, entry=entry)
        return "new"
    stored = get_entry(conn, entry_id=int(found))
    if _comparable(stored) == _comparable(entry):
        return "unchanged"
    entry.id, entry.uid = stored.id, stored.uid
    if any(lab.confirmed for lab in stored.outcomes + stored.competencies):
        entry.outcomes, entry.competencies = stored.outcomes, stored.competencies
    replace_entry(conn, entry=entry)
    return "updated"


Changes = list[tuple[str, Entry]]  # ("new" | "updated", entry), in the order written
Key = tuple[str, str]  # (source, source_id)


def upsert_entries(
    conn: Connection, *, entries: Sequence[Entry], label: LabelEntries | None = None,
    changes: Changes | None = None, same_as: Mapping[Key, Sequence[Key]] | None = None,
) -> Counter[str]:
    """``upsert_entry`` for many entries at once: counts of new / updated / unchanged.

    One lookup of the stored keys per chunk, one bulk insert of the new entries and of their
    children; only changed entries are rewritten. Same result as upserting one by one.
    ``label`` fills the suggested labels of an unlabelled entry, only if it will be written.
    ``changes``, when given, receives each entry written and whether it was new or updated.
    ``same_as`` names, per entry key, other keys of the same work: a new entry one of whose
    other keys is stored is not added (counted as ``duplicates``).
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
            counts += _upsert_batch(conn, batch, label, changes, same_as)
            batch, keys = [], set()
        batch.append(entry)
        keys.add(key)
    counts += _upsert_batch(conn, batch, label, changes, same_as)
    return counts


def _label(entries: list[Entry], label: LabelEntries | None) -> None:
    if label is not None and entries:
        label(entries)  # it fills the unlabelled ones


def _upsert_batch(
    conn: Connection, entries: list[Entry], label: LabelEntries | None, changes: Changes | None,
    same_as: Mapping[Key, Sequence[Key]] | None,
) -> Counter[str]:
    """Upsert entries whose (source, source_id) keys are all distinct and set."""
    counts: Counter[str] = Counter()
    for chunk in _chunks(entries):
        stored_ids = _stored_ids(conn, [_key(e) for e in chunk])
        fresh = [e for e in chunk if _key(e) not in stored_ids]
        if same_as and fresh:
            elsewhere = _stored_elsewhere(conn, [_key(e) for e in fresh], same_as)
            fresh = [e for e in fresh if _key(e) not in elsewhere]
            counts["duplicates"] += len(elsewhere)
        if fresh and (deleted := _dismissed(conn, fresh)):
            fresh = [e for e in fresh if _key(e) not in deleted]
            counts["dismissed"] += len(deleted)  # the user deleted them: not added again
        _add_entries(conn, fresh, label)
        counts["new"] += len(fresh)
        if changes is not None:
            changes += [("new", entry) for entry in fresh]
        known = [e for e in chunk if _key(e) in stored_ids]
        if not known:
            continue
        stored = {
            _key(e): e
            for e in load_entries(
                conn, select_entries().where(t.entries.c.id.in_(list(stored_ids.values())))
            )
        }
        changed = []
        for entry in known:
            before = stored[_key(entry)]
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


def _labels_moved(before: Entry, entry: Entry) -> bool:
    """The importer's own labels changed (e.g. a new tag map) and the user confirmed none."""
    if not (entry.outcomes or entry.competencies):
        return False  # the classifier fills those: nothing the importer asserts
    if any(lab.confirmed for lab in before.outcomes + before.competencies):
        return False
    return _label_ids(before) != _label_ids(entry)


def _label_ids(entry: Entry) -> tuple[list[str], list[str]]:
    return sorted(lab.id for lab in entry.outcomes), sorted(lab.id for lab in entry.competencies)


def _key(entry: Entry) -> Key:
    assert entry.source_id is not None
    return entry.source, entry.source_id


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
    for chunk in _chunks(sorted({source_id for _, source_id in others})):
        rows = conn.execute(select(t.entries.c.source, lowered).where(lowered.in_(chunk)))
        stored.update((source, id_) for source, id_ in rows if (source, id_) in others)
    return {key for key in keys if folded[key] & stored}


def _stored_ids(conn: Connection, keys: list[Key]) -> dict[Key, int]:
    """The ids of the stored entries with these (source, source_id) keys."""
    found: dict[Key, int] = {}
    for source, source_ids in _by_source(keys).items():
        rows = conn.execute(
            select(t.entries.c.source_id, t.entries.c.id).where(
                t.entries.c.source == source, t.entries.c.source_id.in_(source_ids)
            )
        )
        found.update({(source, source_id): int(id_) for source_id, id_ in rows})
    return found


def _add_entries(conn: Connection, entries: list[Entry], label: LabelEntries | None = None) -> None:
    """``add_entry`` for many: one INSERT … RETURNING for the entries, one per child table.

    ``label`` suggests labels for the unlabelled ones while the rows are written (in another
    process when it has one); the label rows follow once it is done.
    """
    if not entries:
        return
    finish = label.start(entries) if label is not None else None
    projects: dict[str, int | None] = {}
    now = datetime.now().replace(microsecond=0)
    rows = []
    for entry in entries:
        values = _row_values(conn, entry, projects)
        entry.created_at = values["created_at"] = entry.created_at or now
        rows.append(values)
    # Ids come back matched by uid: asking for them in parameter order would make SQLAlchemy
    # send one INSERT per row on SQLite instead of a thousand rows per statement.
    statement = insert(t.entries).returning(t.entries.c.uid, t.entries.c.id)
    ids: dict[str, int] = dict(conn.execute(statement, rows).all())
    children: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for entry in entries:
        entry.id = int(ids[entry.uid])
        for table, table_rows in _child_rows(entry.id, entry, labels=finish is None).items():
            children[table] += table_rows
    _insert_child_rows(conn, children)
    if finish is not None:
        finish()
        labels = [row for entry in entries for row in _label_rows(ids[entry.uid], entry)]
        _insert_child_rows(conn, {t.entry_labels: labels})


def delete_entries(conn: Connection, *, ids: Sequence[int]) -> None:
    """Delete entries by id; every id must exist, else nothing is deleted. Imported ones are
    remembered, so that importing the same work again does not add them back."""
    require_entries(conn, ids)
    now = datetime.now()
    dismissed = t.dismissed_imports
    for chunk in _chunks(list(ids)):
        gone = [e for e in load_entries(conn, select_entries().where(t.entries.c.id.in_(chunk)))
                if e.source_id is not None]
        for source, source_ids in _by_source([_key(e) for e in gone]).items():
            conn.execute(delete(dismissed).where(dismissed.c.source == source,
                                                 dismissed.c.source_id.in_(source_ids)))
        if gone:
            conn.execute(insert(dismissed), [
                {"source": e.source, "source_id": e.source_id, "fingerprint": _fingerprint(e),
                 "deleted_at": now} for e in gone])
        conn.execute(delete(t.entries).where(t.entries.c.id.in_(chunk)))


def _fingerprint(entry: Entry) -> str:
    """What an imported entry stood for, as far as a deletion goes: its title and dates (a
    work item that gained a commit since, or a row edited in its file, is other work)."""
    text = f"{entry.title}\x1f{entry.date}\x1f{entry.end_date}"
    return hashlib.sha1(text.encode()).hexdigest()


def _dismissed(conn: Connection, entries: list[Entry]) -> set[Key]:
    """Which of these entries the user deleted, as they are; a deletion of other work under
    the same key is forgotten (that entry comes back)."""
    dismissed = t.dismissed_imports
    wanted = {_key(e): _fingerprint(e) for e in entries}
    found: set[Key] = set()
    for source, source_ids in _by_source(list(wanted)).items():
        rows = conn.execute(select(dismissed.c.source_id, dismissed.c.fingerprint).where(
            dismissed.c.source == source, dismissed.c.source_id.in_(source_ids))).all()
        same = {source_id for source_id, fingerprint in rows
                if wanted[(source, source_id)] == fingerprint}
        found.update((source, source_id) for source_id in same)
        if other := [source_id for source_id, _ in rows if source_id not in same]:
            conn.execute(delete(dismissed).where(dismissed.c.source == source,
                                                 dismissed.c.source_id.in_(other)))
    return found


def source_ids_under(conn: Connection, *, source: str, prefix: str) -> list[str]:
    """The source ids of ``source``'s entries that start with ``prefix``."""
    return list(conn.execute(select(t.entries.c.source_id).where(
        t.entries.c.source == source,
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
                t.entries.c.source == source, t.entries.c.source_id == source_id,
            ).values(source_id=new_id))
            renamed += 1
    dismissed = t.dismissed_imports
    gone = conn.execute(select(dismissed.c.source_id).where(
        dismissed.c.source == source,
        dismissed.c.source_id.startswith(old_prefix, autoescape=True))).scalars().all()
    for source_id in gone:  # the entries the user deleted stay deleted under the new name
        conn.execute(update(dismissed).where(
            dismissed.c.source == source, dismissed.c.source_id == source_id,
        ).values(source_id=new_prefix + source_id.removeprefix(old_prefix)))
    return renamed


def retract_entries(
    conn: Connection, *, keys: Sequence[tuple[str, str]]
) -> tuple[list[Entry], list[Entry]]:
    """Delete imported entries by (source, source_id) unless the user added to them.

    An entry with confirmed labels, metrics, quotes, or that a stakeholder was told about or
    feedback names, is kept. Returns the entries deleted and the entries kept.
    """
    found: dict[int, tuple[str, str]] = {}
    for source, source_ids in _by_source(keys).items():
        for chunk in _chunks(source_ids):
            rows = conn.execute(select(t.entries.c.id, t.entries.c.source_id).where(
                t.entries.c.source == source, t.entries.c.source_id.in_(chunk)))
            found.update({int(id_): (source, source_id) for id_, source_id in rows})
    if not found:
        return [], []
    entries = load_entries(conn, select_entries().where(t.entries.c.id.in_(list(found))))
    touched = set(_user_added(conn, list(found)))
    gone = [entry for entry in entries if entry.id not in touched]
    for chunk in _chunks([entry.id for entry in gone]):
        conn.execute(delete(t.entries).where(t.entries.c.id.in_(chunk)))
    return gone, [entry for entry in entries if entry.id in touched]


def _by_source(keys: Sequence[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for source, source_id in keys:
        grouped[source].append(source_id)
    return grouped


def _user_added(conn: Connection, ids: list[int]) -> Iterable[int]:
    """Which of ``ids`` hold something the user put there."""
    labels = t.entry_labels
    for chunk in _chunks(ids):
        yield from conn.execute(select(labels.c.entry_id).where(
            labels.c.entry_id.in_(chunk), labels.c.confirmed.is_(True))).scalars()
        for table in (t.entry_metrics, t.testimonials, t.visibility_entries,
                      t.feedback_entries):
            yield from conn.execute(select(table.c.entry_id).where(
                table.c.entry_id.in_(chunk))).scalars()


def require_entries(conn: Connection, ids: Iterable[int]) -> None:
    """Raise NotFound naming every id that is not an entry."""
    missing = set(ids) - set(existing_ids(conn, ids))
    if missing:
        raise NotFound(f"no entry with id {', '.join(map(str, sorted(missing)))}")


def existing_ids(conn: Connection, ids: Iterable[int]) -> list[int]:
    found: list[int] = []
    for chunk in _chunks(list(ids)):
        found += conn.execute(select(t.entries.c.id).where(t.entries.c.id.in_(chunk))).scalars()
    return found


def get_entry(conn: Connection, *, entry_id: int) -> Entry:
    entries = load_entries(conn, select_entries().where(t.entries.c.id == entry_id))
    if not entries:
        raise NotFound(f"no entry with id {entry_id} (see `levelup list`)")
    return entries[0]


def select_entries() -> Select[Any]:
    """The base query of entries with their project name; add filters and order to it.

    Its columns are the fields ``_entry`` unpacks, in that order.
    """
    c = t.entries.c
    return select(
        c.id, c.uid, c.date, c.end_date, c.title, c.details, c.kind,
        t.projects.c.name.label("project_name"), c.source, c.source_id, c.status, c.created_at,
    ).outerjoin(t.projects, t.projects.c.id == c.project_id)


def in_period(
    conn: Connection, start: date | None, end: date | None
) -> list[ColumnElement[bool]]:
    """Conditions for entries overlapping [start, end], bounded on both sides of ``date``.

    An entry overlaps when it begins by ``end`` and its last day is on or after ``start``. A
    ranged entry (a PR, a project) may begin before ``start``, so the lower bound on ``date`` is
    the earliest beginning among entries still running at ``start``: one lookup on the
    ``end_date`` index. Both bounds on ``date`` let its index narrow the scan; a one-sided
    bound makes SQLite walk the index from the first entry ever recorded.
    """
    out: list[ColumnElement[bool]] = []
    if start is not None:
        # min() in Python: SQLite answers min(date) or ORDER BY date LIMIT ? by walking the
        # whole date index instead of the few rows the end_date index finds.
        running = conn.execute(
            select(t.entries.c.date).where(t.entries.c.end_date >= start, t.entries.c.date < start)
        ).scalars()
        out.append(t.entries.c.date >= min(running, default=start))
        out.append(func.coalesce(t.entries.c.end_date, t.entries.c.date) >= start)
    if end is not None:
        out.append(t.entries.c.date <= end)
    return out


def filter_entries(
    conn: Connection,
    query: Select[Any],
    *,
    start: date | None = None,
    end: date | None = None,
    kinds: Sequence[str] = (),
    project: str | None = None,
    outcome: str | None = None,
    competency: str | None = None,
    source: str | None = None,
) -> Select[Any]:
    """Narrow an entries query; every filter uses an index."""
    conditions = in_period(conn, start, end)
    if kinds:
        conditions.append(t.entries.c.kind.in_(kinds))
    if project:
        conditions.append(t.projects.c.name == project)
    if source:
        conditions.append(t.entries.c.source == source)
    for vocab, label in (("outcome", outcome), ("competency", competency)):
        if label:
            labelled = select(t.entry_labels.c.entry_id).where(
                t.entry_labels.c.vocab == vocab, t.entry_labels.c.label == label
            )
            conditions.append(t.entries.c.id.in_(labelled))
    return query.where(and_(*conditions)) if conditions else query


def list_entries(
    conn: Connection, *, limit: int | None = None, newest_first: bool = True, **filters: Any
) -> list[Entry]:
    """Entries matching ``filters`` (see ``filter_entries``), newest first by default."""
    query = filter_entries(conn, select_entries(), **filters)
    order = (
        (t.entries.c.date.desc(), t.entries.c.id.desc())
        if newest_first
        else (t.entries.c.date, t.entries.c.id)
    )
    return load_entries(conn, query.order_by(*order).limit(limit))


def count_entries(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(t.entries)).scalar_one())


def load_entries(conn: Connection, query: Select[Any]) -> list[Entry]:
    """Run an entries query and attach children with one query per child table.

    Children of a long result are selected by running the entries query again as a subquery
    (its filters use indexes), which costs less than binding thousands of ids.
    """
    entries = [_entry(row) for row in conn.execute(query).all()]
    if not entries:
        return entries
    by_id: dict[Any, Entry] = {e.id: e for e in entries}
    keys = query.with_only_columns(t.entries.c.id) if len(by_id) > _CHUNK else list(by_id)
    _attach_children(conn, by_id, keys)
    return entries


def _attach_children(
    conn: Connection, by_id: dict[Any, Entry], keys: list[Any] | Select[Any]
) -> None:
    labels = t.entry_labels.c
    for entry_id, vocab, label, confirmed, score in conn.execute(
        select(labels.entry_id, labels.vocab, labels.label, labels.confirmed, labels.score)
        .where(labels.entry_id.in_(keys))
        .order_by(labels.entry_id, labels.position)
    ).all():
        if (entry := by_id.get(entry_id)) is not None:
            group = entry.outcomes if vocab == "outcome" else entry.competencies
            group.append(Label(id=label, confirmed=confirmed, score=score))
    metrics = t.entry_metrics.c
    for entry_id, name, baseline, result, unit in conn.execute(
        select(metrics.entry_id, metrics.name, metrics.baseline, metrics.result, metrics.unit)
        .where(metrics.entry_id.in_(keys))
        .order_by(metrics.id)
    ).all():
        if (entry := by_id.get(entry_id)) is not None:
            entry.metrics.append(Metric(name=name, baseline=baseline, result=result, unit=unit))
    links = t.entry_links.c
    for entry_id, url in conn.execute(
        select(links.entry_id, links.url).where(links.entry_id.in_(keys)).order_by(links.id)
    ).all():
        if (entry := by_id.get(entry_id)) is not None:
            entry.links.append(url)
    quotes = t.testimonials.c
    for entry_id, quote, author in conn.execute(
        select(quotes.entry_id, quotes.quote, quotes.author)
        .where(quotes.entry_id.in_(keys))
        .order_by(quotes.id)
    ).all():
        if (entry := by_id.get(entry_id)) is not None:
            entry.testimonials.append(Testimonial(quote=quote, author=author))


def _entry(row: Any) -> Entry:
    """An entry from a row of ``select_entries`` (unpacked by position: the fast way)."""
    id_, uid, day, end, title, details, kind, project, source, source_id, status, created = row
    return Entry(id=id_, uid=uid, date=day, end_date=end, title=title, details=details,
                 kind=kind, project=project, source=source, source_id=source_id, status=status,
                 created_at=created)


def _chunks(items: list[Any]) -> Iterable[list[Any]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


def confirm_labels(conn: Connection, *, ids: Sequence[int]) -> int:
    """Mark the suggested labels of these entries as confirmed; returns how many changed."""
    require_entries(conn, ids)
    done = conn.execute(
        update(t.entry_labels)
        .where(t.entry_labels.c.entry_id.in_(list(ids)), t.entry_labels.c.confirmed.is_(False))
        .values(confirmed=True)
    )
    return int(done.rowcount)
