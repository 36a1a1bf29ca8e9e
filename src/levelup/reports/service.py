"""Report use cases: build a report, render it in a format, send it, record who heard of it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection

from levelup.domain.models import VisibilityEvent
from levelup.errors import LevelupError
from levelup.reports import render
from levelup.reports.gather import Request, agenda, weekly
from levelup.reports.model import CHANNEL, FORMATS, KINDS, Report

if TYPE_CHECKING:
    from levelup.cli.common import Env

Builder = Callable[[Connection, Request], Report]


def builders() -> dict[str, Builder]:
    from levelup.reports.documents import brag, packet, review

    return {"weekly": weekly, "agenda": agenda, "review": review, "packet": packet,
            "brag": brag}


def request_for(env: Env, kind: str, *, since: str | None = None, until: str | None = None,
                audience: str | None = None, asks: list[str] | None = None,
                by: str = "quarter") -> Request:
    """A request from command-line values, with the thresholds from settings."""
    if kind not in KINDS:
        raise LevelupError(f"unknown report '{kind}'; choose from {', '.join(KINDS)}")
    period = env.window(since, until)
    settings = env.settings
    return Request(kind=kind, today=env.today, start=period.start, end=period.end,
                   audience=audience, asks=list(asks or []), by=by,
                   weak_score=settings.weak_score, window_months=settings.window_months,
                   question_days=settings.expectations_days, home=settings.home)


def build_report(env: Env, request: Request) -> Report:
    with env.read() as conn:
        return builders()[request.kind](conn, request)


@dataclass(slots=True)
class Rendered:
    """A rendering: text for md/html/eml, bytes for pdf."""

    data: str | bytes
    fmt: str


def render_report(env: Env, report: Report, fmt: str, *, preview: bool = False,
                  to: str = "") -> Rendered:
    """The report in ``fmt``; the preview (coach warnings) only ever goes into md/html."""
    home = env.settings.home
    if fmt not in FORMATS:
        raise LevelupError(f"unknown format '{fmt}'; choose from {', '.join(FORMATS)}")
    if fmt in ("md", "html"):
        return Rendered(render.render_text(report, fmt, home=home, preview=preview), fmt)
    if fmt == "pdf":
        return Rendered(render.render_pdf(report, home=home), fmt)
    message = render.render_email(report, sender=_sender(env), to=to or "undisclosed-recipients:;",
                                  home=home)
    return Rendered(message.as_string(), fmt)


def _sender(env: Env) -> str:
    return env.settings.email_from or env.settings.smtp_user or "levelup@localhost"


def send_report(env: Env, report: Report, *, stakeholder: str, to: str) -> VisibilityEvent:
    """E-mail the report to ``to`` and record that ``stakeholder`` heard of its entries."""
    from levelup.reports.send import send_message
    from levelup.store.people import get_stakeholder

    with env.read() as conn:
        name = get_stakeholder(conn, name=stakeholder).name  # fail before sending
    message = render.render_email(report, sender=_sender(env), to=to, home=env.settings.home)
    send_message(message, env.settings)
    return record_visibility(env, report, stakeholder=name)


def record_visibility(env: Env, report: Report, *, stakeholder: str) -> VisibilityEvent:
    """Record that ``stakeholder`` heard about every entry the report contained."""
    from levelup.store.records import add_visibility

    event = VisibilityEvent(stakeholder=stakeholder, date=env.today, entry_ids=report.entry_ids,
                            channel=CHANNEL.get(report.kind, "document"),
                            note=report.title)
    with env.begin() as conn:
        add_visibility(conn, event=event)
    return event


def write_report(path: Path, rendered: Rendered) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(rendered.data, bytes):
        path.write_bytes(rendered.data)
    else:
        path.write_text(rendered.data, encoding="utf-8")
    return path


def write_demo_reports(env: Env, out_dir: Path) -> list[Path]:
    """The demo's weekly report and promotion packet, as Markdown and PDF, in ``out_dir``."""
    written = []
    for kind in ("weekly", "packet"):
        report = build_report(env, request_for(env, kind))
        for fmt in ("md", "pdf"):
            path = out_dir / f"{kind}-{env.today.isoformat()}.{fmt}"
            written.append(write_report(path, render_report(env, report, fmt)))
    return written
