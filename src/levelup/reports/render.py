"""Report templates: loading them (Jinja2) and rendering a report model as Markdown or HTML.

The formats themselves are plugins (``levelup.reports.renderers``); they build on this. A template
in ``$LEVELUP_HOME/templates/`` wins over the packaged one of the same name. Jinja2 is imported
inside the functions that need it.
"""

from __future__ import annotations

from datetime import date
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
