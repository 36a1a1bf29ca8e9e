"""Editing an entry: every field (story, metrics, links, testimonials, labels) in one form
that calls ``services.entries.update_entry``; bad input comes back beside its field with the
CLI's message and nothing is written."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from levelup.context import Context
from levelup.domain import vocab
from levelup.domain.metrics import format_metric
from levelup.domain.models import STORY_FIELDS, Entry
from levelup.web.deps import context, signed_in
from levelup.web.fields import INPUT_ERRORS, field_of, message_of
from levelup.web.render import render

router = APIRouter(dependencies=[Depends(signed_in)], include_in_schema=False)
Ctx = Annotated[Context, Depends(context)]
Text = Annotated[str, Form()]
Many = Annotated[list[str], Form()]
STORY_LABELS = {"context": "The situation", "why": "Why it mattered", "did": "What I did",
                "result_now": "The result now", "result_later": "The result later",
                "prevented": "What it prevented"}
FIELDS = ("title", "date", "until", "kind", "project", "details", *STORY_FIELDS,
          "metrics", "links", "testimonials")


def form_of(entry: Entry) -> dict[str, object]:
    """The entry's fields as the edit form shows them (lists one item a line)."""
    return {
        "title": entry.title, "date": entry.date.isoformat(),
        "until": entry.end_date.isoformat() if entry.end_date else "", "kind": entry.kind,
        "project": entry.project or "", "details": entry.details,
        **{name: getattr(entry, name) for name in STORY_FIELDS},
        "outcomes": entry.outcome_ids, "competencies": entry.competency_ids,
        "metrics": "\n".join(format_metric(m) for m in entry.metrics),
        "links": "\n".join(entry.links),
        "testimonials": "\n".join(f'"{t.quote}" — {t.author}' for t in entry.testimonials),
    }


def _page(request: Request, entry_id: int, form: dict[str, object],
          errors: dict[str, str] | None = None, status: int = 200) -> Response:
    return render(request, "entry_edit.html", status=status, entry_id=entry_id, form=form,
                  errors=errors or {}, story=STORY_LABELS, kinds=vocab.ENTRY_KINDS,
                  outcomes=vocab.OUTCOMES, competencies=vocab.COMPETENCIES)


@router.get("/entries/{entry_id}/edit")
def edit_form(request: Request, ctx: Ctx, entry_id: int) -> Response:
    from levelup.services.entries import show_entry

    return _page(request, entry_id, form_of(show_entry(ctx, entry_id=entry_id).entry))


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


@router.post("/entries/{entry_id}/edit")
def edit(request: Request, ctx: Ctx, entry_id: int, title: Text = "", date: Text = "",
         until: Text = "", kind: Text = "win", project: Text = "", details: Text = "",
         context: Text = "", why: Text = "", did: Text = "", result_now: Text = "",
         result_later: Text = "", prevented: Text = "", metrics: Text = "", links: Text = "",
         testimonials: Text = "", outcomes: Many = [],  # noqa: B006 (FastAPI copies it)
         competencies: Many = []) -> Response:  # noqa: B006
    from levelup.services.entries import show_entry, update_entry

    show_entry(ctx, entry_id=entry_id)  # NotFound for an id that names nothing
    story = {"context": context, "why": why, "did": did, "result_now": result_now,
             "result_later": result_later, "prevented": prevented}
    form: dict[str, object] = {
        "title": title, "date": date, "until": until, "kind": kind, "project": project,
        "details": details, **story, "outcomes": outcomes, "competencies": competencies,
        "metrics": metrics, "links": links, "testimonials": testimonials}
    try:
        update_entry(ctx, entry_id=entry_id, title=title, date=date, until=until or None,
                     kind=kind or "win", project=project.strip() or None, details=details,
                     outcomes=outcomes, competencies=competencies, metrics=_lines(metrics),
                     links=_lines(links), testimonials=_lines(testimonials), **story)
    except INPUT_ERRORS as exc:
        name = field_of(exc, form, ctx.today)
        errors = {name if name in form else "title": message_of(exc)}
        return _page(request, entry_id, form, errors, status=422)
    return RedirectResponse(f"/entries/{entry_id}?saved=1", status_code=303)
