"""Crash-safe schema changes: creation and every upgrade are one transaction, so a kill leaves
the old schema or the new one (SIGKILL at random moments, see also bench/crash.py)."""

from __future__ import annotations

import random
import sqlite3
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from levelup.store import migrate
from levelup.store.db import HEAD_REVISION, open_ledger, upgrade

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import crash  # noqa: E402  (bench/crash.py: the kill harness, shared with the bench)


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def test_a_failed_upgrade_leaves_the_old_schema_whole(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "ledger.db"
    engine = create_engine(f"sqlite:///{path}")
    upgrade(engine, "0001")
    engine.dispose()
    before = _tables(path)

    def dies(conn: object) -> None:  # after every revision's DDL, before the commit
        raise RuntimeError("killed")

    monkeypatch.setattr(migrate, "_check_foreign_keys", dies)
    with pytest.raises(RuntimeError):
        upgrade(create_engine(f"sqlite:///{path}"))
    assert _tables(path) == before and "owners" not in before  # no DDL was committed alone
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    monkeypatch.undo()
    open_ledger(f"sqlite:///{path}").dispose()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (
            HEAD_REVISION,)


def test_a_failed_creation_leaves_no_ledger_and_no_temporary(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def dies(conn: object) -> None:
        raise RuntimeError("killed")

    monkeypatch.setattr(migrate, "_check_foreign_keys", dies)
    with pytest.raises(RuntimeError):
        open_ledger(f"sqlite:///{tmp_path / 'ledger.db'}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ledger.db.lock"]


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["first log", "upgrade"])
def test_sigkill_at_random_moments_leaves_a_ledger_that_opens(tmp_path: Path, kind: str) -> None:
    rng = random.Random(20)
    run = crash.first_log if kind == "first log" else crash.upgrade_run
    tally = run(tmp_path, 20, rng)
    assert tally.failures == []
    assert tally.runs == 20 and tally.killed >= 10  # most kills landed while it ran
    assert tally.opened + tally.no_ledger == 20


def test_the_harness_counts_a_broken_ledger(tmp_path: Path) -> None:
    """bench/crash.py's check fails on the damage the old driver mode left behind."""
    home = tmp_path / "home"
    home.mkdir()
    path = home / "ledger.db"
    open_ledger(f"sqlite:///{path}").dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO entries (uid, date, title, details, kind, source, created_at, "
                     "owner_id) VALUES ('u', '2026-01-02', 't', '', 'win', 'manual', "
                     "'2026-01-02', 1)")
    tally = crash.Tally()
    crash.check(home, tally, entries=5)
    assert len(tally.failures) == 1
    with create_engine(f"sqlite:///{path}").connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM entries")).scalar_one() == 1


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["new", "upgrade"])
def test_a_kill_after_ddl_statements_leaves_a_ledger_that_opens(tmp_path: Path,
                                                                kind: str) -> None:
    """bench/crash.py --every-ddl, every 12th boundary (the bench does every one)."""
    tally = crash.every_boundary(tmp_path, kind, step=12)
    assert tally.failures == []
    assert tally.runs >= 10 and tally.killed == tally.runs
    assert tally.opened + tally.no_ledger == tally.runs

