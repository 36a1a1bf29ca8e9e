"""`levelup import incidents`: PagerDuty CSV and JSON, Opsgenie CSV, mapped CSV."""

from __future__ import annotations

import codecs
import re
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from levelup.cli.common import Env
from levelup.errors import LevelupError
from levelup.importers.base import ImportContext, ImportError_, Skipped
from levelup.importers.incidents import IncidentsImporter
from levelup.importers.oncall.layouts import PAGERDUTY_CSV, RowReader
from levelup.store import tables as t
from levelup.store.incidents import iter_incidents
from tests.conftest import TODAY, invoke
from tests.oncall_support import FIXTURES, run_json

pytestmark = pytest.mark.usefixtures("machine_zone")  # epoch and UTC times on a UTC clock


def _count(env: Env) -> int:
    with env.ctx.read() as conn:
        return int(conn.execute(select(func.count()).select_from(t.incidents)).scalar_one())


def test_pagerduty_csv_reports_the_bad_line_and_writes_nothing_without_skip_bad(env: Env) -> None:
    result = invoke(env, "import", "incidents", str(FIXTURES / "pagerduty.csv"))
    assert result.exit_code == 2
    assert "pagerduty.csv:8:" in result.output and "not a date" in result.output
    assert _count(env) == 0


def test_pagerduty_csv_import_is_idempotent_and_keys_recurring_problems(env: Env) -> None:
    path = str(FIXTURES / "pagerduty.csv")
    first = run_json(env, "import", "incidents", path, "--skip-bad")
    assert (first["new"], first["formats"]) == (7, ["pagerduty-csv"])
    assert [s["where"] for s in first["skipped"]] == [f"{path}:8"]
    again = run_json(env, "import", "incidents", path, "--skip-bad")
    assert (again["new"], again["updated"], again["unchanged"]) == (0, 0, 7)
    with env.ctx.read() as conn:
        disk = list(iter_incidents(conn, problem_key="disk full on db-*"))
        cpu = list(iter_incidents(conn, problem_key="cpu high on web-*"))
    assert [i.source_id for i in disk] == ["PT4KHLK", "PT4KHLM", "PT4KHLQ", "PT4KHLT"]
    assert len(cpu) == 2
    first_page = disk[0]
    # Local wall time of the export is kept (02:14 at -07:00), resolved aligned to it.
    assert first_page.created == datetime(2026, 9, 7, 2, 14, 9)
    assert first_page.resolved == datetime(2026, 9, 7, 3, 1, 40)
    assert (first_page.service, first_page.urgency) == ("Orders DB", "high")
    assert first_page.assignee == "Ada Lovelace"
    # No resolved_on: seconds_to_resolve gives it; two assignees are both kept.
    assert disk[2].resolved == datetime(2026, 9, 16, 6, 15)
    assert disk[2].assignee == "Ada Lovelace; Grace Hopper"


def test_pagerduty_json_pages_several_files(env: Env) -> None:
    pages = [str(FIXTURES / "pagerduty-page1.json"), str(FIXTURES / "pagerduty-page2.json")]
    summary = run_json(env, "import", "incidents", *pages, "--skip-bad")
    assert (summary["new"], summary["formats"]) == (3, ["pagerduty-json", "pagerduty-json"])
    assert summary["skipped"] == [{"where": f"{pages[1]}:incidents[1]", "reason": "no title"}]
    with env.ctx.read() as conn:
        disk = {i.source_id: i for i in iter_incidents(conn, problem_key="disk full on db-*")}
    assert set(disk) == {"Q1ABCDEF01", "Q1ABCDEF03"}
    assert disk["Q1ABCDEF01"].resolved == datetime(2026, 10, 5, 4, 12)
    # resolved from last_status_change_at; a service reference is no person.
    assert disk["Q1ABCDEF03"].resolved == datetime(2026, 10, 10, 23, 10)
    assert disk["Q1ABCDEF03"].assignee == "Ada Lovelace"


def test_opsgenie_csv_with_iso_and_epoch_millisecond_times(env: Env) -> None:
    summary = run_json(env, "import", "incidents", str(FIXTURES / "opsgenie.csv"))
    assert (summary["new"], summary["formats"]) == (3, ["opsgenie-csv"])
    with env.ctx.read() as conn:
        (disk,) = iter_incidents(conn, problem_key="disk full on db-*")
        (cpu,) = iter_incidents(conn, problem_key="cpu high on web-*")
    assert (disk.source, disk.source_id, disk.urgency) == ("opsgenie", "101", "P1")
    assert disk.resolved == datetime(2026, 10, 12, 2, 50)  # CloseTime 2,400,000 ms
    assert cpu.created == datetime(2026, 10, 12, 19, 0)  # epoch millis, UTC
    assert cpu.assignee == "grace@example.com"


