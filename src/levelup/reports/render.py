"""Rendering a report model through Jinja2 templates into Markdown, HTML, PDF or an e-mail.

A template in ``$LEVELUP_HOME/templates/`` wins over the packaged one of the same name.
Jinja2 and WeasyPrint are imported inside the functions that need them.
"""

from __future__ import annotations

import warnings
from datetime import date
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING, Any

from levelup.reports.model import Report

if TYPE_CHECKING:
    from jinja2 import Environment

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"


def template_name(kind: str, fmt: str) -> str:
    return f"{kind}.{fmt}.j2"


def user_templates(home: Path | None) -> Path | None:
    return home / "templates" if home else None


def _environment(home: Path | None, html: bool) -> Environment:
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined

    folders = [str(p) for p in (user_templates(home), PACKAGE_TEMPLATES) if p and p.is_dir()]
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(folders)]),
        autoescape=html,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
    )
    env.filters["day"] = _day
    env.globals["bar_chart"] = _chart
    return env


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _chart(bars: Any, title: str = "") -> Any:
    from markupsafe import Markup

    from levelup.reports.svg import bar_chart

    return Markup(bar_chart(bars, title=title))  # noqa: S704 - built from escaped parts


def render_text(report: Report, fmt: str, *, home: Path | None = None,
                preview: bool = False) -> str:
    """The report as Markdown (``md``) or self-contained HTML (``html``)."""
    env = _environment(home, html=fmt == "html")
    template = env.get_template(template_name(report.kind, fmt))
    return template.render(report=report, body=report.body, profile=report.profile,
                           preview=preview)


def render_pdf(report: Report, *, home: Path | None = None) -> bytes:
    """The HTML rendering laid out as PDF by WeasyPrint."""
    html = render_text(report, "html", home=home)
    with warnings.catch_warnings():
        # fontTools and WeasyPrint report font-table quirks as warnings; the PDF is fine.
        warnings.filterwarnings("ignore", category=UserWarning, module=r"(fontTools|weasyprint)")
        warnings.filterwarnings("ignore", category=DeprecationWarning,
                                module=r"(fontTools|weasyprint|pydyf)")
        from weasyprint import HTML

        return bytes(HTML(string=html).write_pdf())


def render_email(report: Report, *, sender: str, to: str, home: Path | None = None
                 ) -> EmailMessage:
    """A standard e-mail: the Markdown as text with the HTML as the alternative."""
    message = EmailMessage()
    message["Subject"] = report.title
    message["From"] = sender
    message["To"] = to
    message.set_content(render_text(report, "md", home=home))
    message.add_alternative(render_text(report, "html", home=home), subtype="html")
    return message


def list_templates(home: Path | None) -> list[tuple[str, Path, Path | None]]:
    """(name, packaged file, the user's override if any) for every template."""
    override = user_templates(home)
    out = []
    for path in sorted(PACKAGE_TEMPLATES.glob("*.j2")):
        mine = override / path.name if override else None
        out.append((path.name, path, mine if mine and mine.is_file() else None))
    return out


def copy_templates(kind: str, home: Path) -> list[Path]:
    """Copy a kind's templates into the home folder (existing copies are kept)."""
    import shutil

    target = home / "templates"
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for path in sorted(PACKAGE_TEMPLATES.glob(f"{kind}.*.j2")):
        dest = target / path.name
        if not dest.exists():
            shutil.copyfile(path, dest)
            copied.append(dest)
    return copied
