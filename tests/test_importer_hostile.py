"""Malformed files fail an import in one line (no traceback) and write nothing."""

from __future__ import annotations

import io
import json
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from levelup.cli.common import Env
from levelup.store.entries import list_entries

FIXTURES = Path(__file__).parent / "fixtures"
ICS = (FIXTURES / "calendar" / "google.ics").read_text()


def _run(env: Env, *args: str) -> str:
    from levelup.cli.main import command

    result = CliRunner().invoke(command(), list(args), obj=env, input="", catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    assert result.exit_code == 2, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("levelup: error:")]
    assert len(errors) == 1 and len(errors[0]) < 400, result.output
    with env.ctx.read() as conn:
        assert list_entries(conn) == []
    return errors[0]


def _with_rule(rule: str) -> str:
    nl = "\r\n" if "\r\n" in ICS else "\n"
    at = ICS.index("BEGIN:VEVENT") + len("BEGIN:VEVENT" + nl)
    return ICS[:at] + rule + nl + ICS[at:]


CAL = ("--manager", "Grace Hopper", "--since", "2026-01-01", "--until", "2026-12-31")


@pytest.mark.parametrize("source", ["csv", "incidents"])
def test_deeply_nested_json(env: Env, tmp_path: Path, source: str) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    extra = ("--map", "title=a", "--map", "date=b") if source == "csv" else ()
    assert "nested too deeply" in _run(env, "import", source, str(deep), *extra, "--skip-bad")


def test_latin1_file_names_it_and_suggests_utf8(env: Env, tmp_path: Path) -> None:
    latin = tmp_path / "latin.csv"
    latin.write_bytes("Summary,Closed\nCaf\xe9,2026-03-01\n".encode("latin-1"))
    line = _run(env, "import", "csv", str(latin), "--map", "title=Summary", "--map", "date=Closed")
    assert "latin.csv" in line and "UTF-8" in line


@pytest.mark.parametrize("name", ["pagerduty.csv", "pagerduty-page1.json"])
def test_a_twenty_digit_epoch(env: Env, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    if name.endswith(".json"):
        data = json.loads((FIXTURES / "incidents" / name).read_text())
        data["incidents"][0]["created_at"] = 99999999999999999999
        path.write_text(json.dumps(data))
    else:
        text = (FIXTURES / "incidents" / name).read_text()
        path.write_text(text.replace("2026-09-07T02:14:09-07:00", "99999999999999999999", 1))
    assert "not a time" in _run(env, "import", "incidents", str(path))


def test_csv_twenty_digit_date_skipped_with_skip_bad(env: Env, tmp_path: Path) -> None:
    path = tmp_path / "epoch.csv"
    path.write_text("Summary,Closed\nx,99999999999999999999\n")
    assert "not a date" in _run(env, "import", "csv", str(path), "--map", "title=Summary",
                                "--map", "date=Closed")


def test_rrule_byday_out_of_range(env: Env, tmp_path: Path) -> None:
    path = tmp_path / "byday.ics"
    path.write_text(_with_rule("RRULE:FREQ=MONTHLY;BYDAY=+60MO"))
    assert "cannot repeat" in _run(env, "import", "calendar", str(path), *CAL)


def test_minutely_rule_is_capped(env: Env, tmp_path: Path) -> None:
    path = tmp_path / "minutely.ics"
    path.write_text(_with_rule("RRULE:FREQ=MINUTELY"))
    began = time.monotonic()
    assert "more than 10,000 meetings" in _run(env, "import", "calendar", str(path), *CAL)
    assert time.monotonic() - began < 60


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_corrupt_zip(env: Env, tmp_path: Path) -> None:
    data = bytearray(_zip({"a.ics": ICS.encode()}))
    data[40] ^= 0xFF
    data[60] ^= 0xFF
    (tmp_path / "c.zip").write_bytes(bytes(data))
    assert "not a readable zip" in _run(env, "import", "calendar", str(tmp_path / "c.zip"), *CAL)


def test_encrypted_zip(env: Env, tmp_path: Path) -> None:
    data = bytearray(_zip({"a.ics": ICS.encode()}))
    data[6] |= 1  # the "encrypted" flag, in the local header and the central directory
    data[data.rfind(b"PK\x01\x02") + 8] |= 1
    (tmp_path / "e.zip").write_bytes(bytes(data))
    assert "encrypted" in _run(env, "import", "calendar", str(tmp_path / "e.zip"), *CAL)


def test_zip_bomb_member_is_refused(env: Env, tmp_path: Path) -> None:
    (tmp_path / "b.zip").write_bytes(_zip({"a.ics": b" " * (51 * 2**20)}))
    assert "too large once unzipped" in _run(env, "import", "calendar", str(tmp_path / "b.zip"),
                                             *CAL)


def test_too_many_zip_members(env: Env, tmp_path: Path) -> None:
    (tmp_path / "m.zip").write_bytes(_zip({f"{n}.ics": b"" for n in range(1001)}))
    assert "more than 1,000" in _run(env, "import", "calendar", str(tmp_path / "m.zip"), *CAL)


def test_ft_ladder_levels_not_a_list(env: Env, tmp_path: Path) -> None:
    text = (FIXTURES / "ladders" / "ft-mini.yml").read_text()
    start, end = text.index("levels:"), text.index("themes:")
    (tmp_path / "l.yml").write_text(text[:start] + "levels: 5\n\n" + text[end:])
    assert "levels" in _run(env, "ladder", "import", "ft", str(tmp_path / "l.yml"))


def test_markdown_long_run_of_spaces_is_linear(env: Env, tmp_path: Path) -> None:
    path = tmp_path / "spaces.md"
    path.write_text("# Brag\n\n- " + " " * 1_000_000 + "x\n")
    began = time.monotonic()
    _run(env, "import", "markdown", str(path))
    assert time.monotonic() - began < 3


def test_a_zone_name_the_zone_database_cannot_open(env: Env, tmp_path: Path) -> None:
    broken = ICS.replace("TZID=America/Los_Angeles:", "TZID=America/" + " " * 300 + ":", 1)
    assert broken != ICS
    path = tmp_path / "zones.ics"
    path.write_text(broken)
    line = _run(env, "import", "calendar", str(path), *CAL)
    assert "not a valid iCalendar file" in line


def test_a_saved_pull_request_whose_address_is_not_a_url(env: Env, tmp_path: Path) -> None:
    import json

    item = {"url": "https://api.github.com/repos/acme/web/pulls/5", "number": 5,
            "html_url": "[[[[[[[[[[", "state": "closed", "title": "Lazy-load the images",
            "user": {"login": "ada", "type": "User"}, "body": "", "labels": [],
            "created_at": "2026-03-02T09:00:00Z", "closed_at": "2026-03-03T09:00:00Z",
            "merged_at": "2026-03-03T09:00:00Z", "draft": False,
            "head": {"ref": "f", "repo": {"full_name": "acme/web"}},
            "base": {"ref": "main", "repo": {"full_name": "acme/web"}}}
    path = tmp_path / "prs.json"
    path.write_text(json.dumps([item]))
    from levelup.cli.main import command

    result = CliRunner().invoke(command(), ["import", "github", str(path), "--user", "ada"],
                                obj=env, catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output and "unexpected error" not in result.output
