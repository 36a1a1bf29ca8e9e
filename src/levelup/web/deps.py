"""Per-request dependencies: who is asking (a session or a bearer token), the CSRF check, and
the request's ``Context``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from levelup.web.security import COOKIE, Guard

if TYPE_CHECKING:
    from levelup.context import Context

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class SignInNeeded(Exception):
    """No session and no valid token: a page redirects to sign in, the API answers 401."""


class CsrfMissing(Exception):
    """A state-changing request made with a cookie, without the session's CSRF token."""


def guard_of(request: Request) -> Guard:
    guard: Guard = request.app.state.guard
    return guard


def context(request: Request) -> Context:
    """This request's Context, made on first use (the team server will scope it to the
    person): the token check and the route share it, and the day's backup is looked for once."""
    made: Context | None = getattr(request.state, "context", None)
    if made is None:
        made = request.state.context = request.app.state.make_context()
    return made


async def signed_in(request: Request) -> None:
    """Let the request through with a session (and, to change state, its CSRF token) or a
    valid bearer token; raise otherwise."""
    guard = guard_of(request)
    sid = guard.session(request.cookies.get(COOKIE))
    request.state.sid = sid
    if sid is None:
        token = _bearer(request)
        if token is None or not await run_in_threadpool(_token_ok, request, token):
            raise SignInNeeded()
        return
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get("x-csrf-token")
    if sent is None and _is_form(request):
        value = (await request.form()).get("csrf")
        sent = value if isinstance(value, str) else None
    if not guard.csrf_ok(sid, sent):
        raise CsrfMissing()


def _bearer(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _token_ok(request: Request, token: str) -> bool:
    from levelup.services.tokens import check_token

    return check_token(context(request), token=token) is not None


def _is_form(request: Request) -> bool:
    kind = request.headers.get("content-type", "")
    return kind.startswith(("application/x-www-form-urlencoded", "multipart/form-data"))


def csrf_token(request: Request) -> str:
    """The CSRF token forms of this session carry ("" for a token-authenticated request)."""
    sid = getattr(request.state, "sid", None)
    return guard_of(request).csrf(sid) if sid else ""
