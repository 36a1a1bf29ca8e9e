"""API tokens: one row per named token, holding its SHA-256 only, scoped by owner."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, and_, delete, insert, select, update

from levelup.store import tables as t
from levelup.store.scope import owned, owner_of

USED_EVERY = timedelta(minutes=1)  # how precisely a token's last use is kept


@dataclass(frozen=True, slots=True)
class StoredToken:
    """A token as stored: its name and when it was made and last used (never the token)."""

    name: str
    created: datetime
    last_used: datetime | None


def add_token(conn: Connection, *, name: str, token_hash: str, created: datetime) -> None:
    conn.execute(insert(t.api_tokens).values(owner_id=owner_of(conn), name=name,
                                             token_hash=token_hash, created=created))


def token_named(conn: Connection, *, name: str) -> StoredToken | None:
    rows = _tokens(conn, t.api_tokens.c.name == name)
    return rows[0] if rows else None


def list_tokens(conn: Connection) -> list[StoredToken]:
    return _tokens(conn, None)


def _tokens(conn: Connection, where: object) -> list[StoredToken]:
    c = t.api_tokens.c
    query = select(c.name, c.created, c.last_used).where(owned(conn, t.api_tokens))
    if where is not None:
        query = query.where(where)  # type: ignore[arg-type]
    return [StoredToken(r.name, r.created, r.last_used)
            for r in conn.execute(query.order_by(c.name))]


def delete_token(conn: Connection, *, name: str) -> int:
    """How many tokens were deleted (0 or 1)."""
    where = and_(owned(conn, t.api_tokens), t.api_tokens.c.name == name)
    return conn.execute(delete(t.api_tokens).where(where)).rowcount


def use_token(conn: Connection, *, token_hash: str, now: datetime) -> str | None:
    """The name of the owner's token with this hash, marked used now (to the minute: a script
    calling many times a second writes once); None for no token."""
    c = t.api_tokens.c
    where = and_(owned(conn, t.api_tokens), c.token_hash == token_hash)
    found = conn.execute(select(c.name, c.last_used).where(where)).one_or_none()
    if found is None:
        return None
    if found.last_used is None or now - found.last_used >= USED_EVERY:
        conn.execute(update(t.api_tokens).where(where).values(last_used=now))
    return str(found.name)
