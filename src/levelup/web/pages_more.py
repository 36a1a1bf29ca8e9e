"""The ladder (current vs target level, with the ledger's evidence beside each expectation)
and opportunities (the Pareto chart, pages per week, the backlog with page rates before and
after each fix, and a form to add an opportunity)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from levelup.context import Context
from levelup.domain.vocab import OPPORTUNITY_KINDS
from levelup.errors import LevelupError
from levelup.web.deps import context, signed_in
from levelup.web.fields import INPUT_ERRORS
from levelup.web.forms import form_error
from levelup.web.render import render

router = APIRouter(dependencies=[Depends(signed_in)], include_in_schema=False)
Ctx = Annotated[Context, Depends(context)]
Text = Annotated[str, Form()]


@router.get("/ladder")
def ladder(request: Request, ctx: Ctx) -> Response:
    from levelup.services.ladders import ladder_evidence

    try:
        found, problem = ladder_evidence(ctx), ""
    except LevelupError as exc:  # no profile yet, or a ladder or level that is not known
        found, problem = None, exc.message
    return render(request, "ladder.html", found=found, problem=problem)


@router.get("/opportunities")
def opportunities(request: Request, ctx: Ctx, since: str = "", until: str = "",
                  by: str = "problem") -> Response:
    return _page(request, ctx, {"since": since, "until": until, "by": by})


def _page(request: Request, ctx: Context, shown: dict[str, str], *,
          errors: dict[str, str] | None = None, form: dict[str, object] | None = None,
          status: int = 200) -> Response:
    from levelup.charts import pareto_svg, weekly_svg
    from levelup.domain.pareto import trend
    from levelup.services.opportunities import backlog_rates, opportunity_report

    errors = dict(errors or {})
    values: dict[str, Any] = {"report": None}
    try:
        report = opportunity_report(ctx, since=shown["since"] or None,
                                    until=shown["until"] or None, by=shown["by"] or "problem")
    except INPUT_ERRORS as exc:
        errors.update(form_error(exc, form="period", given=shown, default="since",
                                 today=ctx.today))
        status = 422
    else:
        # The charts are escaped SVG made by levelup.charts, safe to inline.
        values.update(report=report, pareto=Markup(pareto_svg(report.rows)),
                      weekly=Markup(weekly_svg(report.weeks)),
                      vital={row.key for row in report.vital_few}, slope=trend(report.weeks))
    return render(request, "opportunities.html", status=status, shown=shown, errors=errors,
                  form=form or {}, backlog=backlog_rates(ctx), kinds=OPPORTUNITY_KINDS,
                  **values)


@router.post("/opportunities")
def add(request: Request, ctx: Ctx, title: Text = "", kind: Text = "", problem: Text = "",
        hypothesis: Text = "") -> Response:
    from levelup.services.opportunities import add_opportunity

    given: dict[str, object] = {"title": title, "kind": kind, "problem": problem,
                                "hypothesis": hypothesis}
    try:
        add_opportunity(ctx, title=title, kind=kind, problem=problem.strip() or None,
                        hypothesis=hypothesis)
    except INPUT_ERRORS as exc:
        errors = form_error(exc, form="opportunity", given=given, default="title",
                            today=ctx.today)
        return _page(request, ctx, {"since": "", "until": "", "by": "problem"}, errors=errors,
                     form=given, status=422)
    return RedirectResponse("/opportunities#backlog", status_code=303)
