"""A user's template override renders in Jinja2's sandbox: it reads the report, never Python's
insides; a broken one is named by its file and line, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from levelup.cli.common import Env
from levelup.errors import LevelupError
from levelup.services import reports as service
from tests import factories as f
from tests.conftest import invoke

ESCAPES = [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ joiner.__init__.__globals__.os }}",
    "{{ self._TemplateReference__context }}",
    "{{ report.__class__.__init__.__globals__ }}",
    "{{ report.title.format.__globals__ }}",
    "{{ report.__reduce_ex__(2) }}",
    "{% set seen = [] %}{{ seen.append(1) }}",
]


@pytest.fixture
def made(env: Env) -> dict[str, f.Entry]:
    with env.ctx.begin() as conn:
        return f.ledger(conn)


def override(env: Env, name: str, text: str) -> Path:
    folder = env.settings.home / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def render(env: Env, kind: str = "weekly", fmt: str = "md") -> str | bytes:
    report = service.build_report(env.ctx, kind=kind)
    return service.render_report(env.ctx, report=report, fmt=fmt).data


@pytest.mark.parametrize("payload", ESCAPES)
def test_a_template_cannot_reach_python_internals(env: Env, made: dict[str, f.Entry],
                                                  payload: str) -> None:
    for fmt in ("md", "html"):
        path = override(env, f"weekly.{fmt}.j2", f"Wins:\n{payload}\n")
        with pytest.raises(LevelupError) as raised:
            render(env, fmt=fmt)
        message = raised.value.message
        assert message.startswith(f"report template {path}:2: ")
        assert "unsafe" in message
        assert "<class" not in message and "__builtins__" not in message


def test_the_sandboxed_template_still_reads_the_report(env: Env, made: dict[str, f.Entry]
                                                       ) -> None:
    override(env, "weekly.md.j2",
             "{% for it in body.wins %}{{ loop.index }}. {{ it.entry.title | upper }}\n"
             "{% endfor %}{{ report.title }}\n")
    text = render(env)
    assert isinstance(text, str)
    assert f"1. {made['win'].title.upper()}\n" in text and "Weekly update" in text


@pytest.mark.parametrize(("text", "line", "problem"), [
    ("Wins\n\n{% if %}\n", 3, "Expected an expression"),
    ("Wins\n{{ nothing_called_this }}\n", 2, "'nothing_called_this' is undefined"),
    ("Wins\n\n\n{{ report.no_such_field }}\n", 4, "has no attribute 'no_such_field'"),
    ("Wins\n{% include 'missing.md.j2' %}\n", 2, "missing.md.j2"),
    ("Wins\n{{ 1 / 0 }}\n", 2, "ZeroDivisionError"),
])
def test_a_broken_template_is_named_by_file_and_line(env: Env, made: dict[str, f.Entry],
                                                     text: str, line: int,
                                                     problem: str) -> None:
    path = override(env, "weekly.md.j2", text)
    with pytest.raises(LevelupError) as raised:
        render(env)
    message = raised.value.message
    assert message.startswith(f"report template {path}:{line}: ")
    assert problem in message and "\n" not in message


def test_the_cli_prints_one_line_for_a_broken_template(env: Env,
                                                       made: dict[str, f.Entry]) -> None:
    path = override(env, "weekly.md.j2", "Wins\n{{ report.__class__.__mro__ }}\n")
    result = invoke(env, "report", "weekly")
    assert result.exit_code == 2
    assert f"report template {path}:2: " in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_broken_override_fails_the_pdf_the_same_way(env: Env, made: dict[str, f.Entry]
                                                      ) -> None:
    path = override(env, "weekly.html.j2", "<p>{{ cycler.__init__.__globals__ }}</p>\n")
    with pytest.raises(LevelupError, match=f"report template {path}:1: .*unsafe"):
        render(env, fmt="pdf")
