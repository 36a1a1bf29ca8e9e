"""API tokens for scripts: made once and shown once, kept as a SHA-256, checked by hash."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from levelup.errors import FieldError, NotFound

if TYPE_CHECKING:
    from levelup.context import Context

PREFIX = "lvl_"  # tells a reader (and a secret scanner) what the string is


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """A token's name and dates; the token itself is never kept."""

    name: str
    created: datetime
    last_used: datetime | None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "created": self.created.isoformat(timespec="seconds"),
                "last_used": (self.last_used.isoformat(timespec="seconds")
                              if self.last_used else None)}


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(ctx: Context, *, name: str) -> str:
    """A new token named ``name``, returned this once; only its hash is stored."""
    from levelup.store.tokens import add_token, token_named

    name = name.strip()
    if not name or len(name) > 100:
        raise FieldError("name", "must be 1 to 100 characters")
    token = PREFIX + secrets.token_urlsafe(32)
    with ctx.begin() as conn:
        if token_named(conn, name=name) is not None:
            raise FieldError("name", f"'{name}' is taken; revoke it first or pick another name")
        add_token(conn, name=name, token_hash=digest(token), created=_now())
    return token


def list_tokens(ctx: Context) -> list[TokenInfo]:
    from levelup.store.tokens import list_tokens as stored

    with ctx.read() as conn:
        return [TokenInfo(s.name, s.created, s.last_used) for s in stored(conn)]


def revoke_token(ctx: Context, *, name: str) -> None:
    """Delete the token ``name``: requests carrying it are refused from now on."""
    from levelup.store.tokens import delete_token

    with ctx.begin() as conn:
        if not delete_token(conn, name=name):
            raise NotFound(f"no token named '{name}'")


def check_token(ctx: Context, *, token: str) -> str | None:
    """The name of the token ``token`` is, or None: unknown or revoked."""
    from levelup.store.tokens import use_token

    if not token.startswith(PREFIX):
        return None
    with ctx.begin() as conn:
        return use_token(conn, token_hash=digest(token), now=_now())


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)
