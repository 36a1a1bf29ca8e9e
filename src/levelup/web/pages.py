"""The pages: dashboard, ledger (timeline and capture form), an entry, readiness.

Each route parses the request, calls services with the request's Context, renders a template.
Bad input on a form comes back beside its field with the CLI's message; nothing is written.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from levelup.context import Context
from levelup.domain import vocab
from levelup.errors import NoProfile
from levelup.web.deps import context, signed_in
from levelup.web.fields import INPUT_ERRORS, field_of, message_of
from levelup.web.render import render

router = APIRouter(dependencies=[Depends(signed_in)], include_in_schema=False)
Ctx = Annotated[Context, Depends(context)]
Text = Annotated[str, Form()]
FILTERS = ("since", "until", "q", "kind", "project", "outcome", "competency", "unconfirmed")


@router.get("/")
def dashboard(request: Request, ctx: Ctx) -> Response:
    from levelup.services.dashboard import strongest_wins, this_week
    from levelup.services.readiness_grid import readiness_glance

    try:
        glance, problem = readiness_glance(ctx), ""
    except NoProfile as exc:
        glance, problem = None, exc.message
    readiness = glance.readiness if glance is not None else None
    wins = strongest_wins(ctx, readiness) if readiness is not None else []
    return render(request, "dashboard.html", week=this_week(ctx), readiness=readiness,
                  glance=glance, problem=problem, wins=wins)


def _readiness(ctx: Context) -> tuple[Any, str]:
    from levelup.services.readiness import readiness_for

    try:
        return readiness_for(ctx), ""
    except NoProfile as exc:
        return None, exc.message


@router.get("/readiness")
def readiness(request: Request, ctx: Ctx) -> Response:
    found, problem = _readiness(ctx)
    return render(request, "readiness.html", readiness=found, problem=problem)


@router.get("/ledger")
def ledger(request: Request, ctx: Ctx, since: str = "", until: str = "", q: str = "",
           kind: str = "", project: str = "", outcome: str = "", competency: str = "",
           unconfirmed: str = "", offset: Annotated[int, Query(ge=0)] = 0,
           limit: Annotated[int, Query(ge=1, le=200)] = 50, after: str = "",
           partial: bool = False) -> Response:
    from levelup.services.dashboard import ledger_page

    shown = {"since": since, "until": until, "q": q, "kind": kind, "project": project,
             "outcome": outcome, "competency": competency, "unconfirmed": unconfirmed}
    try:
        page = ledger_page(ctx, since=since or None, until=until or None, query=q,
                           kind=[kind] if kind else [], project=project or None,
                           outcome=outcome or None, competency=competency or None,
                           unconfirmed=bool(unconfirmed), limit=limit, offset=offset,
                           after=after)
    except INPUT_ERRORS as exc:
        errors = {field_of(exc, shown, ctx.today) or "q": message_of(exc)}
        return _ledger(request, filters=shown, errors=errors, page=None, status=422)
    name = "entries.html" if partial else "ledger.html"
    return _ledger(request, filters=shown, page=page, name=name)


def _ledger(request: Request, *, filters: dict[str, str], page: Any = None,
            errors: dict[str, str] | None = None, form: dict[str, str] | None = None,
            status: int = 200, name: str = "ledger.html") -> Response:
    return render(request, name, status=status, filters=filters, page=page,
                  errors=errors or {}, form=form or {}, kinds=vocab.ENTRY_KINDS,
                  outcomes=vocab.OUTCOMES, competencies=vocab.COMPETENCIES)


@router.post("/ledger")
def capture(request: Request, ctx: Ctx, title: Text = "", date: Text = "",
            metrics: Text = "", outcomes: Text = "", kind: Text = "win") -> Response:
    """The capture form: one entry, as `levelup log` stores it, or the form back with the
    message beside the field that caused it."""
    from levelup.services.entries import log_entry

    form = {"title": title, "date": date, "metrics": metrics, "outcomes": outcomes,
            "kind": kind}
    try:
        logged = log_entry(ctx, title=title, date=date or None, kind=kind or "win",
                           outcomes=[outcomes] if outcomes else [],
                           metrics=[metrics] if metrics.strip() else [])
    except INPUT_ERRORS as exc:
        errors = {field_of(exc, form, ctx.today) or "title": message_of(exc)}
        return _ledger(request, filters={}, errors=errors, form=form, status=422)
    return RedirectResponse(f"/entries/{logged.entry.id}?logged=1", status_code=303)


@router.get("/entries/{entry_id}")
def entry(request: Request, ctx: Ctx, entry_id: int, logged: bool = False,
          saved: bool = False) -> Response:
    from levelup.services.entries import coach_tips, show_entry, story_gaps
    from levelup.services.people import list_stakeholders

    shown = show_entry(ctx, entry_id=entry_id)
    unconfirmed = [label for label in shown.entry.outcomes + shown.entry.competencies
                   if not label.confirmed]
    return render(request, "entry.html", shown=shown, unconfirmed=unconfirmed,
                  logged=logged, saved=saved, tips=coach_tips(shown.entry) if logged else [],
                  gaps=story_gaps(shown.entry), stakeholders=list_stakeholders(ctx),
                  channels=vocab.CHANNELS, errors={})


@router.post("/entries/{entry_id}/tell")
def tell(request: Request, ctx: Ctx, entry_id: int, stakeholder: Text = "",
         channel: Text = "1:1", note: Text = "") -> Response:
    from levelup.services.records import tell as record

    try:
        record(ctx, stakeholder=stakeholder, entry_ids=[entry_id], channel=channel, note=note)
    except INPUT_ERRORS as exc:
        message = message_of(exc) if stakeholder else "choose who heard about it"
        return render(request, "error.html", status=422, message=message,
                      back=f"/entries/{entry_id}")
    return RedirectResponse(f"/entries/{entry_id}", status_code=303)


@router.post("/entries/{entry_id}/confirm")
def confirm(ctx: Ctx, entry_id: int) -> Response:
    from levelup.services.entries import confirm_labels

    confirm_labels(ctx, entry_ids=[entry_id])
    return RedirectResponse(f"/entries/{entry_id}", status_code=303)


@router.get("/entries/{entry_id}/delete")
def delete_form(request: Request, ctx: Ctx, entry_id: int) -> Response:
    from levelup.services.entries import show_entry

    return render(request, "delete.html", entry=show_entry(ctx, entry_id=entry_id).entry)


@router.post("/entries/{entry_id}/delete")
def delete(ctx: Ctx, entry_id: int) -> Response:
    from levelup.services.entries import delete_entries, show_entry

    show_entry(ctx, entry_id=entry_id)  # NotFound for an id that names nothing
    delete_entries(ctx, entry_ids=[entry_id])
    return RedirectResponse("/ledger", status_code=303)
