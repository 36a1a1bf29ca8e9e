"""`levelup import csv`: nested JSON (gh project item-list), link cells of free text,
Excel's CRLF cells and timestamps with a zone."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from levelup.cli.common import Env
from levelup.domain.models import Entry
from levelup.store.entries import list_entries
from tests.conftest import invoke

# The shape `gh project item-list --format json` writes.
ITEMS = {"items": [
    {"id": "PVTI_1", "title": "Retry webhooks", "completed": "2026-10-07",
     "content": {"number": 12, "title": "Retry webhooks", "type": "PullRequest",
                 "url": "https://github.com/acme/web/pull/12"}},
    {"id": "PVTI_2", "title": "Search index", "completed": "2026-10-08", "draft": True,
     "labels": ["perf", "search"], "assignees": [{"login": "ada"}],
     "content": {"url": "https://github.com/acme/web/issues/13"}},
], "totalCount": 2}


def stored(env: Env) -> list[Entry]:
    with env.ctx.read() as conn:
        return list_entries(conn, source="csv", newest_first=False)


def test_nested_json_fields_are_read_by_their_dotted_path(env: Env, tmp_path: Path) -> None:
    items = tmp_path / "items.json"
    items.write_text(json.dumps(ITEMS, indent=1))
    result = invoke(env, "import", "csv", str(items), "--map", "date=completed",
                    "--map", "source_id=id", "--map", "link=content.url",
                    "--map", "details=draft", "--map", "details=labels")
    assert result.exit_code == 0, result.output
    assert [(e.title, e.links, e.details) for e in stored(env)] == [
        ("Retry webhooks", ["https://github.com/acme/web/pull/12"], ""),
        ("Search index", ["https://github.com/acme/web/issues/13"], "true\n\nperf; search"),
    ]


def test_a_mapped_object_is_refused_naming_the_row_and_a_field(env: Env,
                                                                tmp_path: Path) -> None:
    items = tmp_path / "items.json"
    items.write_text(json.dumps(ITEMS, indent=1))
    result = invoke(env, "import", "csv", str(items), "--map", "date=completed",
                    "--map", "link=content")
    assert result.exit_code == 2
    assert (f"{items}:3: column 'content' holds an object, not a value: map one of its "
            "fields, e.g. --map link=content.url") in result.output
    result = invoke(env, "import", "csv", str(items), "--map", "date=completed",
                    "--map", "details=assignees", "--skip-bad", "--json")
    assert json.loads(result.stdout)["skipped"] == [
        {"where": f"{items}:14", "reason": "column 'assignees' holds a list of objects, "
                                           "not a value"}]
    assert [e.title for e in stored(env)] == ["Retry webhooks"]


def test_a_link_cell_gives_only_its_urls(env: Env, tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("title,date,link\nA,2026-10-01,see PR 12 at https://github.com/a/b/pull/12.\n"
                    "B,2026-10-02,\"https://x.example/1, https://x.example/(2)\"\n"
                    "C,2026-10-03,SHOP-101\n")
    assert invoke(env, "import", "csv", str(rows)).exit_code == 0
    assert [e.links for e in stored(env)] == [
        ["https://github.com/a/b/pull/12"], ["https://x.example/1", "https://x.example/(2)"], []]


def test_excel_crlf_cells_keep_no_carriage_returns(env: Env, tmp_path: Path) -> None:
    rows = tmp_path / "excel.csv"
    rows.write_bytes(b'Title;Date;Notes\r\nCache prices;14.03.2026;"line one\r\nline two"\r\n'
                     b"Second;15.03.2026;x\r\n")
    assert invoke(env, "import", "csv", str(rows), "--map", "details=Notes").exit_code == 0
    assert [e.details for e in stored(env)] == ["line one\nline two", "x"]
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b'Title;Date\r\n"A\r\nB";14.03.2026\r\nC;no date\r\n')
    result = invoke(env, "import", "csv", str(bad))
    assert result.exit_code == 2 and f"{bad}:4: not a date" in result.output  # lines as written


@pytest.fixture
def berlin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("berlin")
def test_a_timestamp_with_a_zone_is_dated_by_the_users_day(env: Env, tmp_path: Path) -> None:
    """Linear's 22:30 UTC is 00:30 the next day in Berlin; a time without a zone is as
    written."""
    rows = tmp_path / "linear.csv"
    rows.write_text("ID,Title,Completed\nENG-1,Add retry,2026-10-07T22:30:00.000Z\n"
                    "ENG-2,Cut p99,2026-10-07T23:30:00-05:00\nENG-3,Floating,2026-10-07 23:30\n"
                    "ENG-4,Range,2026-10-06T23:00:00Z → 2026-10-07T22:30:00Z\n")
    assert invoke(env, "import", "csv", str(rows), "--map", "source_id=ID",
                  "--map", "date=Completed").exit_code == 0
    assert [(e.title, e.date, e.end_date) for e in stored(env)] == [
        ("Floating", date(2026, 10, 7), None), ("Range", date(2026, 10, 7), date(2026, 10, 8)),
        ("Add retry", date(2026, 10, 8), None), ("Cut p99", date(2026, 10, 8), None)]


def test_an_object_holding_several_arrays_names_them(env: Env, tmp_path: Path) -> None:
    board = tmp_path / "trello.json"
    board.write_text('{"name": "Board", "cards": [{"name": "a"}], "lists": [], "actions": []}')
    result = invoke(env, "import", "csv", str(board), "--map", "title=name")
    assert result.exit_code == 2
    assert (f"{board}:1: expected a JSON array of objects, or an object holding one; this one "
            "holds 3: cards, lists, actions: save the one to import as a file of its own"
            ) in result.output
