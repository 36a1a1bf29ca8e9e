"""Benchmark `levelup import git` against `git log --numstat` (the floor) and `did`.

    .venv/bin/python bench/git_import.py [--commits 50000] [--pairs 5] [--did PATH]

did 0.23.1 is installed on first use into its own environment under bench/out/tools (with
Debian's libkrb5-dev, which its Kerberos dependency compiles against).

Builds a repository of COMMITS commits by five authors over two years with `git fast-import`
(merged PR branches included), then times, each as a whole process: plain `git log --numstat`
over the same commits (read through a pipe, as any importer reads git, and also written to
/dev/null, which costs git less), `levelup import git` (all history, and the last year) into
an empty ledger made by `levelup init` beforehand (as a user's first import finds it), the
same into no ledger at all (the import creates it: Alembic's migrations included), a re-run
with nothing new, and did's git plugin for the same author, over the year and over ten.
Beside did's year it times the one `git log` did runs and levelup's start-up floor: what a
"10x faster than did" import would have to undercut.
It repeats the floor and the import on this project's own repository when it has commits.
Peak memory is the largest resident set of the process tree (wait4 rusage). Each import is
alternated with its reference in pairs (ABBA order, tools.pairs): the import into an empty
ledger and the one of the last year with `git log --numstat` over the same commits, the
re-run with levelup's start-up floor; the ratio printed is the median of the per-pair ratios
with their minimum and maximum. Each import goes into its own ledger.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from tools import Paired, levelup_env, pairs, tool

ROOT = Path(__file__).resolve().parent.parent
LEVELUP = ROOT / ".venv" / "bin" / "levelup"
AUTHORS = [("Ada", "ada@example.com")] * 2 + [
    ("Bob", "bob@example.com"), ("Cy", "cy@example.com"), ("Di", "di@example.com")]
USER = "ada@example.com"


def build_repo(path: Path, commits: int, today: date) -> None:
    """A history of ``commits`` commits: mainline work plus a 4-commit PR every 25 commits."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True)
    start = datetime.combine(today - timedelta(days=730), datetime.min.time(), UTC)
    step = 730 * 86400 // commits
    proc = subprocess.Popen(["git", "-C", str(path), "fast-import", "--quiet"],
                            stdin=subprocess.PIPE)
    assert proc.stdin is not None
    write = proc.stdin.write
    main_mark, pr = 0, 0
    for n in range(1, commits + 1):
        name, email = AUTHORS[n % len(AUTHORS)]
        when = int(start.timestamp()) + n * step
        on_branch = n % 25 in (21, 22, 23, 24)
        ref = f"refs/heads/pr{pr}" if on_branch else "refs/heads/main"
        parent = main_mark if (not on_branch or n % 25 == 21) else n - 1
        msg = f"{'feat' if n % 3 else 'fix'}: change {n} in area {n % 40} (JIRA-{n % 900 + 1})"
        merge = n % 25 == 0
        if merge:
            msg = f"Merge pull request #{pr} from {name.lower()}/pr{pr}\n\nPR {pr} work"
        files = "".join(
            f"M 100644 inline d{(n + k * 7) % 40}/f{(n * 3 + k) % 50}.txt\ndata <<EOF\n"
            f"line {n} {k}\n" + "same\n" * 8 + f"end {n}\nEOF\n" for k in range(2))
        head = (f"commit {ref}\nmark :{n}\nauthor {name} <{email}> {when} +0000\n"
                f"committer {name} <{email}> {when} +0000\ndata {len(msg.encode())}\n{msg}\n")
        write(head.encode())
        if parent:
            write(f"from :{parent}\n".encode())
        if merge:
            write(f"merge :{n - 1}\n".encode())
        if not merge:
            write(files.encode())
        write(b"\n")
        if not on_branch:
            main_mark = n
        if n % 25 == 24:
            pr += 1
    proc.stdin.close()
    if proc.wait() != 0:
        sys.exit("git fast-import failed")
    subprocess.run(["git", "-C", str(path), "reset", "-q", "--hard", "main"], check=True)


