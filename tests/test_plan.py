"""`levelup plan`: record plans, change their status, and see them in the weekly report."""

from __future__ import annotations

from levelup.cli.common import Env
from tests import factories as f
from tests.conftest import invoke


def test_plan_records_an_open_plan_and_lists_it(env: Env) -> None:
    result = invoke(env, "plan", "Ship the retry budget", "-p", "checkout")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("plan #1: Ship the retry budget")
    listing = invoke(env, "plan", "list").output
    assert "open" in listing and "Ship the retry budget" in listing
    [data] = __import__("json").loads(invoke(env, "plan", "list", "--json").output)
    assert (data["kind"], data["status"], data["project"]) == ("plan", "open", "checkout")


def test_done_drop_and_move_change_the_status_shown_next_week(env: Env) -> None:
    for title in ("Ship the retry budget", "Rewrite the cache", "Write the runbook"):
        invoke(env, "plan", title, "--date", "2026-11-11")
    assert invoke(env, "plan", "done", "1").exit_code == 0
    invoke(env, "plan", "drop", "2")
    invoke(env, "plan", "move", "3")
    assert "Write the runbook" not in invoke(env, "plan", "list").output
    everything = invoke(env, "plan", "list", "--all").output
    assert "moved" in everything and "dropped" in everything
    out = invoke(env, "report", "weekly").output
    for line in ("Ship the retry budget — done", "Rewrite the cache — dropped",
                 "Write the runbook — moved"):
        assert line in out


def test_open_plans_from_last_week_carry_over(env: Env) -> None:
    invoke(env, "plan", "Write the runbook", "--date", "2026-11-10")
    invoke(env, "plan", "Review the queue design")
    out = invoke(env, "report", "weekly").output
    assert "Write the runbook — open" in out
    upcoming = out[out.index("Next week:"):]
    assert "Write the runbook" in upcoming and "Review the queue design" in upcoming


def test_only_plans_change_status(env: Env) -> None:
    with env.ctx.begin() as conn:
        win = f.win_with_metric(conn)
    result = invoke(env, "plan", "done", str(win.id))
    assert result.exit_code == 2 and "is a win, not a plan" in result.stderr
    missing = invoke(env, "plan", "done", "999")
    assert missing.exit_code == 2 and "no entry with id 999" in missing.stderr


def test_plan_needs_a_title(env: Env) -> None:
    assert invoke(env, "plan", "  ").exit_code == 2
