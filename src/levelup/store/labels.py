"""Queries over the labels the user confirmed (to personalise the classifier)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection, func, select, true

from levelup.store import tables as t
from levelup.store.scope import owned


def confirmed_fingerprint(conn: Connection) -> tuple[int, int]:
    """(number of confirmed labels, newest entry id with one): changes when the user confirms."""
    query = select(func.count(), func.coalesce(func.max(t.entry_labels.c.entry_id), 0)).where(
        t.entry_labels.c.confirmed == true())
    if _shared(conn):  # several people's ledgers: count this owner's labels only
        query = query.join(t.entries, t.entries.c.id == t.entry_labels.c.entry_id).where(
            owned(conn, t.entries))
    row = conn.execute(query).one()
    return int(row[0]), int(row[1])


def _shared(conn: Connection) -> bool:
    """Whether the database holds more than one owner (a local ledger holds one: then every
    label is the owner's, and `log` skips a join over all of them, 3-4x cheaper at 100k)."""
    return bool(conn.execute(select(func.count()).select_from(t.owners)).scalar_one() > 1)


def confirmed_examples(conn: Connection, *, limit: int) -> list[tuple[str, list[str], list[str]]]:
    """(statement, outcomes, competencies) of the newest entries with confirmed labels."""
    newest = (
        select(t.entry_labels.c.entry_id)
        .join(t.entries, t.entries.c.id == t.entry_labels.c.entry_id)
        .where(t.entry_labels.c.confirmed == true(), owned(conn, t.entries))
        .group_by(t.entry_labels.c.entry_id)
        .order_by(t.entry_labels.c.entry_id.desc())
        .limit(limit)
        .subquery()
    )
    rows = conn.execute(
        select(t.entries.c.id, t.entries.c.title, t.entries.c.details, t.entry_labels.c.vocab,
               t.entry_labels.c.label)
        .join(t.entry_labels, t.entry_labels.c.entry_id == t.entries.c.id)
        .where(t.entries.c.id.in_(select(newest.c.entry_id)), t.entry_labels.c.confirmed == true())
        .order_by(t.entries.c.id, t.entry_labels.c.position)
    )
    texts: dict[int, str] = {}
    labels: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for entry_id, title, details, vocab, label in rows:
        texts[entry_id] = f"{title}. {details[:200]}"
        labels[entry_id][vocab].append(label)
    return [(texts[i], labels[i]["outcome"], labels[i]["competency"]) for i in texts]
