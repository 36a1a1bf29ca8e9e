"""Many writer processes at once lose nothing, on PostgreSQL and on SQLite.

Each writer is a separate process using the library as the CLI and the web app do (a Context,
then ``log_entry`` and ``set_project``). They all start on a database nobody has used yet, so
the first use (creating the schema) races too; every round logs into a project that one of
them creates while the others look for it (in other letter case), and every writer replaces
the stakeholders of one shared project. Afterwards every entry must be there, each project
once, and no writer may have failed. On PostgreSQL the connections to the database are
sampled throughout: never more than one per writer.

This file also runs the writers: ``python tests/test_concurrent_writers.py URL HOME WRITERS N``
forks WRITERS processes of N entries each and exits with how many failed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.exc import DBAPIError

from levelup.cli.common import Env

PG_URL = os.environ.get("LEVELUP_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PROJECTS = 10  # round i logs into project i % PROJECTS
SHARED = "Shared"  # every writer sets its stakeholders


def write(url: str, home: Path, who: int, count: int) -> None:
    """One writer: set the shared project's stakeholders, then log ``count`` entries."""
    from levelup.context import Context
    from levelup.services.entries import log_entry
    from levelup.services.projects import set_project
    from levelup.settings import load

    ctx = Context(settings=load(environ={}, home=home, database_url=url), today=date(2026, 11, 20))
    set_project(ctx, name=SHARED, stakeholder=["Dana Kim", f"Person {who % 3}"])
    for i in range(count):
        name = f"Project {i % PROJECTS}"
        log_entry(ctx, title=f"writer {who} entry {i}", date="2026-11-02",
                  project=name.upper() if who % 2 else name,
                  outcomes=["sla"], competencies=["craft"])
    ctx.close()


def launch(url: str, home: Path, writers: int, count: int) -> int:
    """Fork ``writers`` processes from this (warmed-up) one, release them at once, and wait:
    how many failed. Forking skips each writer's start-up, which is not what is tested."""
    _warm_up()
    ready, go = os.pipe()
    children = []
    for who in range(writers):
        pid = os.fork()
        if pid == 0:
            os.close(go)
            os.read(ready, 1)  # returns when the launcher closes its end: all start together
            try:
                write(url, home, who, count)
            except BaseException:
                traceback.print_exc()
                os._exit(1)
            os._exit(0)
        children.append(pid)
    os.close(go)
    return sum(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) != 0 for pid in children)


def _warm_up() -> None:
    """Load the modules and the coach's model every writer uses, before forking them."""
    import sqlalchemy.dialects.postgresql.psycopg  # noqa: F401
    import sqlalchemy.dialects.sqlite.pysqlite  # noqa: F401

    import levelup.services.entries
    import levelup.services.projects
    import levelup.store.entries  # noqa: F401
    from levelup.coach import coach

    coach("Cut p99 latency from 900 to 250 ms")


@dataclass
class Run:
    failures: str
    exit_code: int
    most_connections: int


