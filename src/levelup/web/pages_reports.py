"""Reports: each kind previewed in the page, downloaded as md/html/pdf/eml, sent over SMTP.

The preview is the html renderer's own page, served by ``/reports/preview`` into a sandboxed
frame with a CSP of its own (no script, nothing fetched; only its inline style), so the report
looks in the browser as it will in a mail or a file. Sending records visibility, as the CLI does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from levelup.context import Context
from levelup.errors import FieldError, NotFound
from levelup.reports.model import KINDS
from levelup.web.deps import context, signed_in
from levelup.web.fields import INPUT_ERRORS
from levelup.web.forms import form_error
from levelup.web.render import render

if TYPE_CHECKING:
    from levelup.reports.model import Report

router = APIRouter(dependencies=[Depends(signed_in)], include_in_schema=False)
Ctx = Annotated[Context, Depends(context)]
Text = Annotated[str, Form()]
FORMATS = ("md", "html", "pdf", "eml")
SENT_AS = ("md", "pdf")  # the mail's body is the report; pdf attaches the PDF too
# The preview frame: the report's inline style and data: images, nothing else; no script runs
# (sandbox), and only our own pages may frame it.
FRAME_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "img-src data:; frame-ancestors 'self'; form-action 'none'; base-uri 'none'; sandbox",
    "X-Frame-Options": "SAMEORIGIN",
}


def _chosen(kind: str, since: str, until: str, audience: str) -> dict[str, str]:
    return {"kind": kind or "weekly", "since": since, "until": until, "audience": audience}


def _build(ctx: Context, chosen: dict[str, str]) -> Report:
    from levelup.services.reports import build_report

    return build_report(ctx, kind=chosen["kind"], since=chosen["since"] or None,
                        until=chosen["until"] or None, audience=chosen["audience"] or None)


def _page(request: Request, ctx: Context, chosen: dict[str, str], *, preview: bool,
          status: int = 200, **values: Any) -> Response:
    from levelup.services.people import list_stakeholders

    errors: dict[str, str] = values.pop("errors", {})
    report = values.pop("report", None)
    if report is None and not any(k.startswith("report-") for k in errors):
        try:
            report = _build(ctx, chosen)
        except INPUT_ERRORS as exc:
            errors.update(form_error(exc, form="report", given=chosen, default="kind",
                                     today=ctx.today))
            status = 422
    query = urlencode({k: v for k, v in chosen.items() if v})
    return render(request, "reports.html", status=status, chosen=chosen, kinds=KINDS,
                  report=report, preview=preview, query=query, errors=errors,
                  formats=FORMATS, sent_as=SENT_AS, stakeholders=list_stakeholders(ctx),
                  send=values.pop("send", {}), **values)


@router.get("/reports")
def reports(request: Request, ctx: Ctx, kind: str = "weekly", since: str = "", until: str = "",
            audience: str = "", preview: bool = False) -> Response:
    return _page(request, ctx, _chosen(kind, since, until, audience), preview=preview)


@router.get("/reports/preview")
def preview_frame(ctx: Ctx, kind: str = "weekly", since: str = "", until: str = "",
                  audience: str = "", preview: bool = False) -> Response:
    """The report as the html renderer writes it, for the page's sandboxed frame."""
    from levelup.services.reports import render_report

    report = _build(ctx, _chosen(kind, since, until, audience))
    rendered = render_report(ctx, report=report, fmt="html", preview=preview)
    return Response(rendered.data, media_type=rendered.media_type, headers=FRAME_HEADERS)


@router.get("/reports/download")
def download(ctx: Ctx, kind: str = "weekly", since: str = "", until: str = "",
             audience: str = "", format: str = "md") -> Response:
    """The report as a file (never with the private preview), named KIND-DAY.FORMAT."""
    from levelup.services.reports import render_report

    report = _build(ctx, _chosen(kind, since, until, audience))
    fmt = format if format in FORMATS else "md"
    rendered = render_report(ctx, report=report, fmt=fmt)
    name = f"{report.kind}-{ctx.today.isoformat()}.{fmt}"
    return Response(rendered.data, media_type=rendered.media_type,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.post("/reports/send")
def send(request: Request, ctx: Ctx, kind: Text = "weekly", since: Text = "", until: Text = "",
         stakeholder: Text = "", to: Text = "", format: Text = "md") -> Response:
    """E-mail the report to a stakeholder and record that they heard of its entries."""
    from levelup.services.reports import send_report

    chosen = _chosen(kind, since, until, stakeholder)
    given = {"stakeholder": stakeholder, "to": to, "format": format, "send": ""}
    try:
        if not stakeholder:
            raise FieldError("stakeholder", "is needed: choose who the report is for")
        report = _build(ctx, chosen)
        sent = send_report(ctx, report=report, stakeholder=stakeholder, to=to.strip(),
                           fmt=format if format in SENT_AS else "md")
    except INPUT_ERRORS as exc:
        blamed = "stakeholder" if isinstance(exc, NotFound) else "send"  # no such person
        errors = form_error(exc, form="send", given=given, default=blamed, today=ctx.today)
        return _page(request, ctx, chosen, preview=False, status=422, errors=errors,
                     send=given)
    return _page(request, ctx, chosen, preview=False, report=report, sent=sent, send=given)
