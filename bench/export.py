"""Benchmark `levelup export` and `levelup import json` on big ledgers, as whole processes.

    .venv/bin/python bench/export.py [--sizes 10000 100000] [--runs 3] [--ops export import]
                                     [--keep /tmp/levelup-bench]

Builds a ledger of each SIZE with bench/ledger.py's generator (kept under --keep/SIZE and
reused: 1M entries take a while to build), then, RUNS times in pairs, times the SQLAlchemy
start-up floor (`python -c 'import gc, sqlalchemy; gc.freeze()'`, what every levelup command
pays) and the tool: `levelup export -o FILE`, then `levelup import json FILE` into an empty
ledger. Each figure is wall and CPU time (user + system, from wait4) and peak RSS of that one
process; ratios are to the floor of the same pair, reported as median with min–max, since
this machine's speed drifts with its load. The round trip is checked once per size: the
ledger imported then exported gives the same document (the export date aside).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ledger import build_levelup
from tools import levelup_env

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
FLOOR = [str(BIN / "python"), "-c", "import gc, sqlalchemy; gc.freeze()"]


@dataclass(frozen=True, slots=True)
class Run:
    wall: float  # seconds
    cpu: float  # seconds, user + system
    rss: int  # peak resident set, bytes


def run(cmd: list[str], env: dict[str, str]) -> Run:
    """One whole process, its output to /dev/null; its own times and peak memory."""
    began = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, env={**levelup_env(), **env})
    assert proc.stderr is not None
    error = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - began
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed: {error.decode(errors='replace')[-1500:]}")
    return Run(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024)


def ledger(keep: Path, n: int) -> Path:
    """The home of a ledger of ``n`` generated entries, built once and reused. Above
    ``BASE`` entries, copies of the BASE ledger's entries (new uids and source ids) fill it:
    building a million through levelup's write path takes hours on a loaded machine."""
    home = keep / str(n)
    if (home / "built").exists():  # written once the ledger is complete
        return home
    began = time.perf_counter()
    if n > BASE and n % BASE == 0:
        base = ledger(keep, BASE)
        home.mkdir(parents=True, exist_ok=True)
        _replicate(base / "ledger.db", home / "ledger.db", n // BASE)
    else:
        home.mkdir(parents=True, exist_ok=True)
        build_levelup(home, n, date(2026, 11, 20))
    home.chmod(0o700)
    (home / "built").write_text(f"{n}\n")
    print(f"built {n:,} entries into {home} in {time.perf_counter() - began:.0f} s", flush=True)
    return home


BASE = 100_000


def _replicate(source: Path, target: Path, copies: int) -> None:
    """``target``: the ledger ``source`` with its entries and their children ``copies`` times."""
    import sqlite3

    from levelup.store import tables as t

    with sqlite3.connect(source) as db:  # one file, the write-ahead log folded in
        db.execute("VACUUM INTO ?", (str(target),))
    db = sqlite3.connect(target)
    top = db.execute("SELECT max(id) FROM entries").fetchone()[0]
    for k in range(1, copies):
        shift = k * top
        columns = [c.name for c in t.entries.columns]
        made = {"id": f"id + {shift}", "uid": "lower(hex(randomblob(16)))",
                "source_id": f"source_id || '.{k}'"}
        db.execute(f"INSERT INTO entries ({', '.join(columns)}) SELECT "
                   f"{', '.join(made.get(c, c) for c in columns)} FROM entries WHERE id <= {top}")
        for table in (t.entry_labels, t.entry_metrics, t.entry_links, t.testimonials):
            names = [c.name for c in table.columns if c.name != "id"]
            values = [f"entry_id + {shift}" if c == "entry_id" else c for c in names]
            db.execute(f"INSERT INTO {table.name} ({', '.join(names)}) SELECT "
                       f"{', '.join(values)} FROM {table.name} WHERE entry_id <= {top}")
        db.commit()
    db.close()


def _ratio(values: list[float]) -> str:
    return f"{statistics.median(values):.1f}x ({min(values):.1f}–{max(values):.1f})"


def bench_size(n: int, runs: int, keep: Path, ops: list[str]) -> list[str]:
    home = ledger(keep, n)
    levelup = str(BIN / "levelup")
    rows = []
    with tempfile.TemporaryDirectory(prefix="levelup-bench-export-") as tmp:
        out = Path(tmp) / "export.json"
        env = {"LEVELUP_HOME": str(home), "LEVELUP_DATABASE_URL": ""}
        pairs: dict[str, list[tuple[Run, Run]]] = {"export": [], "import json": []}
        for _ in range(runs):
            target = Path(tmp) / "target"
            shutil.rmtree(target, ignore_errors=True)
            into = {"LEVELUP_HOME": str(target), "LEVELUP_DATABASE_URL": ""}
            pairs["export"].append((run(FLOOR, {}), run([levelup, "export", "-o", str(out)], env)))
            if "import" in ops:
                pairs["import json"].append((run(FLOOR, {}),
                                             run([levelup, "import", "json", str(out)], into)))
        if "import" in ops:
            _check_round_trip(out, Path(tmp) / "again.json", into)
        size = out.stat().st_size
        for op, measured in pairs.items():
            if not measured:
                continue
            floor = statistics.median(f.wall for f, _ in measured)
            tool = [t for _, t in measured]
            rows.append(
                f"| {op:<11} | {n:>9,} | {statistics.median(t.wall for t in tool):7.2f} s | "
                f"{statistics.median(t.cpu for t in tool):7.2f} s | "
                f"{max(t.rss for t in tool) / 2**20:6.0f} MB | "
                f"{_ratio([t.wall / f.wall for f, t in measured])} | "
                f"{_ratio([t.cpu / f.cpu for f, t in measured])} | "
                f"{floor * 1000:4.0f} ms | {size / 2**20:,.0f} MB |")
            print(rows[-1], flush=True)
    return rows


def _check_round_trip(first: Path, again: Path, env: dict[str, str]) -> None:
    """The imported ledger exports the same document (the export date aside)."""
    run([str(BIN / "levelup"), "export", "-o", str(again)], env)
    undated = re.compile(rb'"exported_at": "[^"]*"')
    with first.open("rb") as a, again.open("rb") as b:
        same = undated.sub(b"", a.read(4096)) == undated.sub(b"", b.read(4096))
        while same:
            chunk = a.read(1 << 20)
            same = chunk == b.read(1 << 20)
            if not chunk:
                break
    if not same:
        sys.exit(f"round trip differs: {first} and {again}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--ops", nargs="+", default=["export", "import"],
                        choices=["export", "import"], help="export alone, or both")
    parser.add_argument("--keep", type=Path, default=Path("/tmp/levelup-bench"),
                        help="Folder for the built ledgers (SIZE under it), reused.")
    args = parser.parse_args()
    levelup_env()  # compiles levelup's bytecode before anything is timed
    header = ("| op          | entries   | wall      | CPU       | peak RSS | wall / floor "
              "(min–max) | CPU / floor (min–max) | floor | document |\n"
              "|---|---|---|---|---|---|---|---|---|")
    print(header, flush=True)
    rows = [row for n in args.sizes for row in bench_size(n, args.runs, args.keep, args.ops)]
    print(f"\n{header}\n" + "\n".join(rows))


if __name__ == "__main__":
    main()
