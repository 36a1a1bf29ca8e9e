"""`levelup import calendar`: Google and Outlook .ics exports, recurring 1:1s expanded."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import insert, update

from levelup.cli.common import Env
from levelup.domain.models import Conversation
from levelup.store import tables as t
from levelup.store.records import list_conversations
from tests.conftest import invoke

FIXTURES = Path(__file__).parent / "fixtures" / "calendar"
GOOGLE, OUTLOOK = FIXTURES / "google.ics", FIXTURES / "outlook.ics"
GOOGLE_UID = "5t2v0c1a9m3l4k8h7j6g5f4d3s@google.com"
FIRST_HALF = ("--since", "2026-01-01", "--until", "2026-06-30")


pytestmark = pytest.mark.usefixtures("pacific")  # Ada works in Los Angeles


def conversations(env: Env) -> list[Conversation]:
    with env.ctx.read() as conn:
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


def test_outlook_windows_zone_and_the_default_range(
    env: Env, machine_zone: Callable[[str], None]
) -> None:
    machine_zone("Europe/Berlin")  # midnight in the calendar's zone is the same day here
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
    assert f"{broken}:5: cannot read this event's DTSTART" in result.output
    result = invoke(env, "import", "calendar", str(GOOGLE))
    assert result.exit_code == 2 and "no manager to find 1:1s with" in result.output
    assert conversations(env) == []


def test_a_google_export_zip_is_read_whole(env: Env, tmp_path: Path) -> None:
    """Google Calendar exports a zip holding one .ics per calendar."""
    export = tmp_path / "takeout.zip"
    with zipfile.ZipFile(export, "w") as archive:
        archive.write(GOOGLE, "ada@example.com.ics")
        archive.writestr("notes.txt", "not a calendar")
        archive.writestr("team.ics", "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:x\n"
                         "DTSTART:notadate\nSUMMARY:1:1\nEND:VEVENT\nEND:VCALENDAR\n")
    args = ("import", "calendar", str(export), "--manager", "Grace", *FIRST_HALF)
    result = invoke(env, *args)
    assert result.exit_code == 2
    assert f"{export}/team.ics:5: cannot read this event's DTSTART" in result.output
    assert conversations(env) == []
    result = invoke(env, *args, "--skip-bad")
    assert result.exit_code == 0, result.output
    assert [c.source_id for c in conversations(env)] == [
        f"{GOOGLE_UID}/2026-03-02", f"{GOOGLE_UID}/2026-03-09", f"{GOOGLE_UID}/2026-03-23"]
    # the same calendar as a plain file is the same conversations
    summary = json.loads(invoke(env, "import", "calendar", str(GOOGLE), "--manager", "Grace",
                                *FIRST_HALF, "--json").stdout)
    assert (summary["new"], summary["unchanged"]) == (0, 3)
    empty = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("readme.txt", "nothing")
    result = invoke(env, "import", "calendar", str(empty), "--manager", "Grace")
    assert result.exit_code == 2
    assert f"{empty}:1: a zip file without any .ics calendar in it" in result.output
    fake = tmp_path / "fake.zip"
    fake.write_text("BEGIN:VCALENDAR\n")
    result = invoke(env, "import", "calendar", str(fake), "--manager", "Grace")
    assert result.exit_code == 2
    assert f"{fake}:1: not a zip file, though its name ends in .zip" in result.output


def test_meetings_with_stakeholders_of_the_ledger_are_hints(env: Env) -> None:
    assert invoke(env, "stakeholder", "add", "Linus Torvalds", "--relation", "skip-level",
                  "--decision-maker").exit_code == 0
    result = invoke(env, "import", "calendar", str(GOOGLE), "--manager", "Grace Hopper",
                    "--json", *FIRST_HALF)
    assert result.exit_code == 0, result.output
    hints = json.loads(result.stdout)["visibility_hints"]
    assert {"stakeholder": "Linus Torvalds", "date": "2026-03-05",
            "title": "Architecture review: payments"} in hints


# Calendars written by the tests: a weekly 1:1 with Grace on Wednesdays at 16:30 in Los Angeles.

PACIFIC = ";TZID=America/Los_Angeles"
WITH_GRACE = ("ORGANIZER;CN=Grace Hopper:mailto:grace@example.com\n"
              "ATTENDEE;CN=Ada Lovelace:mailto:ada@example.com\n"
              "ATTENDEE;CN=Grace Hopper:mailto:grace@example.com")
SEPTEMBER = ("--since", "2026-09-01", "--until", "2026-09-30")


def calendar(tmp_path: Path, name: str, *events: str) -> Path:
    body = "".join(f"BEGIN:VEVENT\n{event.strip()}\nEND:VEVENT\n" for event in events)
    path = tmp_path / name
    path.write_text(f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//levelup tests//EN\n{body}"
                    "END:VCALENDAR\n")
    return path


def weekly(*lines: str, count: int = 4, description: str = "Weekly sync") -> str:
    return "\n".join([f"UID:weekly-1\nSUMMARY:Ada / Grace\nDESCRIPTION:{description}",
                      f"DTSTART{PACIFIC}:20260902T163000", f"RRULE:FREQ=WEEKLY;COUNT={count}",
                      WITH_GRACE, *lines])


def line_of(path: Path, text: str) -> int:
    return path.read_text().splitlines().index(text) + 1


def test_reimport_in_another_zone_updates_the_same_conversations(env: Env) -> None:
    args = ("import", "calendar", str(OUTLOOK), "--manager", "Grace", *FIRST_HALF)
    assert invoke(env, *args).exit_code == 0
    before = conversations(env)
    summary = json.loads(invoke(env, *args, "--timezone", "Asia/Tokyo", "--json").stdout)
    assert (summary["new"], summary["updated"]) == (0, len(before))
    after = conversations(env)
    assert [c.source_id for c in after] == [c.source_id for c in before]
    # midnight in Amsterdam is the day before in Los Angeles, the same day in Tokyo
    assert (before[0].date, after[0].date) == (date(2026, 1, 7), date(2026, 1, 8))
    assert after[0].source_id.endswith("/2026-01-08")  # the date the file writes


def test_skip_bad_imports_the_good_events(env: Env, tmp_path: Path) -> None:
    path = calendar(tmp_path, "broken.ics", weekly(count=1),
                    "UID:bad-1\nSUMMARY:1:1 Grace Hopper\nDTSTART:2026-09-09 garbage",
                    "UID:bad-2\nSUMMARY:1:1 Grace Hopper")
    args = ("import", "calendar", str(path), "--manager", "Grace Hopper", *SEPTEMBER)
    result = invoke(env, *args)
    bad = line_of(path, "DTSTART:2026-09-09 garbage")
    assert result.exit_code == 2
    assert result.output.strip() == (f"levelup: error: {path}:{bad}: cannot read this event's "
                                     "DTSTART: Expected datetime, date, or time. Got: "
                                     "'2026-09-09 garbage'")
    assert conversations(env) == []
    result = invoke(env, *args, "--skip-bad")
    assert result.exit_code == 0, result.output
    assert f"skipped {path}:{bad}: cannot read this event's DTSTART" in result.output
    missing = line_of(path, "UID:bad-2") - 1  # no DTSTART: the event's first line
    assert f"skipped {path}:{missing}: cannot read this event's DTSTART: missing" in result.output
    assert [c.date for c in conversations(env)] == [date(2026, 9, 2)]


def test_dates_are_the_users_own(env: Env, tmp_path: Path,
                                 machine_zone: Callable[[str], None]) -> None:
    machine_zone("America/Los_Angeles")
    path = calendar(tmp_path, "dates.ics",
                    f"UID:utc\nSUMMARY:1:1 Grace\nDTSTART:20260910T013000Z\n{WITH_GRACE}",
                    f"UID:floating\nSUMMARY:1:1 Grace\nDTSTART:20260915T233000\n{WITH_GRACE}",
                    f"UID:allday\nSUMMARY:1:1 Grace\nDTSTART;VALUE=DATE:20260917\n{WITH_GRACE}")
    args = ("import", "calendar", str(path), "--manager", "Grace Hopper", *SEPTEMBER)
    assert invoke(env, *args).exit_code == 0
    # 01:30 UTC on the 10th is 18:30 on the 9th in Los Angeles; the others stay as written
    assert [c.date for c in conversations(env)] == [date(2026, 9, 9), date(2026, 9, 15),
                                                    date(2026, 9, 17)]
    machine_zone("Asia/Tokyo")
    summary = json.loads(invoke(env, *args, "--json").stdout)
    assert (summary["new"], summary["updated"], summary["unchanged"]) == (0, 1, 2)
    assert [c.date for c in conversations(env)][0] == date(2026, 9, 10)


def test_cancelled_occurrences_are_retracted(env: Env, tmp_path: Path) -> None:
    before = calendar(tmp_path, "before.ics", weekly())
    args = ("import", "calendar", "--manager", "Grace Hopper", *SEPTEMBER)
    assert invoke(env, *args[:2], str(before), *args[2:]).exit_code == 0
    assert len(conversations(env)) == 4
    after = calendar(tmp_path, "after.ics", weekly(f"EXDATE{PACIFIC}:20260909T163000"),
                     f"UID:weekly-1\nSUMMARY:Canceled: Ada / Grace\nSTATUS:CANCELLED\n"
                     f"RECURRENCE-ID{PACIFIC}:20260916T163000\nDTSTART{PACIFIC}:20260916T163000")
    dry = invoke(env, *args[:2], str(after), *args[2:], "--dry-run")
    assert dry.exit_code == 0 and "2 removed" in dry.output
    assert "  removed  2026-09-09  conversation 1:1 with Grace Hopper" in dry.output
    assert "  removed  2026-09-16  conversation 1:1 with Grace Hopper" in dry.output
    assert len(conversations(env)) == 4
    summary = json.loads(invoke(env, *args[:2], str(after), *args[2:], "--json").stdout)
    assert (summary["removed"], summary["new"]) == (2, 0)
    assert [c.date for c in conversations(env)] == [date(2026, 9, 2), date(2026, 9, 23)]


def test_cancelled_conversations_the_user_added_to_stay(env: Env, tmp_path: Path) -> None:
    args = ("import", "calendar", "--manager", "Grace Hopper", *SEPTEMBER)
    assert invoke(env, *args[:2], str(calendar(tmp_path, "a.ics", weekly())),
                  *args[2:]).exit_code == 0
    ids = {c.date.day: c.id for c in conversations(env)}
    with env.ctx.begin() as conn:
        conn.execute(insert(t.conversation_questions).values(
            conversation_id=ids[9], question="Right projects?", answer="yes"))
        conn.execute(update(t.conversations).where(t.conversations.c.id == ids[16])
                     .values(notes="Asked about the staff track"))
    cancel = [f"EXDATE{PACIFIC}:20260909T163000,20260916T163000,20260923T163000"]
    result = invoke(env, *args[:2], str(calendar(tmp_path, "b.ics", weekly(*cancel))), *args[2:])
    assert result.exit_code == 0 and "1 removed" in result.output
    assert f"kept conversation {ids[9]} 1:1 with Grace Hopper on 2026-09-09" in result.output
    assert [c.date.day for c in conversations(env)] == [2, 9, 16]


def test_only_cancellations_the_file_states_retract(env: Env, tmp_path: Path) -> None:
    args = ("import", "calendar", "--manager", "Grace Hopper")
    assert invoke(env, *args[:2], str(calendar(tmp_path, "a.ics", weekly())), *args[2:],
                  *SEPTEMBER).exit_code == 0
    shorter = calendar(tmp_path, "b.ics", weekly(count=2))  # the series ends earlier
    summary = json.loads(invoke(env, *args[:2], str(shorter), *args[2:], *SEPTEMBER,
                                "--json").stdout)
    assert summary["removed"] == 0 and len(conversations(env)) == 4
    cancelled = calendar(tmp_path, "c.ics", weekly(f"EXDATE{PACIFIC}:20260923T163000"))
    summary = json.loads(invoke(env, *args[:2], str(cancelled), *args[2:], "--since",
                                "2026-09-01", "--until", "2026-09-20", "--json").stdout)
    assert summary["removed"] == 0 and len(conversations(env)) == 4  # Sep 23 is outside


def test_a_title_names_the_manager_by_first_name(env: Env, tmp_path: Path) -> None:
    titles = ["1:1 with Grace", "GRACE HOPPER 1:1", "1:1 with Gracie", "Graceful 1:1 review"]
    path = calendar(tmp_path, "titles.ics", *(
        f"UID:t{day}\nSUMMARY:{title}\nDTSTART{PACIFIC}:202609{day:02}T100000"
        for day, title in enumerate(titles, 1)))
    result = invoke(env, "import", "calendar", str(path), "--manager", "Grace Hopper",
                    *SEPTEMBER)
    assert result.exit_code == 0, result.output
    assert [c.date for c in conversations(env)] == [date(2026, 9, 1), date(2026, 9, 2)]


def test_meetings_before_the_window_are_reported(env: Env, tmp_path: Path) -> None:
    old = calendar(tmp_path, "old.ics", weekly().replace("20260902", "20250903"))
    result = invoke(env, "import", "calendar", str(old), "--manager", "Grace Hopper")
    assert result.exit_code == 0, result.output
    assert (f"skipped {old}: 4 meetings before 2026-05-20: pass --since to import older ones"
            in result.output)
    assert conversations(env) == []
    help_text = " ".join(invoke(env, "import", "calendar", "--help").output.split())
    assert "by default those of the last 6 months" in help_text


def test_the_description_becomes_the_notes_once(env: Env, tmp_path: Path) -> None:
    long = " ".join(["word"] * 100)
    args = ("import", "calendar", "--manager", "Grace Hopper", *SEPTEMBER)
    first = calendar(tmp_path, "a.ics", weekly(count=1, description=f"Agenda\\n{long}\\n\\n"
                                               "Join Microsoft Teams meeting"))
    assert invoke(env, *args[:2], str(first), *args[2:]).exit_code == 0
    notes = conversations(env)[0].notes
    assert notes.startswith("Agenda word word") and notes.endswith("word…")
    assert len(notes) <= 300 and "Teams" not in notes
    listed = invoke(env, "talk", "list", "--since", "2026-09-01").output
    assert "Grace Hopper: Agenda word" in listed
    changed = calendar(tmp_path, "b.ics", weekly(count=1, description="Something else"))
    assert invoke(env, *args[:2], str(changed), *args[2:]).exit_code == 0
    assert conversations(env)[0].notes == notes
