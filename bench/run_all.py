"""Run every benchmark in bench/ one after the other and print their figures.

Usage: ./dev bench [NAME ...]   (NAME: ledger, git_import, classifier_eval, incidents,
readiness, reports, web, scale; default: all; scale builds a 1M-entry ledger on first use).
Each script also runs on its own with --help for options.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
ORDER = ["ledger", "git_import", "classifier_eval", "incidents", "readiness", "reports", "web",
         "scale"]


def main(names: list[str]) -> int:
    chosen = names or [n for n in ORDER if (HERE / f"{n}.py").exists()]
    unknown = [n for n in chosen if not (HERE / f"{n}.py").exists()]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(ORDER)}")
        return 2
    failed = 0
    for name in chosen:
        print(f"\n=== bench/{name}.py ===", flush=True)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, str(HERE / f"{name}.py")], check=False)
        print(f"=== {name}: exit {done.returncode} in {time.perf_counter() - started:.0f} s")
        failed += done.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
