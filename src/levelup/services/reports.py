"""Report use cases: build a report, render it in a format, send it, record who heard of it.

The CLI, the demo and a web route call these with a ``Context``; formats come from the one
renderer registry (``levelup.reports.renderers``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection

from levelup.context import Context
from levelup.domain.models import VisibilityEvent
from levelup.errors import FieldError
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
             audience: str | None, asks: Sequence[str], by: str) -> Request:
    """The request for ``kind`` over the named period, with the thresholds from settings."""
    period = ctx.window(since, until)
    settings = ctx.settings
    return Request(kind=_check_kind(kind), today=ctx.today, start=period.start, end=period.end,
                   audience=audience, asks=list(asks), by=by,
                   weak_score=settings.weak_score, window_months=settings.window_months,
                   question_days=settings.expectations_days, home=settings.home)


def build_report(ctx: Context, *, kind: str, since: str | None = None, until: str | None = None,
                 audience: str | None = None, asks: Sequence[str] = (),
                 by: str = "quarter") -> Report:
    """A report of ``kind`` (weekly, agenda, review, packet, brag) for the period named."""
    request = _request(ctx, kind=kind, since=since, until=until, audience=audience, asks=asks,
                       by=by)
    with ctx.read() as conn:
        return _builders()[request.kind](conn, request)


def _options(ctx: Context, *, preview: bool = False, to: str = "") -> RenderOptions:
    settings = ctx.settings
    sender = settings.email_from or settings.smtp_user or "levelup@localhost"
    return RenderOptions(home=settings.home, preview=preview, sender=sender, to=to)


def render_report(ctx: Context, *, report: Report, fmt: str, preview: bool = False,
                  to: str = "") -> Rendered:
    """The report in ``fmt``; the preview (coach warnings) only ever goes into md/html."""
    chosen = renderer(fmt)
    data = chosen.render(report, _options(ctx, preview=preview, to=to))
    return Rendered(data, fmt, chosen.media_type)


def send_report(ctx: Context, *, report: Report, stakeholder: str, to: str) -> VisibilityEvent:
    """E-mail the report to ``to`` and record that ``stakeholder`` heard of its entries."""
    from levelup.reports.renderers.eml import email_message
    from levelup.reports.send import send_message
    from levelup.store.people import get_stakeholder

    with ctx.read() as conn:
        name = get_stakeholder(conn, name=stakeholder).name  # fail before sending
    send_message(email_message(report, _options(ctx, to=to)), ctx.settings)
    return record_visibility(ctx, report=report, stakeholder=name)


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
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(rendered.data, bytes):
        path.write_bytes(rendered.data)
    else:
        path.write_text(rendered.data, encoding="utf-8")
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
