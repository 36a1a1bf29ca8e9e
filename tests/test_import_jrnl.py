"""`levelup import jrnl`: files written by jrnl 4 itself (text journal and JSON export)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from levelup.cli.common import Env
from levelup.domain.models import Entry
from levelup.importers.common import stable_id
from levelup.importers.jrnl import JrnlImporter
from levelup.store.entries import add_entry, list_entries
from tests.conftest import invoke
from tests.utils.fuzz import entries_or_clean_error

FIXTURES = Path(__file__).parent / "fixtures" / "jrnl"
TEXT, EXPORT = FIXTURES / "journal.txt", FIXTURES / "export.json"
TAG_MAP = ("--tag-map", "@checkout=project:checkout", "--tag-map", "@perf=outcome:sla",
           "--tag-map", "@mentoring=kind:mentoring", "--tag-map", "#oncall=kind:prevention")


def jrnl_entries(env: Env) -> list[Entry]:
    with env.read() as conn:
        return list_entries(conn, source="jrnl", newest_first=False)


def test_text_journal_with_tag_map(env: Env) -> None:
    result = invoke(env, "import", "jrnl", str(TEXT), *TAG_MAP)
    assert result.exit_code == 0, result.output
    cache, pairing, runbook = jrnl_entries(env)
    assert (cache.title, cache.date, cache.project) == (
        "Shipped the checkout cache", date(2026, 3, 14), "checkout")
    assert cache.details == "Cut p95 from 900ms to 200ms @checkout @perf"
    assert [(o.id, o.confirmed, o.score) for o in cache.outcomes] == [("sla", False, 1.0)]
    assert pairing.kind == "mentoring"
    assert pairing.title == "Paired with Ana on the flaky test suite"
    assert pairing.details == "She now owns it. @mentoring"
    assert runbook.kind == "prevention" and runbook.date == date(2026, 5, 20)


def test_json_export_gives_the_same_entries_as_the_text(env: Env) -> None:
    assert invoke(env, "import", "jrnl", str(TEXT), *TAG_MAP).exit_code == 0
    result = invoke(env, "import", "jrnl", str(EXPORT), *TAG_MAP, "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["formats"] == ["jrnl-json"]
    assert (summary["new"], summary["unchanged"]) == (0, 3)


ONE_LINE = ("[2026-03-01 09:00 AM] Fixed the flaky deploy pipeline. Took most of the day "
            "with @alice and #perf.\n\n[2026-03-02 14:30] Mentored Bob @mentor\n"
            "He now owns the retry logic.\n")
# What jrnl exports for that journal: a one-line entry split at its first sentence end.
ONE_LINE_EXPORT = {"tags": {"@alice": 1, "#perf": 1, "@mentor": 1}, "entries": [
    {"title": "Fixed the flaky deploy pipeline.", "date": "2026-03-01", "time": "09:00",
     "body": "Took most of the day with @alice and #perf.", "tags": ["@alice", "#perf"],
     "starred": False},
    {"title": "Mentored Bob @mentor", "body": "He now owns the retry logic.",
     "date": "2026-03-02", "time": "14:30", "tags": ["@mentor"], "starred": False},
]}


def test_a_one_line_entry_splits_at_its_first_sentence_like_jrnl(
    env: Env, tmp_path: Path
) -> None:
    journal, export = tmp_path / "journal.txt", tmp_path / "export.json"
    journal.write_text(ONE_LINE)
    export.write_text(json.dumps(ONE_LINE_EXPORT, indent=2))
    assert invoke(env, "import", "jrnl", str(journal)).exit_code == 0
    fixed, mentored = jrnl_entries(env)
    assert (fixed.title, fixed.details) == ("Fixed the flaky deploy pipeline",
                                            "Took most of the day with @alice and #perf.")
    assert (mentored.title, mentored.details) == ("Mentored Bob @mentor",
                                                  "He now owns the retry logic.")
    again = json.loads(invoke(env, "import", "jrnl", str(export), "--json").stdout)
    assert (again["new"], again["updated"], again["unchanged"]) == (0, 0, 2)


def test_an_entry_keyed_before_the_split_is_replaced_not_doubled(env: Env, tmp_path: Path) -> None:
    journal = tmp_path / "journal.txt"
    journal.write_text(ONE_LINE)
    whole = "Fixed the flaky deploy pipeline. Took most of the day with @alice and #perf."
    with env.begin() as conn:  # as an older levelup imported it: the whole line as title
        add_entry(conn, entry=Entry(title=whole, date=date(2026, 3, 1), source="jrnl",
                                    source_id=stable_id("2026-03-01 09:00", whole)))
    summary = json.loads(invoke(env, "import", "jrnl", str(journal), "--json").stdout)
    assert (summary["new"], summary["removed"]) == (2, 1)
    assert [e.title for e in jrnl_entries(env)] == ["Fixed the flaky deploy pipeline",
                                                    "Mentored Bob @mentor"]


def test_labels_follow_a_changed_tag_map_unless_confirmed(env: Env) -> None:
    def outcomes(tag_map: str) -> tuple[dict[str, int], list[str]]:
        result = invoke(env, "import", "jrnl", str(TEXT), "--tag-map", tag_map, "--json")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout), jrnl_entries(env)[0].outcome_ids

    assert outcomes("@perf=outcome:sla")[1] == ["sla"]
    summary, labels = outcomes("@perf=outcome:kpi")
    assert (summary["updated"], labels) == (1, ["kpi"])
    cache_id = str(jrnl_entries(env)[0].id)
    assert invoke(env, "confirm", cache_id).exit_code == 0
    summary, labels = outcomes("@perf=outcome:sla")
    assert (summary["updated"], labels) == (0, ["kpi"])  # the user's choice stays


def test_range_dry_run_and_idempotence(env: Env) -> None:
    result = invoke(env, "import", "jrnl", str(TEXT), "--since", "2026-04-01", "--dry-run")
    assert result.exit_code == 0 and "would import 2 entries" in result.output
    assert jrnl_entries(env) == []
    assert invoke(env, "import", "jrnl", str(TEXT), "--since", "2026-04-01").exit_code == 0
    assert [e.date.month for e in jrnl_entries(env)] == [4, 5]
    again = invoke(env, "import", "jrnl", str(TEXT), "--json")
    assert json.loads(again.stdout)["new"] == 1


def test_bad_inputs_name_file_and_line(env: Env, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("just some notes\nnot a journal\n")
    result = invoke(env, "import", "jrnl", str(notes))
    assert result.exit_code == 2
    assert f"{notes}:1: not a jrnl journal" in result.output
    bad_date = tmp_path / "journal.txt"
    bad_date.write_text("[2026-03-14 09:30] Good entry.\n\n[2026-02-30 10:00] Bad day.\n")
    result = invoke(env, "import", "jrnl", str(bad_date))
    assert result.exit_code == 2 and f"{bad_date}:3: unreadable date" in result.output
    assert jrnl_entries(env) == []
    assert invoke(env, "import", "jrnl", str(bad_date), "--skip-bad").exit_code == 0
    assert [e.title for e in jrnl_entries(env)] == ["Good entry"]
    broken = tmp_path / "export.json"
    broken.write_text('{"entries": [\n  {"date": "2026-03-14", "time": "09:30",\n'
                      '   "title": "Fine", "body": ""},\n'
                      '  {"date": "14.03.2026", "title": "x"}\n]}')
    result = invoke(env, "import", "jrnl", str(broken))
    assert result.exit_code == 2 and f"{broken}:4: bad jrnl entry" in result.output


def test_a_bad_tag_map_is_refused(env: Env) -> None:
    result = invoke(env, "import", "jrnl", str(TEXT), "--tag-map", "@perf=outcome:speed")
    assert result.exit_code == 2
    assert "--tag-map: unknown outcome 'speed'" in result.output


JOURNALISH = st.lists(st.one_of(
    st.text(max_size=40),
    st.builds(lambda d, t: f"[{d} 09:30] {t}", st.dates().map(str), st.text(max_size=30)),
    st.sampled_from(["[2026-13-01 10:00] x", "[not a date] y", "*", "", "@tag #x", "["]),
), max_size=12).map("\n".join)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=JOURNALISH)
def test_any_text_gives_records_or_one_clean_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "fuzz.txt"
    path.write_text(text, encoding="utf-8")
    for entry in entries_or_clean_error(JrnlImporter(), path):
        assert entry.title and entry.source_id
