"""`levelup import jrnl`: entries of the same minute and title stay apart."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from levelup.cli.common import Env
from levelup.importers.common import stable_id
from levelup.store.entries import list_entries
from tests.conftest import invoke

TEXT = ("[2026-11-02 09:15:00 AM] Standup.\nTalked about the release.\n\n"
        "[2026-11-02 09:15:40 AM] Standup.\nBlocked on review from Bob.\n\n"
        "[2026-11-02 09:16:00 AM] Standup.\nA minute later.\n")
EXPORT = {"entries": [
    {"date": "2026-11-02", "time": "09:15", "title": "Standup.",
     "body": "Talked about the release."},
    {"date": "2026-11-02", "time": "09:15", "title": "Standup.",
     "body": "Blocked on review from Bob."},
    {"date": "2026-11-02", "time": "09:16", "title": "Standup.", "body": "A minute later."},
]}


@pytest.fixture(autouse=True)
def no_jrnl_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))


def counts(env: Env, path: Path) -> tuple[int, int, int]:
    result = invoke(env, "import", "jrnl", str(path), "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    return summary["new"], summary["updated"], summary["unchanged"]


def test_entries_of_one_minute_and_title_are_numbered_not_merged(env: Env,
                                                                 tmp_path: Path) -> None:
    journal, export = tmp_path / "journal.txt", tmp_path / "export.json"
    journal.write_text(TEXT)
    export.write_text(json.dumps(EXPORT))
    assert counts(env, journal) == (3, 0, 0)
    assert counts(env, journal) == (0, 0, 3)
    assert counts(env, export) == (0, 0, 3)  # the export gives the very same entries
    with env.ctx.read() as conn:
        found = {e.details: e.source_id for e in list_entries(conn, source="jrnl")}
    assert sorted(found) == ["A minute later.", "Blocked on review from Bob.",
                             "Talked about the release."]
    # the first of them keeps the id entries always had: ledgers imported before stay
    assert found["Talked about the release."] == stable_id("2026-11-02 09:15", "Standup.")
    assert found["A minute later."] == stable_id("2026-11-02 09:16", "Standup.")
