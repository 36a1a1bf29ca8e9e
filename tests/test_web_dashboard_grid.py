"""The dashboard's readiness at a glance: a competency x month grid of the readiness window
whose cells match the ledger, each factor beside its next action, the strongest wins."""

from __future__ import annotations

import json
import re
from collections import Counter

from levelup.cli.common import Env
from tests.conftest import invoke
from tests.web_support import client_for, small_ledger

CELL = re.compile(r'data-competency="([a-z-]+)" data-month="(\d{4}-\d\d)" '
                  r'data-entries="(\d+)" data-sustained="(yes|no)"')


def _log(env: Env, *args: str) -> None:
    result = invoke(env, "log", *args)
    assert result.exit_code == 0, result.output


def _grid(html: str) -> dict[tuple[str, str], tuple[int, bool]]:
    return {(c, m): (int(n), s == "yes") for c, m, n, s in CELL.findall(html)}


def test_the_grid_shows_each_month_of_the_window_as_the_ledger_holds_it(env: Env) -> None:
    small_ledger(env)  # today is 2026-11-20; one craft win this month
    _log(env, "Cut checkout p99 from 900ms to 250ms, saving $40k a year", "--competency",
         "craft", "--metric", "p99: 900 -> 250 ms", "--date", "2026-09-03")
    _log(env, "Rewrote the billing retry loop: failed charges down 60%", "--competency",
         "craft", "--metric", "failed charges: 500 -> 200 /week", "--date", "2026-09-20")
    _log(env, "Led the payments incident review, cutting repeat pages by 40%", "--competency",
         "ownership", "--metric", "repeat pages: 10 -> 6 /month", "--date", "2026-07-14")
    _log(env, "Old work outside the window", "--competency", "craft", "--date", "2026-01-10")
    client, _ = client_for(env)
    html = client.get("/").text
    grid = _grid(html)
    months = sorted({m for _, m in grid})
    assert months == ["2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]
    readiness = json.loads(invoke(env, "readiness", "--json").output)
    competencies = [c["id"] for c in readiness["competencies"]]
    assert sorted({c for c, _ in grid}) == sorted(competencies)  # rows: the target level's
    listed = json.loads(invoke(env, "list", "--since", "2026-06-01", "--json").output)
    carried = Counter((label["id"], e["date"][:7]) for e in listed if e["kind"] != "plan"
                      for label in e["competencies"])
    for (competency, month), (entries, _) in grid.items():
        assert entries == carried[(competency, month)], (competency, month)
    for c in readiness["competencies"]:  # sustained cells are the months readiness counted
        assert sum(grid[(c["id"], m)][1] for m in months) == c["months_with_evidence"]
    assert grid[("craft", "2026-09")] == (2, True)
    assert grid[("ownership", "2026-07")] == (1, True)
    assert grid[("craft", "2026-08")] == (0, False)
    assert ("craft", "2026-01") not in grid


def test_each_factor_shows_its_status_and_next_action_and_the_wins_who_heard(env: Env) -> None:
    small_ledger(env)
    assert invoke(env, "tell", "Linus", "1", "--via", "1:1").exit_code == 0
    client, _ = client_for(env)
    html = client.get("/").text
    readiness = json.loads(invoke(env, "readiness", "--json").output)
    for factor in readiness["factors"]:
        row = re.search(rf'<tr data-factor="{factor["id"]}">(.*?)</tr>', html, re.S)
        assert row, factor["id"]
        assert f'status-{factor["status"]}' in row.group(1)
        action = next((a for a in readiness["actions"] if a["factor"] == factor["id"]), None)
        if action is not None:
            text = re.sub(r" \(`levelup [^`]*`\)$", "", action["text"])  # the CLI's step
            assert text.replace("'", "&#39;").replace('"', "&#34;") in row.group(1)
    strongest = html[html.index("Strongest wins"):]
    assert "Cut p99 checkout latency" in strongest and "Linus (decides)" in strongest


def test_without_a_profile_the_dashboard_says_what_to_do(env: Env) -> None:
    _log(env, "Shipped something", "--date", "2026-11-18")
    client, _ = client_for(env)
    html = client.get("/").text
    assert 'id="readiness-grid"' not in html and "no profile yet" in html
