"""`levelup import markdown` on per-year brag documents whose headings name no date: the
year comes from the front matter's title, the first heading, the file name or --year, and
bullets may name their own months ("(Aug–Dec 2024)")."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from levelup.cli.common import Env
from tests.conftest import invoke
from tests.test_import_markdown import import_json, stored

# The shape of Julia Evans' brag document template: sections, no dated headings.
SECTIONS = """## Projects

- Moved billing to the new queue (Aug–Dec 2024): p95 900 -> 200 ms
- Wrote the on-call runbook

## Collaboration & mentorship

- Mentored Ana through her first launch
"""
WHOLE_2024 = (date(2024, 1, 1), date(2024, 12, 31))


def dates(env: Env) -> dict[str, tuple[date, date | None]]:
    return {title: (e.date, e.end_date) for title, e in stored(env).items()}


def test_the_year_of_the_front_matter_title(env: Env, tmp_path: Path) -> None:
    doc = tmp_path / "brag.md"
    doc.write_text('---\ntitle: "2024 brag document"\ndate: 2025-01-03\n---\n\n' + SECTIONS)
    assert import_json(env, doc)["new"] == 3
    assert dates(env) == {
        "Moved billing to the new queue (Aug–Dec 2024): p95 900 -> 200 ms":
            (date(2024, 8, 1), date(2024, 12, 31)),
        "Wrote the on-call runbook": WHOLE_2024,
        "Mentored Ana through her first launch": WHOLE_2024,
    }
    assert stored(env)["Mentored Ana through her first launch"].kind == "mentoring"


def test_the_year_of_the_first_heading_or_the_file_name(env: Env, tmp_path: Path) -> None:
    by_heading = tmp_path / "brag.md"
    by_heading.write_text("# Brag document, 2024\n\n" + SECTIONS)
    assert import_json(env, by_heading)["new"] == 3
    by_name = tmp_path / "brag-2023.md"
    by_name.write_text(SECTIONS.replace("Wrote", "Rewrote").replace("Mentored", "Coached"))
    # the first bullet names its months and year itself: the same entry as before
    assert import_json(env, by_name)["new"] == 2
    assert dates(env)["Rewrote the on-call runbook"] == (date(2023, 1, 1), date(2023, 12, 31))
    assert dates(env)["Wrote the on-call runbook"] == WHOLE_2024


def test_year_option_and_dated_headings_still_win(env: Env, tmp_path: Path) -> None:
    doc = tmp_path / "brag.md"
    doc.write_text(SECTIONS + "\n## March 2025\n- Led the cache review\n")
    assert import_json(env, doc, "--year", "2024")["new"] == 4
    assert dates(env)["Wrote the on-call runbook"] == WHOLE_2024
    assert dates(env)["Led the cache review"] == (date(2025, 3, 1), date(2025, 3, 31))


def test_without_any_year_the_bullets_are_still_refused(env: Env, tmp_path: Path) -> None:
    doc = tmp_path / "brag.md"
    doc.write_text(SECTIONS)
    result = invoke(env, "import", "markdown", str(doc))
    assert result.exit_code == 2
    assert f"{doc}:4: no date" in result.output  # line 3 names its own months
    bad = invoke(env, "import", "markdown", str(doc), "--year", "24")
    assert bad.exit_code == 2
    assert bad.output.strip() == "levelup: error: --year: '24' is not a year (e.g. 2024)"
    assert stored(env) == {}
