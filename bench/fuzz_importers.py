"""Mutated files through every file importer: no traceback, no hang, nothing half-written.

    .venv/bin/python bench/fuzz_importers.py [--count 10000] [--seed 1] [--timeout 20]

Takes the real export files in tests/fixtures (jrnl, Markdown, calendar, Jira CSV, tabular
CSV/JSON, incident CSV/JSON, GitHub saved JSON), mutates each at random (bytes flipped, cut,
repeated, junk and NUL inserted, numbers made huge, other encodings, long lines, deep nesting,
lines of another format spliced in), and imports COUNT of them in-process (`levelup import
…`, every other one with --skip-bad; Ctrl-C stops and reports) into one SQLite ledger per
importer. A run fails on: a traceback; a run past TIMEOUT seconds of CPU (wall time means
little on a busy machine); an error line over 400 characters; a failed import that changed
the ledger (entries, conversations, incidents). Prints counts per importer and the peak
memory of the process.
"""

from __future__ import annotations

import argparse
import random
import resource
import signal
import sqlite3
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
CSV_MAP = ("--map", "title=Summary", "--map", "date=Closed", "--map", "project=Team",
           "--map", "details=Notes", "--map", "metric=Impact", "--map", "outcome=Outcome",
           "--map", "kind=Kind", "--map", "link=Ticket")
YEAR = ("--since", "2026-01-01", "--until", "2026-12-31")
# importer -> (fixtures, options)
TARGETS: dict[str, tuple[list[str], tuple[str, ...]]] = {
    "jrnl": (["jrnl/journal.txt", "jrnl/export.json"], ()),
    "markdown": (["markdown/brag.md"], ()),
    "calendar": (["calendar/google.ics", "calendar/outlook.ics"],
                 ("--manager", "Grace Hopper", *YEAR)),
    "jira": (["jira/export.csv", "jira/export_de.csv", "jira/export_fr.csv"], YEAR),
    "csv": (["tabular/work.csv", "tabular/work.json"], CSV_MAP),
    "incidents": (["incidents/pagerduty.csv", "incidents/opsgenie.csv",
                   "incidents/pagerduty-page1.json"], ()),
    "github": (["github/gh-pr-list.json", "github/pulls-paginated.json", "github/search.json"],
               ("--user", "ada")),
}
SAMPLES = [(FIXTURES / path).read_bytes() for files, _ in TARGETS.values() for path in files]


class Hang(BaseException):
    """Raised by the timer: an import ran past its CPU time (BaseException: nothing swallows
    it)."""


# mutations -----------------------------------------------------------------------------------


def _flip(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _cut(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + data[at + rng.randint(1, 200):]


def _repeat(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) + 1)
    piece = data[at:at + rng.randint(1, 400)]
    to = rng.randrange(len(data) + 1)
    return data[:to] + piece * rng.randint(1, 50) + data[to:]


JUNK = [b"\x00", b"\xff\xfe", b"\xc3\x28", "é€𝄞".encode(), b"\r", b"\n\n\n", b'"', b",,,,",
        b"{", b"[", b"}", b"]", b"\\", b"'", b"\t", b"BEGIN:VEVENT\n", b"END:VCALENDAR\n",
        b"- ", b"# ", b"## ", b"@tag", b"[2026-13-45 25:61] ", b"null", b"true", b"-1", b"1e309",
        "\u202e\u0000\u200b".encode()]


def _junk(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + b"".join(rng.choices(JUNK, k=rng.randint(1, 6))) + data[at:]


def _huge_number(data: bytes, rng: random.Random) -> bytes:
    digits = [i for i, b in enumerate(data) if 48 <= b <= 57]
    if not digits:
        return data
    at = rng.choice(digits)
    number = rng.choice([b"99999999999999999999", b"-1", b"0", b"1e400", b"9" * 400,
                         b"00000000000000000000000000000000000000000000000000"])
    return data[:at] + number + data[at + 1:]


def _encoding(data: bytes, rng: random.Random) -> bytes:
    text = data.decode("utf-8", errors="replace")
    codec = rng.choice(["latin-1", "utf-16", "utf-8-sig", "cp1252", "utf-32"])
    return text.encode(codec, errors="replace")


def _long_line(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) + 1)
    filler = rng.choice([b" ", b"a", b"-", b"\t", b"x,", b"*", b"#", b"\\"])
    return data[:at] + filler * rng.choice([1_000, 100_000, 1_000_000]) + data[at:]


def _nest(data: bytes, rng: random.Random) -> bytes:
    depth = rng.choice([50, 1_000, 100_000])
    opener, closer = rng.choice([(b"[", b"]"), (b'{"a":', b"}")])
    at = rng.randrange(len(data) + 1)
    return data[:at] + opener * depth + closer * depth + data[at:]


def _splice(data: bytes, rng: random.Random) -> bytes:
    other = rng.choice(SAMPLES)
    lines, theirs = data.splitlines(keepends=True), other.splitlines(keepends=True)
    if not lines or not theirs:
        return data + other
    at = rng.randrange(len(lines) + 1)
    start = rng.randrange(len(theirs))
    return b"".join(lines[:at] + theirs[start:start + rng.randint(1, 20)] + lines[at:])


def _shuffle_lines(data: bytes, rng: random.Random) -> bytes:
    lines = data.splitlines(keepends=True)
    if len(lines) > 1:
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    return b"".join(lines)


def _empty(data: bytes, rng: random.Random) -> bytes:
    return rng.choice([b"", b"\n", data[: rng.randint(0, 20)], b"\x00" * 100])


MUTATIONS: list[Callable[[bytes, random.Random], bytes]] = [
    _flip, _cut, _repeat, _junk, _huge_number, _encoding, _long_line, _nest, _splice,
    _shuffle_lines, _empty,
]


def mutate(data: bytes, rng: random.Random) -> bytes:
    for _ in range(rng.choice([1, 1, 2, 3])):
        data = rng.choice(MUTATIONS)(data, rng)
    return data


# running -------------------------------------------------------------------------------------


@dataclass
class Tally:
    files: Counter[str] = field(default_factory=Counter)
    imported: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)  # one clear line, exit non-zero
    failures: list[str] = field(default_factory=list)
    slowest: float = 0.0


