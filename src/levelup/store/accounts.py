"""The team server's accounts: people, their one-time sign-in links and their sessions.

These rows are the server's, not one person's ledger: queries here are not owner-scoped; each
account points at the owner whose rows it may read (``users.owner_id``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, and_, delete, func, insert, select, update

from levelup.store import server_tables as s
from levelup.store import tables as t


@dataclass(frozen=True, slots=True)
class Account:
    """A person on the team server (never their password hash)."""

    id: int
    owner_id: int
    email: str
    name: str
    role: str
    manager_email: str | None
    disabled: bool
    created: datetime


def _accounts(conn: Connection, where: object | None) -> list[Account]:
    manager = s.users.alias("manager")
    u, boss = s.users.c, manager.c
    query = (select(u.id, u.owner_id, u.email, u.name, u.role, u.disabled, u.created,
                    boss.email.label("manager_email"))
             .select_from(s.users.outerjoin(manager, boss.id == u.manager_id)))
    if where is not None:
        query = query.where(where)  # type: ignore[arg-type]
    return [Account(r.id, r.owner_id, r.email, r.name, r.role, r.manager_email, bool(r.disabled),
                    r.created)
            for r in conn.execute(query.order_by(func.lower(u.email)))]


def add_account(conn: Connection, *, email: str, name: str, role: str, manager_id: int | None,
                created: datetime) -> int:
    """A new account and the owner its rows belong to; the account's id."""
    owner = conn.execute(insert(t.owners).values(name=name, created=created)).inserted_primary_key
    result = conn.execute(insert(s.users).values(
        owner_id=owner[0], email=email, name=name, role=role,  # type: ignore[index]
        manager_id=manager_id, disabled=False, created=created))
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def account_by_email(conn: Connection, email: str) -> Account | None:
    found = _accounts(conn, func.lower(s.users.c.email) == email.lower())
    return found[0] if found else None


def account_by_id(conn: Connection, user_id: int) -> Account | None:
    found = _accounts(conn, s.users.c.id == user_id)
    return found[0] if found else None


def list_accounts(conn: Connection) -> list[Account]:
    return _accounts(conn, None)


def password_hash(conn: Connection, user_id: int) -> str | None:
    return conn.execute(select(s.users.c.password_hash)
                        .where(s.users.c.id == user_id)).scalar_one_or_none()


def set_password_hash(conn: Connection, user_id: int, hashed: str | None) -> None:
    conn.execute(update(s.users).where(s.users.c.id == user_id).values(password_hash=hashed))


def add_signin_link(conn: Connection, *, token_hash: str, user_id: int,
                    expires: datetime) -> None:
    conn.execute(insert(s.signin_links).values(token_hash=token_hash, user_id=user_id,
                                               expires=expires))


def use_signin_link(conn: Connection, *, token_hash: str, now: datetime) -> int | None:
    """The account a valid link signs in, marking the link used in the same statement (so two
    requests racing with one link cannot both win); None when unknown, used or expired."""
    c = s.signin_links.c
    valid = and_(c.token_hash == token_hash, c.used.is_(None), c.expires > now)
    row = conn.execute(update(s.signin_links).where(valid).values(used=now)
                       .returning(c.user_id)).first()
    return None if row is None else int(row.user_id)


def add_session(conn: Connection, *, token_hash: str, user_id: int, created: datetime,
                expires: datetime) -> None:
    conn.execute(insert(s.server_sessions).values(token_hash=token_hash, user_id=user_id,
                                                  created=created, expires=expires))


def session_account(conn: Connection, *, token_hash: str, now: datetime) -> Account | None:
    """The enabled account of a live session, or None."""
    c = s.server_sessions.c
    user_id = conn.execute(select(c.user_id).where(c.token_hash == token_hash,
                                                   c.expires > now)).scalar_one_or_none()
    if user_id is None:
        return None
    account = account_by_id(conn, int(user_id))
    return None if account is None or account.disabled else account


def delete_session(conn: Connection, *, token_hash: str) -> None:
    conn.execute(delete(s.server_sessions).where(s.server_sessions.c.token_hash == token_hash))


def token_owner(conn: Connection, *, token_hash: str, now: datetime) -> int | None:
    """The owner of the API token with this hash (any owner's), marked used; None if unknown."""
    c = t.api_tokens.c
    owner = conn.execute(select(c.owner_id).where(c.token_hash == token_hash)
                         ).scalar_one_or_none()
    if owner is not None:
        conn.execute(update(t.api_tokens).where(c.token_hash == token_hash)
                     .values(last_used=now))
    return None if owner is None else int(owner)


def add_account_token(conn: Connection, *, owner_id: int, name: str, token_hash: str,
                      created: datetime) -> bool:
    """A named API token for the account owning ``owner_id``; False when the name is taken."""
    c = t.api_tokens.c
    taken = conn.execute(select(c.id).where(c.owner_id == owner_id, c.name == name)).first()
    if taken is not None:
        return False
    conn.execute(insert(t.api_tokens).values(owner_id=owner_id, name=name,
                                             token_hash=token_hash, created=created))
    return True


def account_by_owner(conn: Connection, owner_id: int) -> Account | None:
    found = _accounts(conn, s.users.c.owner_id == owner_id)
    return found[0] if found else None
