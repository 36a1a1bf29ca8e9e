"""`levelup readiness` on a 100k-entry ledger: whole process, wall clock.

Run: .venv/bin/python bench/readiness.py [--entries 100000] [--db URL] [--runs 5]
Target (issue 6): <= 1 s wall per run. The reference is `levelup --version` (interpreter and
CLI start-up) measured in the same run, so the ratio shows what readiness itself costs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
import reports as generator  # noqa: E402  (bench/reports.py: the bulk ledger generator)

LIMIT = 1.0
RUN = "import sys; from levelup.cli import main; main.run(sys.argv[1:])"


def records(env: Any) -> None:
    """The records a real ledger holds besides entries: 1:1s, feedback, check-ins, visibility."""
    from levelup.domain.models import CheckIn, Conversation, Expectation, Feedback
    from levelup.domain.models import VisibilityEvent as Told
    from levelup.store.records import (
        add_checkin,
        add_conversation,
        add_expectation,
        add_feedback,
        add_visibility,
    )

    today = generator.TODAY
    with env.ctx.begin() as conn:
        for week in range(0, 200, 2):
            day = today - timedelta(weeks=week)
            add_conversation(conn, conversation=Conversation(date=day, with_="Grace"))
            add_checkin(conn, checkin=CheckIn(date=day, scores={"listening": 3 + week % 3}))
            add_feedback(conn, feedback=Feedback(giver="Grace", date=day, polarity="positive",
                                                 text="Clear design docs", asked=True))
            add_visibility(conn, event=Told(stakeholder="Alan", date=day, channel="weekly-report",
                                            entry_ids=[week * 400 + 1]))
        add_expectation(conn, expectation=Expectation(kind="critical-task", text="Releases",
                                                      agreed_on=today - timedelta(days=10)))


def timed(args: list[str], environ: dict[str, str]) -> float:
    began = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", RUN, *args], env=environ,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"levelup {' '.join(args)} failed: {done.stderr}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--db", default="", help="Database URL (default: a temp SQLite file).")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from levelup.cli.common import Env
    from levelup.settings import load

    generator.TODAY = date.today()  # the measured process reads the real clock
    folder = Path(tempfile.mkdtemp())
    url = args.db or f"sqlite:///{folder / 'ledger.db'}"
    env = Env(settings=load(environ={}, home=folder, database_url=url), today=generator.TODAY)
    began = time.perf_counter()
    generator.fill(env, args.entries)
    records(env)
    print(f"ledger: {args.entries} entries in {time.perf_counter() - began:.1f} s ({url})")
    environ = os.environ | {"LEVELUP_HOME": str(folder), "LEVELUP_DATABASE_URL": url}
    timed(["readiness"], environ)  # warm the OS file cache and bytecode
    start_up = statistics.median(timed(["--version"], environ) for _ in range(args.runs))
    runs = {cmd: statistics.median(timed([cmd], environ) for _ in range(args.runs))
            for cmd in ("readiness", "today")}
    print(f"levelup --version  {start_up * 1000:6.0f} ms  (reference: start-up)")
    failed = False
    for cmd, seconds in runs.items():
        ok = seconds <= LIMIT
        failed |= not ok
        print(f"levelup {cmd:<10} {seconds * 1000:6.0f} ms  ({seconds / start_up:.1f}x start-up; "
              f"limit {LIMIT * 1000:.0f} ms) {'ok' if ok else 'SLOW'}")
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
