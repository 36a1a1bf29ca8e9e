"""`levelup import csv`: CSV files and JSON arrays with a column mapping."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from levelup.cli.common import Env
from levelup.domain.models import Entry
from levelup.importers.base import ImportContext
from levelup.importers.common import item_lines, stable_id
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
    with env.ctx.read() as conn:
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


def test_a_date_without_its_day_is_refused_not_completed_from_today(env: Env,
                                                                     tmp_path: Path) -> None:
    sheet = tmp_path / "months.csv"
    sheet.write_text("Summary,Closed\nWhole month,March 2026\nOne day,March 3 2026\n")
    result = invoke(env, "import", "csv", str(sheet), "--map", "title=Summary",
                    "--map", "date=Closed", "--skip-bad")
    assert result.exit_code == 0, result.output
    assert f"{sheet}:2: not a date in column 'Closed': 'March 2026'" in result.output
    assert [(e.title, e.date) for e in stored(env)] == [("One day", date(2026, 3, 3))]


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
    assert result.exit_code == 2
    assert f"{binary}:2: not UTF-8 text (byte 0xff); save the file as UTF-8" in result.output


def test_excel_unicode_text_is_read(env: Env, tmp_path: Path) -> None:
    """Excel's "Unicode text" export: UTF-16 with a BOM, tab-separated, CRLF."""
    sheet = tmp_path / "sheet.txt"
    sheet.write_bytes("Title\tDate\r\nCaf\xe9 menu\t2026-03-14\r\n".encode("utf-16"))
    result = invoke(env, "import", "csv", str(sheet))
    assert result.exit_code == 0, result.output
    assert [(e.title, e.date.isoformat()) for e in stored(env)] == [("Caf\xe9 menu", "2026-03-14")]


def test_columns_without_a_name_are_ignored(env: Env, tmp_path: Path) -> None:
    """Google Sheets and Excel export empty header cells for columns that are used below."""
    sheets = tmp_path / "sheets.csv"
    sheets.write_bytes(b"Date,Title,Project,,,\r\n2026-03-14,Shipped search,search,,,\r\n")
    result = invoke(env, "import", "csv", str(sheets))
    assert result.exit_code == 0, result.output
    assert [(e.title, e.project) for e in stored(env)] == [("Shipped search", "search")]


def test_a_value_under_a_column_without_a_name_asks_about_the_header(env: Env,
                                                                      tmp_path: Path) -> None:
    stray = tmp_path / "stray.csv"
    stray.write_bytes(b"Date,Title,,\r\n2026-03-14,Shipped,,\r\n2026-03-15,Fixed,,oops\r\n")
    result = invoke(env, "import", "csv", str(stray))
    assert result.exit_code == 2
    assert result.output.strip().endswith(
        f"{stray}:3: a value under a column with no name; is row 1 the header?")
    titled = tmp_path / "titled.csv"
    titled.write_bytes(b"Brag sheet 2026,,\r\nDate,Title,Project\r\n2026-03-14,Shipped,x\r\n")
    result = invoke(env, "import", "csv", str(titled))
    assert result.exit_code == 2 and "duplicate column names" not in result.output
    assert f"{titled}:2: a value under a column with no name; is row 1 the header?" in (
        result.output)
    assert len(result.output.strip().splitlines()) == 1 and stored(env) == []


def summary_of(env: Env, *args: str) -> dict[str, int]:
    result = invoke(env, "import", "csv", *args, "--json")
    assert result.exit_code == 0, result.output
    counts = json.loads(result.stdout)
    return {k: counts[k] for k in ("new", "updated", "unchanged")}


