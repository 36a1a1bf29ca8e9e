"""`levelup import jrnl`: files written by jrnl 4 itself (text journal and JSON export)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import struct
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from levelup.cli.common import Env
from levelup.domain.models import Entry
from levelup.importers.base import ImportContext, Skipped
from levelup.importers.common import stable_id
from levelup.importers.jrnl import JrnlImporter
from levelup.store.entries import add_entry, list_entries
from tests.conftest import invoke
from tests.utils.fuzz import entries_or_clean_error

FIXTURES = Path(__file__).parent / "fixtures" / "jrnl"
TEXT, EXPORT = FIXTURES / "journal.txt", FIXTURES / "export.json"
TAG_MAP = ("--tag-map", "@checkout=project:checkout", "--tag-map", "@perf=outcome:sla",
           "--tag-map", "@mentoring=kind:mentoring", "--tag-map", "#oncall=kind:prevention")


@pytest.fixture(autouse=True)
def no_jrnl_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """jrnl's config folder, empty: the user's own jrnl.yaml never changes a test."""
    folder = tmp_path / "xdg-config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder))
    return folder


def jrnl_entries(env: Env) -> list[Entry]:
    with env.ctx.read() as conn:
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
    with env.ctx.begin() as conn:  # as an older levelup imported it: the whole line as title
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


# One entry each, as jrnl writes it with that timeformat in its config.
WRITTEN_WITH = [
    ("%d.%m.%Y %H:%M", "[14.03.2026 09:30] Fixed the flaky deploy."),
    ("%Y/%m/%d %H:%M", "[2026/03/14 09:30] Fixed the flaky deploy."),
    ("%D %R", "[03/14/26 09:30] Fixed the flaky deploy."),
    ("%F %T", "[2026-03-14 09:30:00] Fixed the flaky deploy."),
]


@pytest.mark.parametrize(("timeformat", "journal"), WRITTEN_WITH)
def test_timeformat_reads_a_journal_in_jrnl_s_configured_format(
    env: Env, tmp_path: Path, timeformat: str, journal: str
) -> None:
    path = tmp_path / "journal.txt"
    path.write_text(journal + "\nThe retry was the culprit.\n")
    result = invoke(env, "import", "jrnl", str(path), "--timeformat", timeformat)
    assert result.exit_code == 0, result.output
    [entry] = jrnl_entries(env)
    assert (entry.date, entry.title, entry.details) == (
        date(2026, 3, 14), "Fixed the flaky deploy", "The retry was the culprit.")
    # keyed by minute and title, as the same entry written in jrnl's default format
    assert entry.source_id == stable_id("2026-03-14 09:30", "Fixed the flaky deploy.")


def test_a_journal_in_another_format_says_to_pass_timeformat(env: Env, tmp_path: Path) -> None:
    path = tmp_path / "journal.txt"
    path.write_text("[14.03.2026 09:30] Fixed the flaky deploy.\n")
    result = invoke(env, "import", "jrnl", str(path))
    assert result.exit_code == 2
    assert (f"{path}:1: a date jrnl's time format does not read: [14.03.2026 09:30]; "
            "pass --timeformat") in result.output


@pytest.mark.parametrize(("timeformat", "problem"), [
    ("%H:%M", "lacks a year, month or day"), ("%Y-%m-%d %Q", "cannot be read back")])
def test_a_timeformat_without_a_date_is_refused(
    env: Env, tmp_path: Path, timeformat: str, problem: str
) -> None:
    result = invoke(env, "import", "jrnl", str(TEXT), "--timeformat", timeformat)
    assert result.exit_code == 2
    assert f"--timeformat: timeformat {timeformat!r} {problem}" in result.output
    assert jrnl_entries(env) == []


def write_config(folder: Path, text: str) -> None:
    (folder / "jrnl").mkdir(parents=True)
    (folder / "jrnl" / "jrnl.yaml").write_text(text)


def test_jrnl_s_config_gives_the_default_timeformat(
    env: Env, tmp_path: Path, no_jrnl_config: Path
) -> None:
    work, diary = tmp_path / "work.txt", tmp_path / "diary.txt"
    work.write_text("[14.03.2026 09:30] Fixed the flaky deploy.\n")
    diary.write_text("[2026/03/15 10:00] Wrote the runbook.\n")
    write_config(no_jrnl_config, f"""
timeformat: '%d.%m.%Y %H:%M'
journals:
  default: {work}
  diary:
    journal: {diary}
    timeformat: '%Y/%m/%d %H:%M'