def run_writers(url: str, home: Path, writers: int, count: int, *,
                connections: Connections | None = None) -> Run:
    """Run ``writers`` concurrent writer processes of ``count`` entries each."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run([sys.executable, __file__, url, str(home), str(writers), str(count)],
                          env=env, capture_output=True, text=True, timeout=600)
    most = connections.stop() if connections is not None else 0
    return Run(done.stderr.strip()[-3000:], done.returncode, most)


class Connections:
    """The most connections a PostgreSQL database had at once, sampled every 20 ms."""

    def __init__(self, database: str) -> None:
        self.database = database
        self.most = 0
        self._done = threading.Event()
        self._engine = create_engine(PG_URL)
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        query = text("SELECT count(*) FROM pg_stat_activity WHERE datname = :db")
        with self._engine.connect() as conn:
            while not self._done.is_set():
                count = conn.execute(query, {"db": self.database}).scalar_one()
                conn.rollback()  # a fresh snapshot of the activity each time
                self.most = max(self.most, int(count))
                time.sleep(0.02)

    def stop(self) -> int:
        self._done.set()
        self._thread.join()
        self._engine.dispose()
        return self.most


def check_ledger(url: str, writers: int, count: int) -> None:
    """Every entry present once, in its project; each project and stakeholder once."""
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT e.title, p.name FROM entries e LEFT JOIN projects p ON p.id = e.project_id"
        )).all()
        projects = [name for (name,) in conn.execute(text("SELECT name FROM projects"))]
        people = [name for (name,) in conn.execute(text("SELECT name FROM stakeholders"))]
    engine.dispose()
    wanted = {f"writer {w} entry {i}" for w in range(writers) for i in range(count)}
    titles = [title for title, _ in rows]
    assert len(titles) == len(wanted), f"{len(wanted) - len(titles)} of {len(wanted)} lost"
    assert set(titles) == wanted
    for title, project in rows:
        i = int(title.rsplit(" ", 1)[1])
        assert project is not None and project.lower() == f"project {i % PROJECTS}"
    assert sorted(p.lower() for p in projects) == sorted(
        [SHARED.lower(), *(f"project {i}" for i in range(min(count, PROJECTS)))])
    assert sorted(people) == sorted({"Dana Kim", *(f"Person {w % 3}" for w in range(writers))})


@pytest.fixture
def fresh_pg_database(pg_ok: bool) -> Iterator[tuple[str, str]]:
    """A new, empty PostgreSQL database (its URL and name), dropped afterwards."""
    if not pg_ok:
        pytest.skip("PostgreSQL not reachable (set LEVELUP_TEST_PG_URL)")
    name = f"levelup_writers_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base = PG_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}", name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_fifty_writers_on_a_new_postgresql_database_lose_nothing(
    fresh_pg_database: tuple[str, str], tmp_path: Path
) -> None:
    url, name = fresh_pg_database
    writers, count = 50, 20
    run = run_writers(url, tmp_path / "home", writers, count, connections=Connections(name))
    assert (run.exit_code, run.failures) == (0, "")
    check_ledger(url, writers, count)
    assert 1 <= run.most_connections <= writers


def test_writers_on_a_new_sqlite_ledger_lose_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    url = f"sqlite:///{home / 'ledger.db'}"
    writers, count = 8, 15
    run = run_writers(url, home, writers, count)
    assert (run.exit_code, run.failures) == (0, "")
    check_ledger(url, writers, count)


def test_a_project_or_stakeholder_is_found_ignoring_case_never_added_twice(env: Env) -> None:
    from levelup.services.entries import log_entry
    from levelup.store.people import ensure_stakeholder

    for project in ("Checkout", "CHECKOUT", "checkout"):
        log_entry(env.ctx, title=f"Shipped {project}", project=project, outcomes=["sla"],
                  competencies=["craft"])
    with env.ctx.begin() as conn:
        first = ensure_stakeholder(conn, name="Dana Kim")
        assert ensure_stakeholder(conn, name="dana  KIM") == first
        projects = conn.execute(text("SELECT name FROM projects")).scalars().all()
        used = conn.execute(text("SELECT DISTINCT project_id FROM entries")).scalars().all()
    assert (projects, len(used)) == (["Checkout"], 1)


def test_a_transaction_that_lost_a_race_runs_again_whole(env: Env) -> None:
    """A unique key taken meanwhile (PostgreSQL says so: SQLSTATE 23505) re-runs the body."""
    if env.ctx.engine().dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers; its unique violations are not races")
    attempts: list[int] = []

    def body(conn: Connection) -> int:
        attempts.append(1)
        conn.execute(text("INSERT INTO owners (id, name, created) VALUES (7, 'Grace', now())"))
        if len(attempts) == 1:  # as if another writer had added owner 7 first
            conn.execute(text("INSERT INTO owners (id, name, created) VALUES (7, 'x', now())"))
        return len(attempts)

    assert env.ctx.write(body) == 2
    with env.ctx.read() as conn:
        assert conn.execute(text("SELECT name FROM owners WHERE id = 7")).scalar_one() == "Grace"


def test_a_mistake_is_not_run_again(env: Env) -> None:
    attempts: list[int] = []

    def body(conn: Connection) -> None:
        attempts.append(1)
        conn.execute(text("INSERT INTO no_such_table VALUES (1)"))

    with pytest.raises(DBAPIError):
        env.ctx.write(body)
    assert attempts == [1]


def test_a_write_leaves_the_ledger_file_whole_without_its_wal(tmp_path: Path) -> None:
    """Each write ends with a checkpoint: a copy of ledger.db alone (no -wal) holds it."""
    import shutil
    import sqlite3

    from levelup.context import Context
    from levelup.services.entries import log_entry
    from levelup.settings import load

    ledger = tmp_path / "ledger.db"
    ctx = Context(settings=load(environ={}, home=tmp_path, database_url=f"sqlite:///{ledger}"))
    for i in range(3):
        log_entry(ctx, title=f"Shipped part {i}", outcomes=["sla"], competencies=["craft"])
    assert (tmp_path / "ledger.db-wal").stat().st_size > 0  # still open: the WAL is in use
    shutil.copyfile(ledger, tmp_path / "copy.db")
    copy = sqlite3.connect(tmp_path / "copy.db")
    assert copy.execute("SELECT count(*) FROM entries").fetchone() == (3,)
    copy.close()
    ctx.close()


if __name__ == "__main__":
    db, folder, processes, entries = sys.argv[1:5]
    sys.exit(min(launch(db, Path(folder), int(processes), int(entries)), 100))
