"""People and expectations: stakeholders, expectations and the three critical tasks, feedback
with its follow-ups, 1:1s and career talks, self check-ins and their trend.

One page (``/people``) and one POST route per form. Each form calls one service; bad input comes
back beside its input with the CLI's message, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from levelup.context import Context
from levelup.domain import vocab
from levelup.web.deps import context, signed_in
from levelup.web.fields import INPUT_ERRORS
from levelup.web.forms import form_error
from levelup.web.render import render

router = APIRouter(dependencies=[Depends(signed_in)], include_in_schema=False)
Ctx = Annotated[Context, Depends(context)]
Text = Annotated[str, Form()]
Flag = Annotated[bool, Form()]


@router.get("/people")
def people(request: Request, ctx: Ctx) -> Response:
    return _page(request, ctx)


def _page(request: Request, ctx: Context, *, errors: Mapping[str, str] | None = None,
          forms: Mapping[str, Mapping[str, object]] | None = None,
          status: int = 200) -> Response:
    from levelup.services.people import list_expectations, list_stakeholders
    from levelup.services.records import list_checkins, list_feedback, list_talks

    expectations = list_expectations(ctx)
    checkins = list_checkins(ctx)
    return render(
        request, "people.html", status=status, errors=errors or {}, forms=forms or {},
        stakeholders=list_stakeholders(ctx), expectations=expectations,
        critical=[v for v in expectations if v.expectation.kind == "critical-task"],
        feedback=list_feedback(ctx)[::-1], talks=list_talks(ctx)[::-1],
        checkins=[(c, _mean(c.scores)) for c in checkins][::-1],
        relations=vocab.RELATIONS, expectation_kinds=vocab.EXPECTATION_KINDS,
        statuses=vocab.FEEDBACK_STATUSES, talk_kinds=vocab.CONVERSATION_KINDS,
        questions=vocab.CHECKIN_QUESTIONS, competencies=vocab.COMPETENCIES)


def _mean(scores: Mapping[str, int]) -> float:
    return sum(scores.values()) / len(scores) if scores else 0.0


def _write(request: Request, ctx: Context, *, form: str, given: dict[str, object],
           default: str, write: Callable[[], object], anchor: str) -> Response:
    """Run ``write`` (one service call); on bad input, the page with the message beside the
    input of ``form`` that caused it (status 422)."""
    try:
        write()
    except INPUT_ERRORS as exc:
        errors = form_error(exc, form=form, given=given, default=default, today=ctx.today)
        return _page(request, ctx, errors=errors, forms={form: given}, status=422)
    return RedirectResponse(f"/people#{anchor}", status_code=303)


@router.post("/people/stakeholders")
def add_stakeholder(request: Request, ctx: Ctx, name: Text = "", relation: Text = "peer",
                    decision_maker: Flag = False, email: Text = "",
                    notes: Text = "") -> Response:
    from levelup.services.people import add_stakeholder as add

    given: dict[str, object] = {"name": name, "relation": relation,
                                "decision_maker": decision_maker, "email": email,
                                "notes": notes}
    return _write(request, ctx, form="stakeholder", given=given, default="name",
                  anchor="stakeholders", write=lambda: add(
                      ctx, name=name, relation=relation, decision_maker=decision_maker,
                      notes=notes, email=email.strip() or None))


@router.post("/people/expectations")
def add_expectation(request: Request, ctx: Ctx, text: Text = "",
                    kind: Text = "responsibility", said_by: Text = "",
                    date: Text = "") -> Response:
    from levelup.services.people import add_expectation as add

    given: dict[str, object] = {"text": text, "kind": kind, "said_by": said_by, "date": date}
    return _write(request, ctx, form="expectation", given=given, default="text",
                  anchor="expectations", write=lambda: add(
                      ctx, text=text, kind=kind, said_by=said_by or None,
                      agreed=date or None))


@router.post("/people/expectations/{expectation_id}")
def update_expectation(request: Request, ctx: Ctx, expectation_id: int, outcome: Text = "",
                       outcome_on: Text = "") -> Response:
    """How an agreed expectation went (an empty outcome clears it)."""
    from levelup.services.people import update_expectation as update

    given: dict[str, object] = {"outcome": outcome, "outcome_on": outcome_on}
    return _write(request, ctx, form=f"expectation{expectation_id}", given=given,
                  default="outcome", anchor=f"expectation-{expectation_id}", write=lambda: update(
                      ctx, expectation_id=expectation_id, outcome=outcome,
                      outcome_on=outcome_on or None))


@router.post("/people/expectations/{expectation_id}/remove")
def remove_expectation(ctx: Ctx, expectation_id: int) -> Response:
    from levelup.services.people import remove_expectation as remove

    remove(ctx, expectation_id=expectation_id)
    return RedirectResponse("/people#expectations", status_code=303)


@router.post("/people/feedback")
def add_feedback(request: Request, ctx: Ctx, text: Text = "", giver: Text = "",
                 constructive: Flag = False, competency: Text = "", asked: Flag = False,
                 follow_up: Text = "", date: Text = "") -> Response:
    from levelup.services.records import add_feedback as add

    given: dict[str, object] = {"text": text, "giver": giver, "constructive": constructive,
                                "competency": competency, "asked": asked,
                                "follow_up": follow_up, "date": date}
    return _write(request, ctx, form="feedback", given=given, default="text",
                  anchor="feedback", write=lambda: add(
                      ctx, text=text, giver=giver, constructive=constructive,
                      competency=competency or None, asked=asked, follow_up=follow_up,
                      date=date or None))


@router.post("/people/feedback/{feedback_id}")
def update_feedback(request: Request, ctx: Ctx, feedback_id: int, status: Text = "",
                    follow_up: Text = "") -> Response:
    from levelup.services.records import update_feedback as update

    given: dict[str, object] = {"status": status, "follow_up": follow_up}
    return _write(request, ctx, form=f"feedback{feedback_id}", given=given, default="status",
                  anchor=f"feedback-{feedback_id}", write=lambda: update(
                      ctx, feedback_id=feedback_id, status=status or None,
                      follow_up=follow_up))


@router.post("/people/feedback/{feedback_id}/correct")
def correct_feedback(request: Request, ctx: Ctx, feedback_id: int, text: Text = "",
                     giver: Text = "", date: Text = "") -> Response:
    """Correct what a feedback says, who gave it and when."""
    from levelup.services.records import update_feedback as update

    given: dict[str, object] = {"text": text, "giver": giver, "date": date}
    return _write(request, ctx, form=f"fix{feedback_id}", given=given, default="text",
                  anchor=f"feedback-{feedback_id}", write=lambda: update(
                      ctx, feedback_id=feedback_id, text=text, giver=giver,
                      date=date or None))


@router.post("/people/talks/{talk_id}")
def update_talk(request: Request, ctx: Ctx, talk_id: int,
                with_: Annotated[str, Form(alias="with")] = "", kind: Text = "",
                notes: Text = "", date: Text = "") -> Response:
    """Correct a conversation's who, kind, date or notes (its Q&A stay as recorded)."""
    from levelup.services.records import update_talk as update

    given: dict[str, object] = {"with": with_, "kind": kind, "notes": notes, "date": date}
    return _write(request, ctx, form=f"talk{talk_id}", given=given, default="with",
                  anchor=f"talk-{talk_id}", write=lambda: update(
                      ctx, talk_id=talk_id, with_=with_, kind=kind or None, notes=notes,
                      date=date or None))