def test_rows_of_one_date_and_title_stay_apart_and_settle(env: Env, tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("Title,Date,Details\nSame title,2026-03-06,first\n"
                    "Same title,2026-03-06,second\nTwice,2026-03-07,x\nTwice,2026-03-07,x\n")
    assert summary_of(env, str(rows)) == {"new": 4, "updated": 0, "unchanged": 0}
    assert summary_of(env, str(rows)) == {"new": 0, "updated": 0, "unchanged": 4}
    same = [e for e in stored(env) if e.title == "Same title"]
    assert sorted(e.details for e in same) == ["first", "second"]
    # the first of them keeps the id a row always had: ledgers imported before stay as they are
    assert stable_id("2026-03-06", "Same title") in {e.source_id for e in same}


def test_an_id_column_is_the_key_and_is_not_reused(env: Env, tmp_path: Path) -> None:
    rows = tmp_path / "ids.csv"
    rows.write_text("id,title,date\nA-1,Same title,2026-03-06\nA-2,Same title,2026-03-06\n"
                    "A-2,Same title,2026-03-06\nA-1,Other title,2026-03-07\n")
    result = invoke(env, "import", "csv", str(rows), "--map", "source_id=id", "--skip-bad")
    assert result.exit_code == 0, result.output
    assert f"{rows}:5: id 'A-1' is already used on line 2" in result.output
    assert sorted(e.source_id or "" for e in stored(env)) == ["A-1", "A-2"]
    again = summary_of(env, str(rows), "--map", "source_id=id", "--skip-bad")
    assert again == {"new": 0, "updated": 0, "unchanged": 3}


def dates_of(env: Env, *args: str) -> dict[str, str]:
    result = invoke(env, "import", "csv", *args, "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    return {c["title"]: c["date"] for c in json.loads(result.stdout)["changes"]}


def test_dotted_dates_are_day_first(env: Env, tmp_path: Path) -> None:
    eu = tmp_path / "eu.csv"
    eu.write_text("Summary;Closed\nA;14.03.2026\nB;03.04.2026\nC;01.02.2026 09:30\n")
    assert dates_of(env, str(eu), "--map", "title=Summary", "--map", "date=Closed") == {
        "A": "2026-03-14", "B": "2026-04-03", "C": "2026-02-01"}


def test_slash_dates_read_one_way_per_column(env: Env, tmp_path: Path) -> None:
    day_first = tmp_path / "day_first.csv"
    day_first.write_text("title,date,end_date\nA,03/04/2026,05/04/2026\nB,25/12/2026,\n")
    assert dates_of(env, str(day_first)) == {"A": "2026-04-03", "B": "2026-12-25"}
    month_first = tmp_path / "month_first.csv"
    month_first.write_text("title,date\nA,03/04/2026\nB,12/25/2026 16:14\nC,2026-05-01\n")
    assert dates_of(env, str(month_first)) == {
        "A": "2026-03-04", "B": "2026-12-25", "C": "2026-05-01"}
    # an end date column without a telling date reads like the date column
    ends = tmp_path / "ends.csv"
    ends.write_text("title,date,end_date\nA,14/03/2026,04/05/2026\n")
    assert invoke(env, "import", "csv", str(ends)).exit_code == 0
    assert [(e.date, e.end_date) for e in stored(env)] == [(date(2026, 3, 14), date(2026, 5, 4))]


def test_ambiguous_slash_dates_need_a_date_format(env: Env, tmp_path: Path) -> None:
    vague = tmp_path / "vague.csv"
    vague.write_text("title,date\nA,2026-02-01\nB,03/04/2026\nC,05/06/2026\n")
    result = invoke(env, "import", "csv", str(vague))
    assert result.exit_code == 2
    assert (f"{vague}:3: cannot tell whether '03/04/2026' in column 'date' is day or month "
            "first") in result.output and "--date-format %d/%m/%Y" in result.output
    assert len(result.output.strip().splitlines()) == 1 and stored(env) == []
    assert dates_of(env, str(vague), "--date-format", "%d/%m/%Y", "--skip-bad") == {
        "B": "2026-04-03", "C": "2026-06-05"}  # A is not in that format: skipped
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("title,date\nA,13/04/2026\nB,04/13/2026\n")
    result = invoke(env, "import", "csv", str(mixed))
    assert result.exit_code == 2 and f"{mixed}:3: column 'date' has dates day first" in (
        result.output)


def test_bad_json_items_are_named_by_the_line_they_start_on(env: Env, tmp_path: Path) -> None:
    items = tmp_path / "items.json"
    items.write_text('[\n  {"title": "Good", "date": "2026-04-10"},\n  "oops",\n'
                     '  {\n    "title": "Bad",\n    "date": 20260411\n  }\n]\n')
    result = invoke(env, "import", "csv", str(items), "--skip-bad")
    assert result.exit_code == 0, result.output
    assert f"{items}:3: not an object" in result.output
    assert f"{items}:4: not a date in column 'date'" in result.output
    wrapped = tmp_path / "wrapped.json"
    wrapped.write_text('{"meta": {"by": {"name": "x"}}, "rows": [\n 7,\n'
                       ' {"title": "Bad", "date": ""}]}')
    result = invoke(env, "import", "csv", str(wrapped), "--skip-bad")
    assert f"{wrapped}:2: not an object" in result.output
    assert f"{wrapped}:3: empty date" in result.output


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner,
                                                                max_size=3),
    max_leaves=6)


