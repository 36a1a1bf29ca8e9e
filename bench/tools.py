"""Shared helpers for the benchmarks: reference tools, whole-process timing, paired runs.

    tool("jrnl", "jrnl==4.6")  ->  Path to bench/out/tools/jrnl/bin/jrnl

The first call creates the environment and installs the pinned requirement; later calls reuse
it. Tools stay out of levelup's own environment so that their dependencies cannot change ours.

    result = pairs(lambda: process(levelup_cmd, env).seconds, lambda: process(FLOOR).seconds, 7)
    print(result.summary())  ->  "412 ms vs 180 ms: 2.29x (2.10-2.51, 7 pairs)"

A shared machine's speed drifts over seconds, so a figure means something only next to its
reference measured at the same moment: ``pairs`` alternates the two (ABBA order, so neither
always runs first) and reports the ratio of each pair, with its median, minimum and maximum.
"""

from __future__ import annotations

import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "bench" / "out" / "tools"
BIN = ROOT / ".venv" / "bin"
# The start-up floor every levelup command pays: the interpreter and SQLAlchemy, leaving the way
# levelup does (gc.freeze, see cli/main.py).
FLOOR = [str(BIN / "python"), "-c", "import gc, sqlalchemy; gc.freeze()"]
GNU_TIME = shutil.which("time", path="/usr/bin:/bin")  # GNU time, for a child's own peak memory
# did's Kerberos dependency (gssapi) compiles against these headers.
APT_NEEDS = {"did": ("libkrb5-dev", "krb5-config")}


def tool(script: str, requirement: str) -> Path | None:
    """The console script ``script`` of ``requirement``, installed on first use; None if it
    cannot be installed here (the reason is printed)."""
    venv = TOOLS / script
    path = venv / "bin" / script
    if path.exists():
        return path
    debian, probe = APT_NEEDS.get(script, ("", ""))
    if debian and shutil.which(probe) is None:
        print(f"installing Debian's {debian} for {script}…", flush=True)
        for step in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", debian]):
            subprocess.run(step, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    print(f"installing {requirement} into {venv}…", flush=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    done = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q",
                           requirement], capture_output=True, text=True, check=False)
    if done.returncode != 0 or not path.exists():
        print(f"could not install {requirement}: {done.stderr.strip()[-400:]}")
        return None
    return path


@cache
def levelup_env() -> dict[str, str]:
    """The environment for timing levelup as users run it: bytecode compiled and reused.

    A pip install compiles levelup's modules once; an editable install under
    PYTHONDONTWRITEBYTECODE=1 would compile them again in every process.
    """
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], check=True)
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


@dataclass(frozen=True, slots=True)
class Run:
    """One whole process: wall seconds, CPU seconds (user + system) and peak resident memory."""

    seconds: float
    cpu: float
    peak_mb: float


def process(cmd: Sequence[str], env: Mapping[str, str] | None = None, *,
            timeout: float | None = None) -> Run:
    """Run ``cmd`` as one whole process (no shell, stdin empty, output discarded) and measure it.

    ``env`` is laid over levelup_env(). A failing command ends the benchmark with its error
    output; a run past ``timeout`` is killed and gives infinite seconds.
    """
    # A child's peak memory starts at its parent's (Linux keeps the high-water mark across
    # fork and exec), and this benchmark's process holds levelup and its data: so the command
    # runs under GNU time, a small process, which reports its child's own peak.
    report = tempfile.NamedTemporaryFile(prefix="levelup-bench-rss-", delete=False)
    report.close()
    wrapped = [GNU_TIME, "-f", "%M", "-o", report.name, *cmd] if GNU_TIME else list(cmd)
    began = time.perf_counter()
    child = subprocess.Popen(wrapped, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             stdin=subprocess.DEVNULL, env={**levelup_env(), **(env or {})},
                             start_new_session=True)  # a timeout ends the command with time
    timer = (threading.Timer(timeout, os.killpg, (child.pid, signal.SIGKILL)) if timeout
             else None)
    if timer:
        timer.start()
    assert child.stderr is not None
    err = child.stderr.read()  # until the child exits (or closes stderr)
    # wait4 rather than wait: it gives this one child's CPU time and peak memory.
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - began
    child.returncode = os.waitstatus_to_exitcode(status)
    child.stderr.close()
    peak_kb = _reported_peak(Path(report.name)) if GNU_TIME else usage.ru_maxrss
    if timer:
        timer.cancel()
        if child.returncode == -signal.SIGKILL:
            return Run(float("inf"), float("inf"), peak_kb / 1024)
    if child.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({child.returncode}): "
                 f"{err.decode(errors='replace')[-1500:]}")
    return Run(seconds, usage.ru_utime + usage.ru_stime, peak_kb / 1024)


def _reported_peak(path: Path) -> float:
    """The peak resident memory (KB) GNU time wrote to ``path`` (its last line), then gone."""
    try:
        lines = path.read_text().split()
    finally:
        path.unlink(missing_ok=True)
    return float(lines[-1]) if lines and lines[-1].isdigit() else float("nan")


@dataclass(frozen=True, slots=True)
class Paired:
    """Runs of a tool and its reference taken in alternation; ``ratios`` are tool/reference."""

    tool: tuple[float, ...]
    reference: tuple[float, ...]

    @property
    def ratios(self) -> tuple[float, ...]:
        return tuple(t / r for t, r in zip(self.tool, self.reference, strict=True))

    @property
    def ratio(self) -> float:
        """The median of the per-pair ratios (not the ratio of the medians)."""
        return statistics.median(self.ratios)

    @property
    def tool_median(self) -> float:
        return statistics.median(self.tool)

    @property
    def reference_median(self) -> float:
        return statistics.median(self.reference)

    def spread(self) -> str:
        """'2.29x (2.10-2.51)': median per-pair ratio with its minimum and maximum."""
        return f"{self.ratio:.2f}x ({min(self.ratios):.2f}-{max(self.ratios):.2f})"

    def summary(self, unit: float = 1000.0, suffix: str = "ms") -> str:
        return (f"{self.tool_median * unit:.0f} {suffix} vs {self.reference_median * unit:.0f} "
                f"{suffix}: {self.spread()}, {len(self.tool)} pairs")


def pairs(tool: Callable[[], float], reference: Callable[[], float], runs: int = 7, *,
          warm: int = 1) -> Paired:
    """Measure ``tool`` and ``reference`` ``runs`` times each, alternating them in pairs.

    Each callable does one run and returns its figure (seconds, usually ``process(...).seconds``).
    ``warm`` unrecorded runs of each come first (page cache, bytecode). Pairs go in ABBA order
    (tool first, then reference first, ...) so a steady drift does not favour either side.
    """
    for _ in range(warm):
        tool()
        reference()
    mine: list[float] = []
    theirs: list[float] = []
    for i in range(runs):
        if i % 2 == 0:
            mine.append(tool())
            theirs.append(reference())
        else:
            theirs.append(reference())
            mine.append(tool())
    return Paired(tuple(mine), tuple(theirs))


def floor() -> float:
    """One run of the start-up floor, in wall seconds."""
    return process(FLOOR).seconds
