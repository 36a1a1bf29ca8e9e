"""Report generation on a 100k-entry ledger: each kind as Markdown, HTML and PDF, each a whole
`levelup report KIND -f FMT` process, alternated in pairs with the start-up floor.

Run: .venv/bin/python bench/reports.py [--entries 100000] [--db URL] [--runs 5]
Targets (issue 7): Markdown/HTML <= 500 ms, PDF <= 3 s per report, whole process. Each line
gives the median time, the median per-pair ratio to the floor (importing SQLAlchemy, what
every levelup command pays) with its min-max, and the peak memory; on a shared machine read
the ratios first, since absolute times drift with the load.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

TODAY = date(2026, 11, 20)
KINDS = ("win", "win", "win", "invisible", "prevention", "mentoring", "incident", "learning")
COMPETENCIES = ("craft", "delivery", "ownership", "influence", "mentoring", "communication",
                "strategy", "collaboration")
OUTCOMES = ("safety", "revenue", "profit", "culture", "sla", "kpi", "people")


def fill(env: Any, count: int, days: int = 4 * 365) -> None:
    """Bulk-insert ``count`` entries over ``days`` before TODAY with labels, metrics, quotes
    (and the coach's score of each, as the store writes it)."""
    from levelup.coach import entry_score
    from levelup.domain.models import Profile, Stakeholder, new_uid
    from levelup.store import tables as t
    from levelup.store.people import add_stakeholder, save_profile

    rng = random.Random(7)
    with env.ctx.begin() as conn:
        save_profile(conn, profile=Profile(name="Ada", level="L3", target_level="L4",
                                           manager="Grace"))
        add_stakeholder(conn, stakeholder=Stakeholder(name="Alan", decision_maker=True))
        now = datetime(2026, 11, 20)
        rows = [{"uid": new_uid(), "owner_id": 1,
                 "date": TODAY - timedelta(days=rng.randrange(days)),
                 "title": f"Improved service {i} for customers", "details": "", "source": "bench",
                 "source_id": str(i), "kind": rng.choice(KINDS), "created_at": now,
                 "coach_score": entry_score(f"Improved service {i} for customers", "")}
                for i in range(count)]
        for start in range(0, count, 5000):
            conn.execute(insert(t.entries), rows[start:start + 5000])
        labels, metrics, quotes = [], [], []
        for entry_id in range(1, count + 1):
            labels.append({"entry_id": entry_id, "vocab": "competency",
                           "label": rng.choice(COMPETENCIES), "confirmed": True, "score": None})
            if rng.random() < 0.6:
                labels.append({"entry_id": entry_id, "vocab": "outcome",
                               "label": rng.choice(OUTCOMES), "confirmed": True, "score": None})
            if rng.random() < 0.4:
                metrics.append({"entry_id": entry_id, "name": "p99", "baseline": 900.0,
                                "result": float(rng.randrange(100, 800)), "unit": "ms"})
            if rng.random() < 0.05:
                quotes.append({"entry_id": entry_id, "quote": "Great work", "author": "Kat"})
        for table, data in ((t.entry_labels, labels), (t.entry_metrics, metrics),
                            (t.testimonials, quotes)):
            for start in range(0, len(data), 5000):
                conn.execute(insert(table), data[start:start + 5000])


KINDS_SHOWN = ("weekly", "agenda", "review", "packet", "brag")


def measure(folder: Path, url: str, runs: int) -> bool:
    """Print each report's figures; whether every one met its target."""
    from tools import BIN, floor, pairs, process

    env = {"LEVELUP_HOME": str(folder), "LEVELUP_DATABASE_URL": url}
    met = True
    for kind in KINDS_SHOWN:
        for fmt in ("md", "html", "pdf"):
            cmd = [str(BIN / "levelup"), "report", kind, "-f", fmt, "--no-preview",
                   "-o", str(folder / f"{kind}.{fmt}")]
            peaks: list[float] = []

            def one(cmd: list[str] = cmd, peaks: list[float] = peaks) -> float:
                run = process(cmd, env)
                peaks.append(run.peak_mb)
                return run.seconds

            paired = pairs(one, floor, runs)
            limit = 3.0 if fmt == "pdf" else 0.5
            ok = paired.tool_median <= limit
            met &= ok
            print(f"{kind:<7} {fmt:<4} {paired.summary()}, {max(peaks):4.0f} MB "
                  f"(limit {limit * 1000:.0f} ms) {'ok' if ok else 'SLOW'}", flush=True)
    return met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--db", default="", help="Database URL (default: a temp SQLite file).")
    parser.add_argument("--runs", type=int, default=5, help="Pairs per report.")
    args = parser.parse_args()
    from tools import levelup_env

    from levelup.cli.common import Env
    from levelup.settings import load

    global TODAY
    TODAY = date.today()  # the measured processes read the real clock
    folder = Path(tempfile.mkdtemp())
    url = args.db or f"sqlite:///{folder / 'ledger.db'}"
    env = Env(settings=load(environ={}, home=folder, database_url=url), today=TODAY)
    began = time.perf_counter()
    fill(env, args.entries)
    env.close()
    print(f"ledger: {args.entries} entries in {time.perf_counter() - began:.1f} s ({url})")
    levelup_env()  # compiles levelup's bytecode before anything is timed
    print("report  fmt  median levelup vs median floor: per-pair ratio (min-max), peak memory")
    raise SystemExit(0 if measure(folder, url, args.runs) else 1)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