def test_any_csv_through_a_column_mapping(env: Env) -> None:
    path = str(FIXTURES / "custom.csv")
    mapping = ["--map", "id=Ticket", "--map", "created=Opened,resolved=Closed,service=App",
               "--map", "urgency=Sev", "--map", "assignee=On call"]
    summary = run_json(env, "import", "incidents", path, *mapping)
    assert summary["new"] == 3
    assert run_json(env, "import", "incidents", path, *mapping)["unchanged"] == 3
    with env.ctx.read() as conn:
        disk = list(iter_incidents(conn, problem_key="disk full on db-*"))
    # A mapped CSV's id may be another tool's too: it is keyed with the created time.
    assert [(i.source_id, i.service, i.urgency) for i in disk] == [
        ("OPS-1@2026-10-20T03:00:00", "orders", "SEV2"),
        ("OPS-3@2026-10-22T12:00:00", "orders", "SEV2")]
    ctx = ImportContext(since=None, until=None, today=TODAY, options={"map": ["colour=Sev"]})
    with pytest.raises(ImportError_, match="FIELD=Column"):
        list(IncidentsImporter().read([path], ctx))


def test_since_until_and_dry_run(env: Env) -> None:
    path = str(FIXTURES / "pagerduty.csv")
    dry = run_json(env, "import", "incidents", path, "--skip-bad", "--dry-run")
    assert dry["new"] == 7 and _count(env) == 0
    assert len(dry["changes"]) == 7
    assert {(c["change"], c["record"]) for c in dry["changes"]} == {("new", "incident")}
    part = run_json(env, "import", "incidents", path, "--skip-bad", "--since", "2026-09-15",
                    "--until", "2026-09-17")
    assert part["new"] == 3


def test_an_unknown_layout_names_the_fix(tmp_path: Path) -> None:
    odd = tmp_path / "odd.csv"
    odd.write_text("foo,bar\n1,2\n")
    ctx = ImportContext(since=None, until=None, today=TODAY)
    with pytest.raises(ImportError_, match="--map"):
        list(IncidentsImporter().read([str(odd)], ctx))
    not_pd = tmp_path / "x.json"
    not_pd.write_text('{"alerts": []}')
    with pytest.raises(ImportError_, match="PagerDuty"):
        list(IncidentsImporter().read([str(not_pd)], ctx))


def test_an_update_in_a_later_export_is_counted_as_updated(env: Env, tmp_path: Path) -> None:
    text = (FIXTURES / "pagerduty.csv").read_text()
    run_json(env, "import", "incidents", str(FIXTURES / "pagerduty.csv"), "--skip-bad")
    changed = tmp_path / "later.csv"
    changed.write_text(text.replace("CPU high on web-03", "CPU very high on web-03"))
    summary = run_json(env, "import", "incidents", str(changed), "--skip-bad")
    assert (summary["new"], summary["updated"], summary["unchanged"]) == (0, 1, 6)


def test_unreadable_inputs_are_one_line_naming_file_and_line(env: Env, tmp_path: Path) -> None:
    empty, folder = tmp_path / "empty.txt", tmp_path / "adir"
    empty.write_text("")
    folder.mkdir()
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes(b"id,created,title\n1,2026-09-07 02:14,Disk full\n"
                       b"2,2026-09-08 03:00,Caf\xe9 down\n")
    broken = tmp_path / "page.json"
    broken.write_text('{"incidents": [\n  {"id": "Q1"},\n  oops\n]}')
    expected = {
        empty: f"{empty}:1: empty file",
        folder: f"{folder}:1: cannot read: Is a directory",
        tmp_path / "gone.csv": f"{tmp_path / 'gone.csv'}:1: cannot read: No such file",
        latin1: f"{latin1}:3: not UTF-8 text",
        broken: f"{broken}:3: not valid JSON",
    }
    for path, message in expected.items():
        result = invoke(env, "import", "incidents", str(path), "--skip-bad")
        assert result.exit_code == 2, result.output
        assert len(result.output.strip().splitlines()) == 1
        assert result.output.startswith(f"levelup: error: {message}"), result.output
    assert _count(env) == 0


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300))
def test_any_bytes_give_incidents_or_one_clean_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    ctx = ImportContext(since=None, until=None, today=TODAY)
    try:
        records = list(IncidentsImporter().read([str(path)], ctx))
    except LevelupError as exc:
        assert re.match(rf"{re.escape(str(path))}:\d+: \S", str(exc)), str(exc)
        assert "\n" not in str(exc)
        if _never_utf8(data):  # said so, not echoed back
            assert re.search(r": not UTF-(8|16) text", str(exc)), str(exc)
        return
    assert all(r.where.startswith(f"{path}:") for r in records if isinstance(r, Skipped))


def _never_utf8(data: bytes) -> bool:
    """Bytes no ending could make UTF-8 (a character cut off at the end is read last)."""
    try:
        codecs.getincrementaldecoder("utf-8-sig")().decode(data, final=False)
    except UnicodeDecodeError:
        return True
    return False


_cell = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_cell, min_size=0, max_size=30))
def test_any_row_either_reads_or_is_rejected_cleanly(row: list[str]) -> None:
    headers = ["id", "incident_number", "description", "service_name", "created_on",
               "resolved_on", "seconds_to_resolve", "assigned_to_user_names", "urgency"]
    reader = RowReader.for_header(PAGERDUTY_CSV, headers)
    try:
        incident = reader.read(row)
    except (ValueError, IndexError):
        return
    assert incident.title.strip() and incident.source_id
    assert incident.resolved is None or incident.resolved >= incident.created
