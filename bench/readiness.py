"""`levelup readiness` and `levelup today` on a 100k-entry ledger: whole processes.

Run: .venv/bin/python bench/readiness.py [--entries 100000] [--db URL] [--runs 5]
Target (issue 6): <= 1 s wall per run. Each run alternates with a run of the start-up floor
(importing SQLAlchemy, what every levelup command pays), RUNS pairs; a line gives the medians,
the median per-pair ratio with its min-max, and the peak memory. Read the ratio first: on a
shared machine both sides of a pair slow down alike, the absolute times do not stay put.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
import reports as generator  # noqa: E402  (bench/reports.py: the bulk ledger generator)

LIMIT = 1.0


def records(env: Any, count: int) -> None:
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
                                            entry_ids=[week * 400 % count + 1]))
        add_expectation(conn, expectation=Expectation(kind="critical-task", text="Releases",
                                                      agreed_on=today - timedelta(days=10)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--db", default="", help="Database URL (default: a temp SQLite file).")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from levelup.cli.common import Env
    from levelup.settings import load

    generator.TODAY = date.today()  # the measured process reads the real clock
    folder = Path(tempfile.mkdtemp())  # private (0700), as levelup wants its home
    url = args.db or f"sqlite:///{folder / 'ledger.db'}"
    env = Env(settings=load(environ={}, home=folder, database_url=url), today=generator.TODAY)
    began = time.perf_counter()
    generator.fill(env, args.entries)
    records(env, args.entries)
    print(f"ledger: {args.entries} entries in {time.perf_counter() - began:.1f} s ({url})")
    env.close()
    from tools import BIN, floor, levelup_env, pairs, process

    levelup_env()  # compiles levelup's bytecode before anything is timed
    environ = {"LEVELUP_HOME": str(folder), "LEVELUP_DATABASE_URL": url}
    failed = False
    for cmd in ("readiness", "today"):
        peaks: list[float] = []

        def one(cmd: str = cmd, peaks: list[float] = peaks) -> float:
            run = process([str(BIN / "levelup"), cmd], environ)
            peaks.append(run.peak_mb)
            return run.seconds

        paired = pairs(one, floor, args.runs)
        ok = paired.tool_median <= LIMIT
        failed |= not ok
        print(f"levelup {cmd:<10} {paired.summary()} of the floor, {max(peaks):.0f} MB "
              f"(limit {LIMIT * 1000:.0f} ms) {'ok' if ok else 'SLOW'}", flush=True)
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
