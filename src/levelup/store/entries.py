"""Repository functions for entries and their labels, metrics, links and testimonials.

Imports (upsert, retract, rekey) are in ``levelup.store.entry_upserts``. Every query keeps to
the connection's owner (``levelup.store.scope``); child rows belong through their entry.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

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

from levelup.domain.models import STORY_FIELDS, Entry, Label, Metric, Testimonial
from levelup.domain.steps import Step
from levelup.errors import NotFound
from levelup.store import tables as t
from levelup.store.named import project_id
from levelup.store.scope import owned, owner_of
from levelup.store.text import scrub

_CHUNK = 900  # stay under SQLite's bound-parameter limit
Key = tuple[str, str]  # (source, source_id)


def row_values(
    conn: Connection, entry: Entry, projects: dict[str, int | None] | None = None,
    *, score: int | None = None, scored: bool = True,
) -> dict[str, Any]:
    """The entries row of ``entry``; ``projects`` caches project ids by name across calls;
    ``score``, the coach's score when computed already. Without ``scored`` (bulk imports,
    where the coach would cost more than the import) the score is left unknown (NULL), and
    readers score the few entries they rank, when they rank them."""
    if projects is None:
        project = project_id(conn, entry.project)
    elif entry.project and entry.project not in projects:
        project = projects[entry.project] = project_id(conn, entry.project)
    else:
        project = projects.get(entry.project or "")
    return scrub({
        "uid": entry.uid,
        "owner_id": owner_of(conn),
        "date": entry.date,
        "end_date": entry.end_date,
        "title": entry.title,
        "details": entry.details,
        "kind": entry.kind,
        "project_id": project,
        "source": entry.source,
        "source_id": entry.source_id,
        "status": entry.status,
        **{name: getattr(entry, name) for name in STORY_FIELDS},
        "coach_score": score if score is not None or not scored else _coach_score(entry),
    })


def _coach_score(entry: Entry) -> int:
    """The coach's score of the wording, stored with the entry (readiness and reports read it)."""
    from levelup.coach import entry_score

    return entry_score(entry.title, entry.details)


def _insert_children(conn: Connection, entry_id: int, entry: Entry) -> None:
    insert_child_rows(conn, child_rows(entry_id, entry))


def child_rows(
    entry_id: int, entry: Entry, *, labels: bool = True
) -> dict[Any, list[dict[str, Any]]]:
    """The rows of every child table of one entry (the labels' too, unless not ``labels``)."""
    metrics = [
        {"entry_id": entry_id, "name": m.name, "baseline": m.baseline, "result": m.result,
         "unit": m.unit, "better": m.better}
        for m in entry.metrics
    ]
    return {
        t.entry_labels: label_rows(entry_id, entry) if labels else [],
        t.entry_metrics: metrics,
        t.entry_links: [{"entry_id": entry_id, "url": url} for url in entry.links],
        t.testimonials: [
            {"entry_id": entry_id, "quote": q.quote, "author": q.author}
            for q in entry.testimonials
        ],
    }


def label_rows(entry_id: int, entry: Entry) -> list[dict[str, Any]]:
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


def insert_child_rows(conn: Connection, rows: dict[Any, list[dict[str, Any]]]) -> None:
    for table, table_rows in rows.items():
        if table_rows:
            conn.execute(insert(table), [scrub(row) for row in table_rows])  # executemany


def add_entry(conn: Connection, *, entry: Entry) -> Entry:
    """Insert ``entry`` with its children; returns it with ``id`` and ``created_at`` set."""
    values = row_values(conn, entry)
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
    values = row_values(conn, entry)
    done = conn.execute(update(t.entries).where(
        t.entries.c.id == entry.id, owned(conn, t.entries)).values(values))
    if done.rowcount == 0:
        raise NotFound(f"no entry with id {entry.id}")
    for table in (t.entry_labels, t.entry_metrics, t.entry_links, t.testimonials):
        conn.execute(delete(table).where(table.c.entry_id == entry.id))
    _insert_children(conn, entry.id, entry)
    return entry


def delete_entries(conn: Connection, *, ids: Sequence[int]) -> None:
    """Delete entries by id; every id must exist, else nothing is deleted. Imported ones are
    remembered, so that importing the same work again does not add them back."""
    require_entries(conn, ids)
    now, owner = datetime.now(), owner_of(conn)
    dismissed = t.dismissed_imports
    for chunk in chunks(list(ids)):
        query = select_entries(conn).where(t.entries.c.id.in_(chunk))
        gone = [e for e in load_entries(conn, query) if e.source_id is not None]
        for source, source_ids in by_source([entry_key(e) for e in gone]).items():
            conn.execute(delete(dismissed).where(
                owned(conn, dismissed), dismissed.c.source == source,
                dismissed.c.source_id.in_(source_ids)))
        if gone:
            conn.execute(insert(dismissed), [
                {"owner_id": owner, "source": e.source, "source_id": e.source_id,
                 "fingerprint": fingerprint(e), "deleted_at": now} for e in gone])
        conn.execute(delete(t.entries).where(t.entries.c.id.in_(chunk), owned(conn, t.entries)))


