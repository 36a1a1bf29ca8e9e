"""The JSON API under /api/v1/: the shapes of the CLI's ``--json``, for pages and scripts."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from levelup.context import Context
from levelup.web.deps import context, signed_in
from levelup.web.fields import INPUT_ERRORS, field_of, message_of
from levelup.web.render import render

router = APIRouter(prefix="/api/v1", dependencies=[Depends(signed_in)])
Ctx = Annotated[Context, Depends(context)]


class NewEntry(BaseModel):
    """The fields of `levelup log` (lists for its repeatable options)."""

    title: str
    date: str | None = None
    until: str | None = None
    kind: str = "win"
    project: str | None = None
    outcomes: list[str] = Field(default_factory=list)
    competencies: list[str] = Field(default_factory=list)
    metrics: list[str] = Field(default_factory=list)
    links: list[str] = Field(default_factory=list)
    details: str = ""
    context: str = ""
    why: str = ""
    did: str = ""
    result_now: str = ""
    result_later: str = ""
    prevented: str = ""


@router.get("/entries")
def entries(ctx: Ctx, since: str | None = None, until: str | None = None, q: str = "",
            kind: Annotated[list[str] | None, Query()] = None, project: str | None = None,
            outcome: str | None = None, competency: str | None = None,
            unconfirmed: bool = False, limit: Annotated[int, Query(ge=1, le=200)] = 200,
            offset: Annotated[int, Query(ge=0)] = 0, after: str = "") -> dict[str, Any]:
    """Entries of the period matching every filter (and every word of ``q``), newest first,
    as `levelup list --json` prints them: ``{"entries": [...]}``. ``after=DATE.ID`` (the last
    entry's) asks for the page after it, as fast as the first however deep."""
    from levelup.domain.serialize import to_json
    from levelup.services.dashboard import ledger_page

    page = ledger_page(ctx, since=since, until=until, query=q, kind=kind or [],
                       project=project, outcome=outcome, competency=competency,
                       unconfirmed=unconfirmed, limit=limit, offset=offset, after=after)
    return {"entries": to_json(page.entries)}


@router.post("/entries", status_code=201)
def log(ctx: Ctx, new: NewEntry) -> Any:
    """Log an entry as `levelup log` does; 201 with the stored entry (`log --json`), or 422
    with ``{"field", "message"}`` and nothing written."""
    from levelup.domain.serialize import to_json
    from levelup.services.entries import log_entry

    given = new.model_dump()
    try:
        logged = log_entry(ctx, **given)
    except INPUT_ERRORS as exc:
        return JSONResponse({"field": field_of(exc, given, ctx.today),
                             "message": message_of(exc)}, status_code=422)
    return to_json(logged.entry)


@router.get("/entries/{entry_id}")
def entry(ctx: Ctx, entry_id: int) -> dict[str, Any]:
    """One entry and who heard about it, as `levelup show --json` prints it."""
    from levelup.services.entries import show_entry

    return show_entry(ctx, entry_id=entry_id).to_json()


@router.get("/readiness")
def readiness(ctx: Ctx) -> dict[str, Any]:
    """Readiness for the target level, as `levelup readiness --json` (each action's step as
    ``{"action", "args"}``, for the client to phrase)."""
    from levelup.services.readiness import readiness_for

    data: dict[str, Any] = readiness_for(ctx).to_json()
    return data


@router.get("/coach")
def coach(ctx: Ctx, title: str = "") -> dict[str, Any]:
    """The impact coach's hints on a title being typed (for the capture form)."""
    from levelup.domain.models import Entry
    from levelup.services.entries import coach_tips

    if not title.strip():
        return {"tips": []}
    return {"tips": coach_tips(Entry(title=title.strip(), date=ctx.today))}


@router.get("/openapi.json", include_in_schema=False)
def openapi(request: Request) -> Response:
    return JSONResponse(request.app.openapi())


@router.get("/docs", include_in_schema=False)
def docs(request: Request) -> Response:
    """The API's operations, rendered here: no script from a CDN."""
    schema = request.app.openapi()
    return render(request, "api_docs.html", schema=schema)
