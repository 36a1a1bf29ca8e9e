"""`levelup import calendar`: Google and Outlook .ics exports, recurring 1:1s expanded."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from levelup.cli.common import Env
from levelup.domain.models import Conversation
from levelup.store.records import list_conversations
from tests.conftest import invoke

FIXTURES = Path(__file__).parent / "fixtures" / "calendar"
GOOGLE, OUTLOOK = FIXTURES / "google.ics", FIXTURES / "outlook.ics"
GOOGLE_UID = "5t2v0c1a9m3l4k8h7j6g5f4d3s@google.com"
FIRST_HALF = ("--since", "2026-01-01", "--until", "2026-06-30")


def conversations(env: Env) -> list[Conversation]:
    with env.read() as conn:
        return list_conversations(conn)


def test_google_rrule_exdate_moved_and_cancelled_instances(env: Env) -> None:
    result = invoke(env, "import", "calendar", str(GOOGLE), "--manager", "Grace Hopper",
                    "--stakeholder", "Linus Torvalds", "--stakeholder", "barbara@example.com",
                    *FIRST_HALF)
    assert result.exit_code == 0, result.output
    found = conversations(env)
    # Mar 16 is an EXDATE, Mar 23 moved to the 24th, Mar 30 cancelled; UNTIL ends the series.
    assert [c.date for c in found] == [date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 24)]
    assert {(c.with_, c.kind, c.source) for c in found} == {("Grace Hopper", "1:1", "calendar")}
    assert [c.source_id for c in found] == [
        f"{GOOGLE_UID}/2026-03-02", f"{GOOGLE_UID}/2026-03-09", f"{GOOGLE_UID}/2026-03-23"]
    # 23:00 UTC on Mar 5 is 15:00 in the calendar's zone (X-WR-TIMEZONE): same day.
    assert "2026-03-05 'Architecture review: payments' with Linus Torvalds" in result.output
    assert "with barbara@example.com" in result.output


def test_outlook_windows_zone_and_the_default_range(env: Env) -> None:
    assert invoke(env, "init", "--name", "Ada Lovelace", "--level", "L3", "--target", "L4",
                  "--manager", "Grace").exit_code == 0
    result = invoke(env, "import", "calendar", str(OUTLOOK), "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["formats"] == ["icalendar-outlook"]
    found = conversations(env)
    # Biweekly without end: the last six months up to today (2026-11-20), nothing later.
    assert found[0].date == date(2026, 5, 28) and found[-1].date == date(2026, 11, 12)
    assert len(found) == 13 and {c.with_ for c in found} == {"Grace"}


def test_time_zone_option_moves_midnight_meetings(env: Env) -> None:
    result = invoke(env, "import", "calendar", str(OUTLOOK), "--manager",
                    "grace.hopper@contoso.com", "--timezone", "America/New_York", *FIRST_HALF)
    assert result.exit_code == 0, result.output
    dates = [c.date for c in conversations(env)]
    assert dates[:3] == [date(2026, 1, 7), date(2026, 1, 21), date(2026, 2, 18)]  # Feb 4 excluded


def test_idempotent_and_dry_run(env: Env) -> None:
    args = ("import", "calendar", str(GOOGLE), "--manager", "Grace", *FIRST_HALF)
    result = invoke(env, *args, "--dry-run")
    assert result.exit_code == 0 and "would import 3 conversations" in result.output
    listed = [line.split() for line in result.output.splitlines() if line.startswith("  new ")]
    assert len(listed) == 3 and all(line[2:5] == ["conversation", "1:1", "with"]
                                    for line in listed)
    assert conversations(env) == []
    assert invoke(env, *args).exit_code == 0
    summary = json.loads(invoke(env, *args, "--json").stdout)
    assert (summary["new"], summary["unchanged"]) == (0, 3)


def test_bad_calendars(env: Env, tmp_path: Path) -> None:
    text = tmp_path / "notes.ics"
    text.write_text("hello\n")
    result = invoke(env, "import", "calendar", str(text), "--manager", "Grace")
    assert result.exit_code == 2 and f"{text}:1: not an iCalendar file" in result.output
    broken = tmp_path / "broken.ics"
    broken.write_text("BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:x\n"
                      "DTSTART:notadate\nSUMMARY:1:1\nEND:VEVENT\nEND:VCALENDAR\n")
    result = invoke(env, "import", "calendar", str(broken), "--manager", "Grace")
    assert result.exit_code == 2
    assert f"{broken}:5: cannot read the calendar's events" in result.output
    result = invoke(env, "import", "calendar", str(GOOGLE))
    assert result.exit_code == 2 and "no manager to find 1:1s with" in result.output
    assert conversations(env) == []


def test_meetings_with_stakeholders_of_the_ledger_are_hints(env: Env) -> None:
    assert invoke(env, "stakeholder", "add", "Linus Torvalds", "--relation", "skip-level",
                  "--decision-maker").exit_code == 0
    result = invoke(env, "import", "calendar", str(GOOGLE), "--manager", "Grace Hopper",
                    "--json", *FIRST_HALF)
    assert result.exit_code == 0, result.output
    hints = json.loads(result.stdout)["visibility_hints"]
    assert {"stakeholder": "Linus Torvalds", "date": "2026-03-05",
            "title": "Architecture review: payments"} in hints