def measure(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, bytes]:
    """Wall seconds, peak RSS in MB (largest process of the tree) and standard output."""
    began = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**levelup_env(), **(env or {})})
    assert proc.stdout is not None and proc.stderr is not None
    out = b""
    while chunk := proc.stdout.read(1 << 20):
        if len(out) < 1 << 16:
            out += chunk[: 1 << 16]
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - began
    if status != 0:
        sys.exit(f"{' '.join(cmd)} failed: {err.decode(errors='replace')[-2000:]}")
    return wall, usage.ru_maxrss / 1024, out


def _to_devnull(cmd: list[str]) -> float:
    """Wall seconds of ``cmd`` writing to /dev/null: what git costs with no reader at all."""
    began = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - began


def levelup_import(home: Path, repo: Path, user: str, *extra: str) -> tuple[float, float, bytes]:
    return measure([str(LEVELUP), "import", "git", str(repo), "--author", user, "--json", *extra],
                   env=_home(home))


def initialised(home: Path) -> Path:
    """``home`` with an empty ledger, as `levelup init` leaves it (not timed)."""
    measure([str(LEVELUP), "init", "--name", "Ada", "--level", "L3", "--target", "L4"],
            env=_home(home))
    return home


def _home(home: Path) -> dict[str, str]:
    return {"LEVELUP_HOME": str(home), "LEVELUP_DATABASE_URL": ""}


def did_git(repo: Path, user: str, since: date, until: date) -> list[str]:
    """The one `git log` did's git plugin runs for a report (did/plugins/git.py in 0.23.1)."""
    return ["git", "-C", str(repo), "log", "--all", f"--author={user}",
            f"--since={since} 00:00:00", f"--until={until} 00:00:00", "--format=format:%h - %s"]


def faster(name: str, seconds: float, other: str, other_seconds: float) -> str:
    """Which of two timings is faster and by how much, said the right way round."""
    if seconds <= other_seconds:
        return f"{name} {other_seconds / seconds:.1f}x faster than {other}"
    return f"{other} {seconds / other_seconds:.1f}x faster than {name}"


def did_year(did: str, repo: Path, user: str, since: date, until: date, work: Path) -> float | None:
    if not Path(did).exists():
        return None
    (work / "config").write_text(
        f"[general]\nemail = {user}\n[git]\ntype = git\npaths = {repo}\n")
    wall, _, _ = measure([did, "--since", since.isoformat(), "--until", until.isoformat()],
                         env={"DID_DIR": str(work)})
    return wall


PAIRS = 5  # import and git log alternate in this many pairs (ABBA order, see tools.pairs)
RUNS = 3  # the other floors are medians of this many runs
# What every levelup command pays before it does anything (as in bench/ledger.py).
STARTUP = [str(ROOT / ".venv" / "bin" / "python"), "-c", "import gc, sqlalchemy; gc.freeze()"]


def row(label: str, seconds: float, mb: float | None = None, ratio: str = "") -> None:
    peak = f"{mb:7.0f} MB" if mb is not None else " " * 10
    print(f"  {label:<46} {seconds:7.2f} s {peak}  {ratio}")


class Imports:
    """Fresh ledgers for timed imports, each made by `levelup init` beforehand (not timed)."""

    def __init__(self, work: Path, repo: Path, user: str) -> None:
        self.work, self.repo, self.user, self.made = work, repo, user, 0
        self.peak = 0.0
        self.summary = b""

    def run(self, *extra: str, init: bool = True) -> float:
        self.made += 1
        home = self.work / f"home{self.made}"
        if init:
            initialised(home)
        wall, mb, out = levelup_import(home, self.repo, self.user, *extra)
        self.peak, self.summary = max(self.peak, mb), out
        return wall


def paired_row(label: str, paired: Paired, mb: float | None, against: str) -> None:
    row(label, paired.tool_median, mb, f"{paired.spread()} {against}, {len(paired.tool)} pairs")


