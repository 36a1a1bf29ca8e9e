"""Imports read, classify and stage before they write, so SQLite's write lock is held briefly
(see bench/faults.py lock for the 200k-row figures), and staging changes nothing stored."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from levelup.cli.common import Env
from levelup.domain.models import Entry
from levelup.importers.base import ImportContext, Importer, Record, Skipped
from levelup.services import import_runner
from levelup.services.importing import import_sources
from levelup.services.portable import export_ledger
from levelup.store.db import sqlite_path
from tests.conftest import invoke

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import faults  # noqa: E402  (bench/faults.py: the kill harness, shared with the bench)

TABULAR = Path(__file__).parent / "fixtures" / "tabular" / "work.csv"
CSV_MAP = ("--map", "title=Summary", "--map", "date=Closed", "--map", "project=Team",
           "--map", "details=Notes", "--map", "metric=Impact", "--map", "outcome=Outcome",
           "--map", "kind=Kind", "--map", "link=Ticket")


class Probing(Importer):
    """Yields ROWS entries, then tries the write lock from another connection."""

    name = "probing"
    summary = "entries, and a probe of the write lock after the last one"
    rows = 6000  # more than one batch of the runner (5,000)
    ledger: Path
    lock_was_free: bool | None = None

    def read(self, inputs: list[str], ctx: ImportContext) -> Iterator[Record]:
        start = date(2026, 1, 1)
        for n in range(self.rows):
            yield Entry(title=f"Fixed item {n}", date=start + timedelta(days=n % 300),
                        source="probing", source_id=str(n))
        probe = sqlite3.connect(self.ledger, timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            type(self).lock_was_free = True
        except sqlite3.OperationalError:
            type(self).lock_was_free = False
        finally:
            probe.close()
        yield from self.tail()

    def tail(self) -> Iterator[Record]:
        return iter(())


def _sqlite_env(env: Env) -> Path:
    path = sqlite_path(env.settings.url)
    if path is None:
        pytest.skip("the write lock is SQLite's")
    return path


def test_the_ledger_is_not_locked_while_the_importer_reads(env: Env) -> None:
    Probing.ledger = _sqlite_env(env)
    summary = import_sources(env.ctx, importer=Probing(), inputs=[], options={},
                             since="2026-01-01", until="2026-12-31")
    assert summary.counts["new"] == Probing.rows
    assert Probing.lock_was_free is True  # before: held from the first 5,000-entry flush


class FailsLate(Probing):
    def tail(self) -> Iterator[Record]:
        yield Skipped(where="row 6001", reason="not a date", bad=True)


def test_a_bad_record_at_the_end_fails_before_anything_is_written(env: Env) -> None:
    FailsLate.ledger = _sqlite_env(env)
    with pytest.raises(import_runner.ImportFailed, match="row 6001: not a date"):
        import_sources(env.ctx, importer=FailsLate(), inputs=[], options={},
                       since="2026-01-01", until="2026-12-31")
    assert FailsLate.lock_was_free is True
    with sqlite3.connect(FailsLate.ledger) as conn:
        assert conn.execute("SELECT count(*) FROM entries").fetchone() == (0,)
        temp = conn.execute("SELECT count(*) FROM sqlite_temp_master").fetchone()
    assert temp == (0,)


def _stored(env: Env) -> dict[str, Any]:
    doc = export_ledger(env.ctx)
    for entry in doc["entries"]:
        entry.pop("uid")
        entry.pop("created_at")
    for project in doc["projects"]:
        project.pop("uid")
    return {key: doc[key] for key in ("entries", "projects")}


def test_staged_entries_are_stored_as_entry_by_entry_writing_stores_them(
        env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _sqlite_env(env)
    invoke(env, "log", "Already here", "--project", "checkout")
    assert invoke(env, "import", "csv", str(TABULAR), *CSV_MAP).exit_code == 0
    staged = _stored(env)
    assert len(staged["entries"]) > 3 and any(e["metrics"] for e in staged["entries"])
    assert any(e["links"] for e in staged["entries"])

    from levelup.settings import load

    other = Env(settings=load(environ={}, home=tmp_path / "other",
                              database_url=f"sqlite:///{tmp_path / 'other' / 'ledger.db'}"),
                today=env.ctx.today)
    other.ctx.engine()
    monkeypatch.setattr(import_runner, "_prepare", lambda conn, records, label: None)
    invoke(other, "log", "Already here", "--project", "checkout")
    assert invoke(other, "import", "csv", str(TABULAR), *CSV_MAP).exit_code == 0
    assert _stored(other) == staged
    other.close()


def test_a_staged_dry_run_writes_nothing(env: Env) -> None:
    path = _sqlite_env(env)
    result = invoke(env, "import", "csv", str(TABULAR), *CSV_MAP, "--dry-run")
    assert result.exit_code == 0 and "dry run" in result.output.lower()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM entries").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM projects").fetchone() == (0,)


def test_reimporting_changes_nothing_after_a_staged_import(env: Env) -> None:
    _sqlite_env(env)
    assert invoke(env, "import", "csv", str(TABULAR), *CSV_MAP).exit_code == 0
    first = _stored(env)
    again = invoke(env, "import", "csv", str(TABULAR), *CSV_MAP, "--json")
    assert '"new": 0' in again.stdout and '"updated": 0' in again.stdout
    assert _stored(env) == first


@pytest.mark.slow
def test_sigkill_during_imports_and_log_leaves_all_or_nothing(tmp_path: Path,
                                                              capsys: Any) -> None:
    """bench/faults.py kill, small: 6 runs of a 1,000-row import or a `log`."""
    assert faults.kill(6, 1000, seed=7) == 0
    out = capsys.readouterr().out
    assert "FAILED 0" in out and "runs 6" in out
