"""`levelup import calendar` on the shapes real calendars hold: a series whose rule cannot
be read, Exchange's spaced BYDAY lists, "this and following" edits, events without a UID,
and several VCALENDARs in one file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from levelup.cli.common import Env
from tests.conftest import invoke
from tests.test_import_calendar import PACIFIC, SEPTEMBER, WITH_GRACE, calendar, conversations

pytestmark = pytest.mark.usefixtures("pacific")  # Ada works in Los Angeles

MANAGER = ("--manager", "Grace Hopper")


def weekly_on(uid: str, rule: str, *more: str) -> str:
    return "\n".join([f"UID:{uid}", "SUMMARY:Ada / Grace", f"DTSTART{PACIFIC}:20260902T163000",
                      f"DTEND{PACIFIC}:20260902T170000", rule, WITH_GRACE, *more])


def line_starting(path: Path, prefix: str, nth: int = 0) -> int:
    lines = [n for n, line in enumerate(path.read_text().splitlines(), 1)
             if line.startswith(prefix)]
    return lines[nth]


def test_a_series_that_cannot_repeat_is_skipped_alone(env: Env, tmp_path: Path) -> None:
    # icalendar reads both rules; only expanding them shows that no month has a ninth Wednesday
    path = calendar(tmp_path, "work.ics", weekly_on("good", "RRULE:FREQ=WEEKLY;COUNT=2"),
                    weekly_on("bad", "RRULE:FREQ=MONTHLY;COUNT=3;BYDAY=+9WE"),
                    weekly_on("endless", "RRULE:FREQ=WEEKLY;INTERVAL=0"))
    args = ("import", "calendar", str(path), *MANAGER, *SEPTEMBER)
    bad, endless = line_starting(path, "BEGIN:VEVENT", 1), line_starting(path, "BEGIN:VEVENT", 2)
    refused = invoke(env, *args)
    assert refused.exit_code == 2
    assert refused.output.startswith(f"levelup: error: {path}:")
    assert "cannot repeat this event: its rule RRULE:" in refused.output
    assert conversations(env) == []
    result = invoke(env, *args, "--skip-bad")
    assert result.exit_code == 0, result.output
    assert (f"skipped {path}:{bad}: cannot repeat this event: its rule "
            "RRULE:FREQ=MONTHLY;COUNT=3;BYDAY=+9WE cannot be read") in result.output
    assert (f"skipped {path}:{endless}: cannot repeat this event: its rule "
            "RRULE:FREQ=WEEKLY;INTERVAL=0 repeats every 0 periods") in result.output
    assert [c.date for c in conversations(env)] == [date(2026, 9, 2), date(2026, 9, 9)]


def test_a_repeated_start_is_named_in_words(env: Env, tmp_path: Path) -> None:
    path = calendar(tmp_path, "work.ics", weekly_on("good", "RRULE:FREQ=WEEKLY;COUNT=1"),
                    weekly_on("twice", "RRULE:FREQ=WEEKLY;COUNT=2",
                              f"DTSTART{PACIFIC}:20260903T163000"))
    result = invoke(env, "import", "calendar", str(path), *MANAGER, *SEPTEMBER, "--skip-bad")
    assert result.exit_code == 0, result.output
    bad = line_starting(path, "BEGIN:VEVENT", 1)
    assert f"skipped {path}:{bad}: cannot repeat this event: a property" in result.output
    assert "'list'" not in result.output
    assert [c.date for c in conversations(env)] == [date(2026, 9, 2)]


def test_spaces_inside_a_byday_list_are_tolerated(env: Env, tmp_path: Path) -> None:
    path = calendar(tmp_path, "exchange.ics",
                    weekly_on("standup", "RRULE:FREQ=WEEKLY;COUNT=3;BYDAY=WE, TH ,FR"))
    result = invoke(env, "import", "calendar", str(path), *MANAGER, *SEPTEMBER)
    assert result.exit_code == 0, result.output
    assert [c.date for c in conversations(env)] == [
        date(2026, 9, 2), date(2026, 9, 3), date(2026, 9, 4)]


def test_this_and_following_edits_keep_each_occurrence(env: Env, tmp_path: Path) -> None:
    """Moved from Wednesdays to Thursdays from the third meeting on: six 1:1s, not three."""
    path = calendar(tmp_path, "moved.ics", weekly_on("weekly", "RRULE:FREQ=WEEKLY;COUNT=6"),
                    "\n".join(["UID:weekly", "SUMMARY:Ada / Grace (Thursdays)",
                               f"RECURRENCE-ID;RANGE=THISANDFUTURE{PACIFIC}:20260916T163000",
                               f"DTSTART{PACIFIC}:20260917T100000",
                               f"DTEND{PACIFIC}:20260917T103000", WITH_GRACE]))
    result = invoke(env, "import", "calendar", str(path), *MANAGER, *SEPTEMBER,
                    "--until", "2026-10-31")
    assert result.exit_code == 0, result.output
    found = conversations(env)
    assert [c.date for c in found] == [date(2026, 9, 2), date(2026, 9, 9), date(2026, 9, 17),
                                       date(2026, 9, 24), date(2026, 10, 1), date(2026, 10, 8)]
    assert len({c.source_id for c in found}) == 6
    # each is known by the Wednesday it replaced: a re-import updates, never duplicates
    assert sorted(c.source_id for c in found)[-1] == "weekly/2026-10-07"
    again = invoke(env, "import", "calendar", str(path), *MANAGER, *SEPTEMBER,
                   "--until", "2026-10-31")
    assert again.exit_code == 0 and len(conversations(env)) == 6


def test_events_without_a_uid_on_one_day_stay_apart(env: Env, tmp_path: Path) -> None:
    morning = "\n".join(["SUMMARY:1:1 Grace", f"DTSTART{PACIFIC}:20260902T090000",
                         "DESCRIPTION:Roadmap", WITH_GRACE])
    afternoon = "\n".join(["SUMMARY:1:1 Grace (follow-up)", f"DTSTART{PACIFIC}:20260902T150000",
                           "DESCRIPTION:Hiring", WITH_GRACE])
    path = calendar(tmp_path, "no-uid.ics", morning, afternoon)
    result = invoke(env, "import", "calendar", str(path), *MANAGER, *SEPTEMBER)
    assert result.exit_code == 0, result.output
    assert sorted(c.notes for c in conversations(env)) == ["Hiring", "Roadmap"]
    invoke(env, "import", "calendar", str(path), *MANAGER, *SEPTEMBER)
    assert len(conversations(env)) == 2


def test_two_calendars_in_one_file_are_both_read(env: Env, tmp_path: Path) -> None:
    first = calendar(tmp_path, "a.ics", weekly_on("a", "RRULE:FREQ=WEEKLY;COUNT=1"))
    second = calendar(tmp_path, "b.ics", "\n".join([
        "UID:b", "SUMMARY:Ada / Grace", f"DTSTART{PACIFIC}:20260910T100000", WITH_GRACE]))
    both = tmp_path / "both.ics"
    both.write_text(first.read_text() + second.read_text())
    result = invoke(env, "import", "calendar", str(both), *MANAGER, *SEPTEMBER)
    assert result.exit_code == 0, result.output
    assert [c.date for c in conversations(env)] == [date(2026, 9, 2), date(2026, 9, 10)]
