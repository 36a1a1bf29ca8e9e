"""Kill levelup with SIGKILL at random moments of a first `log` and of a schema upgrade; print
how many kills left a ledger that opens and passes `PRAGMA integrity_check`.

    .venv/bin/python bench/crash.py [--runs 100] [--seed 1]
    .venv/bin/python bench/crash.py --every-ddl [--step 1]

Each run starts `levelup log` on a fresh home (schema creation), or `levelup list` on a copy of
a ledger at schema 0001 holding entries (the upgrade to head), and kills it after a random delay
within the command's measured duration. Then the ledger must open (creating, repairing or
upgrading it) and pass the integrity check, and an upgraded ledger must still hold every entry.

With --every-ddl, a forked process creates a new ledger (or upgrades one at 0001 to head) and
SIGKILLs itself right after its Nth CREATE/ALTER/DROP statement, for every N; then the ledger
is opened and checked the same way.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text

ENTRIES = 50


@dataclass
class Tally:
    runs: int = 0
    killed: int = 0
    no_ledger: int = 0
    opened: int = 0
    failures: list[str] = field(default_factory=list)


def command(home: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "levelup", "--home", str(home), *args]


def old_ledger(folder: Path) -> Path:
    """A ledger at schema 0001 holding ENTRIES entries: what an upgrade starts from."""
    from levelup.store.db import upgrade

    path = folder / "template" / "ledger.db"
    path.parent.mkdir(parents=True)
    engine = create_engine(f"sqlite:///{path}")
    upgrade(engine, "0001")
    with engine.begin() as conn:
        for i in range(ENTRIES):
            conn.execute(text("INSERT INTO entries (uid, date, title, details, kind, source, "
                              "created_at) VALUES (:u, '2026-01-02', :t, '', 'win', 'manual', "
                              "'2026-01-02 10:00:00')"), {"u": f"u{i}", "t": f"Entry {i}"})
    engine.dispose()
    return path


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, env=os.environ)
    return time.perf_counter() - start


def check(home: Path, tally: Tally, *, entries: int | None) -> None:
    """The ledger left by a kill opens, passes the integrity check, and holds its entries."""
    from levelup.store.db import open_ledger

    path = home / "ledger.db"
    if not path.exists():
        tally.no_ledger += 1
        return
    try:
        open_ledger(f"sqlite:///{path}").dispose()
        with sqlite3.connect(path) as conn:
            verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
            count = conn.execute("SELECT count(*) FROM entries").fetchone()[0]
    except Exception as exc:  # a bench counts every failure and goes on
        tally.failures.append(f"{home}: {type(exc).__name__}: {exc}")
        return
    if verdict != "ok" or (entries is not None and count != entries):
        tally.failures.append(f"{home}: integrity {verdict}, {count} entries")
        return
    tally.opened += 1


def kill_at_random(args: list[str], within: float, rng: random.Random) -> bool:
    """Run ``args`` and SIGKILL it after a random delay; whether it was still running."""
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(rng.uniform(0.0, within))
    alive = proc.poll() is None
    if alive:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    return alive


def first_log(root: Path, runs: int, rng: random.Random) -> Tally:
    tally = Tally()
    within = timed(command(root / "measure", "log", "measured", "-q")) * 1.1
    for i in range(runs):
        home = root / f"log-{i}"
        tally.runs += 1
        tally.killed += kill_at_random(command(home, "log", "killed", "-q"), within, rng)
        check(home, tally, entries=None)
    return tally


def upgrade_run(root: Path, runs: int, rng: random.Random) -> Tally:
    tally = Tally()
    template = old_ledger(root)
    measure = root / "measure-upgrade"
    shutil.copytree(template.parent, measure)
    within = timed(command(measure, "list")) * 1.1
    for i in range(runs):
        home = root / f"up-{i}"
        shutil.copytree(template.parent, home)
        tally.runs += 1
        tally.killed += kill_at_random(command(home, "list"), within, rng)
        check(home, tally, entries=ENTRIES)
    return tally


# every DDL boundary: a forked child SIGKILLs itself right after its Nth DDL statement -------

DDL = ("CREATE", "ALTER", "DROP")


def _die_after(n: int) -> list[int]:
    """In this (child) process: SIGKILL after the ``n``-th DDL statement (0: never); returns
    the list whose item counts the DDL statements run."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    seen = [0]

    def after(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if statement.lstrip().upper().startswith(DDL):
            seen[0] += 1
            if seen[0] == n:
                os.kill(os.getpid(), signal.SIGKILL)

    event.listen(Engine, "after_cursor_execute", after)
    return seen


def _in_child(path: Path, n: int, count: Path | None = None) -> int:
    """Open (create or upgrade) the ledger at ``path`` in a forked child that dies after its
    ``n``-th DDL statement; the child's exit status (negative: killed by that signal)."""
    from levelup.store.db import open_ledger

    pid = os.fork()
    if pid == 0:  # the child: leaves by os._exit, running none of the parent's clean-ups
        code = 0
        try:
            seen = _die_after(n)
            open_ledger(f"sqlite:///{path}").dispose()
            if count is not None:
                count.write_text(str(seen[0]))
        except BaseException:  # noqa: BLE001 - the parent reads the exit status only
            code = 1
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)


