"""Fault proofs for imports and `log`: who waits on the write lock, and what a SIGKILL leaves.

    .venv/bin/python bench/faults.py lock [--rows 200000] [--logs 40]
    .venv/bin/python bench/faults.py hold [--rows 20000]
    .venv/bin/python bench/faults.py kill [--runs 50] [--rows 20000] [--seed 1]

``lock``: a CSV import of ROWS rows into a ledger holding one entry, and a probe that tries
`BEGIN IMMEDIATE` every 2 ms without waiting: the longest stretch it was refused is the longest
time one transaction held the write lock. Once the import starts writing, LOGS `levelup log`
processes start, four every 0.25 s. Prints the import's time, the lock figures and the `log`
calls' seconds; fails when one fails or says the ledger is busy.

``hold``: the same import in this process; prints the CPU and wall seconds from its first
write on the ledger to its commit (CPU time is the figure a busy machine does not distort).

``kill``: RUNS runs, alternating a CSV import of ROWS rows (into a ledger holding entries) and
a `levelup log`, each SIGKILLed after a random delay within 1.1 times the command's measured
duration; every other import is killed within 0.5 s of taking the write lock instead. After
each kill the ledger must pass `PRAGMA integrity_check`, hold all of the import or none of it
and every entry it held before; then the import (or the `log`) is run again and must complete.

Set PYTHONPATH to another checkout's src/ to measure that version (the "before" figures).
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

PROBE_EVERY = 0.002


def command(home: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "levelup", "--home", str(home), *args]


def write_csv(path: Path, rows: int, *, seed: int = 1) -> Path:
    """ROWS work items with a ticket id each (the source id), dates over two and a half years."""
    rng = random.Random(seed)
    start = date(2024, 1, 1)
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["Summary", "Closed", "Team", "Notes", "Ticket"])
        for i in range(rows):
            out.writerow([f"Fixed item {i} in service {rng.randint(1, 50)}",
                          (start + timedelta(days=i % 900)).isoformat(), "platform",
                          "notes " * rng.randint(0, 10), f"T-{i}"])
    return path


def import_args(home: Path, path: Path) -> list[str]:
    return command(home, "import", "csv", str(path), "--map", "title=Summary", "--map",
                   "date=Closed", "--map", "details=Notes", "--map", "source_id=Ticket",
                   "--source", "faults", "--since", "2020-01-01", "--until", "2030-12-31")


def imported(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT count(*) FROM entries WHERE source = 'faults'")
                   .fetchone()[0])


# lock: how long the write lock is held, and whether `log` gets through ----------------------


@dataclass
class Probe:
    """Tries to take the write lock without waiting; records the stretches it was refused."""

    path: Path
    stretches: list[float] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    refused_since: float | None = None

    def run(self) -> None:
        conn = sqlite3.connect(self.path, timeout=0, isolation_level=None)
        while not self.stop.is_set():
            now = time.perf_counter()
            try:
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("ROLLBACK")
                if self.refused_since is not None:
                    self.stretches.append(now - self.refused_since)
                    self.refused_since = None
            except sqlite3.OperationalError:
                if self.refused_since is None:
                    self.refused_since = now
            time.sleep(PROBE_EVERY)
        if self.refused_since is not None:
            self.stretches.append(time.perf_counter() - self.refused_since)
        conn.close()


@dataclass
class LogCall:
    started: float
    seconds: float
    code: int
    error: str


def log_call(home: Path, n: int, began: float, out: list[LogCall]) -> None:
    start = time.perf_counter()
    done = subprocess.run(command(home, "log", f"logged during the import {n}", "-q"),
                          capture_output=True, text=True, check=False)
    out.append(LogCall(start - began, time.perf_counter() - start, done.returncode,
                       done.stderr.strip()[-300:]))


def lock(rows: int, logs: int) -> int:
    with tempfile.TemporaryDirectory(prefix="levelup-lock-") as folder:
        root = Path(folder)
        home = root / "home"
        subprocess.run(command(home, "log", "a first entry", "-q"), check=True,
                       stdout=subprocess.DEVNULL)
        data = write_csv(root / "work.csv", rows)
        probe = Probe(home / "ledger.db")
        watcher = threading.Thread(target=probe.run)
        watcher.start()
        began = time.perf_counter()
        job = subprocess.Popen(import_args(home, data), stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
        calls: list[LogCall] = []
        threads: list[threading.Thread] = []
        while job.poll() is None and not probe.stretches and probe.refused_since is None:
            time.sleep(PROBE_EVERY)  # the reading: nothing to wait for yet
        writing = time.perf_counter() - began
        for n in range(logs if job.poll() is None else 0):
            thread = threading.Thread(target=log_call, args=(home, n, began, calls))
            thread.start()
            threads.append(thread)
            if n % 4 == 3:
                time.sleep(0.25)
        _, err = job.communicate()
        took = time.perf_counter() - began
        for thread in threads:
            thread.join()
        probe.stop.set()
        watcher.join()
        count = imported(home / "ledger.db")
    print(f"the import began writing after {writing:.1f} s; {logs} `log` calls started then, "
          "four every 0.25 s")
    return _lock_report(rows, took, job.returncode, err, count, probe, calls, logs)


def _lock_report(rows: int, took: float, code: int, err: str, count: int, probe: Probe,
                 calls: list[LogCall], logs: int) -> int:
    print(f"import of {rows:,} rows: {took:.1f} s, exit {code}, {count:,} entries stored"
          + (f" ({err.strip()[-200:]})" if code else ""))
    held = sorted(probe.stretches)
    if held:
        print(f"write lock refused to the probe: {len(held)} stretches, longest {held[-1]:.2f} s, "
              f"total {sum(held):.2f} s")
    seconds = sorted(c.seconds for c in calls)
    busy = [c for c in calls if c.code != 0 or "busy" in c.error or "locked" in c.error]
    if seconds:
        print(f"log calls during the import: {len(calls)} (of {logs} planned), failed {len(busy)}; "
              f"seconds min {seconds[0]:.2f} median {statistics.median(seconds):.2f} "
              f"max {seconds[-1]:.2f}")
    for call in busy[:5]:
        print(f"    at {call.started:.1f} s: exit {call.code}: {call.error}")
    return 1 if code or busy or count != rows or len(calls) < logs else 0


# hold: the write transaction's CPU and wall time, in-process --------------------------------


def hold(rows: int) -> int:
    """Import ROWS rows in this process and time its write transaction, from the first
    INSERT/UPDATE/DELETE on the ledger to the commit: CPU seconds do not depend on how busy
    the machine is, wall seconds do."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from levelup.cli.main import run

    marks: dict[str, tuple[float, float]] = {}

    def first_write(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        staging = "levelup_staged" in statement and "INSERT INTO entries" not in statement
        if not staging and statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            marks.setdefault("write", (time.process_time(), time.perf_counter()))

    def commit(_conn: object) -> None:
        if "write" in marks:
            marks.setdefault("commit", (time.process_time(), time.perf_counter()))

    with tempfile.TemporaryDirectory(prefix="levelup-hold-") as folder:
        root = Path(folder)
        home = root / "home"
        subprocess.run(command(home, "log", "a first entry", "-q"), check=True,
                       stdout=subprocess.DEVNULL)
        data = write_csv(root / "work.csv", rows)
        event.listen(Engine, "before_cursor_execute", first_write)
        event.listen(Engine, "commit", commit)
        began = time.perf_counter()
        try:
            run(import_args(home, data)[3:])
        except SystemExit as exc:
            if exc.code:
                return 1
        took = time.perf_counter() - began
    (cpu0, wall0), (cpu1, wall1) = marks["write"], marks["commit"]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"import of {rows:,} rows in {took:.1f} s, peak memory {peak:.0f} MB; its write "
          f"transaction: CPU {cpu1 - cpu0:.2f} s, wall {wall1 - wall0:.2f} s")
    return 0


