"""Text from other people's systems never drives the terminal, and messages stay readable.

Titles imported from calendar invites, issues and pull requests may hold escape sequences
(``ESC]0;…BEL`` retitles the window, ``ESC[2J`` clears the screen), C1 controls and bidi
overrides. The ledger stores them as the source said; every line the CLI prints shows them as
placeholders, and ``--json`` keeps the exact text, escaped.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from click.testing import Result

from levelup.cli.common import Env, clean, readable
from levelup.store.entries import list_entries
from tests.conftest import invoke

HOSTILE = "Ship \x1b]0;pwned\x07the \x1b[2Jcache \u202eevil\u202c \u2066iso\u2069 \x9b31m now"
# What a terminal would obey: C0 controls but tab and newline, DEL, C1, bidi controls.
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(autouse=True)
def no_jrnl_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))


def safe(result: Result) -> str:
    """stdout and stderr of a run, asserted free of anything a terminal would obey."""
    for stream in (result.stdout, result.stderr):
        assert not RAW.search(stream), repr(RAW.findall(stream))
    return result.stdout + result.stderr


def csv_entry(env: Env) -> int:
    with env.ctx.read() as conn:
        (entry,) = list_entries(conn, source="csv")
    assert entry.id is not None
    return entry.id


def imported(env: Env, tmp_path: Path) -> None:
    """The hostile title arrives by CSV, Markdown and jrnl; the summaries print clean."""
    csv_file = tmp_path / "work.csv"
    csv_file.write_text(f'title,date,details\n"{HOSTILE}",2026-11-18,"a\x1b[31m\nb"\n',
                        encoding="utf-8")
    brag = tmp_path / "brag.md"
    brag.write_text(f"# 2026\n\n## November\n\n- Markdown {HOSTILE} (2026-11-17)\n",
                    encoding="utf-8")
    journal = tmp_path / "journal.txt"
    journal.write_text(f"[2026-11-19 09:30:00 AM] Journal {HOSTILE}\n", encoding="utf-8")
    for source, path in (("csv", csv_file), ("markdown", brag), ("jrnl", journal)):
        preview = invoke(env, "import", source, str(path), "--dry-run")
        assert preview.exit_code == 0 and "Ship ^[]0;pwned^G" in safe(preview)
        result = invoke(env, "import", source, str(path))
        assert result.exit_code == 0, result.output
        safe(result)


def test_listing_showing_searching_and_reports_print_no_control_characters(
    env: Env, tmp_path: Path
) -> None:
    imported(env, tmp_path)
    listed = safe(invoke(env, "list"))
    assert listed.count("Ship ^[]0;pwned^Gthe ^[[2Jcache <U+202E>evil<U+202C>") == 3
    shown = safe(invoke(env, "show", str(csv_entry(env))))
    assert "a^[[31m\n" in shown  # the details keep their line breaks
    assert safe(invoke(env, "search", "ship")).count("<U+2066>iso<U+2069>") == 3
    assert "<U+009B>31m" in safe(invoke(env, "search", "ship", "--in", "all"))
    report = invoke(env, "report", "weekly", "--no-preview")
    assert report.exit_code == 0 and "cache" in safe(report)


def test_json_keeps_the_exact_text_with_every_control_escaped(env: Env, tmp_path: Path) -> None:
    imported(env, tmp_path)
    with env.ctx.read() as conn:
        stored = {e.id: e.title for e in list_entries(conn)}
    for args in (("list", "--json"), ("search", "ship", "--json")):
        result = invoke(env, *args)
        safe(result)
        assert {e["id"]: e["title"] for e in json.loads(result.stdout)} == stored
    assert all(HOSTILE in title for title in stored.values())  # stored as the source said
    shown = invoke(env, "show", str(csv_entry(env)), "--json")
    assert json.loads(safe(shown))["details"] == "a\x1b[31m\nb"


def test_an_error_quoting_a_hostile_value_prints_it_clean(env: Env, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(f'title,date,kind\nFine,2026-11-18,"\x1b[2J{HOSTILE}"\n', encoding="utf-8")
    failed = invoke(env, "import", "csv", str(bad))
    assert failed.exit_code == 2
    assert "levelup: error:" in failed.stderr and "^[[2J" in safe(failed)
    skipped = invoke(env, "import", "csv", str(bad), "--skip-bad")
    assert "skipped" in skipped.stdout and "<U+202E>" in safe(skipped)


def test_a_300_kb_bad_cell_gives_a_short_error_line(env: Env, tmp_path: Path) -> None:
    cell = "x" * 300_000
    rows = [{"title": "Huge date", "date": cell}, {"title": "Huge kind", "date": "2026-11-18",
                                                   "kind": cell}]
    for row in rows:
        path = tmp_path / f"{row['title']}.json"
        path.write_text(json.dumps([row]), encoding="utf-8")
        failed = invoke(env, "import", "csv", str(path))
        assert failed.exit_code == 2
        assert 0 < len(failed.stderr) < 500 and "300,000 characters" in failed.stderr
        skipped = invoke(env, "import", "csv", str(path), "--skip-bad")
        assert skipped.exit_code == 0
        assert all(len(line) < 500 for line in skipped.stdout.splitlines())
        assert "300,000 characters" in skipped.stdout


def test_a_long_message_keeps_its_start_and_its_end() -> None:
    quoted = readable(f"line 3: not a date: {'y' * 300_000!r}; use 2026-03-14")
    assert quoted == f"line 3: not a date: '{'y' * 80}…' (300,000 characters); use 2026-03-14"
    bare = readable("line 3: unknown kind " + "y 'z" * 100_000 + "; choose from win, plan")
    assert len(bare) < 400 and bare.startswith("line 3: unknown kind y")
    assert bare.endswith("; choose from win, plan")
    assert readable("short 'message'") == "short 'message'"


def test_clean_shows_placeholders_and_keeps_tabs_and_line_breaks() -> None:
    assert clean("a\tb\nc\r\nd") == "a\tb\nc\r\nd"
    assert clean("\x1b[2J\x07\rx\x7f\x9b\u202e\u2069") == "^[[2J^G^Mx^?<U+009B><U+202E><U+2069>"


def test_rich_tables_print_clean_and_keep_their_styles(env: Env) -> None:
    from rich.table import Table

    out = io.StringIO()
    env.out = out
    console = env.console()
    table = Table(title=f"pages by {HOSTILE}")
    table.add_column("service")
    table.add_row(HOSTILE)
    console.print(table)
    console.print(f"[bold]{HOSTILE}[/bold]")
    assert not RAW.search(out.getvalue()) and out.getvalue().count("<U+202E>evil") == 3


def test_an_unexpected_error_quoting_imported_text_is_printed_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from levelup.cli import safety

    with pytest.raises(SystemExit):
        safety._unexpected(ValueError("title \x1b]0;owned\x07 \x1b[2J"),
                           ["--home", str(tmp_path), "list"])
    err = capsys.readouterr().err
    assert "unexpected error" in err and "\x1b" not in err and "\x07" not in err
