"""Report generation on a 100k-entry ledger: each kind as Markdown, HTML and PDF.

Run: .venv/bin/python bench/reports.py [--entries 100000] [--db URL]
Targets (issue 7): Markdown/HTML <= 500 ms, PDF <= 3 s per report.
"""

from __future__ import annotations

import argparse
import random
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
    """Bulk-insert ``count`` entries over ``days`` before TODAY with labels, metrics, quotes."""
    from levelup.domain.models import Profile, Stakeholder, new_uid
    from levelup.store import tables as t
    from levelup.store.people import add_stakeholder, save_profile

    rng = random.Random(7)
    with env.ctx.begin() as conn:
        save_profile(conn, profile=Profile(name="Ada", level="L3", target_level="L4",
                                           manager="Grace"))
        add_stakeholder(conn, stakeholder=Stakeholder(name="Alan", decision_maker=True))
        now = datetime(2026, 11, 20)
        rows = [{"uid": new_uid(), "date": TODAY - timedelta(days=rng.randrange(days)),
                 "title": f"Improved service {i} for customers", "details": "", "source": "bench",
                 "source_id": str(i), "kind": rng.choice(KINDS), "created_at": now}
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


def measure(env: Any) -> list[tuple[str, str, float]]:
    from levelup.services import reports as service

    results = []
    for kind in ("weekly", "agenda", "review", "packet", "brag"):
        for fmt in ("md", "html", "pdf"):
            began = time.perf_counter()
            report = service.build_report(env.ctx, kind=kind)
            service.render_report(env.ctx, report=report, fmt=fmt)
            results.append((kind, fmt, time.perf_counter() - began))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--db", default="", help="Database URL (default: a temp SQLite file).")
    args = parser.parse_args()
    from levelup.cli.common import Env
    from levelup.settings import load

    folder = Path(tempfile.mkdtemp())
    url = args.db or f"sqlite:///{folder / 'ledger.db'}"
    env = Env(settings=load(environ={}, home=folder, database_url=url), today=TODAY)
    began = time.perf_counter()
    fill(env, args.entries)
    print(f"ledger: {args.entries} entries in {time.perf_counter() - began:.1f} s ({url})")
    measure(env)  # warm up: imports, template compilation, fonts
    failed = False
    for kind, fmt, seconds in measure(env):
        limit = 3.0 if fmt == "pdf" else 0.5
        ok = seconds <= limit
        failed |= not ok
        print(f"{kind:<7} {fmt:<4} {seconds * 1000:8.0f} ms  (limit {limit * 1000:.0f} ms) "
              f"{'ok' if ok else 'SLOW'}")
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
