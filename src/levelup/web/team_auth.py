"""Who is asking the team server: a server-side session (cookie) or a personal API token.

The cookie holds a random session token; the database keeps its SHA-256 only. A form's CSRF
token is derived from the session token, which only the signed-in browser holds, so every
worker process can check it without a shared secret.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import TYPE_CHECKING

from fastapi import Request
from starlette.concurrency import run_in_threadpool

if TYPE_CHECKING:
    from levelup.context import Context
    from levelup.store.accounts import Account

COOKIE = "levelup_team"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class NotSignedIn(Exception):
    """No live session and no valid token: pages redirect to sign in, the API answers 401."""


class BadCsrf(Exception):
    """A state-changing request with a session cookie but without its CSRF token."""


def server_context(request: Request) -> Context:
    made: Context = request.app.state.make_context()
    return made


def csrf_of(session: str) -> str:
    return hashlib.sha256(b"levelup-csrf:" + session.encode()).hexdigest()


def _bearer(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


async def signed_in(request: Request) -> Account:
    """The account asking; raises NotSignedIn or BadCsrf."""
    from levelup.services.accounts import account_for_token, session_account

    ctx = server_context(request)
    session = request.cookies.get(COOKIE)
    request.state.csrf = ""
    if session:
        account = await run_in_threadpool(session_account, ctx, token=session)
        if account is not None:
            request.state.csrf = csrf_of(session)
            if request.method not in SAFE_METHODS:
                await _check_csrf(request, request.state.csrf)
            return account
    token = _bearer(request)
    if token:
        account = await run_in_threadpool(account_for_token, ctx, token=token)
        if account is not None:
            return account
    raise NotSignedIn()


async def _check_csrf(request: Request, expected: str) -> None:
    sent = request.headers.get("x-csrf-token")
    kind = request.headers.get("content-type", "")
    if sent is None and kind.startswith(("application/x-www-form-urlencoded",
                                         "multipart/form-data")):
        value = (await request.form()).get("csrf")
        sent = value if isinstance(value, str) else None
    if not sent or not hmac.compare_digest(sent, expected):
        raise BadCsrf()
