"""`levelup import calendar`: when meetings take place (today's edge, unknown time zones)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from levelup.cli.common import Env
from levelup.domain.models import Conversation
from levelup.store.records import upsert_conversation
from tests.conftest import TODAY, invoke
from tests.test_import_calendar import (
    WITH_GRACE,
    calendar,
    conversations,
)

pytestmark = pytest.mark.usefixtures("pacific")  # Ada works in Los Angeles

MANAGER = ("--manager", "Grace Hopper")
AMSTERDAM = '"(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna"'


def test_1_1s_after_today_are_planned_not_held(env: Env, tmp_path: Path) -> None:
    path = calendar(tmp_path, "weekly.ics", "\n".join([
        "UID:w", "SUMMARY:Ada / Grace", "DTSTART;TZID=America/Los_Angeles:20261104T100000",
        "RRULE:FREQ=WEEKLY", WITH_GRACE]))
    # an import before the fix recorded Nov 25, a week after today (Nov 20), as held
    with env.ctx.begin() as conn:
        upsert_conversation(conn, conversation=Conversation(
            date=date(2026, 11, 25), with_="Grace Hopper", kind="1:1", notes="",
            source="calendar", source_id="w/2026-11-25"))
    result = invoke(env, "import", "calendar", str(path), *MANAGER, "--since", "2026-11-01",
                    "--until", "2026-12-31")
    assert result.exit_code == 0, result.output
    assert [c.date for c in conversations(env)] == [
        date(2026, 11, 4), date(2026, 11, 11), date(2026, 11, 18)]
    assert "1 removed" in result.output
    assert (f"skipped {path}: 6 1:1s after today ({TODAY}) left out: "
            "they have not taken place yet") in result.output
    help_text = " ".join(invoke(env, "import", "calendar", "--help").output.split())
    assert "1:1s after today are left out" in help_text


def test_windows_display_names_and_unknown_zones(env: Env, tmp_path: Path) -> None:
    def one_on_one(uid: str, tzid: str, start: str, *lines: str) -> str:
        return "\n".join([f"UID:{uid}", "SUMMARY:1:1", f"DTSTART;TZID={tzid}:{start}",
                          WITH_GRACE, *lines])

    path = calendar(
        tmp_path, "exchange.ics",
        # 00:30 in Amsterdam is 18:30 the day before in New York; Nov 10 is cancelled
        one_on_one("ams", AMSTERDAM, "20261103T003000", "RRULE:FREQ=WEEKLY;COUNT=3",
                   f"EXDATE;TZID={AMSTERDAM}:20261110T003000"),
        # 23:30 in New York (Windows' "Eastern Standard Time") is the next day in Berlin
        one_on_one("est", '"(UTC-05:00) Eastern Time (US & Canada)"', "20261105T233000"),
        # a place levelup does not know: its offset, without daylight saving time
        one_on_one("slk", '"(UTC+05:30) Sri Jayawardenepura"', "20261107T003000"),
        one_on_one("mars", "Mars/Olympus_Mons", "20261108T003000"))
    result = invoke(env, "import", "calendar", str(path), *MANAGER, "--since", "2026-11-01",
                    "--timezone", "Europe/Berlin", "--json")
    assert result.exit_code == 0, result.output
    berlin = {c.source_id: c.date for c in conversations(env)}
    assert (berlin["ams/2026-11-03"], berlin["est/2026-11-05"]) == (
        date(2026, 11, 3), date(2026, 11, 6))
    lines = path.read_text().splitlines()
    sri_lanka = lines.index('DTSTART;TZID="(UTC+05:30) Sri Jayawardenepura":20261107T003000')
    mars = lines.index("DTSTART;TZID=Mars/Olympus_Mons:20261108T003000")
    assert json.loads(result.stdout)["notes"] == [
        f"{path}:{sri_lanka + 1}: unknown time zone '(UTC+05:30) Sri Jayawardenepura': "
        "dated at UTC+05:30 all year (no daylight saving time)",
        f"{path}:{mars + 1}: unknown time zone 'Mars/Olympus_Mons': "
        "dated as written, in your own time zone"]
    result = invoke(env, "import", "calendar", str(path), *MANAGER, "--since", "2026-11-01",
                    "--timezone", "America/New_York")
    assert result.exit_code == 0, result.output
    assert [(c.source_id, c.date.day) for c in conversations(env)] == [
        ("ams/2026-11-03", 2), ("est/2026-11-05", 5), ("slk/2026-11-07", 6),
        ("mars/2026-11-08", 8), ("ams/2026-11-17", 16)]


def test_a_calendar_cut_short_says_so(env: Env, tmp_path: Path) -> None:
    path = tmp_path / "cut.ics"
    path.write_text("BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:x\n"
                    "DTSTART:20261103T100000Z\nSUMMARY:1:1\n")
    result = invoke(env, "import", "calendar", str(path), *MANAGER)
    assert result.exit_code == 2
    assert result.output.strip() == (f"levelup: error: {path}:6: the calendar ends without "
                                     "END:VCALENDAR: the file was cut short")
