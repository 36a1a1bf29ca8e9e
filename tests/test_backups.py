"""Automatic rotating backups (SQLite's online backup, WAL included), `backup` and `restore`."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from levelup.cli.common import Env
from levelup.settings import load
from levelup.store.backups import list_backups, take_backup
from tests.conftest import TODAY, invoke


def _env(home: Path, **settings: object) -> Env:
    return Env(settings=load(environ={}, home=home, **settings), today=TODAY)


def _titles(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [row[0] for row in conn.execute("SELECT title FROM entries ORDER BY id")]


def test_the_first_writing_command_of_the_day_takes_one_backup(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert invoke(_env(home), "log", "One", "-q").exit_code == 0
    assert list_backups(home / "ledger.db") == []  # a new ledger holds nothing to keep
    assert invoke(_env(home), "log", "Two", "-q").exit_code == 0
    assert invoke(_env(home), "log", "Three", "-q").exit_code == 0
    assert invoke(_env(home), "list").exit_code == 0
    daily = list_backups(home / "ledger.db")
    assert [b.reason for b in daily] == ["daily"]
    assert _titles(daily[0].path) == ["One"]  # taken before the day's first change
    daily[0].path.rename(daily[0].path.with_name(
        daily[0].path.name.replace(daily[0].taken.strftime("%Y%m%d"), "20200101")))
    assert invoke(_env(home), "log", "Four", "-q").exit_code == 0
    assert [b.reason for b in list_backups(home / "ledger.db")] == ["daily", "daily"]


def test_backups_rotate_keeping_the_last_n(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert invoke(_env(home), "log", "One", "-q").exit_code == 0
    for _ in range(5):
        assert invoke(_env(home, backups_kept=3), "backup").exit_code == 0
    kept = list_backups(home / "ledger.db")
    assert len(kept) == 3 and all(b.reason == "manual" for b in kept)
    assert list((home / "backups").glob("*.part")) == []


def test_a_backup_holds_what_is_still_in_the_wal(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert invoke(_env(home), "log", "One", "-q").exit_code == 0
    ledger = home / "ledger.db"
    held = sqlite3.connect(ledger)  # an open reader keeps the WAL from being checkpointed
    held.execute("PRAGMA wal_autocheckpoint=0")
    held.execute("SELECT count(*) FROM entries").fetchone()
    env = _env(home)
    for i in range(30):
        assert invoke(env, "log", f"In the WAL {i}", "-q").exit_code == 0
    assert (home / "ledger.db-wal").stat().st_size > 0
    backup = take_backup(ledger, reason="manual", kept=7)
    held.close()
    assert len(_titles(backup)) == 31
    with sqlite3.connect(backup) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert not Path(f"{backup}-wal").exists()


def test_restore_lists_then_brings_a_backup_back_keeping_the_current_one(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert invoke(_env(home), "log", "Before", "-q").exit_code == 0
    assert invoke(_env(home), "backup").exit_code == 0
    assert invoke(_env(home), "log", "After", "-q").exit_code == 0
    listed = invoke(_env(home), "restore")
    names = [line.split()[0] for line in listed.stdout.splitlines()]
    manual = next(b for b in list_backups(home / "ledger.db") if b.reason == "manual")
    assert manual.path.name in names
    result = invoke(_env(home), "restore", manual.path.name)
    assert result.exit_code == 0, result.output
    assert "After" not in invoke(_env(home), "list").stdout
    saved = next(b for b in list_backups(home / "ledger.db") if b.reason == "before-restore")
    assert _titles(saved.path) == ["Before", "After"]
    assert invoke(_env(home), "restore", saved.path.name).exit_code == 0  # undone
    assert "After" in invoke(_env(home), "list").stdout


def test_a_damaged_backup_is_refused_and_the_ledger_left_alone(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert invoke(_env(home), "log", "Precious", "-q").exit_code == 0
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"garbage" * 1000)
    result = invoke(_env(home), "restore", str(bad))
    assert result.exit_code == 2 and "is not a healthy SQLite ledger" in result.stderr
    missing = invoke(_env(home), "restore", "nope.db")
    assert missing.exit_code == 2 and "no backup 'nope.db'" in missing.stderr
    assert "Precious" in invoke(_env(home), "list").stdout


def test_restore_over_an_empty_ledger_moves_it_aside(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert invoke(_env(home), "log", "Precious", "-q").exit_code == 0
    backup = take_backup(home / "ledger.db", reason="manual", kept=7)
    for name in ("ledger.db-wal", "ledger.db-shm"):
        (home / name).unlink(missing_ok=True)
    (home / "ledger.db").write_bytes(b"")
    assert invoke(_env(home), "restore", backup.name).exit_code == 0
    assert "Precious" in invoke(_env(home), "list").stdout
    assert [p.name for p in (home / "backups").glob("damaged-*")] != []