# kill: SIGKILL during imports and `log` --------------------------------------------------


@dataclass
class Kills:
    runs: int = 0
    killed: int = 0  # still running when the signal came
    outcomes: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)


def run_and_kill(args: list[str], within: float, rng: random.Random,
                 writing: Path | None = None) -> bool:
    """Run ``args``, SIGKILL it after a random delay; whether it was still running then.

    With ``writing`` (a ledger), the delay starts once the command holds its write lock.
    """
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if writing is not None:
        probe = Probe(writing)
        watcher = threading.Thread(target=probe.run)
        watcher.start()
        while proc.poll() is None and probe.refused_since is None and not probe.stretches:
            time.sleep(PROBE_EVERY)
        probe.stop.set()
        watcher.join()
    time.sleep(rng.uniform(0.0, within))
    alive = proc.poll() is None
    if alive:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    return alive


def ledger_state(path: Path) -> tuple[str, int, int]:
    """The integrity check's verdict, the imported entries and the logged ones."""
    with sqlite3.connect(path) as conn:
        verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
        counts = dict(conn.execute("SELECT source = 'faults', count(*) FROM entries "
                                   "GROUP BY source = 'faults'").fetchall())
    return verdict, counts.get(1, 0), counts.get(0, 0)


def kill_import(home: Path, data: Path, rows: int, within: float, rng: random.Random,
                tally: Kills, *, while_writing: bool) -> None:
    """Kill an import; all or none of it is there, the rest intact; a re-run completes it.

    ``while_writing``: within half a second of taking the write lock, else at any moment.
    """
    path = home / "ledger.db"
    _, _, before = ledger_state(path)
    tally.killed += run_and_kill(import_args(home, data), 0.5 if while_writing else within,
                                 rng, writing=path if while_writing else None)
    verdict, got, kept = ledger_state(path)
    tally.outcomes["import: none"] += got == 0
    tally.outcomes["import: all"] += got == rows
    if verdict != "ok" or got not in (0, rows) or kept != before:
        tally.failures.append(f"{home}: integrity {verdict}, {got} of {rows} imported, "
                              f"{kept} of {before} other entries")
        return
    done = subprocess.run(import_args(home, data), capture_output=True, text=True, check=False)
    if done.returncode != 0 or ledger_state(path)[1] != rows:
        tally.failures.append(f"{home}: the re-run did not complete the import: "
                              f"{done.stderr.strip()[-200:]}")