def fingerprint(entry: Entry) -> str:
    """What an imported entry stood for, as far as a deletion goes: its title and dates (a
    work item that gained a commit since, or a row edited in its file, is other work)."""
    text = f"{entry.title}\x1f{entry.date}\x1f{entry.end_date}"
    return hashlib.sha1(text.encode()).hexdigest()


def by_source(keys: Sequence[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = defaultdict(list)
    for source, source_id in keys:
        grouped[source].append(source_id)
    return grouped


def entry_key(entry: Entry) -> Key:
    assert entry.source_id is not None
    return entry.source, entry.source_id


def require_entries(conn: Connection, ids: Iterable[int]) -> None:
    """Raise NotFound naming every id that is not an entry."""
    missing = set(ids) - set(existing_ids(conn, ids))
    if missing:
        raise NotFound(f"no entry with id {', '.join(map(str, sorted(missing)))}")


def existing_ids(conn: Connection, ids: Iterable[int]) -> list[int]:
    found: list[int] = []
    for chunk in chunks(list(ids)):
        found += conn.execute(select(t.entries.c.id).where(
            t.entries.c.id.in_(chunk), owned(conn, t.entries))).scalars()
    return found


def entry_dates(conn: Connection, *, ids: Iterable[int]) -> dict[int, date]:
    """The date of each of these entries that exists, by id."""
    found: dict[int, date] = {}
    for chunk in chunks(list(ids)):
        found.update((int(i), d) for i, d in conn.execute(select(t.entries.c.id, t.entries.c.date)
                                                          .where(t.entries.c.id.in_(chunk),
                                                                 owned(conn, t.entries))))
    return found


def get_entry(conn: Connection, *, entry_id: int) -> Entry:
    entries = load_entries(conn, select_entries(conn).where(t.entries.c.id == entry_id))
    if not entries:
        raise NotFound(f"no entry with id {entry_id}", step=Step("entry.list"))
    return entries[0]


def select_entries(conn: Connection) -> Select[Any]:
    """The base query of the owner's entries with their project name; add filters and order.

    Its columns are the fields ``_entry`` unpacks, in that order.
    """
    c = t.entries.c
    return select(
        c.id, c.uid, c.date, c.end_date, c.title, c.details, c.kind,
        t.projects.c.name.label("project_name"), c.source, c.source_id, c.status, c.created_at,
        c.context, c.why, c.did, c.result_now, c.result_later, c.prevented,
    ).outerjoin(t.projects, t.projects.c.id == c.project_id).where(owned(conn, t.entries))


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
            select(t.entries.c.date).where(owned(conn, t.entries), t.entries.c.end_date >= start,
                                           t.entries.c.date < start)
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
    unconfirmed: bool = False,
) -> Select[Any]:
    """Narrow an entries query; every filter uses an index. ``unconfirmed``: only entries with
    a suggested label not yet confirmed."""
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
    if unconfirmed:
        # EXISTS, not IN: one lookup per entry read, where IN would first list every suggested
        # label of the ledger (two in three on a big one) before the page's first entry.
        suggested = select(t.entry_labels.c.entry_id).where(
            t.entry_labels.c.entry_id == t.entries.c.id, t.entry_labels.c.confirmed.is_(False))
        conditions.append(suggested.exists())
    return query.where(and_(*conditions)) if conditions else query


def list_entries(
    conn: Connection, *, limit: int | None = None, newest_first: bool = True, **filters: Any
) -> list[Entry]:
    """Entries matching ``filters`` (see ``filter_entries``), newest first by default."""
    query = filter_entries(conn, select_entries(conn), **filters)
    order = (
        (t.entries.c.date.desc(), t.entries.c.id.desc())
        if newest_first
        else (t.entries.c.date, t.entries.c.id)
    )
    return load_entries(conn, query.order_by(*order).limit(limit))


def count_entries(conn: Connection) -> int:
    query = select(func.count()).select_from(t.entries).where(owned(conn, t.entries))
    return int(conn.execute(query).scalar_one())


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
    for entry_id, name, baseline, result, unit, better in conn.execute(
        select(metrics.entry_id, metrics.name, metrics.baseline, metrics.result, metrics.unit,
               metrics.better)
        .where(metrics.entry_id.in_(keys))
        .order_by(metrics.id)
    ).all():
        if (entry := by_id.get(entry_id)) is not None:
            entry.metrics.append(Metric(name=name, baseline=baseline, result=result, unit=unit,
                                        better=better))
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
    (id_, uid, day, end, title, details, kind, project, source, source_id, status, created,
     context, why, did, result_now, result_later, prevented) = row
    return Entry(id=id_, uid=uid, date=day, end_date=end, title=title, details=details,
                 kind=kind, project=project, source=source, source_id=source_id, status=status,
                 created_at=created, context=context, why=why, did=did, result_now=result_now,
                 result_later=result_later, prevented=prevented)


def chunks(items: list[Any]) -> Iterable[list[Any]]:
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
