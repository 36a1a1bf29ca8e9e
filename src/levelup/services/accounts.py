"""The team server's accounts: adding people, signing them in, their sessions and API tokens.

Secrets are made here, handed out once and kept only as digests: sign-in links and sessions
as SHA-256 (they are long random strings), passwords as argon2 hashes (people choose them).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from levelup.domain.names import clean_name
from levelup.errors import FieldError, LevelupError, NotFound

if TYPE_CHECKING:
    from levelup.context import Context
    from levelup.store.accounts import Account

ROLES = ("engineer", "manager", "admin")
LINK_VALID = timedelta(days=7)
SESSION_VALID = timedelta(days=14)
PASSWORD_MIN = 12
LINK_PATH = "/signin/"


@dataclass(frozen=True, slots=True)
class NewAccount:
    """An account just made, with the one-time sign-in token shown to the admin once."""

    account: Account
    signin_token: str

    def url(self, base: str) -> str:
        return base.rstrip("/") + LINK_PATH + self.signin_token


def account_json(account: Account) -> dict[str, Any]:
    return {"email": account.email, "name": account.name, "role": account.role,
            "manager": account.manager_email, "disabled": account.disabled,
            "created": account.created.isoformat(timespec="seconds")}


def _email(text: str, field: str = "email") -> str:
    from levelup.reports.send import check_addresses

    text = text.strip()
    if "," in text or "<" in text:
        raise FieldError(field, f"'{text[:80]}' is not one e-mail address")
    check_addresses(text, field=field)
    return text


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def _digest(token: str) -> str:
    from levelup.services.tokens import digest

    return digest(token)


def add_account(ctx: Context, *, email: str, name: str, role: str = "engineer",
                manager: str | None = None) -> NewAccount:
    """A new person on the server and a one-time sign-in link for them (valid 7 days)."""
    from levelup.store import accounts as store

    email = _email(email)
    name = clean_name(name)
    if not name or len(name) > 200:
        raise FieldError("name", "must be 1 to 200 characters")
    if role not in ROLES:
        raise FieldError("role", f"'{role}' is not one of {', '.join(ROLES)}")
    with ctx.begin() as conn:
        if store.account_by_email(conn, email) is not None:
            raise FieldError("email", f"{email} already has an account")
        manager_id = None
        if manager:
            boss = store.account_by_email(conn, _email(manager, "manager"))
            if boss is None:
                raise FieldError("manager", f"no account for {manager}; add them first")
            if boss.role == "engineer":
                raise FieldError("manager", f"{boss.email} is an engineer; give them the "
                                 "manager role first")
            manager_id = boss.id
        user_id = store.add_account(conn, email=email, name=name, role=role,
                                    manager_id=manager_id, created=_now())
        token = _new_link(conn, user_id)
        account = store.account_by_id(conn, user_id)
    assert account is not None
    return NewAccount(account, token)


def _new_link(conn: Any, user_id: int) -> str:
    from levelup.store.accounts import add_signin_link

    token = secrets.token_urlsafe(32)
    add_signin_link(conn, token_hash=_digest(token), user_id=user_id,
                    expires=_now() + LINK_VALID)
    return token


def signin_link(ctx: Context, *, email: str) -> NewAccount:
    """A fresh one-time sign-in link for an existing account (a lost or expired one)."""
    with ctx.begin() as conn:
        account = _account(conn, email)
        return NewAccount(account, _new_link(conn, account.id))


def _account(conn: Any, email: str) -> Account:
    from levelup.store.accounts import account_by_email

    account = account_by_email(conn, email.strip())
    if account is None:
        raise NotFound(f"no account for {email.strip()[:80]}")
    return account


def list_accounts(ctx: Context) -> list[Account]:
    from levelup.store.accounts import list_accounts as stored

    with ctx.read() as conn:
        return stored(conn)


def create_account_token(ctx: Context, *, email: str, name: str = "cli") -> str:
    """A personal API token for ``email``'s account, returned this once; kept as a SHA-256."""
    from levelup.services.tokens import PREFIX
    from levelup.store.accounts import add_account_token

    name = name.strip()
    if not name or len(name) > 100:
        raise FieldError("name", "must be 1 to 100 characters")
    token = PREFIX + secrets.token_urlsafe(32)
    with ctx.begin() as conn:
        account = _account(conn, email)
        if not add_account_token(conn, owner_id=account.owner_id, name=name,
                                 token_hash=_digest(token), created=_now()):
            raise FieldError("name", f"{account.email} already has a token named '{name}'")
    return token


def set_password(ctx: Context, *, email: str, password: str) -> None:
    """Give a local account a password (argon2-hashed); an empty one removes it."""
    from argon2 import PasswordHasher

    from levelup.store.accounts import set_password_hash

    if password and len(password) < PASSWORD_MIN:
        raise FieldError("password", f"must be at least {PASSWORD_MIN} characters")
    hashed = PasswordHasher().hash(password) if password else None
    with ctx.begin() as conn:
        set_password_hash(conn, _account(conn, email).id, hashed)


class SignInRefused(LevelupError):
    """Wrong e-mail or password, or a used or expired link: said the same way every time."""


def sign_in_with_password(ctx: Context, *, email: str, password: str) -> str:
    """A new session token for the account, if the password is its own."""
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError

    from levelup.store.accounts import account_by_email, password_hash

    hasher = PasswordHasher()
    with ctx.begin() as conn:
        account = account_by_email(conn, email.strip())
        stored = password_hash(conn, account.id) if account else None
        try:
            if account is None or account.disabled or stored is None:
                hasher.hash(password)  # about as slow as a check: no timing tells who exists
                raise SignInRefused("wrong e-mail or password")
            hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            raise SignInRefused("wrong e-mail or password") from None
        return _new_session(conn, account.id)


def sign_in_with_link(ctx: Context, *, token: str) -> str:
    """A new session token for the account a one-time link names; the link is used up."""
    from levelup.store.accounts import account_by_id, use_signin_link

    with ctx.begin() as conn:
        user_id = use_signin_link(conn, token_hash=_digest(token), now=_now())
        account = account_by_id(conn, user_id) if user_id is not None else None
        if account is None or account.disabled:
            raise SignInRefused("this sign-in link was used, has expired or is unknown; "
                                "ask an admin for a new one")
        return _new_session(conn, account.id)


def _new_session(conn: Any, user_id: int) -> str:
    from levelup.store.accounts import add_session

    token = secrets.token_urlsafe(32)
    now = _now()
    add_session(conn, token_hash=_digest(token), user_id=user_id, created=now,
                expires=now + SESSION_VALID)
    return token


def session_account(ctx: Context, *, token: str) -> Account | None:
    """Who a session token belongs to, or None when it is unknown or expired."""
    from levelup.store.accounts import session_account as stored

    with ctx.read() as conn:
        return stored(conn, token_hash=_digest(token), now=_now())


def sign_out(ctx: Context, *, token: str) -> None:
    from levelup.store.accounts import delete_session

    with ctx.begin() as conn:
        delete_session(conn, token_hash=_digest(token))


def account_for_token(ctx: Context, *, token: str) -> Account | None:
    """The enabled account a personal API token belongs to (marked used), or None."""
    from levelup.services.tokens import PREFIX
    from levelup.store.accounts import account_by_owner, token_owner

    if not token.startswith(PREFIX):
        return None
    with ctx.begin() as conn:
        owner = token_owner(conn, token_hash=_digest(token), now=_now())
        account = account_by_owner(conn, owner) if owner is not None else None
    return None if account is None or account.disabled else account