def every_boundary(root: Path, kind: str, step: int = 1) -> Tally:
    """Kill a new ledger's creation (``kind`` "new") or the upgrade of a ledger at 0001 to
    head ("upgrade") after each of its DDL statements (every ``step``-th one), then open it."""
    template = old_ledger(root / "every") if kind == "upgrade" else None
    count_file = root / f"count-{kind}"
    first = _fresh(root, kind, "count", template)
    if _in_child(first, 0, count_file) != 0:
        raise SystemExit(f"the {kind} ledger could not be made without a kill")
    total = int(count_file.read_text())
    tally = Tally()
    print(f"{kind}: {total} DDL statements; killing after every {step}th", flush=True)
    for n in range(1, total + 1, step):
        path = _fresh(root, kind, str(n), template)
        tally.runs += 1
        tally.killed += _in_child(path, n) == -signal.SIGKILL
        made = path.exists()
        check(path.parent, tally, entries=ENTRIES if template else None)
        if not made:  # the creation left nothing behind: the next command must make it
            check_after_create(path, tally)
        shutil.rmtree(path.parent)
    return tally


def check_after_create(path: Path, tally: Tally) -> None:
    from levelup.store.db import open_ledger

    try:
        open_ledger(f"sqlite:///{path}").dispose()
    except Exception as exc:  # a bench counts every failure and goes on
        tally.failures.append(f"{path}: not made after a killed creation: {exc}")


def _fresh(root: Path, kind: str, name: str, template: Path | None) -> Path:
    home = root / f"{kind}-ddl-{name}"
    if template is not None:
        shutil.copytree(template.parent, home)
    else:
        home.mkdir()
    return home / "ledger.db"


def report(name: str, tally: Tally) -> None:
    print(f"{name:<14} runs {tally.runs:>4}  killed while running {tally.killed:>4}  "
          f"no ledger yet {tally.no_ledger:>4}  opened + integrity ok {tally.opened:>4}  "
          f"FAILED {len(tally.failures):>3}")
    for failure in tally.failures[:5]:
        print("   ", failure)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=100, help="kills of each kind")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--every-ddl", action="store_true",
                        help="instead: a kill after every DDL statement of a new ledger's "
                             "creation and of the upgrade from 0001 to head")
    parser.add_argument("--step", type=int, default=1,
                        help="with --every-ddl: every STEP-th boundary only")
    options = parser.parse_args()
    rng = random.Random(options.seed)
    with tempfile.TemporaryDirectory(prefix="levelup-crash-") as folder:
        root = Path(folder)
        if options.every_ddl:
            tallies = {"new, every DDL": every_boundary(root, "new", options.step),
                       "upgrade, every DDL": every_boundary(root, "upgrade", options.step)}
        else:
            tallies = {"first log": first_log(root, options.runs, rng),
                       "upgrade": upgrade_run(root, options.runs, rng)}
    for name, tally in tallies.items():
        report(name, tally)
    return 1 if any(t.failures for t in tallies.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
