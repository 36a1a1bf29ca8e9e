"""Queries over the labels the user confirmed (to personalise the classifier)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection, select, true

from levelup.store import tables as t
from levelup.store.scope import owned, owner_of


def confirmed_fingerprint(conn: Connection) -> tuple[int, str, int]:
    """(owner, ledger created, revision of the confirmed labels): changes whenever the user's
    confirmed labels do. One row read: triggers keep the revision (migration 0012), so the
    work does not grow with the ledger."""
    row = conn.execute(
        select(t.owners.c.id, t.owners.c.created, t.owners.c.labels_revision)
        .where(t.owners.c.id == owner_of(conn))).one()
    return int(row[0]), row[1].isoformat(), int(row[2])


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
