"""The ledger is protected: reading never creates one, empty or damaged files are refused with
how to recover, half-migrated ledgers are repaired, a busy ledger and Ctrl-C are one line."""

from __future__ import annotations

import gc
import logging
import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from levelup.cli.common import Env
from levelup.errors import ExitStatus
from levelup.settings import load
from levelup.store import db
from levelup.store.backups import take_backup
from levelup.store.db import open_ledger, upgrade
from tests.conftest import TODAY, invoke

READING = [["list"], ["show", "1"], ["search", "latency"], ["readiness"], ["today"],
           ["report", "weekly"], ["export"], ["stakeholder", "list"], ["restore"]]


def _fresh(home: Path, url: str = "") -> Env:
    return Env(settings=load(environ={}, home=home, database_url=url), today=TODAY)


@pytest.mark.parametrize("args", READING, ids=lambda a: " ".join(a))
def test_a_reading_command_on_a_missing_home_creates_nothing(tmp_path: Path,
                                                             args: list[str]) -> None:
    home = tmp_path / "typo"
    result = invoke(_fresh(home), *args)
    if args == ["restore"]:  # listing backups of no ledger: nothing to list, nothing made
        assert result.exit_code == 0 and "no backups yet" in result.stdout
    else:
        assert result.exit_code == ExitStatus.NOT_READY, result.output
        assert f"there is no ledger at {home / 'ledger.db'}" in result.stderr
        assert "`levelup init`" in result.stderr and "LEVELUP_HOME" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert not home.exists()


def test_a_reading_command_on_an_empty_database_creates_no_schema(db_url: str,
                                                                 tmp_path: Path) -> None:
    result = invoke(_fresh(tmp_path / "home", db_url), "list")
    assert result.exit_code == ExitStatus.NOT_READY and "there is no ledger" in result.stderr
    if db_url.startswith("sqlite"):
        assert not Path(db_url.removeprefix("sqlite:///")).exists()
        return
    engine = create_engine(db_url)
    with engine.connect() as conn:
        tables = conn.execute(text("SELECT count(*) FROM pg_tables "
                                   "WHERE schemaname = current_schema()")).scalar_one()
    engine.dispose()
    assert tables == 0


def test_a_writing_command_creates_the_ledger_whole(tmp_path: Path) -> None:
    home = tmp_path / "new"
    result = invoke(_fresh(home), "log", "Cut p99 latency", "-q")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in home.glob("ledger.db.new-*")) == []  # no temporary left
    assert invoke(_fresh(home), "list").exit_code == 0