""")
    assert invoke(env, "import", "jrnl", str(work)).exit_code == 0
    assert invoke(env, "import", "jrnl", str(diary)).exit_code == 0  # its own setting
    assert [e.date for e in jrnl_entries(env)] == [date(2026, 3, 14), date(2026, 3, 15)]
    result = invoke(env, "import", "jrnl", str(work), "--timeformat", "%Y/%m/%d %H:%M")
    assert result.exit_code == 2  # the option wins over the config
    assert "(nor '%Y/%m/%d %H:%M' from --timeformat)" in result.output


def test_jrnl_s_config_is_read_from_home_without_xdg(
    env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    write_config(tmp_path / "home" / ".config", "timeformat: '%F %r'\n")
    path = tmp_path / "journal.txt"
    path.write_text("[2026/03/14 09:30] Fixed the flaky deploy.\n")
    result = invoke(env, "import", "jrnl", str(path))
    assert result.exit_code == 2
    jrnl_yaml = tmp_path / "home" / ".config" / "jrnl" / "jrnl.yaml"
    assert f"(nor '%F %r' from {jrnl_yaml})" in result.output


MERGED = ("[2026-03-13 09:30] First entry.\n\n[Mar 14 2026 09:30] Fixed the flaky deploy.\n"
          "Took all day.\n")


def test_an_unreadable_stamp_after_good_entries_is_not_merged(env: Env, tmp_path: Path) -> None:
    path = tmp_path / "journal.txt"
    path.write_text(MERGED)
    result = invoke(env, "import", "jrnl", str(path))
    assert result.exit_code == 2
    assert (f"{path}:3: a date jrnl's time format does not read: [Mar 14 2026 09:30]; "
            "pass --timeformat") in result.output
    assert jrnl_entries(env) == []
    assert invoke(env, "import", "jrnl", str(path), "--skip-bad").exit_code == 0
    [first] = jrnl_entries(env)
    assert (first.title, first.details) == ("First entry", "")
    assert invoke(env, "import", "jrnl", str(path), "--timeformat", "%b %d %Y %H:%M"
                  ).exit_code == 0
    assert [e.title for e in jrnl_entries(env)] == ["First entry", "Fixed the flaky deploy"]


def test_body_lines_starting_with_brackets_stay_in_the_body(env: Env, tmp_path: Path) -> None:
    body = ("[x] wrote the tests\n\n[ ] ship it\n\n[the PR](https://example.com/1)\n\n"
            "[1.2.3] released\n\n[call at 10:30] with Ana\n\n[2026-03-20](https://x.y) notes")
    path = tmp_path / "journal.txt"
    path.write_text(f"[2026-03-13 09:30] Release day.\n{body}\n")
    result = invoke(env, "import", "jrnl", str(path))
    assert result.exit_code == 0, result.output
    [entry] = jrnl_entries(env)
    assert entry.details == body


OTHER_FORMATS = ["%d.%m.%Y %H:%M", "%Y/%m/%d %H:%M", "%m/%d/%y %I:%M %p", "%b %d %Y %H:%M",
                 "%A, %d %B %Y %H:%M", "%d %b %Y %I:%M:%S %p", "%Y-%m-%dT%H:%M", "%F %r"]


def read_journal(path: Path, **options: str) -> list[object]:
    ctx = ImportContext(since=None, until=None, today=date(2026, 11, 20), options=options)
    return list(JrnlImporter().read([str(path)], ctx))


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(when=st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2068, 12, 31)),
       timeformat=st.sampled_from(OTHER_FORMATS))
def test_a_stamp_in_any_format_is_read_with_it_and_never_merged_without(
    tmp_path: Path, when: datetime, timeformat: str
) -> None:
    path = tmp_path / "journal.txt"
    stamp = when.strftime(timeformat.replace("%F", "%Y-%m-%d").replace("%r", "%I:%M:%S %p"))
    path.write_text(f"[2000-01-01 09:00] First.\n\n[{stamp}] Second.\n")
    first, *rest = [r for r in read_journal(path) if isinstance(r, Entry | Skipped)]
    assert isinstance(first, Entry) and first.details == ""
    assert [r.title for r in rest if isinstance(r, Entry)] == ["Second"] or [
        r.where for r in rest if isinstance(r, Skipped)] == [f"{path}:3"]
    read = [r for r in read_journal(path, timeformat=timeformat) if isinstance(r, Entry)]
    assert [(r.title, r.date) for r in read] == [("First", date(2000, 1, 1)),
                                                 ("Second", when.date())]


def fernet_token(plain_length: int) -> bytes:
    """What jrnl 2+ writes for an encrypted journal: one Fernet token (version 0x80, time, IV,
    AES-CBC ciphertext, HMAC-SHA256), base64url; the ciphertext here is random bytes."""
    rand = random.Random(7)
    body = (b"\x80" + struct.pack(">Q", 1773480600) + rand.randbytes(16)
            + rand.randbytes((plain_length // 16 + 1) * 16))
    return base64.urlsafe_b64encode(body + hmac.new(b"k" * 16, body, hashlib.sha256).digest())


def test_an_encrypted_journal_says_to_export_it(env: Env, tmp_path: Path) -> None:
    fernet, old, latin = tmp_path / "fernet.txt", tmp_path / "old.txt", tmp_path / "latin.txt"
    fernet.write_bytes(fernet_token(300))
    old.write_bytes(random.Random(1).randbytes(16 + 20 * 16))  # jrnl 1.x: IV + AES blocks
    latin.write_bytes("[2026-03-14 09:30] Caf\u00e9 cr\u00e8me.\n\n".encode("latin-1")
                      .ljust(48, b" "))
    for path in (fernet, old):
        result = invoke(env, "import", "jrnl", str(path))
        assert result.exit_code == 2
        assert "encrypted" in result.output and "jrnl --export json > FILE" in result.output
        assert result.output.count(f"{path}:1: ") == 1
    result = invoke(env, "import", "jrnl", str(latin))  # text, only not UTF-8
    assert result.exit_code == 2 and f"{latin}:1: not UTF-8 text" in result.output