def _state(path: Path) -> tuple[int, ...]:
    with sqlite3.connect(path) as conn:
        return tuple(conn.execute(f"SELECT count(*), coalesce(max(id), 0) FROM {table}")
                     .fetchone()[i] for table in ("entries", "conversations", "incidents")
                     for i in (0, 1))


def _alarm(_signum: int, _frame: Any) -> None:
    raise Hang


class Ledgers:
    """One SQLite ledger per importer, made on first use (and again after a hang)."""

    def __init__(self, root: Path) -> None:
        self.root, self.envs, self.made = root, {}, 0

    def get(self, name: str) -> Any:
        from levelup.cli.common import Env
        from levelup.settings import load

        if name not in self.envs:
            self.made += 1
            home = self.root / f"{name}-{self.made}"
            settings = load(environ={}, home=home, database_url=f"sqlite:///{home}/ledger.db")
            env = Env(settings=settings, today=date(2026, 11, 20))
            env.ctx.engine()
            self.envs[name] = (env, home / "ledger.db")
        return self.envs[name]

    def forget(self, name: str) -> None:
        env, _ = self.envs.pop(name)
        env.close()


def run_one(ledgers: Ledgers, name: str, path: Path, options: tuple[str, ...],
            timeout: int, tally: Tally, where: str) -> None:
    from click.testing import CliRunner

    from levelup.cli.main import command

    env, ledger = ledgers.get(name)
    before = _state(ledger)
    began = time.perf_counter()
    signal.setitimer(signal.ITIMER_PROF, timeout)
    try:
        result = CliRunner().invoke(command(), ["import", name, str(path), *options], obj=env,
                                    catch_exceptions=True)
    except Hang:
        result = None
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
    tally.slowest = max(tally.slowest, time.perf_counter() - began)
    tally.files[name] += 1
    if result is None or isinstance(result.exception, Hang):
        tally.failures.append(f"{where}: not done after {timeout} s of CPU")
        ledgers.forget(name)
        return
    problem = _problem(result, before, _state(ledger))
    if problem:
        tally.failures.append(f"{where}: {problem}")
    elif result.exit_code == 0:
        tally.imported[name] += 1
    else:
        tally.refused[name] += 1


def _problem(result: Any, before: tuple[int, ...], after: tuple[int, ...]) -> str:
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return f"traceback: {type(result.exception).__name__}: {str(result.exception)[:200]}"
    if "Traceback" in result.output:
        return "traceback in the output"
    if any(len(line) > 400 for line in result.output.splitlines() if "error" in line):
        return "an error line over 400 characters"
    if result.exit_code != 0 and before != after:
        return f"failed (exit {result.exit_code}) yet changed the ledger {before} -> {after}"
    return ""


def fuzz(count: int, seed: int, timeout: int, keep: Path | None = None) -> Tally:
    """Import ``count`` mutated files; ``keep`` gets a copy of each file that failed."""
    rng = random.Random(seed)
    tally = Tally()
    plan = [(name, file, options) for name, (files, options) in TARGETS.items()
            for file in files]
    signal.signal(signal.SIGPROF, _alarm)
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    with tempfile.TemporaryDirectory(prefix="levelup-fuzz-") as folder:
        root = Path(folder)
        ledgers = Ledgers(root)
        for n in range(count):
            if stop.is_set():
                break  # Ctrl-C: report what was done
            if n and n % 250 == 0:
                print(f"{n} files, {len(tally.failures)} failed", flush=True)
            name, file, options = plan[n % len(plan)]
            data = mutate((FIXTURES / file).read_bytes(), rng)
            path = root / f"{n}{Path(file).suffix}"
            path.write_bytes(data)
            flags = (*options, "--skip-bad") if n % 2 else options
            failed = len(tally.failures)
            run_one(ledgers, name, path, flags, timeout, tally, f"#{n} {name} ({file})")
            if keep is not None and len(tally.failures) > failed:
                keep.mkdir(parents=True, exist_ok=True)
                (keep / path.name).write_bytes(data)
            path.unlink()
        for env, _ in ledgers.envs.values():
            env.close()
    return tally


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="mutated files to import")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=int, default=20, help="CPU seconds per file")
    parser.add_argument("--keep", type=Path, help="copy the files that failed here")
    options = parser.parse_args()
    began = time.perf_counter()
    tally = fuzz(options.count, options.seed, options.timeout, options.keep)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for name in TARGETS:
        print(f"{name:<10} files {tally.files[name]:>6}  imported {tally.imported[name]:>6}  "
              f"refused in one line {tally.refused[name]:>6}")
    print(f"total {sum(tally.files.values())} files in {time.perf_counter() - began:.0f} s, "
          f"slowest {tally.slowest:.1f} s, peak memory {peak:.0f} MB; "
          f"FAILED {len(tally.failures)}")
    for failure in tally.failures[:20]:
        print("   ", failure)
    return 1 if tally.failures else 0


if __name__ == "__main__":
    sys.exit(main())
