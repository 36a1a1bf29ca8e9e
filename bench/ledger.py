"""Benchmark capture and recall on big ledgers: levelup against jrnl, side by side.

    .venv/bin/python bench/ledger.py [--sizes 10000 100000] [--runs 7] [--jrnl-add-timeout 60]

jrnl 4.6 is installed on first use into its own environment under bench/out/tools.

Generates SIZE realistic entries over three years (titles, details, kinds, projects, labels,
metrics), stores them in a fresh levelup SQLite ledger (bulk inserts under a temporary
LEVELUP_HOME) and the same entries as a jrnl 4 plain-text journal, then times each command as a
whole process (no shell, output to a pipe): `levelup log`, `levelup search WORD`, `levelup
list --since "last month"` and jrnl's add, `-contains WORD` and `-from`.

Every figure is paired: each levelup run alternates with a run of the floor (importing
SQLAlchemy and leaving the way levelup does, gc.freeze, see cli/main.py: what every levelup
command pays), and each jrnl run with a levelup run, RUNS pairs each. A row gives the medians
and the median per-pair ratio with its min-max, since this machine's speed drifts a lot over
minutes. jrnl's add rewrites and re-tags the whole journal (minutes on 100k entries), so on
sizes above --jrnl-full-add it runs once with a timeout of --jrnl-add-timeout seconds and its
ratio is a lower bound.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from tools import FLOOR, Paired, levelup_env, pairs, process, tool

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
WORD = "kafka"  # in about 1% of the entries
TARGETS = {"log": (0.120, 0.250), "search": (0.150, 0.300), "list": (0.150, 0.300)}

SERVICES = ["checkout", "billing", "search", "payments", "auth", "catalog", "inventory",
            "notifications", "reporting", "onboarding", "gateway", "ledger", "pricing",
            "shipping", "profile", "recommendations", "analytics", "admin", "mobile", "web"]
VERBS = ["Cut", "Fixed", "Migrated", "Rewrote", "Shipped", "Automated", "Documented",
         "Profiled", "Upgraded", "Designed", "Reviewed", "Led", "Mentored", "Paired on"]
THINGS = ["p99 latency", "the flaky integration tests", "the deploy pipeline", "error budget",
          "on-call runbook", "database indexes", "the caching layer", "the retry logic",
          "the release checklist", "alert noise", "cloud costs", "the onboarding guide",
          "the schema migration", "memory leaks", "the API pagination", "build times"]
WHY = ["so that customers stop seeing timeouts", "which unblocked the mobile team",
       "saving about 12 hours of toil a month", "before the holiday peak",
       "after the outage review", "for the new joiners", "to prevent repeat incidents", ""]
KINDS = ["win"] * 6 + ["invisible", "learning", "incident", "prevention", "mentoring", "plan"]
OUTCOMES = ["safety", "revenue", "profit", "culture", "sla", "kpi", "people"]
COMPETENCIES = ["craft", "delivery", "ownership", "influence", "mentoring", "communication",
                "strategy", "collaboration"]


@dataclass(slots=True)
class Generated:
    day: date
    title: str
    details: str
    kind: str
    project: str
    outcome: str
    competency: str
    metric: tuple[str, float, float, str] | None


def generate(n: int, today: date, seed: int = 7) -> Iterator[Generated]:
    """``n`` entries spread evenly over the three years up to ``today``, oldest first."""
    rng = random.Random(seed)
    for i in range(n):
        day = today - timedelta(days=1095 - i * 1095 // n)
        service = WORD if rng.random() < 0.01 else rng.choice(SERVICES)
        thing = rng.choice(THINGS)
        title = f"{rng.choice(VERBS)} {thing} in {service}"
        before = rng.randint(200, 2000)
        after = before * rng.randint(10, 60) // 100
        details = (f"{thing.capitalize()} went from {before} to {after} ms "
                   f"{rng.choice(WHY)}. Worked with the {rng.choice(SERVICES)} team; "
                   f"ticket OPS-{rng.randint(1, 9999)}.")
        metric = ("p99", float(before), float(after), "ms") if rng.random() < 0.3 else None
        yield Generated(day, title, details, rng.choice(KINDS), service, rng.choice(OUTCOMES),
                        rng.choice(COMPETENCIES), metric)


def build_levelup(home: Path, n: int, today: date) -> None:
    """A fresh ledger in ``home`` holding ``n`` generated entries (bulk inserts)."""
    from levelup.context import LOCAL_OWNER
    from levelup.domain.models import Entry, Label, Metric
    from levelup.store.db import open_ledger
    from levelup.store.entry_upserts import upsert_entries
    from levelup.store.scope import scoped

    engine = scoped(open_ledger(f"sqlite:///{home / 'ledger.db'}"), LOCAL_OWNER)
    batch: list[Entry] = []
    with engine.begin() as conn:
        for i, g in enumerate(generate(n, today)):
            batch.append(Entry(
                title=g.title, date=g.day, details=g.details, kind=g.kind, project=g.project,
                outcomes=[Label(id=g.outcome, confirmed=i % 3 == 0, score=0.6)],
                competencies=[Label(id=g.competency, confirmed=i % 3 == 0, score=0.5)],
                metrics=[Metric(name=g.metric[0], baseline=g.metric[1], result=g.metric[2],
                                unit=g.metric[3])] if g.metric else [],
                source="bench", source_id=str(i)))
            if len(batch) == 5000:
                upsert_entries(conn, entries=batch)
                batch = []
        upsert_entries(conn, entries=batch)
    engine.dispose()


def build_jrnl(folder: Path, n: int, today: date) -> Path:
    """The same entries as a jrnl journal; returns its config file."""
    journal = folder / "journal.txt"
    with journal.open("w", encoding="utf-8") as out:
        for g in generate(n, today):
            out.write(f"[{g.day.isoformat()} 09:00] {g.title}.\n{g.details} @{g.project}\n\n")
    config = folder / "jrnl.yaml"
    config.write_text(
        "colors: {body: none, date: none, tags: none, title: none}\n"
        "default_hour: 9\ndefault_minute: 0\neditor: ''\nencrypt: false\nhighlight: false\n"
        "indent_character: '|'\n"
        f"journals: {{default: {{journal: '{journal}'}}}}\n"
        "linewrap: 79\ntagsymbols: '@'\ntemplate: false\ntimeformat: '%Y-%m-%d %H:%M'\n"
        "version: '4.6'\n", encoding="utf-8")
    return config


def wall(cmd: list[str], env: dict[str, str], timeout: float | None = None) -> float:
    """Seconds for one whole process, or infinity when it runs past ``timeout``."""
    return process(cmd, env, timeout=timeout).seconds


def bench_size(n: int, runs: int, args: argparse.Namespace, today: date,
               jrnl_bin: Path) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="levelup-bench-ledger-") as tmp:
        work = Path(tmp)
        work.chmod(0o700)
        began = time.perf_counter()
        build_levelup(work, n, today)
        config = build_jrnl(work, n, today)
        print(f"{n} entries generated into levelup and jrnl in {time.perf_counter() - began:.1f} s",
              flush=True)
        env = {"LEVELUP_HOME": str(work), "LEVELUP_DATABASE_URL": ""}
        levelup, jrnl = [str(BIN / "levelup")], [str(jrnl_bin), "--config-file", str(config)]
        text = "Cut p99 latency of checkout from 900 to 250 ms so customers stop timing out"
        ops = {
            "log": (["log", text], [text]),
            "search": (["search", WORD], ["-contains", WORD]),
            "list": (["list", "--since", "last month"], ["-from", "last month"]),
        }
        rows = []
        for op, (ours, theirs) in ops.items():
            mine = pairs(lambda ours=ours: wall(levelup + ours, env), lambda: wall(FLOOR, {}),
                         runs)
            if op == "log" and n > args.jrnl_full_add:
                limit = args.jrnl_add_timeout
                other = pairs(lambda theirs=theirs, limit=limit: min(wall(jrnl + theirs, {}, limit),
                                                                   limit),
                              lambda ours=ours: wall(levelup + ours, env), 1, warm=0)
                note = "1 pair" + (f", jrnl stopped at {limit:.0f} s"
                                   if other.tool[0] >= limit else "")
            else:
                other = pairs(lambda theirs=theirs: wall(jrnl + theirs, {}),
                              lambda ours=ours: wall(levelup + ours, env), runs)
                note = f"{runs} pairs each"
            rows.append(_row(op, n, mine, other, note))
            print(rows[-1], flush=True)
        return rows


def _row(op: str, n: int, mine: Paired, other: Paired, note: str) -> str:
    target, here = TARGETS[op]
    took = mine.tool_median
    met = "met" if took <= target else ("met here*" if took <= here else "MISSED")
    return (f"| {op:<6} | {n:>7,} | {mine.spread()} | {took * 1000:5.0f} ms | "
            f"{mine.reference_median * 1000:5.0f} ms | {other.spread()} | "
            f"{other.tool_median * 1000:7.0f} ms | <= {target * 1000:.0f} ms: {met} | {note} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--jrnl-full-add", type=int, default=10_000,
                        help="Above this size jrnl's add runs once, with the timeout.")
    parser.add_argument("--jrnl-add-timeout", type=float, default=60.0)
    args = parser.parse_args()
    today = date.today()
    jrnl_bin = tool("jrnl", "jrnl==4.6")
    if jrnl_bin is None:
        sys.exit("jrnl is needed for the side-by-side figures")
    levelup_env()  # compiles levelup's bytecode before anything is timed
    header = ("| op | entries | levelup/floor (min-max) | levelup | floor | "
              "jrnl/levelup (min-max) | jrnl | target (levelup) | note |\n"
              "|---|---|---|---|---|---|---|---|---|")
    rows = [row for n in args.sizes for row in bench_size(n, args.runs, args, today, jrnl_bin)]
    print(f"\n{header}\n" + "\n".join(rows))
    print("Ratios are medians of per-pair ratios; times are medians on this machine, which is "
          "shared: read the ratios first.")
    print("* FACTS.md: on this machine <= 250 ms (log) and <= 300 ms (search, list) meet the "
          "targets, since importing SQLAlchemy alone costs 155-180 ms here (measured then).")


if __name__ == "__main__":
    main()
