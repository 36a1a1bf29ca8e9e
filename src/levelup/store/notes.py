"""What recipients of a share add for its engineer (``manager_notes``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from levelup.store import server_tables as s


@dataclass(frozen=True, slots=True)
class Note:
    uid: str
    author_email: str
    author_name: str
    share_id: str
    kind: str
    text: str
    polarity: str | None
    competency: str | None
    follow_up: str
    person: str | None
    relation: str | None
    on: date
    entries: list[str]
    created: datetime

    def to_json(self) -> dict[str, Any]:
        return {"uid": self.uid, "author": self.author_email, "author_name": self.author_name,
                "share": self.share_id, "kind": self.kind, "text": self.text,
                "polarity": self.polarity, "competency": self.competency,
                "follow_up": self.follow_up, "person": self.person, "relation": self.relation,
                "on": self.on.isoformat(), "entries": self.entries,
                "created": self.created.isoformat()}


def add_note(conn: Connection, **values: Any) -> None:
    values["entries"] = json.dumps(values.get("entries") or [])
    conn.execute(insert(s.manager_notes).values(**values))


def notes_for(conn: Connection, *, engineer_id: int, share_id: str | None = None) -> list[Note]:
    """The notes others left for the engineer (on one share, or all), oldest first."""
    n, author = s.manager_notes.c, s.users.alias("author")
    query = (select(n.uid, author.c.email, author.c.name, n.share_id, n.kind, n.text,
                    n.polarity, n.competency, n.follow_up, n.person, n.relation, n.on,
                    n.entries, n.created)
             .select_from(s.manager_notes.join(author, author.c.id == n.author_id))
             .where(n.engineer_id == engineer_id))
    if share_id is not None:
        query = query.where(n.share_id == share_id)
    return [Note(r.uid, r.email, r.name, r.share_id, r.kind, r.text, r.polarity, r.competency,
                 r.follow_up, r.person, r.relation, r.on, json.loads(r.entries), r.created)
            for r in conn.execute(query.order_by(n.id))]
