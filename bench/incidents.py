"""Benchmark of the opportunity finder: 1M pages imported from a PagerDuty CSV, then the Pareto.

    .venv/bin/python bench/incidents.py [--rows 1000000] [--db URL]

Targets (issue 8): import ≥ 50,000 rows/s, Pareto of 1M ≤ 3 s, peak memory ≤ 500 MB.
Each step runs in a fresh subprocess; its peak RSS comes from getrusage(RUSAGE_CHILDREN).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

HEADER = [
    "id", "incident_number", "description", "service_id", "service_name",
    "escalation_policy_id", "escalation_policy_name", "created_on", "resolved_on",
    "seconds_to_first_ack", "seconds_to_resolve", "auto_resolved", "escalation_count",
    "auto_escalation_count", "acknowledge_count", "assignment_count",
    "acknowledged_by_user_ids", "acknowledged_by_user_names", "assigned_to_user_ids",
    "assigned_to_user_names", "resolved_by_user_id", "resolved_by_user_name", "urgency",
]
TEMPLATES = [
    ("Disk full on db-{n} (/var/lib/postgresql/data {p}%)", "Orders DB"),
    ("CPU high on web-{n}", "Storefront"),
    ("Request {uuid} failed with 502 at {ts}", "API gateway"),
    ("Timeout connecting to 10.0.{n}.{p}:5432", "Orders DB"),
    ("Queue depth {p}000 on orders-queue", "Orders"),
    ("Certificate for api.example.com expires in {n} days", "Edge"),
    ("Memory usage above {p}% on cache-{n}", "Cache"),
    ("Job \"nightly-export-{n}\" failed after {p} retries", "Batch"),
] + [(f"Synthetic check {name} failing on host-{{n}}", "Synthetics")
     for name in ("login", "search", "checkout", "signup", "profile", "billing")]
PEOPLE = ["Ada Lovelace", "Grace Hopper", "Alan Turing", "Edsger Dijkstra", "Barbara Liskov"]


def generate(path: Path, rows: int) -> None:
    """A PagerDuty incidents CSV with a long-tailed mix of recurring problems."""
    rnd = random.Random(8)
    weights = [1 / (rank + 1) ** 1.2 for rank in range(len(TEMPLATES))]
    start = datetime(2024, 1, 1)
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        for i in range(rows):
            template, service = rnd.choices(TEMPLATES, weights)[0]
            created = start + timedelta(seconds=i * 60 + rnd.randrange(60))
            resolve = rnd.randrange(60, 7200)
            title = template.format(n=rnd.randrange(40), p=rnd.randrange(50, 100),
                                    uuid=f"{rnd.getrandbits(128):032x}", ts=created.isoformat())
            person = rnd.choice(PEOPLE)
            out.writerow([
                f"P{i:07d}", i + 1, title, "PSVC", service, "PEP", "Primary",
                created.isoformat() + "-07:00",
                (created + timedelta(seconds=resolve)).isoformat() + "-07:00",
                rnd.randrange(30, 600), resolve, "False", 0, 0, 1, 1, "PU", person, "PU",
                person, "PU", person, rnd.choice(("high", "low")),
            ])


CHILD_IMPORT = """
import sys, time
from datetime import date
from levelup.importers.base import ImportContext
from levelup.importers.incidents import IncidentsImporter
from levelup.context import LOCAL_OWNER
from levelup.services.import_runner import run_import
from levelup.store.db import open_ledger
from levelup.store.scope import scoped
engine = scoped(open_ledger(sys.argv[1]), LOCAL_OWNER)
t0, c0 = time.perf_counter(), time.process_time()
ctx = ImportContext(since=None, until=None, today=date.today())
summary = run_import(engine, IncidentsImporter(), [sys.argv[2]], ctx)
print(time.perf_counter() - t0, summary.counts["new"], summary.counts["unchanged"],
      time.process_time() - c0)
"""

CHILD_PARETO = """
import sys, time
from levelup.context import Context
from levelup.services.opportunities import opportunity_report
from levelup.settings import load
ctx = Context(settings=load(environ={}, database_url=sys.argv[1]))
ctx.engine()  # opened (and checked) before the clock starts, as before
t0, c0 = time.perf_counter(), time.process_time()
report = opportunity_report(ctx, me=["Ada Lovelace"])
elapsed = time.perf_counter() - t0
print(elapsed, report.total, len(report.rows), len(report.weeks), time.process_time() - c0)
"""


def child(code: str, *args: str) -> tuple[list[str], float, float]:
    """Run ``code`` in a fresh interpreter: its output, wall seconds, peak RSS in MB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if done.returncode:
        sys.exit(done.stderr)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest child so far: report it when it grew.
    return done.stdout.split(), wall, max(peak, before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--db", help="Database URL (default: a temp SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "incidents.csv"
        t0 = time.perf_counter()
        generate(csv_path, args.rows)
        print(f"generated {args.rows:,} rows ({csv_path.stat().st_size / 1e6:.0f} MB) "
              f"in {time.perf_counter() - t0:.1f} s")
        url = args.db or f"sqlite:///{Path(tmp) / 'ledger.db'}"
        out, wall, peak = child(CHILD_IMPORT, url, str(csv_path))
        seconds, new = float(out[0]), int(out[1])
        cpu = float(out[3])
        print(f"import:  {new:,} new in {seconds:.1f} s = {new / seconds:,.0f} rows/s "
              f"(target ≥ 50,000; CPU time {cpu:.1f} s = {new / cpu:,.0f} rows/s of CPU); "
              f"process {wall:.1f} s, peak RSS {peak:.0f} MB (≤ 500)")
        out, wall, _ = child(CHILD_IMPORT, url, str(csv_path))
        print(f"re-import (all unchanged): {int(out[2]):,} in {float(out[0]):.1f} s = "
              f"{int(out[2]) / float(out[0]):,.0f} rows/s")
        out, wall, peak = child(CHILD_PARETO, url)
        print(f"pareto:  {int(out[1]):,} pages, {out[2]} problems, {out[3]} weeks in "
              f"{float(out[0]):.2f} s (target ≤ 3 s; CPU {float(out[4]):.2f} s); "
              f"process {wall:.1f} s, peak RSS so far {peak:.0f} MB")
        print(json.dumps({"rows": args.rows, "import_rows_per_s": round(new / seconds),
                          "import_rows_per_cpu_s": round(new / cpu),
                          "pareto_s": round(float(out[0]), 2), "peak_rss_mb": round(peak)}))


if __name__ == "__main__":
    main()
