"""Opening ledgers: schema versions, upgrades with backup, bad files, concurrent writers."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from levelup.cli.common import Env
from levelup.settings import load
from levelup.store.db import HEAD_REVISION, KNOWN_REVISIONS, StoreError, open_ledger, upgrade
from tests.conftest import TODAY, invoke


def _script() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", "levelup:migrations")
    return ScriptDirectory.from_config(config)


def test_head_revision_constant_matches_the_migrations() -> None:
    script = _script()
    assert script.get_current_head() == HEAD_REVISION
    assert tuple(rev.revision for rev in reversed(list(script.walk_revisions()))) == (
        KNOWN_REVISIONS
    )


# SQLite's reflection cannot read expression indexes; autogenerate says so and skips them.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
def test_migrations_match_the_table_definitions(db_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from levelup.store.tables import metadata

    engine = open_ledger(db_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    engine.dispose()
    assert [op for op in diff if "_fts" not in _name(op)] == []


def _name(op: tuple) -> str:
    """The table or index an autogenerate diff item is about (FTS objects are raw SQL)."""
    return str(getattr(op[1], "name", op[1]))


def test_an_older_sqlite_ledger_is_backed_up_then_upgraded(sqlite_url: str, tmp_path: Path) -> None:
    engine = create_engine(sqlite_url)
    upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO entries (uid, date, title, details, kind, source, "
                          "created_at) VALUES ('u1', '2026-01-02', 'Kept', '', 'win', 'manual', "
                          "'2026-01-02 10:00:00')"))
    engine.dispose()
    env = Env(settings=load(environ={}, home=tmp_path, database_url=sqlite_url), today=TODAY)
    result = invoke(env, "list", "--json")
    assert result.exit_code == 0, result.output
    assert "Kept" in result.stdout
    backups = list((tmp_path / "backups").glob("ledger-*-schema-0001.db"))
    assert len(backups) == 1
    old = sqlite3.connect(backups[0])
    assert old.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    indexes = {i["name"] for i in inspect(env.ctx.engine()).get_indexes("conversations")}
    assert "ix_conversations_with_date" in indexes


def _env_on(path: Path, tmp_path: Path) -> Env:
    return Env(settings=load(environ={}, home=tmp_path, database_url=f"sqlite:///{path}"),
               today=TODAY)


def test_a_corrupt_file_is_refused_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    path.write_bytes(b"this is not a database at all" * 100)
    result = invoke(_env_on(path, tmp_path), "list")
    assert result.exit_code == 2
    assert "is not a levelup ledger" in result.stderr
    assert path.read_bytes().startswith(b"this is not")


def test_a_foreign_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    result = invoke(_env_on(path, tmp_path), "log", "x")
    assert result.exit_code == 2 and "holds other tables" in result.stderr
    with sqlite3.connect(path) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert names == {"invoices"}


def test_a_newer_schema_is_refused(sqlite_url: str, tmp_path: Path) -> None:
    open_ledger(sqlite_url).dispose()
    with sqlite3.connect(sqlite_url.removeprefix("sqlite:///")) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StoreError, match="newer than this levelup"):
        open_ledger(sqlite_url)


def test_two_log_processes_at_once_both_succeed(tmp_path: Path) -> None:
    """Fresh ledger: both race to create the schema, then to write."""
    env = {"LEVELUP_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    procs = [
        subprocess.Popen([sys.executable, "-m", "levelup", "log", f"parallel {i}", "-q"], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for i in range(4)
    ]
    outputs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], outputs
    ids = sorted(int(out.strip()) for out, _ in outputs)
    assert ids == [1, 2, 3, 4]


def test_period_filters_include_entries_that_began_long_before(env: Env) -> None:
    """A project running two years still overlaps this month; one that ended before does not."""
    from levelup.store.entries import list_entries
    from levelup.store.reporting import period_entries
    from tests.factories import entry

    with env.ctx.engine().begin() as conn:
        long = entry(conn, "Two-year platform rebuild", day=date(2024, 10, 1),
                     end_date=date(2026, 11, 10))
        ended = entry(conn, "Old migration", day=date(2024, 10, 1), end_date=date(2026, 10, 31))
        inside = entry(conn, "Cache fix", day=date(2026, 11, 3))
        later = entry(conn, "Next month", day=date(2026, 12, 2))
        start, end = date(2026, 11, 1), date(2026, 11, 30)
        assert [e.id for e in list_entries(conn, start=start, end=end)] == [inside.id, long.id]
        assert [e.id for e in list_entries(conn, start=start)] == [later.id, inside.id, long.id]
        assert [e.id for e in list_entries(conn, end=date(2024, 10, 1))] == [ended.id, long.id]
        assert {e.id for e in period_entries(conn, start=start, end=end)} == {inside.id, long.id}
