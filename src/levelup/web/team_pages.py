"""The team server's pages: sign-in (a one-time link or a password), the team page of the
people who shared with you, one share, and your own shares with who looked. Server-rendered,
no JavaScript needed; forms carry the session's CSRF token."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from starlette.concurrency import run_in_threadpool

from levelup.web.team_auth import COOKIE, server_context, signed_in

if TYPE_CHECKING:
    from levelup.store.accounts import Account

router = APIRouter()
ASKER = Depends(signed_in)  # the signed-in account (a module-level default, as ruff wants)
SESSION_SECONDS = 14 * 24 * 3600


def templates() -> Jinja2Templates:
    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "team_templates"),
                      autoescape=True, trim_blocks=True, lstrip_blocks=True)
    return Jinja2Templates(env=env)


def page(request: Request, name: str, *, status: int = 200, **values: Any) -> HTMLResponse:
    engine: Jinja2Templates = request.app.state.templates
    values.update(request=request, csrf=getattr(request.state, "csrf", ""),
                  path=request.url.path)
    response: HTMLResponse = engine.TemplateResponse(request, name, values, status_code=status)
    return response


def _signed_in_response(request: Request, session: str) -> Response:
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(COOKIE, session, max_age=SESSION_SECONDS, httponly=True,
                        samesite="lax", secure=request.url.scheme == "https", path="/")
    return response


@router.get("/signin", response_class=HTMLResponse)
async def signin_form(request: Request) -> Response:
    return page(request, "team_signin.html", email="", problem="")


@router.post("/signin", response_class=HTMLResponse)
async def signin(request: Request, email: str = Form(""), password: str = Form("")) -> Response:
    """A password sign-in, refused for a while after repeated failures (by e-mail and by
    address, in the database: every worker counts the same failures)."""
    from levelup.services.accounts import SignInRefused, sign_in_with_password
    from levelup.services.shares import TooManyAttempts, check_attempts, record_failure

    ctx = server_context(request)
    keys = [f"email:{email.strip().lower()[:320]}",
            f"address:{request.client.host if request.client else '?'}"]
    try:
        await run_in_threadpool(check_attempts, ctx, keys=keys)
        session = await run_in_threadpool(sign_in_with_password, ctx, email=email,
                                          password=password)
    except TooManyAttempts as exc:
        return page(request, "team_signin.html", status=429, email=email, problem=exc.message)
    except SignInRefused as exc:
        await run_in_threadpool(record_failure, ctx, keys=keys)
        return page(request, "team_signin.html", status=401, email=email, problem=exc.message)
    return _signed_in_response(request, session)


@router.get("/signin/{token}", response_class=HTMLResponse)
async def signin_link(token: str, request: Request) -> Response:
    from levelup.services.accounts import SignInRefused, sign_in_with_link

    try:
        session = await run_in_threadpool(sign_in_with_link, server_context(request),
                                          token=token)
    except SignInRefused as exc:
        return page(request, "team_signin.html", status=403, email="", problem=exc.message)
    return _signed_in_response(request, session)


@router.post("/signout")
async def signout(request: Request, _me: Account = ASKER) -> Response:
    from levelup.services.accounts import sign_out

    await run_in_threadpool(sign_out, server_context(request),
                            token=request.cookies.get(COOKIE, ""))
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


@router.get("/", response_class=HTMLResponse)
async def home(me: Account = ASKER) -> Response:
    return RedirectResponse("/team" if me.role in ("manager", "admin") else "/shares",
                            status_code=303)


@router.get("/team", response_class=HTMLResponse)
async def team_page(request: Request, me: Account = ASKER) -> Response:
    from levelup.services.shares import team

    members = await run_in_threadpool(team, server_context(request), viewer=me)
    return page(request, "team_team.html", me=me, members=members)


@router.get("/shares", response_class=HTMLResponse)
async def my_shares_page(request: Request, me: Account = ASKER) -> Response:
    from levelup.services.shares import my_shares, share_log

    ctx = server_context(request)
    shares = await run_in_threadpool(my_shares, ctx, engineer=me)
    views = await run_in_threadpool(share_log, ctx, engineer=me)
    return page(request, "team_mine.html", me=me, shares=shares, views=views,
                now=datetime.now())


@router.get("/shares/{share_id}", response_class=HTMLResponse)
async def share_page(share_id: str, request: Request,
                     me: Account = ASKER) -> Response:
    from levelup.services.shares import open_share, share_contents

    ctx = server_context(request)
    share = await run_in_threadpool(open_share, ctx, viewer=me, share_id=share_id,
                                    what="the share")
    contents = await run_in_threadpool(share_contents, ctx, share=share)
    return page(request, "team_share.html", me=me, c=contents)


@router.post("/shares/{share_id}/revoke")
async def revoke_page(share_id: str, request: Request,
                      me: Account = ASKER) -> Response:
    from levelup.services.shares import revoke_share

    await run_in_threadpool(revoke_share, server_context(request), engineer=me,
                            share_id=share_id)
    return RedirectResponse("/shares", status_code=303)


NOTE_FIELDS = ("text", "polarity", "competency", "follow_up", "person", "relation", "on")


@router.post("/shares/{share_id}/notes/{kind}")
async def note_form(share_id: str, kind: str, request: Request,
                    me: Account = ASKER) -> Response:
    """A recipient's feedback, presentation, business need or successor, from the share page;
    a bad value is shown beside the forms, nothing written."""
    from levelup.errors import FieldError
    from levelup.services.notes import KINDS, add_note
    from levelup.services.shares import open_share, share_contents

    form = await request.form()
    values = {name: str(form.get(name) or "") or None for name in NOTE_FIELDS}
    ctx = server_context(request)
    if kind not in KINDS:
        kind = "feedback"
    try:
        await run_in_threadpool(
            add_note, ctx, author=me, share_id=share_id, kind=kind,
            text=values["text"] or "", follow_up=values["follow_up"] or "",
            polarity=values["polarity"], competency=values["competency"],
            person=values["person"], relation=values["relation"], on=values["on"],
            entries=[str(u) for u in form.getlist("entries")])
    except FieldError as exc:
        share = await run_in_threadpool(open_share, ctx, viewer=me, share_id=share_id,
                                        what="the share")
        contents = await run_in_threadpool(share_contents, ctx, share=share)
        return page(request, "team_share.html", status=422, me=me, c=contents,
                    problem={"kind": kind, "field": exc.field, "message": exc.problem},
                    typed=values)
    return RedirectResponse(f"/shares/{share_id}#added", status_code=303)


@router.get("/shares/{share_id}/brief.{fmt}")
async def brief(share_id: str, fmt: str, request: Request,
                me: Account = ASKER) -> Response:
    """The one-page brief for a promotion committee (the packet), made only from the shared
    records: Markdown or PDF."""
    from levelup.errors import NotFound
    from levelup.services.reports import build_report, render_report
    from levelup.services.shares import open_share, space_context

    if fmt not in ("md", "pdf", "html"):
        raise NotFound(f"no brief as .{fmt[:10]}: md, html or pdf")
    ctx = server_context(request)
    share = await run_in_threadpool(open_share, ctx, viewer=me, share_id=share_id,
                                    what=f"the brief ({fmt})")
    if not share.packet and me.id != share.engineer_id:
        raise NotFound("this share does not include the promotion packet")
    space = space_context(ctx, share.space_id)
    report = await run_in_threadpool(build_report, space, kind="packet", since="2000-01-01")
    rendered = await run_in_threadpool(render_report, space, report=report, fmt=fmt)
    name = f"brief-{share.engineer_name.replace(' ', '-').lower()}.{fmt}"
    return Response(rendered.data, media_type=rendered.media_type,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