def kill_log(home: Path, n: int, within: float, rng: random.Random, tally: Kills) -> None:
    """Kill a `log`; the ledger holds it or not, and everything before; a re-run adds it."""
    path = home / "ledger.db"
    _, imported_before, before = ledger_state(path)
    tally.killed += run_and_kill(command(home, "log", f"killed {n}", "-q"), within, rng)
    verdict, got, after = ledger_state(path)
    tally.outcomes["log: none"] += after == before
    tally.outcomes["log: all"] += after == before + 1
    if verdict != "ok" or after not in (before, before + 1) or got != imported_before:
        tally.failures.append(f"{home}: integrity {verdict}, {after - before} entries added "
                              f"by one log")
        return
    done = subprocess.run(command(home, "log", f"again {n}", "-q"), capture_output=True,
                          text=True, check=False)
    if done.returncode != 0 or ledger_state(path)[2] != after + 1:
        tally.failures.append(f"{home}: log after the kill failed: {done.stderr[-200:]}")


def kill(runs: int, rows: int, seed: int) -> int:
    """Half the runs kill an import of ROWS rows (every other one while it writes), half a
    `log`, at random moments."""
    rng = random.Random(seed)
    tally = Kills()
    with tempfile.TemporaryDirectory(prefix="levelup-kill-") as folder:
        root = Path(folder)
        data = write_csv(root / "work.csv", rows)
        template = root / "template"
        for n in range(5):
            subprocess.run(command(template, "log", f"before the import {n}", "-q"),
                           check=True, stdout=subprocess.DEVNULL)
        import_within = _timed(import_args(_copy(template, root / "measure"), data)) * 1.1
        log_within = _timed(command(template, "log", "measured", "-q")) * 1.1
        print(f"import of {rows:,} rows takes {import_within / 1.1:.1f} s, `log` "
              f"{log_within / 1.1:.2f} s: kills land at random within 1.1 times that")
        for i in range(runs):
            tally.runs += 1
            home = _copy(template, root / f"run-{i}")
            if i % 2 == 0:
                kill_import(home, data, rows, import_within, rng, tally,
                            while_writing=i % 4 == 2)
            else:
                kill_log(home, i, log_within, rng, tally)
            shutil.rmtree(home)
    print(f"runs {tally.runs}, killed while running {tally.killed}; after the kill: "
          + ", ".join(f"{name} {n}" for name, n in sorted(tally.outcomes.items()))
          + f"; FAILED {len(tally.failures)}")
    for failure in tally.failures[:5]:
        print("   ", failure)
    return 1 if tally.failures else 0


def _copy(template: Path, home: Path) -> Path:
    shutil.copytree(template, home)
    return home


def _timed(args: list[str]) -> float:
    began = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    return time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="proof", required=True)
    lock_p = sub.add_parser("lock", help="write-lock hold during an import, with `log` calls")
    lock_p.add_argument("--rows", type=int, default=200_000)
    lock_p.add_argument("--logs", type=int, default=40)
    hold_p = sub.add_parser("hold", help="CPU and wall time of an import's write transaction")
    hold_p.add_argument("--rows", type=int, default=20_000)
    kill_p = sub.add_parser("kill", help="SIGKILL during imports and `log` at random moments")
    kill_p.add_argument("--runs", type=int, default=50)
    kill_p.add_argument("--rows", type=int, default=20_000)
    kill_p.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    if options.proof == "lock":
        return lock(options.rows, options.logs)
    if options.proof == "hold":
        return hold(options.rows)
    return kill(options.runs, options.rows, options.seed)


if __name__ == "__main__":
    sys.exit(main())
