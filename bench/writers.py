"""Many `levelup log` processes at once, on SQLite and PostgreSQL: how many writes were lost.

    .venv/bin/python bench/writers.py                    # the three runs below, 1 pair each
    .venv/bin/python bench/writers.py --only sqlite --writers 4 --entries 10 --pairs 3

Runs (each on a new ledger, so the first use, creating the schema, races too):
  sqlite            8 writers x 50 `levelup log` each, one after another, on a SQLite ledger
  postgresql        8 writers x 50 on a new PostgreSQL database
  postgresql-50x20  50 writers x 20 on a new PostgreSQL database

Each `log` names a project by round, in upper or lower case by writer (the first writer to
reach a round creates its project while the others look for it). Printed per run: entries
lost (must be 0), failed commands (must be 0), wall time, most connections the database had at
once (PostgreSQL; at most one per writer), and the wall time of the same writers running the
start-up floor instead (`python -c "import sqlalchemy"`): the per-pair ratio, median (min-max).

Then the cost of the WAL checkpoint a writing command ends with, on a SQLite ledger, with the
checkpoint and without it in alternating pairs: `log_entry` in-process, and `levelup log` as a
whole process.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tools import BIN, FLOOR, levelup_env, pairs, process  # noqa: E402

PG_URL = os.environ.get("LEVELUP_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PROJECTS = 10
RUNS = {"sqlite": ("sqlite", 8, 50), "postgresql": ("postgresql", 8, 50),
        "postgresql-50x20": ("postgresql", 50, 20)}


@dataclass
class Outcome:
    """One run of the writers: failed commands, their first messages, the busiest moment."""

    seconds: float = 0.0
    failed: int = 0
    messages: list[str] = field(default_factory=list)
    most_connections: int = 0
    lost: int = 0


def log_command(url: str, home: Path, who: int, i: int) -> list[str]:
    project = f"Project {i % PROJECTS}"
    return [str(BIN / "python"), "-m", "levelup", "--db", url, "--home", str(home), "log",
            f"writer {who} entry {i}", "-d", "2026-11-02", "-q",
            "-p", project.upper() if who % 2 else project, "-o", "sla", "-c", "craft"]


def run_writers(command: Callable[[int, int], list[str]], writers: int, entries: int,
                outcome: Outcome) -> None:
    """``writers`` threads, each running ``entries`` commands one after another."""
    env = levelup_env()
    lock = threading.Lock()

    def writer(who: int) -> None:
        for i in range(entries):
            done = subprocess.run(command(who, i), capture_output=True, text=True, env=env,
                                  check=False)
            if done.returncode != 0:
                with lock:
                    outcome.failed += 1
                    if len(outcome.messages) < 3:
                        outcome.messages.append(done.stderr.strip()[-300:])

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(writers)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    outcome.seconds = time.perf_counter() - began


class Connections:
    """The most connections a PostgreSQL database had at once, sampled every 20 ms."""

    def __init__(self, database: str) -> None:
        self.database, self.most = database, 0
        self._done = threading.Event()
        self._engine = create_engine(PG_URL)
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        query = text("SELECT count(*) FROM pg_stat_activity WHERE datname = :db")
        with self._engine.connect() as conn:
            while not self._done.is_set():
                self.most = max(self.most, conn.execute(query, {"db": self.database}).scalar_one())
                conn.rollback()
                time.sleep(0.02)

    def stop(self) -> int:
        self._done.set()
        self._thread.join()
        self._engine.dispose()
        return self.most


def new_database(kind: str, folder: Path) -> tuple[str, str | None]:
    """A URL for a ledger nobody has used yet, and the PostgreSQL database's name."""
    if kind == "sqlite":
        return f"sqlite:///{folder / 'ledger.db'}", None
    name = f"levelup_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{PG_URL.rsplit('/', 1)[0]}/{name}", name


def drop_database(name: str | None) -> None:
    if name is None:
        return
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def lost(url: str, writers: int, entries: int) -> int:
    """How many of the writers' entries are not in the ledger."""
    engine = create_engine(url)
    with engine.connect() as conn:
        titles = {title for (title,) in conn.execute(text("SELECT title FROM entries"))}
    engine.dispose()
    return sum(f"writer {w} entry {i}" not in titles
               for w in range(writers) for i in range(entries))


def levelup_run(kind: str, writers: int, entries: int, outcomes: list[Outcome]) -> float:
    """One run of the writers on a new ledger; its wall seconds."""
    with tempfile.TemporaryDirectory(prefix="levelup-writers-") as tmp:
        home = Path(tmp) / "home"
        url, name = new_database(kind, home)
        outcome = Outcome()
        sampler = Connections(name) if name else None
        try:
            run_writers(lambda w, i: log_command(url, home, w, i), writers, entries, outcome)
            outcome.most_connections = sampler.stop() if sampler else 0
            outcome.lost = lost(url, writers, entries)
        finally:
            drop_database(name)
    outcomes.append(outcome)
    return outcome.seconds