def test_an_empty_ledger_file_is_refused_with_its_newest_backup(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert invoke(_fresh(home), "log", "Kept in the backup", "-q").exit_code == 0
    ledger = home / "ledger.db"
    backup = take_backup(ledger, reason="manual", kept=7)
    for companion in ("ledger.db-wal", "ledger.db-shm"):
        (home / companion).unlink(missing_ok=True)
    ledger.write_bytes(b"")  # a full disk, a failed sync
    for args in (["list"], ["log", "written to an empty file?"]):
        result = invoke(_fresh(home), *args)
        assert result.exit_code == ExitStatus.BAD_INPUT
        assert "is empty (0 bytes)" in result.stderr
        assert str(backup) in result.stderr and f"levelup restore {backup.name}" in result.stderr
        assert ledger.stat().st_size == 0  # never silently re-initialised
    result = invoke(_fresh(home), "restore", backup.name)
    assert result.exit_code == 0, result.output
    assert "Kept in the backup" in invoke(_fresh(home), "list").stdout


def test_a_damaged_ledger_says_how_to_recover(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "ledger.db").write_bytes(b"not a database, damaged by a sync tool " * 200)
    result = invoke(_fresh(home), "list")
    assert result.exit_code == ExitStatus.BAD_INPUT
    assert "is not a levelup ledger" in result.stderr and "levelup import json" in result.stderr


def test_a_ledger_half_created_by_an_earlier_version_is_repaired(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "ledger.db"
    open_ledger(f"sqlite:///{path}").dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE alembic_version")  # tables exist, no version: a killed creation
    with caplog.at_level(logging.WARNING, logger="levelup"):
        result = invoke(_fresh(tmp_path, f"sqlite:///{path}"), "log", "After the repair", "-q")
    assert result.exit_code == 0, result.output
    assert [r.getMessage() for r in caplog.records if "half-created" in r.getMessage()]
    assert "After the repair" in invoke(_fresh(tmp_path, f"sqlite:///{path}"), "list").stdout


def test_a_ledger_half_upgraded_by_an_earlier_version_is_restored_and_upgraded(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "ledger.db"
    engine = create_engine(f"sqlite:///{path}")
    upgrade(engine, "0006")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO entries (uid, date, title, details, kind, source, "
                          "created_at) VALUES ('u1', '2026-01-02', 'Before the crash', '', 'win',"
                          " 'manual', '2026-01-02 10:00:00')"))
    engine.dispose()
    old = sqlite3.connect(tmp_path / "ledger.db.0006.20260101-000000.bak")
    with sqlite3.connect(path) as source:
        source.backup(old)  # what an earlier levelup copied before upgrading
    old.close()
    with sqlite3.connect(path) as conn:  # its upgrade died after creating `owners`
        conn.execute("CREATE TABLE owners (id INTEGER PRIMARY KEY, name TEXT, created TEXT)")
    with caplog.at_level(logging.WARNING, logger="levelup"):
        result = invoke(_fresh(tmp_path, f"sqlite:///{path}"), "list")
    assert result.exit_code == 0, result.output
    assert "Before the crash" in result.stdout
    assert [r.getMessage() for r in caplog.records if "half-upgraded" in r.getMessage()]


def test_a_busy_ledger_is_one_line_and_exit_4(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    assert invoke(_fresh(home), "log", "first", "-q").exit_code == 0
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 100)
    holder = sqlite3.connect(home / "ledger.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another command holds the write lock
    try:
        result = invoke(_fresh(home), "log", "second", "-q")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == ExitStatus.BUSY == 4
    assert result.stderr.strip() == ("levelup: error: the ledger is busy with another levelup "
                                     "command; try again")


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    from levelup.cli.main import run

    mask = os.umask(0o022)
    os.umask(mask)
    try:
        with pytest.raises(SystemExit) as stopped:
            run(args)
    finally:
        os.umask(mask)
        gc.enable()
    return int(stopped.value.code or 0), capsys.readouterr().err


def test_ctrl_c_inside_a_transaction_rolls_back_and_says_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import levelup.store.people

    home = tmp_path / "home"
    assert invoke(_fresh(home), "log", "first", "-q").exit_code == 0

    def interrupted(conn: object, **_: object) -> None:
        conn.execute(text("DELETE FROM entries"))  # type: ignore[attr-defined]
        raise KeyboardInterrupt

    monkeypatch.setattr(levelup.store.people, "add_stakeholder", interrupted)
    code, err = _run(["--home", str(home), "stakeholder", "add", "Dana Kim"], capsys)
    assert code == 130
    assert err.strip().endswith("rolled back: nothing was written")
    assert "first" in invoke(_fresh(home), "list").stdout


def test_an_unexpected_error_is_one_line_naming_its_report(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import levelup.services.backups

    def broken(ctx: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(levelup.services.backups, "list_ledger_backups", broken)
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    code, err = _run(["--home", str(home), "restore"], capsys)
    assert code == ExitStatus.ERROR
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    report = Path(err.strip().rsplit(" ", 1)[1])
    assert report.parent == home / "crash-reports"
    assert "ZeroDivisionError: a bug" in report.read_text()


@pytest.mark.parametrize("target", ["ledger.db", "ledger.db-wal", "ledger.db.lock", "backups/x.db",
                                    "folder", "/dev/full", "no/such/dir/x.json"])
def test_export_output_refuses_the_ledger_its_companions_and_non_files(tmp_path: Path,
                                                                      target: str) -> None:
    home = tmp_path / "home"
    assert invoke(_fresh(home), "log", "Precious", "-q").exit_code == 0
    (home / "folder").mkdir()
    before = (home / "ledger.db").read_bytes()
    out = Path(target) if target.startswith("/") else home / target
    result = invoke(_fresh(home), "export", "-o", str(out))
    assert result.exit_code == ExitStatus.BAD_INPUT, result.output
    assert result.stderr.startswith(f"levelup: error: --output {out}")
    assert len(result.stderr.strip().splitlines()) == 1
    assert (home / "ledger.db").read_bytes() == before


@pytest.mark.parametrize("target", ["ledger.db", "ledger.db-shm", "folder"])
def test_report_output_refuses_the_ledger_and_folders(tmp_path: Path, target: str) -> None:
    home = tmp_path / "home"
    assert invoke(_fresh(home), "log", "Precious", "-q").exit_code == 0
    (home / "folder").mkdir()
    before = (home / "ledger.db").read_bytes()
    result = invoke(_fresh(home), "report", "weekly", "-o", str(home / target))
    assert result.exit_code == ExitStatus.BAD_INPUT, result.output
    assert "--output" in result.stderr and "Traceback" not in result.output
    assert (home / "ledger.db").read_bytes() == before
    assert invoke(_fresh(home), "report", "weekly", "-o", str(home / "w.md")).exit_code == 0
