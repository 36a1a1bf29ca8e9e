"""Export → import → export gives the same document, on generated ledgers.

    .venv/bin/python bench/roundtrip.py [--count 1000] [--seed 1]   (Ctrl-C: stop and report)

Each ledger is filled through the commands a user types (run in-process): entries with random
kinds, dates, projects, outcomes, competencies, metrics, links, story fields and details in
many scripts (accents, CJK, emoji, right-to-left, combining marks, quotes, newlines);
stakeholders, who heard about what, feedback, expectations, check-ins, opportunities and
plans; some entries deleted. Then `levelup export`, `levelup import json` into an empty
ledger, `levelup export` again: the two documents must be equal but for `exported_at`.
Prints how many ledgers, records and round trips, and the failures.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

KINDS = ["win", "invisible", "learning", "incident", "prevention", "mentoring", "plan"]
OUTCOMES = ["safety", "revenue", "profit", "culture", "sla", "kpi", "people"]
COMPETENCIES = ["craft", "delivery", "ownership", "influence", "mentoring", "communication",
                "strategy", "collaboration"]
RELATIONS = ["manager", "skip-level", "peer", "partner"]
VIA = ["1:1", "weekly-report", "demo", "email", "chat"]
WORDS = ["latency", "deploy", "runbook", "café", "naïve", "Zürich", "日本語", "данные", "שלום",
         "مرحبا", "🚀", "e\u0301", "“quoted”", "it's", "a\\b", "100%", "<b>", "&amp;", "$HOME",
         "tab\there", "line\nbreak", "Ⅻ", "ß", "İstanbul", "ǅ", "ﬁ", "x" * 60]
FIRST = ["Ada", "Grace", "Linus", "Zoë", "José", "Małgorzata", "Nguyễn", "李", "O'Brien"]
LAST = ["Lovelace", "Hopper", "Ng", "Müller", "Søren", "García-López", "van der Berg"]


def words(rng: random.Random, low: int = 1, high: int = 8) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def day(rng: random.Random) -> str:
    return (date(2026, 11, 20) - timedelta(days=rng.randint(0, 700))).isoformat()


def entry_args(rng: random.Random) -> list[str]:
    args = ["log", f"{rng.choice(['Fixed', 'Shipped', 'Cut'])} {words(rng)}", "-q",
            "--date", day(rng), "--kind", rng.choice(KINDS)]
    if rng.random() < 0.5:
        args += ["--project", words(rng, 1, 2).replace("\n", " ")]
    for option, choices in (("--outcome", OUTCOMES), ("--competency", COMPETENCIES)):
        for label in rng.sample(choices, rng.randint(0, 2)):
            args += [option, label]
    for _ in range(rng.randint(0, 2)):
        before = rng.randint(1, 5000)
        args += ["--metric", f"{rng.choice(['p99', 'pages', 'cost'])}: {before} -> "
                             f"{rng.randint(0, 5000)} {rng.choice(['ms', '%', 'USD', ''])}"]
    if rng.random() < 0.3:
        args += ["--link", f"https://example.com/{rng.randint(1, 10**6)}?q={rng.random()}"]
    for option in ("--details", "--context", "--why", "--did", "--result-now", "--prevented"):
        if rng.random() < 0.3:
            args += [option, words(rng, 1, 20)]
    return args


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def commands(rng: random.Random) -> list[list[str]]:
    """What one generated ledger is made of, in order."""
    out = [entry_args(rng) for _ in range(rng.randint(1, 12))]
    people = sorted({person(rng) for _ in range(rng.randint(0, 4))})
    for name in people:
        args = ["stakeholder", "add", name, "--relation", rng.choice(RELATIONS)]
        if rng.random() < 0.5:
            args += ["--decision-maker", "--notes", words(rng)]
        out.append(args)
    entries = len(out) - len(people)
    for name in people:
        if rng.random() < 0.7:
            ids = [str(i) for i in rng.sample(range(1, entries + 1), rng.randint(1, entries))]
            out.append(["tell", name, *ids, "--via", rng.choice(VIA), "--date", "2026-11-20"])
        if rng.random() < 0.5:
            out.append(["feedback", "add", words(rng), "--from", name, "--date", day(rng),
                        *(["--constructive", "--follow-up", words(rng)]
                          if rng.random() < 0.5 else ["--quotable"])])
    if rng.random() < 0.5:
        out.append(["expect", "add", words(rng), "--kind",
                    rng.choice(["responsibility", "deliverable", "critical-task"]),
                    "--date", day(rng)])
    if rng.random() < 0.3:
        out.append(["checkin", "--score", f"listening={rng.randint(1, 5)}", "--notes",
                    words(rng), "--date", day(rng)])
    if rng.random() < 0.3:
        out.append(["opportunity", "add", words(rng), "--kind",
                    rng.choice(["usability", "speed", "scale", "quality"])])
    if rng.random() < 0.3:
        out.append(["plan", words(rng)])
    if entries > 2 and rng.random() < 0.3:
        out.append(["delete", str(rng.randint(1, entries)), "--yes"])
    return out


class Ledger:
    """An in-process `levelup` on a ledger in ``home`` (copied from an empty template)."""

    def __init__(self, template: Path, home: Path) -> None:
        from levelup.cli.common import Env
        from levelup.settings import load

        shutil.copytree(template, home)
        settings = load(environ={}, home=home, database_url=f"sqlite:///{home}/ledger.db")
        self.env = Env(settings=settings, today=date(2026, 11, 20))

    def run(self, args: list[str]) -> Any:
        from click.testing import CliRunner

        from levelup.cli.main import command

        result = CliRunner().invoke(command(), args, obj=self.env, catch_exceptions=True)
        if result.exit_code != 0:
            raise RuntimeError(f"`{' '.join(args)[:200]}` exit {result.exit_code}: "
                               f"{result.output.strip()[-300:]}")
        return result

    def close(self) -> None:
        self.env.close()


def comparable(path: Path) -> dict[str, Any]:
    doc = json.loads(path.read_text())
    doc.pop("exported_at", None)
    return dict(doc)


def first_difference(a: Any, b: Any, where: str = "") -> str:
    if type(a) is not type(b):
        return f"{where}: {a!r:.80} != {b!r:.80}"
    if isinstance(a, dict):
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                return first_difference(a.get(key), b.get(key), f"{where}.{key}")
    if isinstance(a, list):
        if len(a) != len(b):
            lost = [item for item in a if item not in b][:1]
            return f"{where}: {len(a)} items != {len(b)}, e.g. {json.dumps(lost)[:300]}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                return first_difference(x, y, f"{where}[{i}]")
    return f"{where}: {a!r:.80} != {b!r:.80}"


def round_trip(root: Path, template: Path, n: int, rng: random.Random) -> tuple[int, str]:
    """Records exported, and what differed ("" when the round trip is equal)."""
    source, target = Ledger(template, root / f"a{n}"), Ledger(template, root / f"b{n}")
    try:
        for args in commands(rng):
            source.run(args)
        first, second = root / f"a{n}.json", root / f"b{n}.json"
        source.run(["export", "-o", str(first)])
        target.run(["import", "json", str(first)])
        target.run(["export", "-o", str(second)])
        a, b = comparable(first), comparable(second)
        records = sum(len(v) for v in a.values() if isinstance(v, list))
        return records, "" if a == b else first_difference(a, b)
    finally:
        source.close()
        target.close()
        for path in root.iterdir():
            if path.name.startswith((f"a{n}", f"b{n}")):
                shutil.rmtree(path) if path.is_dir() else path.unlink()


def template_ledger(root: Path) -> Path:
    from levelup.store.db import open_ledger

    home = root / "template"
    home.mkdir()
    open_ledger(f"sqlite:///{home}/ledger.db").dispose()
    return home


def run(count: int, seed: int, report: Callable[[str], None] = lambda _: None
        ) -> tuple[int, int, list[str]]:
    """``count`` round trips: (ledgers, records, failures)."""
    rng = random.Random(seed)
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    failures: list[str] = []
    records = 0
    with tempfile.TemporaryDirectory(prefix="levelup-roundtrip-") as folder:
        root = Path(folder)
        template = template_ledger(root)
        for n in range(count):
            if stop.is_set():
                return n, records, failures  # Ctrl-C: report what was done
            try:
                got, difference = round_trip(root, template, n, rng)
            except RuntimeError as exc:
                failures.append(f"ledger {n}: {exc}")
                continue
            records += got
            if difference:
                failures.append(f"ledger {n}: {difference}")
            if n % 25 == 24:
                report(f"{n + 1} ledgers, {len(failures)} failed")
    return count, records, failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="generated ledgers")
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    began = time.perf_counter()
    ledgers, records, failures = run(options.count, options.seed,
                                     lambda line: print(line, flush=True))
    print(f"{ledgers} ledgers, {records} records exported, round trips equal "
          f"{ledgers - len(failures)}, FAILED {len(failures)} "
          f"({time.perf_counter() - began:.0f} s)")
    for failure in failures[:10]:
        print("   ", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
