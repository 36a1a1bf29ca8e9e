"""Start-up of `levelup log`, `search` and `list` in two source trees, side by side.

    .venv/bin/python bench/compare_trees.py OLD_SRC NEW_SRC LEDGER_FOLDER [--runs 9] [--cpu]

Runs `python -m levelup` with PYTHONPATH set to each tree (e.g. a `git worktree` of an older
commit, and ./src), on copies of the same ledger (the newer tree upgrades its copy first),
alternating the two so that a machine whose speed drifts treats both alike. `--cpu` reports
the child processes' CPU time instead of wall time, steadier on a loaded machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PY = str(Path(__file__).resolve().parent.parent / ".venv" / "bin" / "python")
OPS = {
    "log": ["log", "Cut p99 latency of checkout from 900 to 250 ms so customers stop timing out"],
    "search": ["search", "kafka"],
    "list": ["list", "--since", "last month"],
}


def once(src: str, home: Path, args: list[str], cpu: bool) -> float:
    env = {**os.environ, "LEVELUP_HOME": str(home), "LEVELUP_DATABASE_URL": "",
           "PYTHONPATH": src}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    done = subprocess.run([PY, "-m", "levelup", *args], env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, check=False)
    if done.returncode:
        sys.exit(f"{src} {args}: {done.stderr.decode(errors='replace')[-800:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if cpu:
        return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("ledger", type=Path, help="A folder holding ledger.db (left untouched).")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--cpu", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="levelup-compare-") as tmp:
        homes = {}
        for name in ("old", "new"):
            homes[name] = Path(tmp) / name
            homes[name].mkdir(mode=0o700)
            shutil.copy(args.ledger / "ledger.db", homes[name] / "ledger.db")
        srcs = {"old": args.old, "new": args.new}
        unit = "CPU" if args.cpu else "wall"
        for op, words in OPS.items():
            for name in srcs:  # warm the page cache; the newer tree upgrades its copy here
                once(srcs[name], homes[name], words, args.cpu)
            times: dict[str, list[float]] = {"old": [], "new": []}
            for _ in range(args.runs):
                for name in srcs:
                    times[name].append(once(srcs[name], homes[name], words, args.cpu))
            old, new = (statistics.median(times[n]) for n in ("old", "new"))
            print(f"{op:<7} old {old * 1000:6.0f} ms  new {new * 1000:6.0f} ms  "
                  f"new/old {new / old:4.2f}  (median of {args.runs}, {unit})", flush=True)


if __name__ == "__main__":
    main()
