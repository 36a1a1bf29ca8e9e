"""The team server: `create_team_app(make_context)`, the same kind of app as `levelup serve`
for many people on PostgreSQL. Engineers send bundles (`levelup share`); a person sees only the
shares made to them, each look is logged for the engineer, and a revoked or expired share is
404 at once. Pages in ``team_pages``; who is asking in ``team_auth``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from levelup.errors import LevelupError, NotFound
from levelup.web.app import csrf_missing, invalid_request, is_api
from levelup.web.security import HEADERS
from levelup.web.team_auth import BadCsrf, NotSignedIn, server_context, signed_in

if TYPE_CHECKING:
    from levelup.context import Context
    from levelup.store.accounts import Account

HERE = Path(__file__).parent
api = APIRouter(prefix="/api/v1")


def create_team_app(make_context: Callable[[], Context], *,
                    hosts: frozenset[str] = frozenset()) -> FastAPI:
    """The team server over the database ``make_context`` opens; ``hosts``: the Host headers
    served (empty: any, for a server behind a proxy that checks them)."""
    from levelup.web import team_pages

    app = FastAPI(title="levelup team server", docs_url=None, redoc_url=None,
                  openapi_url="/api/v1/openapi.json")
    app.state.make_context = make_context
    app.state.hosts = hosts
    app.state.templates = team_pages.templates()
    app.middleware("http")(_host_and_headers)
    app.add_exception_handler(NotSignedIn, _not_signed_in)
    app.add_exception_handler(BadCsrf, csrf_missing)
    app.add_exception_handler(LevelupError, _refused)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api)
    app.include_router(team_pages.router)
    return app


async def _host_and_headers(request: Request,
                            call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    hosts: frozenset[str] = request.app.state.hosts
    host = (request.headers.get("host") or "").lower()
    if hosts and host not in hosts:
        response: Response = PlainTextResponse("unknown Host header", status_code=400)
    else:
        response = await call_next(request)
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


async def _not_signed_in(request: Request, _exc: Exception) -> Response:
    if is_api(request):
        return JSONResponse({"message": "sign in, or send a personal token as "
                             "`Authorization: Bearer TOKEN`"}, status_code=401,
                            headers={"WWW-Authenticate": "Bearer"})
    return RedirectResponse("/signin", status_code=303)


async def _refused(request: Request, exc: Exception) -> Response:
    """A refused request, after nothing was written: 404 for what the asker may not see (the
    same whether it exists or not), 429 for too many sign-ins, 422 for a bad value."""
    from levelup.errors import FieldError
    from levelup.services.shares import TooManyAttempts

    assert isinstance(exc, LevelupError)
    status = 404 if isinstance(exc, NotFound) else 429 if isinstance(exc, TooManyAttempts) else 422
    field = exc.field if isinstance(exc, FieldError) else None
    message = f"{field}: {exc.problem}" if isinstance(exc, FieldError) else exc.message
    if is_api(request):
        return JSONResponse({"field": field, "message": message}, status_code=status)
    from levelup.web.team_pages import page

    return page(request, "team_error.html", status=status, message=message)


class ShareIn(BaseModel):
    """A bundle for one named person (what `levelup share` sends)."""

    model_config = ConfigDict(populate_by_name=True)
    with_: str = Field(alias="with", max_length=320)
    bundle: dict[str, Any]
    expires_days: int | None = 30
    message: str = ""
    packet: bool = False
    scope: dict[str, Any] = Field(default_factory=dict)


Asker = Depends(signed_in)


@api.post("/shares", status_code=201)
async def post_share(body: ShareIn, request: Request, me: Account = Asker) -> dict[str, Any]:
    from levelup.services.shares import receive_share

    got = await run_in_threadpool(
        receive_share, server_context(request), engineer=me, grantee=body.with_,
        bundle=body.bundle, expires_days=body.expires_days, message=body.message,
        packet=body.packet, scope=body.scope)
    return {"id": got.id, "replaced": got.replaced, "added": got.added}


@api.get("/shares")
async def get_my_shares(request: Request, me: Account = Asker) -> dict[str, Any]:
    from levelup.services.shares import my_shares, share_json

    found = await run_in_threadpool(my_shares, server_context(request), engineer=me)
    return {"shares": [share_json(s) for s in found]}


@api.get("/shares/log")
async def get_share_log(request: Request, share: str | None = None,
                        me: Account = Asker) -> dict[str, Any]:
    from levelup.services.shares import share_log, view_json

    views = await run_in_threadpool(share_log, server_context(request), engineer=me,
                                    share_id=share)
    return {"views": [view_json(v) for v in views]}


@api.get("/shares/{share_id}")
async def get_share(share_id: str, request: Request, me: Account = Asker) -> dict[str, Any]:
    from levelup.services.shares import open_share, share_contents

    ctx = server_context(request)
    share = await run_in_threadpool(open_share, ctx, viewer=me, share_id=share_id,
                                    what="the share (API)")
    return (await run_in_threadpool(share_contents, ctx, share=share)).to_json()


@api.delete("/shares/{share_id}")
async def delete_share(share_id: str, request: Request, me: Account = Asker) -> dict[str, Any]:
    from levelup.services.shares import revoke_share, share_json

    share = await run_in_threadpool(revoke_share, server_context(request), engineer=me,
                                    share_id=share_id)
    return {**share_json(share), "revoked": True}


@api.get("/team")
async def get_team(request: Request, me: Account = Asker) -> dict[str, Any]:
    from levelup.services.shares import team

    people = await run_in_threadpool(team, server_context(request), viewer=me)
    return {"team": [p.to_json() for p in people]}


def app_from_env() -> FastAPI:
    """The team server on LEVELUP_SERVER_DATABASE_URL (what `levelup server run` starts in
    each worker process); its schema is brought up to date here, once per start."""
    import os
    from dataclasses import replace
    from datetime import date
    from urllib.parse import urlsplit

    from levelup.context import Context
    from levelup.settings import load

    url = os.environ["LEVELUP_SERVER_DATABASE_URL"]
    base = Context(settings=load(database_url=url))
    base.engine()  # creates or upgrades the schema (under the migration lock) before serving
    public = urlsplit(os.environ.get("LEVELUP_SERVER_URL", ""))
    hosts = frozenset({public.netloc.lower()}) if public.netloc else frozenset()

    def make_context() -> Context:
        return replace(base, today=date.today())

    return create_team_app(make_context, hosts=hosts)


class NoteIn(BaseModel):
    """What a recipient adds on a share (see ``levelup.services.notes``)."""

    text: str = ""
    polarity: str | None = None
    competency: str | None = None
    follow_up: str = ""
    person: str | None = None
    relation: str | None = None
    on: str | None = None
    entries: list[str] = Field(default_factory=list)


@api.post("/shares/{share_id}/{kind}", status_code=201)
async def post_note(share_id: str, kind: str, body: NoteIn, request: Request,
                    me: Account = Asker) -> dict[str, Any]:
    """Feedback, a presentation to a decision maker, the business need or a successor, for
    the engineer of a share made to you (`levelup pull` brings it into their ledger)."""
    from levelup.services.notes import KINDS, add_note

    if kind not in KINDS:
        raise NotFound(f"nothing to add called '{kind[:40]}': {', '.join(KINDS)}")
    note = await run_in_threadpool(add_note, server_context(request), author=me,
                                   share_id=share_id, kind=kind, **body.model_dump())
    return note.to_json()


@api.get("/pull")
async def get_pull(request: Request, me: Account = Asker) -> dict[str, Any]:
    """What others added for you on the shares you made (for `levelup pull`)."""
    from levelup.services.notes import notes_for_me

    notes = await run_in_threadpool(notes_for_me, server_context(request), engineer=me)
    return {"notes": [n.to_json() for n in notes]}