@given(items=st.lists(JSON_VALUES, max_size=6), indent=st.sampled_from([None, 1, 2]),
       wrap=st.booleans())
def test_item_lines_are_where_each_item_begins(items: list[object], indent: int | None,
                                               wrap: bool) -> None:
    text, expected = '{"other": {"a": [{}]},\n"rows": [' if wrap else "[", []
    for number, item in enumerate(items):
        text += ",\n" if number else "\n"
        expected.append(text.count("\n") + 1)
        text += json.dumps(item, indent=indent)
    text += "\n]}" if wrap else "\n]"
    assert item_lines(text, "rows" if wrap else None) == expected


ROWS = st.lists(st.lists(st.one_of(st.text(max_size=12), st.sampled_from(
    ["2026-03-01", "14/Mar/26 3:42 PM", "sla", "win", "x: 1 -> 2 ms", '"', "a,b", "",
     "46095.5", "12", "March 3, 2026 → 10:00 AM (UTC)", "→"])),
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


def test_excel_serial_numbers_in_date_columns_are_days(env: Env, tmp_path: Path) -> None:
    """Excel writes a date column formatted as a number as serials; 45658 is 2025-01-01."""
    sheet = tmp_path / "serials.csv"
    sheet.write_text("title,date,end_date,details\nA,45658,,46095\nB,46095.75,46097.5,\n"
                     "C,2026-03-20,46105,\n")
    assert invoke(env, "import", "csv", str(sheet)).exit_code == 0
    assert [(e.title, e.date, e.end_date, e.details) for e in stored(env)] == [
        ("A", date(2025, 1, 1), None, "46095"),  # a number outside a date column stays
        ("B", date(2026, 3, 14), date(2026, 3, 16), ""),
        ("C", date(2026, 3, 20), date(2026, 3, 24), "")]
    items = tmp_path / "serials.json"
    items.write_text('[{"title": "D", "date": 46095}, {"title": "E", "date": 46096.25}]')
    assert dates_of(env, str(items)) == {"D": "2026-03-14", "E": "2026-03-15"}


def test_other_numbers_in_date_columns_are_errors(env: Env, tmp_path: Path) -> None:
    sheet = tmp_path / "numbers.csv"
    sheet.write_text("title,date\nTiny,123\nYear,2026\nHuge,80001\nGood,46095\n")
    result = invoke(env, "import", "csv", str(sheet), "--skip-bad")
    assert result.exit_code == 0, result.output
    assert (f"{sheet}:2: not a date in column 'date': '123' (a number is read as an Excel "
            "serial date: 20000 to 80000, 1954-10-03 to 2119-01-11)") in result.output
    assert f"{sheet}:3: not a date in column 'date': '2026'" in result.output
    assert f"{sheet}:4: not a date in column 'date': '80001'" in result.output
    assert [e.title for e in stored(env)] == ["Good"]
    # the user's own format reads its numbers first; a serial still reads as one
    compact = tmp_path / "compact.csv"
    compact.write_text("title,date\nA,20260314\nB,46096\n")
    assert dates_of(env, str(compact), "--date-format", "%Y%m%d") == {
        "A": "2026-03-14", "B": "2026-03-15"}


NOTION = (
    "\ufeffName,\U0001f4c5 Date ,Status \n"
    'Shipped search,"March 3, 2026 \u2192 March 7, 2026",Done\n'
    'Design review,"March 9, 2026 10:00 AM (GMT+1) \u2192 March 10, 2026 4:30 PM (GMT+1)",Done\n'
    'Pairing,"March 11, 2026 10:00 AM \u2192 11:30 AM (UTC)",Done\n'
    'Postmortem,"March 12, 2026 9:15 PM (UTC)",Done\n'
    'Planning,"March 13, 2026",Done\n'
)


def test_notion_export_dates_ranges_and_column_names(env: Env, tmp_path: Path) -> None:
    """Notion's Markdown & CSV export: BOM, emoji and spaces in names, ranges with an arrow."""
    export = tmp_path / "Work 1a2b3c.csv"
    export.write_bytes(NOTION.encode("utf-8"))
    result = invoke(env, "import", "csv", str(export), "--map", "title=Name")
    assert result.exit_code == 0, result.output
    assert [(e.title, e.date, e.end_date) for e in stored(env)] == [
        ("Shipped search", date(2026, 3, 3), date(2026, 3, 7)),
        ("Design review", date(2026, 3, 9), date(2026, 3, 10)),
        ("Pairing", date(2026, 3, 11), None),  # a range within one day
        ("Postmortem", date(2026, 3, 12), None),  # the day written, not moved to UTC
        ("Planning", date(2026, 3, 13), None)]
    # --map finds a column by its name without the spaces and emoji around it
    assert dates_of(env, str(export), "--map", "title=Name", "--map", "date=date",
                    "--map", "details=status", "--source", "notion") == {
        "Shipped search": "2026-03-03", "Design review": "2026-03-09", "Pairing": "2026-03-11",
        "Postmortem": "2026-03-12", "Planning": "2026-03-13"}


def test_a_range_gives_way_to_the_rows_own_end_date(env: Env, tmp_path: Path) -> None:
    rows = tmp_path / "ranges.csv"
    rows.write_text("title,date,end_date\nA,2026-03-02 \u2192 2026-03-05,2026-03-09\n"
                    "B,2026-03-02 \u2192 2026-03-05,\nC,2026-03-02,2026-03-04 \u2192 2026-03-06\n"
                    "D,2026-03-02 \u2192 2026-03-03 \u2192 2026-03-04,\n")
    result = invoke(env, "import", "csv", str(rows), "--skip-bad")
    assert result.exit_code == 0, result.output
    assert [(e.title, e.date, e.end_date) for e in stored(env)] == [
        ("A", date(2026, 3, 2), date(2026, 3, 9)), ("B", date(2026, 3, 2), date(2026, 3, 5)),
        ("C", date(2026, 3, 2), date(2026, 3, 6))]
    assert f"{rows}:5: not a date in column 'date'" in result.output


def test_both_ends_of_a_range_tell_the_day_order(env: Env, tmp_path: Path) -> None:
    rows = tmp_path / "slashes.csv"
    rows.write_text("title,date\nA,03/04/2026 \u2192 25/04/2026\n")
    assert invoke(env, "import", "csv", str(rows)).exit_code == 0
    assert [(e.date, e.end_date) for e in stored(env)] == [(date(2026, 4, 3), date(2026, 4, 25))]


def test_a_name_that_fits_several_columns_must_be_exact(env: Env, tmp_path: Path) -> None:
    rows = tmp_path / "twins.csv"
    rows.write_text("title,Done,done \nA,2026-03-02,2026-03-03\n")
    result = invoke(env, "import", "csv", str(rows), "--map", "date=DONE")
    assert result.exit_code == 2
    assert f"{rows}:1: 'DONE' may be any of the columns 'Done', 'done ': give the exact name" in (
        result.output)
    assert dates_of(env, str(rows), "--map", "date=done ") == {"A": "2026-03-03"}


NOTION_TIMES = st.sampled_from(["", " 9:05 AM", " 11:30 PM", " 16:45"])
NOTION_ZONES = st.sampled_from(["", " (UTC)", " (GMT+1)", " (GMT-5:30)", " (Europe/Berlin)"])


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.dates(date(1990, 1, 1), date(2090, 12, 31)), length=st.integers(0, 400),
       times=st.tuples(NOTION_TIMES, NOTION_TIMES), zone=NOTION_ZONES, serial=st.booleans())
def test_notion_ranges_and_serials_read_as_written(tmp_path: Path, start: date, length: int,
                                                   times: tuple[str, str], zone: str,
                                                   serial: bool) -> None:
    end = date.fromordinal(start.toordinal() + length)

    def notion(day: date, time: str) -> str:
        return f"{day:%B} {day.day}, {day.year}{time}{zone if time else ''}"

    cell = f"{notion(start, times[0])} \u2192 {notion(end, times[1])}"
    if serial:  # what Excel writes for the start, with a time of day
        cell = f"{start.toordinal() - date(1899, 12, 30).toordinal()}.{length % 10}"
    path = tmp_path / "cells.csv"
    path.write_text(f'title,date\nA,"{cell}"\n', encoding="utf-8")
    ctx = ImportContext(since=None, until=None, today=date(2026, 11, 20))
    (entry,) = [r for r in TabularImporter().read([str(path)], ctx) if isinstance(r, Entry)]
    want_end = None if serial or end == start else end
    assert (entry.date, entry.end_date) == (start, want_end)