def floor_run(writers: int, entries: int) -> float:
    outcome = Outcome()
    run_writers(lambda w, i: FLOOR, writers, entries, outcome)
    return outcome.seconds


def report(label: str, kind: str, writers: int, entries: int, runs: int) -> bool:
    """Run one configuration ``runs`` times (in pairs with the floor, unless ``runs`` is 0:
    then once, without it) and print its figures; whether nothing was lost or failed."""
    outcomes: list[Outcome] = []
    if runs:
        paired = pairs(lambda: levelup_run(kind, writers, entries, outcomes),
                       lambda: floor_run(writers, entries), runs, warm=0)
        wall = f"{paired.summary(1.0, 's')} vs the floor"
    else:
        wall = f"{levelup_run(kind, writers, entries, outcomes):.0f} s (floor not run)"
    total = writers * entries
    lost_writes = sum(o.lost for o in outcomes)
    failed = sum(o.failed for o in outcomes)
    most = max(o.most_connections for o in outcomes)
    print(f"{label}: {writers} writers x {entries} `levelup log` ({total} per run, "
          f"{len(outcomes)} run(s)): lost {lost_writes}, failed {failed}, wall {wall}"
          + (f", most connections {most} (writers {writers})" if kind != "sqlite" else ""),
          flush=True)
    for message in (m for o in outcomes for m in o.messages):
        print(f"  failed: {message}")
    return lost_writes == 0 and failed == 0 and (kind == "sqlite" or most <= writers)


def checkpoint_cost(logs: int, runs: int) -> None:
    """`log_entry` in-process with the closing WAL checkpoint and without it, in pairs."""
    import levelup.store.db as db
    from levelup.context import Context
    from levelup.services.entries import log_entry
    from levelup.settings import load

    with tempfile.TemporaryDirectory(prefix="levelup-checkpoint-") as tmp:
        home = Path(tmp)
        ctx = Context(settings=load(environ={}, home=home,
                                    database_url=f"sqlite:///{home / 'ledger.db'}"),
                      today=date(2026, 11, 20))
        real = db._checkpoint_after_writes

        def batch(checkpoint: bool) -> float:
            ctx.close()  # opened again below, with the checkpoint or without it
            db._checkpoint_after_writes = real if checkpoint else (lambda *args: None)
            ctx.engine()
            began = time.perf_counter()
            for i in range(logs):
                log_entry(ctx, title=f"Cut p99 latency {i}", project="Checkout",
                          outcomes=["sla"], competencies=["craft"])
            db._checkpoint_after_writes = real
            return (time.perf_counter() - began) / logs

        paired = pairs(lambda: batch(True), lambda: batch(False), runs)
        ctx.close()
        print(f"checkpoint: log_entry in-process with vs without it, {logs} logs a run: "
              f"{paired.summary(1000.0, 'ms')} per log", flush=True)
        whole = pairs(lambda: whole_log(home, True), lambda: whole_log(home, False), runs)
    print(f"checkpoint: `levelup log` whole process with vs without it: "
          f"{whole.summary(1000.0, 'ms')}", flush=True)


# `levelup log` as the CLI runs it, with the closing checkpoint left out or not.
WHOLE_LOG = """import sys, levelup.store.db as db
if sys.argv[1] == "without":
    db._checkpoint_after_writes = lambda *args: None
from levelup.cli.main import run
run(sys.argv[2:])
"""


def whole_log(home: Path, checkpoint: bool) -> float:
    command = [str(BIN / "python"), "-c", WHOLE_LOG, "with" if checkpoint else "without",
               "--home", str(home), "log", "Cut p99 latency from 900 to 250 ms", "-q",
               "-p", "Checkout", "-o", "sla", "-c", "craft"]
    return process(command).seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(RUNS), action="append",
                        help="Run only this configuration (repeatable).")
    parser.add_argument("--writers", type=int, help="Writers per run (overrides the preset).")
    parser.add_argument("--entries", type=int, help="Logs per writer (overrides the preset).")
    parser.add_argument("--pairs", type=int, default=1,
                        help="Runs of levelup and the floor, alternating (0: levelup once).")
    parser.add_argument("--checkpoint-logs", type=int, default=40,
                        help="Logs per run of the checkpoint comparison (0: skip it).")
    args = parser.parse_args()
    ok = True
    for label in args.only or list(RUNS):
        kind, writers, entries = RUNS[label]
        ok &= report(label, kind, args.writers or writers, args.entries or entries, args.pairs)
    if args.checkpoint_logs:
        checkpoint_cost(args.checkpoint_logs, 7)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
