"""Shared fixtures: a real ledger on SQLite and on PostgreSQL, and the CLI run in-process.

PostgreSQL tests use a fresh schema on 127.0.0.1:5432/test (override with
LEVELUP_TEST_PG_URL). Where no server answers they are skipped, except in CI
(CI=true), where a missing server is a failure.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine, create_engine, text

from levelup.cli.common import Env
from levelup.settings import load

PG_URL = os.environ.get("LEVELUP_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TODAY = date(2026, 11, 20)  # a Friday: weekly-report days are deterministic in tests


def _pg_available() -> bool:
    try:
        engine = create_engine(PG_URL)
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def pg_ok() -> bool:
    ok = _pg_available()
    if not ok and os.environ.get("CI"):
        pytest.fail(f"PostgreSQL is required in CI but does not answer at {PG_URL}")
    return ok


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, pg_ok: bool) -> Iterator[str]:
    """A database URL for an empty ledger: a temp SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.db'}"
        return
    if not pg_ok:
        pytest.skip("PostgreSQL not reachable (set LEVELUP_TEST_PG_URL)")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """For tests that only concern SQLite files (backups, corrupt files, WAL)."""
    return f"sqlite:///{tmp_path / 'ledger.db'}"


@pytest.fixture
def env(db_url: str, tmp_path: Path) -> Iterator[Env]:
    """An environment on a migrated, empty ledger with a fixed `today`."""
    settings = load(environ={}, home=tmp_path / "home", database_url=db_url)
    environment = Env(settings=settings, today=TODAY)
    environment.ctx.engine()  # made up front: reading commands never create a ledger
    yield environment
    environment.close()


@pytest.fixture
def engine(env: Env) -> Engine:
    return env.ctx.engine()


def invoke(env: Env, *args: str, input: str | None = None) -> Result:
    """Run `levelup ARGS` in-process against ``env``; returns click's Result."""
    from levelup.cli.main import command

    runner = CliRunner()
    return runner.invoke(command(), list(args), obj=env, input=input, catch_exceptions=False)


@pytest.fixture
def machine_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """Moves this machine's time zone (UTC until a test moves it); restored after."""

    def move_to(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    move_to("UTC")
    yield move_to
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def pacific(machine_zone: Callable[[str], None]) -> Callable[[str], None]:
    """This machine in Los Angeles, Ada's zone in the calendar tests (a test may move it)."""
    machine_zone("America/Los_Angeles")
    return machine_zone
