"""`levelup import calendar`: who takes part in a meeting (declines, rooms, calendars twice)."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path

import pytest

from levelup.cli.common import Env
from tests.conftest import invoke
from tests.test_import_calendar import (
    GOOGLE,
    PACIFIC,
    SEPTEMBER,
    calendar,
    conversations,
    weekly,
)

pytestmark = pytest.mark.usefixtures("pacific")  # Ada works in Los Angeles

ARGS = ("import", "calendar", "--manager", "Grace Hopper", *SEPTEMBER)


def attendee(name: str, email: str, partstat: str = "ACCEPTED", cutype: str = "INDIVIDUAL") -> str:
    return f"ATTENDEE;CUTYPE={cutype};PARTSTAT={partstat};CN={name}:mailto:{email}"


def declined_by(who: str, day: int) -> str:
    """An instance of ``weekly`` (RECURRENCE-ID) that Ada or Grace declined."""
    return "\n".join([
        "UID:weekly-1", "SUMMARY:Ada / Grace",
        f"RECURRENCE-ID{PACIFIC}:202609{day:02}T163000", f"DTSTART{PACIFIC}:202609{day:02}T163000",
        "ORGANIZER;CN=Grace Hopper:mailto:grace@example.com",
        attendee("Ada Lovelace", "ada@example.com", "DECLINED" if who == "Ada" else "ACCEPTED"),
        attendee("Grace Hopper", "grace@example.com",
                 "DECLINED" if who == "Grace" else "ACCEPTED")])


def test_a_declined_1_1_is_no_conversation_and_retracts_one(env: Env, tmp_path: Path) -> None:
    before = calendar(tmp_path, "before.ics", weekly())
    assert invoke(env, *ARGS[:2], str(before), *ARGS[2:]).exit_code == 0
    assert [c.date.day for c in conversations(env)] == [2, 9, 16, 23]
    # Google's later export keeps the instances Ada and Grace declined (in a meeting of two,
    # either declining calls it off, even when levelup cannot tell which one is Ada)
    after = calendar(tmp_path, "after.ics", weekly(), declined_by("Ada", 9),
                     declined_by("Grace", 16))
    summary = json.loads(invoke(env, *ARGS[:2], str(after), *ARGS[2:], "--json").stdout)
    assert (summary["removed"], summary["new"]) == (2, 0)
    assert [c.date.day for c in conversations(env)] == [2, 23]


def test_who_declined_a_meeting_is_no_visibility_hint(env: Env, tmp_path: Path) -> None:
    team = [attendee("Ada Lovelace", "ada@example.com"), attendee("Bob Smith", "bob@example.com"),
            attendee("Linus Torvalds", "linus@example.com", "DECLINED")]
    path = calendar(
        tmp_path, "team.ics",
        "\n".join(["UID:review", "SUMMARY:Payments roadmap review",
                   f"DTSTART{PACIFIC}:20260910T100000", *team]),
        "\n".join(["UID:demo", "SUMMARY:Demo day", f"DTSTART{PACIFIC}:20260911T100000",
                   attendee("Ada Lovelace", "ada@example.com", "DECLINED"),
                   attendee("Bob Smith", "bob@example.com"),
                   attendee("Barbara Liskov", "barbara@example.com")]))
    result = invoke(env, *ARGS[:2], str(path), *ARGS[2:], "--me", "Ada Lovelace",
                    "--stakeholder", "Bob Smith",
                    "--stakeholder", "Linus Torvalds", "--json")
    assert result.exit_code == 0, result.output
    # Linus declined the review; Ada declined the demo, so Bob heard nothing of her work there
    assert json.loads(result.stdout)["visibility_hints"] == [
        {"stakeholder": "Bob Smith", "date": "2026-09-10", "title": "Payments roadmap review"}]


def test_rooms_are_not_people(env: Env, tmp_path: Path) -> None:
    google_room = attendee("LON-3-Babbage (4)", "c_1882abc@resource.calendar.google.com",
                           cutype="RESOURCE")
    exchange_room = attendee("Room 4.12", "room412@contoso.com", cutype="ROOM")
    no_cutype = "ATTENDEE;CN=LON-3-Lovelace (8):mailto:c_77de@resource.calendar.google.com"
    path = calendar(tmp_path, "rooms.ics", weekly(google_room, exchange_room, no_cutype))
    result = invoke(env, *ARGS[:2], str(path), *ARGS[2:])
    assert result.exit_code == 0, result.output
    assert [(c.date.day, c.with_) for c in conversations(env)] == [
        (2, "Grace Hopper"), (9, "Grace Hopper"), (16, "Grace Hopper"), (23, "Grace Hopper")]


def test_a_meeting_in_two_calendars_of_a_zip_counts_once(env: Env, tmp_path: Path) -> None:
    export = tmp_path / "takeout.zip"
    with zipfile.ZipFile(export, "w") as archive:
        archive.write(GOOGLE, "ada@example.com.ics")
        archive.write(GOOGLE, "Team_abc@group.calendar.google.com.ics")
    args = ("import", "calendar", str(export), "--manager", "Grace", "--stakeholder",
            "Linus Torvalds", "--since", "2026-01-01", "--until", "2026-06-30", "--json")
    summary = json.loads(invoke(env, *args).stdout)
    assert (summary["new"], summary["unchanged"], summary["records"]) == (
        3, 0, {"conversations": 3})
    assert [h["title"] for h in summary["visibility_hints"]] == ["Architecture review: payments"]
    summary = json.loads(invoke(env, *args).stdout)
    assert (summary["new"], summary["unchanged"]) == (0, 3)
    assert len(conversations(env)) == 3


def test_a_1_1_one_calendar_holds_stays_when_another_cancels_it(
    env: Env, tmp_path: Path
) -> None:
    held = calendar(tmp_path, "ada.ics", weekly())
    cancelled = calendar(tmp_path, "team.ics", weekly(f"EXDATE{PACIFIC}:20260909T163000"))
    export = tmp_path / "takeout.zip"
    with zipfile.ZipFile(export, "w") as archive:
        archive.write(held, "ada.ics")
        archive.write(cancelled, "team.ics")
    summary = json.loads(invoke(env, *ARGS[:2], str(export), *ARGS[2:], "--json").stdout)
    assert (summary["new"], summary["removed"]) == (4, 0)
    assert [c.date for c in conversations(env)] == [
        date(2026, 9, 2), date(2026, 9, 9), date(2026, 9, 16), date(2026, 9, 23)]
