"""The weekly covers the last full week early in the week and the current one from Thursday;
each entry once, in its own section; empty sections dropped; moved plans carried forward;
feedback only when asked for, and only the recipient's."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from levelup.cli.common import Env
from levelup.services import reports as service
from tests import factories as f
from tests.conftest import invoke

MONDAY = date(2026, 11, 16)


@pytest.mark.parametrize(("offset", "start", "end"), [
    (0, date(2026, 11, 9), date(2026, 11, 15)),  # Monday: last week, Monday to Sunday
    (1, date(2026, 11, 9), date(2026, 11, 15)),
    (2, date(2026, 11, 9), date(2026, 11, 15)),  # Wednesday: still last week
    (3, MONDAY, date(2026, 11, 19)),  # Thursday: this week so far
    (4, MONDAY, date(2026, 11, 20)),
    (5, MONDAY, date(2026, 11, 21)),
    (6, MONDAY, date(2026, 11, 22)),
])
def test_the_period_on_each_weekday(env: Env, offset: int, start: date, end: date) -> None:
    env.today = MONDAY + timedelta(days=offset)
    report = service.build_report(env.ctx, kind="weekly")
    assert (report.start, report.end) == (start, end)
    assert report.title == f"Weekly update, week of {start.isoformat()}"


def test_monday_covers_last_weeks_entries_not_an_empty_day(env: Env) -> None:
    with env.ctx.begin() as conn:
        f.entry(conn, "Shipped the retry budget", day=date(2026, 11, 13))
        f.entry(conn, "Saturday hotfix", day=date(2026, 11, 14))
    env.today = MONDAY
    out = invoke(env, "report", "weekly").output
    assert "Shipped the retry budget" in out and "Saturday hotfix" in out
    assert "No wins" not in out


@pytest.mark.parametrize(("week", "start", "end"), [
    ("last", date(2026, 11, 9), date(2026, 11, 15)),
    ("this", MONDAY, date(2026, 11, 17)),
    ("2026-W45", date(2026, 11, 2), date(2026, 11, 8)),
    ("2026w47", MONDAY, date(2026, 11, 17)),  # the current week runs to today
])
def test_week_chooses_the_period(env: Env, week: str, start: date, end: date) -> None:
    env.today = date(2026, 11, 17)
    report = service.build_report(env.ctx, kind="weekly", week=week)
    assert (report.start, report.end) == (start, end)


def test_a_bad_week_or_a_week_with_since_is_named_by_its_flag(env: Env) -> None:
    bad = invoke(env, "report", "weekly", "--week", "2026-W60")
    assert bad.exit_code == 2 and "--week '2026-W60' is not last, this or a week" in bad.stderr
    both = invoke(env, "report", "weekly", "--week", "last", "--since", "last week")
    assert both.exit_code == 2 and "--week chooses the period" in both.stderr
    other = invoke(env, "report", "packet", "--feedback")
    assert other.exit_code == 2 and "--feedback is for the weekly report" in other.stderr


def test_since_last_week_is_titled_as_the_period_it_is(env: Env) -> None:
    report = service.build_report(env.ctx, kind="weekly", since="last week")
    assert (report.start, report.end) == (date(2026, 11, 9), f.TODAY)
    assert report.title == "Update, 2026-11-09 to 2026-11-20"
    exact = service.build_report(env.ctx, kind="weekly", since="2026-11-09",
                                 until="2026-11-15")
    assert exact.title == "Weekly update, week of 2026-11-09"


def test_each_entry_once_in_its_own_section_and_time_as_counts(env: Env) -> None:
    with env.ctx.begin() as conn:
        f.profile(conn)
        f.win_with_metric(conn, day=f.days_ago(1))
        f.entry(conn, "Read the SRE book chapter on alerting", kind="learning", project="ops")
        f.entry(conn, "Reviewed 15 PRs for the search team", kind="invisible", project="search")
        f.entry(conn, "Reviewed the search schema", kind="invisible", project="search")
        f.entry(conn, "Paired with Tom on the refunds worker", kind="mentoring")
    out = invoke(env, "report", "weekly").output
    wins = out[out.index("## Wins"):out.index("## Invisible work")]
    assert "Cut checkout p99 latency" in wins and "SRE book" not in wins
    assert out.index("## Learning") < out.index("SRE book") < out.index("## Mentoring")
    assert "## Mentoring and growing others\n- **Paired with Tom" in out
    for title in ("Cut checkout p99 latency", "Reviewed 15 PRs", "Paired with Tom"):
        assert out.count(title) == 1
    assert "## Where time went\n- search: 2 entries\n" in out
    assert "- checkout: 1 entry\n" in out and "- ops: 1 entry\n" in out


def test_empty_sections_have_no_heading(env: Env) -> None:
    with env.ctx.begin() as conn:
        f.profile(conn)
        f.entry(conn, "Reviewed 15 PRs for the search team", kind="invisible")
    out = invoke(env, "report", "weekly").output
    for heading in ("## Wins", "## Learning", "## Mentoring", "## Areas of", "## Plans",
                    "## Asks", "No wins", "Nothing recorded."):
        assert heading not in out
    assert "## Invisible work" in out
    html = invoke(env, "report", "weekly", "-f", "html").output
    assert "<h2>Wins</h2>" not in html and "<h2>Plans</h2>" not in html
    env.today = f.TODAY + timedelta(days=30)
    assert "Nothing recorded for this period." in invoke(env, "report", "weekly").output


def test_moved_plans_are_carried_forward(env: Env) -> None:
    with env.ctx.begin() as conn:
        moved = f.plan(conn, "Write the rollout doc", day=f.days_ago(8), status="moved")
        f.plan(conn, "Ship the retry budget", day=f.days_ago(8), status="done")
    out = invoke(env, "report", "weekly").output
    assert "- [ ] Write the rollout doc — moved\n" in out  # last week's plan, as it went
    upcoming = out[out.index("Next week:"):]
    assert f"- Write the rollout doc (moved from {moved.date.isoformat()})" in upcoming
    assert "Ship the retry budget" not in upcoming


def test_feedback_only_when_asked_and_only_the_recipients(env: Env) -> None:
    with env.ctx.begin() as conn:
        f.profile(conn)
        f.feedback(conn, "Write design docs before coding", day=f.days_ago(20))
        f.feedback(conn, "Bring other teams in earlier", giver="Priya Natarajan",
                   follow_up="Share drafts in week one", day=f.days_ago(20))
    assert "design docs" not in invoke(env, "report", "weekly").output
    asked = invoke(env, "report", "weekly", "--feedback").output
    assert "Working on feedback from Grace Hopper: Write design docs" in asked
    assert "Priya" not in asked and "other teams" not in asked
    for_priya = invoke(env, "report", "weekly", "--feedback", "--for", "Priya Natarajan").output
    assert "Bring other teams in earlier" in for_priya and "design docs" not in for_priya


def test_charts_have_integer_ticks_axis_titles_and_zero_bars() -> None:
    import re

    from levelup.charts import weekly_svg
    from levelup.domain.pareto import WeekCount

    svg = weekly_svg([WeekCount(date(2026, 11, 2), 3), WeekCount(date(2026, 11, 9), 0)])
    ticks = re.findall(r'text-anchor="end" fill="#222">([^<]+)</text>', svg)
    assert ticks == ["5", "4", "3", "2", "1", "0"]
    assert ">pages</text>" in svg and ">week (Monday)</text>" in svg
    zero = re.search(r'height="([\d.]+)" fill="[^"]+"><title>week of 2026-11-09: 0', svg)
    assert zero and float(zero[1]) > 0


def test_metrics_never_wrap_and_pdfs_number_their_pages(env: Env) -> None:
    with env.ctx.begin() as conn:
        f.win_with_metric(conn)
    html = invoke(env, "report", "weekly", "-f", "html").output
    assert re.search(r"\.metric \{[^}]*white-space: nowrap", html)
    assert 'content: "Page " counter(page) " of " counter(pages)' in html
