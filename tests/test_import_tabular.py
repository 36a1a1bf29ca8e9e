"""`levelup import csv`: CSV files and JSON arrays with a column mapping."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from levelup.cli.common import Env
from levelup.domain.models import Entry
from levelup.importers.tabular import TabularImporter
from levelup.store.entries import list_entries
from tests.conftest import invoke
from tests.utils.fuzz import entries_or_clean_error

FIXTURES = Path(__file__).parent / "fixtures" / "tabular"
CSV, JSON = FIXTURES / "work.csv", FIXTURES / "work.json"
CSV_MAP = ("--map", "title=Summary", "--map", "date=Closed", "--map", "project=Team",
           "--map", "details=Notes", "--map", "metric=Impact", "--map", "outcome=Outcome",
           "--map", "kind=Kind", "--map", "link=Ticket")


def stored(env: Env, source: str = "csv") -> list[Entry]:
    with env.read() as conn:
        return list_entries(conn, source=source, newest_first=False)


def test_csv_with_a_mapping(env: Env) -> None:
    result = invoke(env, "import", "csv", str(CSV), *CSV_MAP)
    assert result.exit_code == 0, result.output
    cache, mentoring, runbook = stored(env)
    assert (cache.title, cache.date, cache.project, cache.kind) == (
        "Cache product prices at the edge", date(2026, 3, 14), "checkout", "win")
    assert cache.details == "Prices were fetched on every view.\nNow cached for 60 s."
    assert [(m.name, m.baseline, m.result, m.unit) for m in cache.metrics] == [
        ("p95 latency", 900.0, 200.0, "ms")]
    assert sorted(cache.outcome_ids) == ["kpi", "sla"]
    assert cache.links == ["https://jira.example.com/browse/SHOP-101"]
    assert (mentoring.kind, mentoring.outcome_ids) == ("mentoring", ["people"])
    assert runbook.kind == "prevention"


def test_json_array_with_a_mapping_and_its_own_ids(env: Env) -> None:
    result = invoke(env, "import", "csv", str(JSON), "--map", "title=name", "--map", "date=done",
                    "--map", "project=team", "--map", "link=links", "--map", "outcome=outcomes",
                    "--map", "source_id=id", "--source", "worklog")
    assert result.exit_code == 0, result.output
    cache, mentoring = stored(env, "worklog")
    assert sorted(cache.outcome_ids) == ["kpi", "sla"] and cache.links
    assert mentoring.source_id == "W-2"


def test_idempotent_range_and_dry_run(env: Env) -> None:
    result = invoke(env, "import", "csv", str(CSV), *CSV_MAP, "--since", "2026-04-01",
                    "--dry-run")
    assert result.exit_code == 0 and "would import 2 entries" in result.output
    assert stored(env) == []
    assert invoke(env, "import", "csv", str(CSV), *CSV_MAP).exit_code == 0
    again = invoke(env, "import", "csv", str(CSV), *CSV_MAP, "--json")
    summary = json.loads(again.stdout)
    assert (summary["new"], summary["unchanged"], summary["formats"]) == (0, 3, ["csv"])


def test_columns_named_like_the_keys_need_no_mapping(env: Env, tmp_path: Path) -> None:
    plain = tmp_path / "plain.csv"
    plain.write_text("title;date;competency\nLed the design review;2026-02-03;influence\n")
    result = invoke(env, "import", "csv", str(plain))
    assert result.exit_code == 0, result.output
    assert [e.competency_ids for e in stored(env)] == [["influence"]]


def test_bad_rows_are_named_by_file_and_line(env: Env, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("Summary,Closed,Outcome\nGood row,2026-03-01,sla\n"
                   "Bad date,someday,sla\nBad outcome,2026-03-02,speed\n,2026-03-03,\n")
    result = invoke(env, "import", "csv", str(bad), "--map", "title=Summary",
                    "--map", "date=Closed", "--map", "outcome=Outcome")
    assert result.exit_code == 2
    assert f"{bad}:3: not a date in column 'Closed': 'someday'" in result.output
    assert stored(env) == []
    result = invoke(env, "import", "csv", str(bad), "--map", "title=Summary",
                    "--map", "date=Closed", "--map", "outcome=Outcome", "--skip-bad")
    assert result.exit_code == 0
    assert f"{bad}:4: unknown outcome 'speed'" in result.output
    assert f"{bad}:5: empty title" in result.output
    assert [e.title for e in stored(env)] == ["Good row"]


def test_wrong_mapping_or_file_is_one_clear_error(env: Env, tmp_path: Path) -> None:
    result = invoke(env, "import", "csv", str(CSV), "--map", "title=Nope", "--map", "date=Closed")
    assert result.exit_code == 2 and f"{CSV}:1: no column 'Nope'" in result.output
    result = invoke(env, "import", "csv", str(CSV), "--map", "title=Summary")
    assert result.exit_code == 2 and "no column for 'date': add --map date=COLUMN" in result.output
    result = invoke(env, "import", "csv", str(CSV), "--map", "size=Summary")
    assert result.exit_code == 2 and "expected KEY=COLUMN with KEY one of" in result.output
    broken = tmp_path / "broken.json"
    broken.write_text('[{"title": "a",\n "date": }]')
    result = invoke(env, "import", "csv", str(broken))
    assert result.exit_code == 2 and f"{broken}:2: not valid JSON" in result.output
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"title,date\n\xff\xfe,2026-01-01\n")
    result = invoke(env, "import", "csv", str(binary))
    assert result.exit_code == 2 and f"{binary}:2: not UTF-8 text" in result.output


ROWS = st.lists(st.lists(st.one_of(st.text(max_size=12), st.sampled_from(
    ["2026-03-01", "14/Mar/26 3:42 PM", "sla", "win", "x: 1 -> 2 ms", '"', "a,b", ""])),
    min_size=1, max_size=4), max_size=6)


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=ROWS)
def test_any_rows_give_entries_skips_or_one_clean_error(tmp_path: Path,
                                                        rows: list[list[str]]) -> None:
    path = tmp_path / "fuzz.csv"
    body = "\n".join(",".join(row) for row in rows)
    path.write_text("title,date,outcome,kind,metric\n" + body, encoding="utf-8")
    for entry in entries_or_clean_error(TabularImporter(), path):
        assert entry.title and entry.source_id
