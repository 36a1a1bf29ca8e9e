"""The Ladder page (current vs target level, the user's evidence beside each expectation) and
the Opportunities page (Pareto chart, pages per week, the backlog with page rates before and
after, and the form that adds an opportunity)."""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

from levelup.cli.common import Env
from tests.conftest import invoke
from tests.oncall_support import FIXTURES, run_json
from tests.test_opportunities_cli import _pages
from tests.web_support import client_for, csrf_of, small_ledger


def test_the_ladder_shows_both_levels_and_evidence_beside_each_competency(env: Env) -> None:
    small_ledger(env)
    client, _ = client_for(env)
    assert 'href="/ladder"' in client.get("/").text
    page = client.get("/ladder")
    assert page.status_code == 200
    change = run_json(env, "ladder", "next")
    assert f"{change['current']} " in page.text and f"→ {change['target']} " in page.text
    craft = page.text.split('<tr id="craft">')[1].split("</tr>")[0]
    step = next(c for c in change["competencies"] if c["competency"] == "craft")
    for text in step["current"][:1] + step["new"][:1]:
        assert html.escape(text) in craft
    assert '<a href="/entries/1">Cut p99 checkout latency 900ms to 250ms</a>' in craft
    others = page.text.split('<tr id="craft">')[0]
    assert "Cut p99 checkout latency" not in others  # evidence sits beside its competency


def test_the_ladder_without_a_profile_says_what_is_missing(env: Env) -> None:
    client, _ = client_for(env)
    page = client.get("/ladder")
    assert page.status_code == 200 and "no profile yet" in page.text


def _import_pages(env: Env) -> None:
    for name in ("pagerduty.csv", "opsgenie.csv"):
        assert invoke(env, "import", "incidents", str(FIXTURES / name),
                      "--skip-bad").exit_code == 0


def test_opportunities_shows_the_pareto_chart_and_pages_per_week(env: Env) -> None:
    _import_pages(env)
    client, _ = client_for(env)
    page = client.get("/opportunities")
    assert page.status_code == 200
    pareto = page.text.split('<div class="chart">')[1]
    assert pareto.startswith("<svg") and "polyline" in pareto.split("</svg>")[0]
    assert "disk full on db-*" in page.text and "vital few" in page.text
    assert "Pages per week" in page.text and page.text.count("<svg") == 2
    by_service = client.get("/opportunities", params={"by": "colour"})
    assert by_service.status_code == 422 and 'id="period-by-error"' in by_service.text


def test_the_backlog_shows_page_rates_before_and_after(env: Env, tmp_path: Path) -> None:
    assert invoke(env, "import", "incidents",
                  str(_pages(tmp_path / "pages.csv", date(2026, 9, 1)))).exit_code == 0
    client, _ = client_for(env)
    token = csrf_of(client.get("/opportunities").text)
    answer = client.post("/opportunities", data={
        "title": "Auto-grow DB volumes", "kind": "support-cost",
        "problem": "disk full on db-*", "hypothesis": "disk pages go away", "csrf": token})
    assert answer.status_code == 303
    listed = run_json(env, "opportunity", "list")
    assert [(o["title"], o["problem_key"]) for o in listed] == [
        ("Auto-grow DB volumes", "disk full on db-*")]
    entry = int(invoke(env, "log", "Auto-grow volumes", "-d", "2026-09-01", "-k",
                       "prevention", "-q").stdout)
    assert invoke(env, "opportunity", "done", str(listed[0]["id"]), "--entry",
                  str(entry)).exit_code == 0
    backlog = client.get("/opportunities").text.split('id="backlog"')[1]
    assert "Auto-grow DB volumes" in backlog and "hypothesis: disk pages go away" in backlog
    assert '<span class="rate">6.0 → 0.5</span>' in backlog


def test_bad_input_is_shown_beside_its_input_and_csrf_is_required(env: Env) -> None:
    _import_pages(env)
    client, _ = client_for(env)
    token = csrf_of(client.get("/opportunities").text)
    bad_kind = client.post("/opportunities", data={"title": "Faster deploys", "kind": "suport",
                                                   "csrf": token})
    assert bad_kind.status_code == 422
    shown = re.search(r'id="opportunity-kind-error" role="alert">([^<]*)<', bad_kind.text)
    cli = invoke(env, "opportunity", "add", "Faster deploys", "--kind", "suport")
    assert shown is not None and cli.exit_code == 2
    assert cli.stderr.strip() == "levelup: error: " + html.unescape(shown.group(1))
    bad_problem = client.post("/opportunities", data={"title": "Faster deploys",
                                                      "kind": "speed", "problem": "dsk ful",
                                                      "csrf": token})
    assert 'id="opportunity-problem-error"' in bad_problem.text
    assert 'value="Faster deploys"' in bad_problem.text
    forged = client.post("/opportunities", data={"title": "Forged", "kind": "speed"})
    assert forged.status_code == 403
    assert run_json(env, "opportunity", "list") == []
