"""Report templates: loading them (Jinja2) and rendering a report model as Markdown or HTML.

The formats themselves are plugins (``levelup.reports.renderers``); they build on this. A template
in ``$LEVELUP_HOME/templates/`` wins over the packaged one of the same name. Jinja2 is imported
inside the functions that need it.
"""

from __future__ import annotations

import traceback
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from levelup.errors import LevelupError
from levelup.reports.markdown import escape_markdown
from levelup.reports.model import Report

if TYPE_CHECKING:
    from jinja2 import Environment

PACKAGE_TEMPLATES = Path(__file__).parent / "templates"


def template_name(kind: str, fmt: str) -> str:
    return f"{kind}.{fmt}.j2"


def user_templates(home: Path | None) -> Path | None:
    return home / "templates" if home else None


def _environment(home: Path | None, fmt: str) -> Environment:
    """A sandboxed environment: a user's template may read the report, never Python's insides.

    HTML is escaped as HTML; Markdown escapes every value with ``escape_markdown`` (an
    autoescape of its own: macros and ``| safe`` stay as written).
    """
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    folders = [str(p) for p in (user_templates(home), PACKAGE_TEMPLATES) if p and p.is_dir()]
    env = ImmutableSandboxedEnvironment(
        loader=ChoiceLoader([FileSystemLoader(folders)]),
        autoescape=fmt in ("html", "md"),
        finalize=_markdown_value if fmt == "md" else None,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
    )
    env.filters["day"] = _day
    env.filters["clauses"] = _clauses
    env.globals["bar_chart"] = _chart
    if fmt == "md":  # Jinja's own would escape the value as HTML
        env.filters["replace"] = _replace
    return env


def _clauses(parts: Any) -> str:
    """Recorded phrases one after another, as written: "; " between them, or a space after
    one that ends a sentence (never "target.; p99 …")."""
    out = ""
    for part in parts:
        if out:
            out += " " if out.endswith((".", "!", "?")) else "; "
        out += str(part)
    return out


def _markdown_value(value: Any) -> Any:
    """What ``{{ value }}`` writes into Markdown; a macro's output (markup) is kept as it is."""
    from jinja2 import Undefined
    from markupsafe import Markup

    if hasattr(value, "__html__") or isinstance(value, Undefined):
        return value
    return Markup(escape_markdown(str(value)))  # noqa: S704 - escaped for Markdown


def _replace(value: Any, old: str, new: str, count: int | None = None) -> str:
    return str(value).replace(str(old), str(new), -1 if count is None else count)


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _chart(bars: Any, title: str = "") -> Any:
    from markupsafe import Markup

    from levelup.reports.svg import bar_chart

    return Markup(bar_chart(bars, title=title))  # noqa: S704 - built from escaped parts


def render_text(report: Report, fmt: str, *, home: Path | None = None,
                preview: bool = False) -> str:
    """The report as Markdown (``md``) or self-contained HTML (``html``).

    A template that cannot be read or rendered (bad syntax, an unknown name, something the
    sandbox refuses) raises a ``LevelupError`` naming its file and line.
    """
    from jinja2 import TemplateError

    env = _environment(home, fmt)
    try:
        template = env.get_template(template_name(report.kind, fmt))
        return template.render(report=report, body=report.body, profile=report.profile,
                               preview=preview)
    except TemplateError as exc:
        raise LevelupError(f"report template {_where(exc)}: {exc.message}") from exc
    except Exception as exc:  # a user's template that fails some other way: name its line
        mine = user_templates(home)
        where = _where(exc)
        if mine is None or not where.startswith(str(mine)):
            raise
        raise LevelupError(f"report template {where}: {type(exc).__name__}: {exc}") from exc


def _where(exc: Exception) -> str:
    """``file:line`` of the template line that failed, from the error or its traceback."""
    from jinja2 import TemplateSyntaxError

    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        return f"{exc.filename}:{exc.lineno}"
    frames = [frame for frame in traceback.extract_tb(exc.__traceback__)
              if frame.filename.endswith(".j2")]
    if not frames:
        return "(unknown file)"
    return f"{frames[-1].filename}:{frames[-1].lineno}"


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
