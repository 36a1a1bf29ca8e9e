"""The app factory: `create_app(make_context)` builds the whole web app on a Context factory.

Every request gets its own Context from ``make_context`` (the local server hands out its one
person's; the team server will hand out the signed-in person's). Routes live in ``pages`` and
``api``; this module wires the Host check, the security headers, sign-in and errors.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from levelup.errors import NotFound
from levelup.web.deps import CsrfMissing, SignInNeeded
from levelup.web.fields import INPUT_ERRORS, field_of, message_of
from levelup.web.render import render, templates
from levelup.web.security import COOKIE, HEADERS, SESSION_SECONDS, Guard

if TYPE_CHECKING:
    from levelup.context import Context

HERE = Path(__file__).parent


def create_app(make_context: Callable[[], Context], *, guard: Guard) -> FastAPI:
    """The web app over the ledgers ``make_context`` opens, guarded by ``guard``."""
    from levelup.web import api, pages

    app = FastAPI(title="levelup", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.make_context = make_context
    app.state.guard = guard
    app.state.templates = templates()
    app.middleware("http")(_host_and_headers)
    _handle_errors(app)
    app.add_api_route("/signin", signin, methods=["GET"], include_in_schema=False)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(pages.router)
    app.include_router(api.router)
    from levelup.web import pages_import

    app.include_router(pages_import.router)
    from levelup.web import pages_entry, pages_more, pages_people, pages_reports

    for module in (pages_people, pages_reports, pages_more, pages_entry):
        app.include_router(module.router)
    return app


async def _host_and_headers(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """Refuse a Host not served (DNS rebinding); add the security headers to every answer."""
    guard: Guard = request.app.state.guard
    if not guard.host_ok(request.headers.get("host")):
        response: Response = PlainTextResponse("unknown Host header", status_code=400)
    else:
        response = await call_next(request)
    for name, value in HEADERS.items():  # a route may set a stricter CSP of its own
        response.headers.setdefault(name, value)
    return response


async def signin(request: Request, token: str = "") -> Response:
    """Redeem the printed URL's single-use token for a session cookie; else explain."""
    guard: Guard = request.app.state.guard
    if token and guard.redeem(token):
        response: Response = RedirectResponse("/", status_code=303)
        response.set_cookie(COOKIE, guard.new_session(), max_age=SESSION_SECONDS,
                            httponly=True, samesite="strict", path="/")
        return response
    status = 403 if token else 401
    return render(request, "signin.html", status=status, spent=bool(token))


def _handle_errors(app: FastAPI) -> None:
    app.add_exception_handler(SignInNeeded, _sign_in_needed)
    app.add_exception_handler(CsrfMissing, csrf_missing)
    app.add_exception_handler(RequestValidationError, invalid_request)
    for kind in INPUT_ERRORS:
        app.add_exception_handler(kind, _input_error)


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def _sign_in_needed(request: Request, _exc: Exception) -> Response:
    if is_api(request):
        return JSONResponse({"message": "sign in through the URL `levelup serve` printed, "
                             "or send a bearer token"}, status_code=401,
                            headers={"WWW-Authenticate": "Bearer"})
    return RedirectResponse("/signin", status_code=303)


async def csrf_missing(request: Request, _exc: Exception) -> Response:
    message = "the form's CSRF token is missing or wrong: reload the page and try again"
    if is_api(request):
        return JSONResponse({"message": message}, status_code=403)
    return PlainTextResponse(message, status_code=403)


async def invalid_request(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    first = exc.errors()[0] if exc.errors() else {}
    where = [str(part) for part in first.get("loc", ()) if part not in ("body", "query")]
    return JSONResponse({"field": where[-1] if where else None,
                         "message": str(first.get("msg", "invalid request"))}, status_code=422)


async def _input_error(request: Request, exc: Exception) -> Response:
    """A bad value or a missing record, after nothing was written: 422 (404) for the API, the
    message on a page otherwise."""
    status = 404 if isinstance(exc, NotFound) else 422
    today = request.app.state.make_context().today
    message = message_of(exc)
    if is_api(request):
        return JSONResponse({"field": field_of(exc, {}, today), "message": message},
                            status_code=status)
    return render(request, "error.html", status=status, message=message)
