"""Report use cases: build a report, render it in a format, send it, record who heard of it.

The CLI, the demo and a web route call these with a ``Context``; formats come from the one
renderer registry (``levelup.reports.renderers``).
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection

from levelup.context import Context
from levelup.domain.models import VisibilityEvent
from levelup.domain.steps import Step
from levelup.errors import FieldError
from levelup.readiness import Readiness
from levelup.reports.gather import Request
from levelup.reports.model import CHANNEL, KINDS, Report
from levelup.reports.renderers import RenderOptions, renderer

Builder = Callable[[Connection, Request], Report]


@dataclass(slots=True)
class Rendered:
    """A rendering: text for md/html/eml, bytes for pdf, and the media type to serve it as."""

    data: str | bytes
    fmt: str
    media_type: str = ""


@dataclass(slots=True)
class Templates:
    """The packaged report templates and the folder where a copy of the user's wins."""

    folder: Path | None
    templates: list[tuple[str, Path, Path | None]]  # name, packaged file, the user's copy


def _builders() -> dict[str, Builder]:
    from levelup.reports.documents import brag, packet, review
    from levelup.reports.gather import agenda, weekly

    return {"weekly": weekly, "agenda": agenda, "review": review, "packet": packet,
            "brag": brag}


def _check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise FieldError("kind", f"'{kind}' is not a report; choose from {', '.join(KINDS)}")
    return kind


def _request(ctx: Context, *, kind: str, since: str | None, until: str | None,
             audience: str | None, asks: Sequence[str], by: str, week: str | None = None,
             feedback: bool = False) -> Request:
    """The request for ``kind`` over the named period, with the thresholds from settings."""
    if (week or feedback) and kind != "weekly":
        raise FieldError("week" if week else "feedback", "is for the weekly report")
    if week and (since or until):
        raise FieldError("week", "chooses the period: give it or since/until, not both")
    period = ctx.window(since, until)
    settings = ctx.settings
    return Request(kind=_check_kind(kind), today=ctx.today, start=period.start, end=period.end,
                   audience=audience, asks=list(asks), by=by,
                   weak_score=settings.weak_score, window_months=settings.window_months,
                   question_days=settings.expectations_days, home=settings.home,
                   week=week, feedback=feedback)


def build_report(ctx: Context, *, kind: str, since: str | None = None, until: str | None = None,
                 audience: str | None = None, asks: Sequence[str] = (),
                 by: str = "quarter", week: str | None = None,
                 feedback: bool = False) -> Report:
    """A report of ``kind`` (weekly, agenda, review, packet, brag) for the period named.

    The weekly's period is ``week`` (last, this, 2026-W49) or, by default, the last full week
    early in the week and the current one from Thursday; ``feedback`` adds the open
    constructive feedback its recipient gave."""
    request = _request(ctx, kind=kind, since=since, until=until, audience=audience, asks=asks,
                       by=by, week=week, feedback=feedback)
    if request.kind in ("agenda", "packet"):  # their gaps come from readiness
        request.readiness = _readiness(ctx)
    with ctx.read() as conn:
        return _builders()[request.kind](conn, request)


def _readiness(ctx: Context) -> Readiness | None:
    """Readiness for the target level, or None without a profile or a known ladder."""
    from levelup.errors import LevelupError
    from levelup.services.readiness import readiness_for

    try:
        return readiness_for(ctx)
    except LevelupError:
        return None


def _options(ctx: Context, *, preview: bool = False, to: str = "") -> RenderOptions:
    """Render options; the From address is ``email_from`` as configured, never made up."""
    from levelup.reports.send import check_addresses

    settings = ctx.settings
    to = ", ".join(check_addresses(to)) if to else ""
    return RenderOptions(home=settings.home, preview=preview, sender=settings.email_from, to=to)


def render_report(ctx: Context, *, report: Report, fmt: str, preview: bool = False,
                  to: str = "") -> Rendered:
    """The report in ``fmt``; the preview (coach warnings) only ever goes into md/html."""
    chosen = renderer(fmt)
    data = chosen.render(report, _options(ctx, preview=preview, to=to))
    return Rendered(data, fmt, chosen.media_type)


@dataclass(slots=True)
class Sent:
    """A delivered report: to which addresses, and the visibility it recorded."""

    to: str
    event: VisibilityEvent


def send_report(ctx: Context, *, report: Report, stakeholder: str, to: str = "",
                fmt: str = "md") -> Sent:
    """E-mail the report to ``to`` (default: the stakeholder's address), with its PDF attached
    when ``fmt`` is pdf, and record that ``stakeholder`` heard of its entries. Everything is
    checked (stakeholder, addresses, From) before anything is sent or recorded."""
    from levelup.reports.renderers.eml import email_message
    from levelup.reports.send import check_sender, send_message
    from levelup.store.people import get_stakeholder

    with ctx.read() as conn:
        person = get_stakeholder(conn, name=stakeholder)
    if not (to or person.email):
        raise FieldError("to", f"is needed: {person.name} has no e-mail address",
                         step=Step("stakeholder.add", {"_": shlex.quote(person.name),
                                                       "email": "ADDRESS"}))
    check_sender(ctx.settings)
    options = _options(ctx, to=to or person.email)
    pdf = renderer("pdf").render(report, options) if fmt == "pdf" else None
    message = email_message(report, options, attachment=pdf if isinstance(pdf, bytes) else None)
    send_message(message, ctx.settings)
    return Sent(to=options.to, event=record_visibility(ctx, report=report,
                                                       stakeholder=person.name))


def record_visibility(ctx: Context, *, report: Report, stakeholder: str) -> VisibilityEvent:
    """Record that ``stakeholder`` heard about every entry the report contained."""
    from levelup.store.records import add_visibility

    event = VisibilityEvent(stakeholder=stakeholder, date=ctx.today, entry_ids=report.entry_ids,
                            channel=CHANNEL.get(report.kind, "document"),
                            note=report.title)
    with ctx.begin() as conn:
        add_visibility(conn, event=event)
    return event


def write_report(*, rendered: Rendered, path: Path) -> Path:
    """Write a rendering to ``path`` (its folders made as needed)."""
    from levelup.services.outputs import write_output

    write_output(path, rendered.data, make_folders=True)  # never the ledger, a folder, a device
    if path.is_file():  # it holds the ledger's content: private, even over an older file
        path.chmod(0o600)
    return path


def write_demo_reports(ctx: Context, out_dir: Path) -> list[Path]:
    """The demo's weekly report and promotion packet, as Markdown and PDF, in ``out_dir``."""
    written = []
    for kind in ("weekly", "packet"):
        report = build_report(ctx, kind=kind)
        for fmt in ("md", "pdf"):
            path = out_dir / f"{kind}-{ctx.today.isoformat()}.{fmt}"
            written.append(write_report(rendered=render_report(ctx, report=report, fmt=fmt),
                                        path=path))
    return written


def report_templates(ctx: Context) -> Templates:
    """Every report template, and the user's copy that overrides it, if any."""
    from levelup.reports.render import list_templates, user_templates

    home = ctx.settings.home
    return Templates(folder=user_templates(home), templates=list_templates(home))


def copy_report_templates(ctx: Context, *, kind: str) -> list[Path]:
    """Copy ``kind``'s templates into the user's folder to change them (existing copies kept)."""
    from levelup.reports.render import copy_templates

    return copy_templates(_check_kind(kind), ctx.settings.home)
