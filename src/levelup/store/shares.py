"""Shares on the team server: one engineer's bundle for one named person, revocable, expiring,
and a log of who opened it. A share's records live under its own owner (its "space")."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, or_, select, update

from levelup.store import server_tables as s
from levelup.store import tables as t


@dataclass(frozen=True, slots=True)
class Share:
    id: str
    engineer_id: int
    engineer_email: str
    engineer_name: str
    grantee_id: int
    grantee_email: str
    space_id: int
    created: datetime
    updated: datetime
    expires: datetime | None
    revoked: datetime | None
    message: str
    packet: bool
    scope: dict[str, Any]

    def live(self, now: datetime) -> bool:
        return self.revoked is None and (self.expires is None or self.expires > now)


@dataclass(frozen=True, slots=True)
class View:
    share_id: str
    viewer_email: str
    viewer_name: str
    at: datetime
    what: str


def _query(where: Any) -> Any:
    engineer, grantee = s.users.alias("engineer"), s.users.alias("grantee")
    c = s.shares.c
    return (select(c.id, c.engineer_id, engineer.c.email.label("engineer_email"),
                   engineer.c.name.label("engineer_name"), c.grantee_id,
                   grantee.c.email.label("grantee_email"), c.space_id, c.created, c.updated,
                   c.expires, c.revoked, c.message, c.packet, c.scope)
            .select_from(s.shares.join(engineer, engineer.c.id == c.engineer_id)
                         .join(grantee, grantee.c.id == c.grantee_id))
            .where(where).order_by(c.updated.desc()))


def _shares(conn: Connection, where: Any) -> list[Share]:
    return [Share(r.id, r.engineer_id, r.engineer_email, r.engineer_name, r.grantee_id,
                  r.grantee_email, r.space_id, r.created, r.updated, r.expires, r.revoked,
                  r.message, bool(r.packet), json.loads(r.scope or "{}"))
            for r in conn.execute(_query(where))]


def _live(now: datetime) -> Any:
    c = s.shares.c
    return and_(c.revoked.is_(None), or_(c.expires.is_(None), c.expires > now))


def live_share_between(conn: Connection, *, engineer_id: int, grantee_id: int,
                       now: datetime) -> Share | None:
    """The live share from one engineer to one person (a new one replaces it), locked."""
    c = s.shares.c
    where = and_(c.engineer_id == engineer_id, c.grantee_id == grantee_id, _live(now))
    row = conn.execute(select(c.id).where(where).with_for_update()).first()
    found = _shares(conn, c.id == row.id) if row else []
    return found[0] if found else None


def new_space(conn: Connection, *, name: str, created: datetime) -> int:
    """A fresh owner to hold one share's records."""
    result = conn.execute(insert(t.owners).values(name=name, created=created))
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def clear_space(conn: Connection, space_id: int) -> None:
    """Delete every record the owner ``space_id`` holds (children go with their parents)."""
    kept = {"owners", "users", "shares", "share_views", "signin_links", "server_sessions",
            "signin_failures"}
    for table in reversed(t.metadata.sorted_tables):
        if table.name not in kept and "owner_id" in table.c:
            conn.execute(delete(table).where(table.c.owner_id == space_id))


def add_share(conn: Connection, *, share_id: str, engineer_id: int, grantee_id: int,
              space_id: int, now: datetime, expires: datetime | None, message: str,
              packet: bool, scope: dict[str, Any]) -> None:
    conn.execute(insert(s.shares).values(
        id=share_id, engineer_id=engineer_id, grantee_id=grantee_id, space_id=space_id,
        created=now, updated=now, expires=expires, message=message, packet=packet,
        scope=json.dumps(scope, sort_keys=True)))


def renew_share(conn: Connection, *, share_id: str, now: datetime, expires: datetime | None,
                message: str, packet: bool, scope: dict[str, Any]) -> None:
    conn.execute(update(s.shares).where(s.shares.c.id == share_id).values(
        updated=now, expires=expires, message=message, packet=packet,
        scope=json.dumps(scope, sort_keys=True)))


def shares_by(conn: Connection, *, engineer_id: int) -> list[Share]:
    """Every share the engineer made, live or not, newest first."""
    return _shares(conn, s.shares.c.engineer_id == engineer_id)


def shares_with(conn: Connection, *, grantee_id: int, now: datetime) -> list[Share]:
    """The live shares made to ``grantee_id``, newest first."""
    return _shares(conn, and_(s.shares.c.grantee_id == grantee_id, _live(now)))


def share_for(conn: Connection, *, share_id: str, user_id: int, now: datetime) -> Share | None:
    """The share ``share_id`` if ``user_id`` may open it: its recipient while it is live, or
    the engineer who made it (always); None otherwise, whether or not it exists."""
    c = s.shares.c
    allowed = or_(c.engineer_id == user_id, and_(c.grantee_id == user_id, _live(now)))
    found = _shares(conn, and_(c.id == share_id, allowed))
    return found[0] if found else None


def revoke(conn: Connection, *, share_id: str, engineer_id: int, now: datetime) -> Share | None:
    """Revoke the engineer's share and delete its records; the share (for its log) stays."""
    c = s.shares.c
    found = _shares(conn, and_(c.id == share_id, c.engineer_id == engineer_id))
    if not found:
        return None
    if found[0].revoked is None:
        conn.execute(update(s.shares).where(c.id == share_id).values(revoked=now))
        clear_space(conn, found[0].space_id)
    return found[0]


def add_view(conn: Connection, *, share_id: str, viewer_id: int, at: datetime,
             what: str) -> None:
    conn.execute(insert(s.share_views).values(share_id=share_id, viewer_id=viewer_id, at=at,
                                              what=what[:200]))


def views_of(conn: Connection, *, engineer_id: int, share_id: str | None) -> list[View]:
    """Who opened the engineer's shares (one of them, or all), oldest first."""
    v, viewer = s.share_views.c, s.users.alias("viewer")
    where = s.shares.c.engineer_id == engineer_id
    if share_id is not None:
        where = and_(where, s.shares.c.id == share_id)
    query = (select(v.share_id, viewer.c.email, viewer.c.name, v.at, v.what)
             .select_from(s.share_views.join(s.shares, s.shares.c.id == v.share_id)
                          .join(viewer, viewer.c.id == v.viewer_id))
             .where(where).order_by(v.at, v.id))
    return [View(r.share_id, r.email, r.name, r.at, r.what) for r in conn.execute(query)]


def failures_since(conn: Connection, *, keys: list[str], since: datetime) -> int:
    """The most failures any one of ``keys`` had since ``since``."""
    c = s.signin_failures.c
    counts = conn.execute(select(func.count()).where(c.key.in_(keys), c.at > since)
                          .group_by(c.key)).scalars().all()
    return max(counts, default=0)


def add_failures(conn: Connection, *, keys: list[str], at: datetime) -> None:
    conn.execute(insert(s.signin_failures), [{"key": k[:400], "at": at} for k in keys])
