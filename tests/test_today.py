"""`levelup today` (alias `status`): what is due now."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from levelup.cli.common import Env
from levelup.domain.models import CheckIn, Conversation, Expectation
from levelup.readiness.today import TodayInput, due
from levelup.store.records import add_checkin, add_conversation, add_expectation
from tests import factories as f
from tests.conftest import invoke
from tests.factories import TODAY, days_ago

WEDNESDAY = TODAY - timedelta(days=2)


def _ids(**fields: object) -> list[str]:
    settled = {"last_feedback_asked": TODAY, "last_checkin": TODAY, "last_expectation": TODAY,
               "one_on_ones": [TODAY + timedelta(days=30)], "manager": "Grace"}
    return [d.id for d in due(TodayInput(**(settled | {"today": TODAY} | fields)))]  # type: ignore[arg-type]


def test_weekly_report_due_on_friday_unless_sent_this_week() -> None:
    assert _ids(last_weekly_report=TODAY - timedelta(days=7)) == ["weekly_report"]
    assert _ids(last_weekly_report=TODAY - timedelta(days=1)) == []
    assert _ids(last_weekly_report=TODAY) == []


def test_weekly_report_overdue_after_seven_days() -> None:
    assert _ids(today=WEDNESDAY, last_weekly_report=WEDNESDAY - timedelta(days=3)) == []
    overdue = due(TodayInput(today=WEDNESDAY, last_weekly_report=WEDNESDAY - timedelta(days=8),
                             last_feedback_asked=TODAY, last_checkin=TODAY,
                             last_expectation=TODAY, one_on_ones=[TODAY + timedelta(days=30)]))
    assert [d.id for d in overdue] == ["weekly_report"]
    assert "Overdue" in overdue[0].text


def test_next_one_on_one_from_the_cadence() -> None:
    weekly = [date(2026, 10, 26) + timedelta(days=7 * i) for i in range(4)]  # last: Nov 16
    found = due(TodayInput(today=TODAY, manager="Grace", one_on_ones=weekly,
                           last_weekly_report=TODAY, last_feedback_asked=TODAY,
                           last_checkin=TODAY, last_expectation=TODAY))
    assert [d.id for d in found] == ["one_on_one"]
    assert found[0].when == date(2026, 11, 23)
    assert "every 7 days" in found[0].text


def test_feedback_checkin_and_expectations_when_stale() -> None:
    assert _ids(last_weekly_report=TODAY, last_feedback_asked=days_ago(43),
                last_checkin=days_ago(15), last_expectation=days_ago(91)) == [
        "feedback", "checkin", "expectations"]
    assert _ids(last_weekly_report=TODAY, last_feedback_asked=days_ago(41),
                last_checkin=days_ago(13), last_expectation=days_ago(89)) == []


@pytest.mark.parametrize("name", ["today", "status"])
def test_today_command_reads_the_ledger(env: Env, name: str) -> None:
    with env.ctx.begin() as conn:
        f.profile(conn)
        add_conversation(conn, conversation=Conversation(
            date=TODAY + timedelta(days=3), with_="Grace Hopper", source="calendar",
            source_id="evt-1"))
        add_checkin(conn, checkin=CheckIn(date=days_ago(3), scores={"listening": 4}))
        add_expectation(conn, expectation=Expectation(kind="critical-task", text="Run releases",
                                                      agreed_on=days_ago(200)))
        f.feedback(conn, day=days_ago(5), asked=True)
    result = invoke(env, name, "--json")
    assert result.exit_code == 0, result.output
    found = {d["id"]: d for d in json.loads(result.output)["due"]}
    assert set(found) == {"weekly_report", "one_on_one", "expectations"}
    assert found["one_on_one"]["when"] == "2026-11-23"
    assert "booked" in found["one_on_one"]["text"]
    text = invoke(env, name).output
    assert "levelup report weekly" in text and "Grace Hopper" in text