def bench_repo(repo: Path, work: Path, did: str, today: date, user: str = USER,
               runs: int = PAIRS) -> None:
    year = today - timedelta(days=365)
    git = ["git", "-C", str(repo), "log", "--use-mailmap", "--numstat"]
    git_year = [*git, f"--since={year} 00:00:00"]
    imports = Imports(work, repo, user)
    # the import against `git log --numstat` through a pipe, alternated in pairs
    full = pairs(imports.run, lambda: measure(git)[0], runs)
    full_mb, out = imports.peak, imports.summary
    home = work / f"home{imports.made}"  # a full import's ledger: for the re-run
    created = pairs(lambda: imports.run(init=False), lambda: measure(git)[0], RUNS, warm=0)
    imports.peak = 0.0
    yearly = pairs(lambda: imports.run("--since", year.isoformat()),
                   lambda: measure(git_year)[0], runs, warm=0)
    yearly_mb = imports.peak
    again = pairs(lambda: levelup_import(home, repo, user)[0], lambda: _to_devnull(STARTUP),
                  RUNS)
    quiet_floor = statistics.median(_to_devnull(git) for _ in range(RUNS))
    mine_floor, _, _ = measure([*git, f"--author={user}"])
    did_s = did_year(did, repo, user, year, today, work)
    count = subprocess.run(["git", "-C", str(repo), "rev-list", "--count", "HEAD"],
                           capture_output=True, text=True).stdout.strip()
    print(f"\n{repo} ({count} commits); levelup summary: {out.decode()[:160].split(chr(10))}")
    print("  ratios: median of per-pair ratios (min-max), import and reference alternated")
    row("git log --numstat, all commits (reference)", full.reference_median)
    row("the same, output to /dev/null (no reader)", quiet_floor, None,
        f"import {full.tool_median / quiet_floor:.2f}x this")
    row("git log --numstat --author (user's commits)", mine_floor, None,
        f"import {full.tool_median / mine_floor:.2f}x this")
    paired_row("levelup import git, empty ledger", full, full_mb, "git log --numstat")
    paired_row("levelup import git, no ledger yet (creates it)", created, None,
               "git log --numstat")
    paired_row("levelup import git --since a year", yearly, yearly_mb,
               "git log --numstat --since a year")
    paired_row("levelup import git, re-run, nothing new", again, None, "start-up floor")
    if did_s is not None:
        row("did (git plugin), same author and year", did_s, None,
            faster("levelup", yearly.tool_median, "did", did_s))
        did_log = statistics.median(
            _to_devnull(did_git(repo, user, year, today)) for _ in range(RUNS))
        row("  did's own git log alone (no numstat)", did_log)
        start = again.reference_median
        row("levelup's start-up floor (import sqlalchemy)", start)
        budget = did_s / 10
        print(f"  10x faster than did means <= {budget:.2f} s: "
              f"{'below' if budget < did_log else 'above'} did's own git log and "
              f"{'below' if budget < start else 'above'} levelup's start-up floor")
        did_all = did_year(did, repo, user, today - timedelta(days=3650), today, work)
        row("did, the author's last ten years", did_all or 0.0, None,
            faster("levelup's full import", full.tool_median, "did", did_all or 0.0))
    else:
        print(f"  did not found at {did}: see bench/tools.py")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commits", type=int, default=50_000)
    parser.add_argument("--pairs", type=int, default=PAIRS,
                        help="pairs of import and git log per figure")
    parser.add_argument("--did", help="did's executable (default: installed under bench/out)")
    args = parser.parse_args()
    if args.did is None:
        found = tool("did", "did==0.23.1")
        args.did = str(found) if found else "did"
    levelup_env()  # compiles levelup's bytecode before anything is timed
    today = date.today()
    with tempfile.TemporaryDirectory(prefix="levelup-bench-") as tmp:
        work = Path(tmp)
        repo = work / "synthetic"
        began = time.perf_counter()
        build_repo(repo, args.commits, today)
        print(f"built {args.commits} commits with git fast-import in "
              f"{time.perf_counter() - began:.1f} s")
        (work / "a").mkdir()
        bench_repo(repo, work / "a", args.did, today, runs=args.pairs)
        own = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "-q", "--verify", "HEAD"],
                             capture_output=True)
        if own.returncode == 0:
            (work / "b").mkdir()
            author = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%aE"],
                                    capture_output=True, text=True).stdout.strip()
            bench_repo(ROOT, work / "b", args.did, today, author, runs=args.pairs)
        else:
            print(f"\n{ROOT} has no commits yet: skipped")


if __name__ == "__main__":
    main()