@router.post("/people/talks")
def add_talk(request: Request, ctx: Ctx, with_: Annotated[str, Form(alias="with")] = "",
             kind: Text = "1:1", notes: Text = "", qa: Text = "", aspiration: Flag = False,
             date: Text = "") -> Response:
    from levelup.services.records import add_talk as add

    pairs = [line.strip() for line in qa.splitlines() if line.strip()]
    given: dict[str, object] = {"with": with_, "kind": kind, "notes": notes, "qa": qa,
                                "aspiration": aspiration, "date": date}
    return _write(request, ctx, form="talk", given=given, default="with",
                  anchor="talks", write=lambda: add(
                      ctx, with_=with_, kind=kind, notes=notes, qa=pairs,
                      aspiration=aspiration, date=date or None))


@router.post("/people/checkins")
async def add_checkin(request: Request, ctx: Ctx) -> Response:
    from starlette.concurrency import run_in_threadpool

    from levelup.services.records import add_checkin as add

    sent = await request.form()
    given: dict[str, Any] = {name: str(value) for name, value in sent.items() if name != "csrf"}
    scores = {key: given[f"score-{key}"] for key in vocab.CHECKIN_QUESTIONS
              if given.get(f"score-{key}", "").strip()}
    given["score"] = scores
    return await run_in_threadpool(
        _write, request, ctx, form="checkin", given=given, default="score", anchor="checkins",
        write=lambda: add(ctx, scores=scores, notes=given.get("notes", ""),
                          date=given.get("date") or None))
