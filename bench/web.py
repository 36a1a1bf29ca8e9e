"""Benchmark the web app: `levelup serve` on a big ledger under 20 concurrent clients.

    .venv/bin/python bench/web.py [--size 100000] [--clients 20] [--requests 400]
                                  [--old OLD_SRC] [--pairs 3]

Builds SIZE generated entries (bench/ledger.py's generator, owner-scoped) plus a profile in a
temp home, starts `levelup serve --no-open` on a free port of 127.0.0.1, signs in through the
printed URL, and times, with CLIENTS threads each holding its own connection: a static file
(the floor: the server's own cost, no ledger read), the dashboard, the ledger page, search as
you type (the ledger's partial page with growing prefixes of q=, as levelup.js asks it) and
capture (POST /api/v1/entries with a token from `levelup token create`). Prints p50/p95 and
requests/s for each, one capture through the API against one `levelup log` process in the same
run, and the server's peak memory (VmHWM), each with its target from the issue: met or missed.

With --old (the src folder of another tree, e.g. a `git worktree` of an older commit), a second
server runs that tree on its own copy of the same ledger (built by the older tree, upgraded by
the newer one on opening), and every page is timed in PAIRS pairs of batches, old then new,
so that both see the same machine; each row then shows both trees and the ratio of their p95
in each pair (median, min-max).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from itertools import cycle
from pathlib import Path
from threading import local

import httpx
from tools import levelup_env

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
TARGETS_MS = {"floor": 0.0, "dashboard": 150.0, "ledger": 100.0, "search": 100.0,
              "capture": 50.0}
MEMORY_MB = 300.0
SEARCHES = ["k", "ka", "kaf", "kafk", "kafka", "l", "la", "lat", "late", "latency", "m", "mi",
            "mig", "migr", "migrated", "r", "ru", "run", "runb", "runbook"]
BUILD = """
import sys
from datetime import date
from pathlib import Path
sys.path.insert(0, {bench!r})
from ledger import build_levelup
build_levelup(Path({home!r}), {size}, date.today())
"""


@dataclass
class Server:
    """One `levelup serve` of a source tree, signed in."""

    name: str
    src: str
    home: Path
    environ: dict[str, str]
    token: str = ""
    base: str = ""
    cookies: httpx.Cookies | None = None
    process: subprocess.Popen[str] | None = None

    def levelup(self, *args: str) -> list[str]:
        return [PY, "-m", "levelup", *args]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=400, help="Timed requests per page.")
    parser.add_argument("--runs", type=int, default=7, help="Captures timed one at a time.")
    parser.add_argument("--old", help="The src folder of an older tree, served side by side.")
    parser.add_argument("--pairs", type=int, default=3, help="Old/new batches per page.")
    parser.add_argument("--pages", default=",".join(TARGETS_MS),
                        help=f"Which to time, of {','.join(TARGETS_MS)}.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="levelup-bench-web-") as tmp:
        trees = {"new": str(ROOT / "src")} | ({"old": args.old} if args.old else {})
        servers = [Server(name, src, Path(tmp) / name, {}) for name, src in trees.items()]
        began = time.perf_counter()
        prepare(servers, args.size)
        print(f"{args.size:,} entries generated in {time.perf_counter() - began:.1f} s",
              flush=True)
        bench(args, servers[::-1])  # old first in each pair


def prepare(servers: list[Server], size: int) -> None:
    """The ledger built once by the oldest tree, with a profile and a token; a copy for each."""
    first = servers[-1]
    for server in servers:
        server.environ = {**levelup_env(), "LEVELUP_HOME": str(server.home),
                          "LEVELUP_DATABASE_URL": "", "PYTHONPATH": server.src}
    first.home.mkdir(mode=0o700)
    code = BUILD.format(bench=str(ROOT / "bench"), home=str(first.home), size=size)
    run([PY, "-c", code], first.environ)
    run(first.levelup("init", "--name", "Ada", "--level", "L3", "--target", "L4",
                      "--manager", "Grace"), first.environ)
    run(first.levelup("stakeholder", "add", "Linus", "--decision-maker"), first.environ)
    token = run(first.levelup("token", "create", "bench"), first.environ).strip()
    for server in servers:
        if server is not first:
            shutil.copytree(first.home, server.home)
        server.token = token


def run(cmd: list[str], environ: dict[str, str]) -> str:
    done = subprocess.run(cmd, env=environ, capture_output=True, text=True, check=False,
                          stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed: {done.stderr[-1500:]}")
    return done.stdout


def bench(args: argparse.Namespace, servers: list[Server]) -> None:
    try:
        for server in servers:
            start(server)
        rows = measure(servers, args)
        for server in servers:
            rows.append(compare_capture(server, args.runs))
        for server in servers:
            assert server.process is not None
            peak = peak_mb(server.process.pid)
            rows.append(f"| {server.name}: server peak RSS | {peak:.0f} MB | target <= "
                        f"{MEMORY_MB:.0f} MB: {'met' if peak <= MEMORY_MB else 'MISSED'} |")
    finally:
        for server in servers:
            stop(server)
    print(f"\nbench/web.py --size {args.size} --clients {args.clients} "
          f"--requests {args.requests}" + (f" --old {args.old} --pairs {args.pairs}"
                                           if args.old else ""))
    print("\n".join(rows))
    if timeouts:
        print(f"{len(timeouts)} request(s) failed: no answer in {TIMEOUT_S:.0f} s (counted as "
              f"{TIMEOUT_S:.0f} s) or an error status; the first: {timeouts[0]}")


def start(server: Server) -> None:
    port = free_port()
    log = server.home / "serve.log"
    with log.open("w", encoding="utf-8") as out:  # a file, never a pipe left full
        server.process = subprocess.Popen(
            server.levelup("serve", "--no-open", "--port", str(port)), env=server.environ,
            stdout=out, stderr=subprocess.STDOUT, text=True)
    server.base = f"http://127.0.0.1:{port}"
    server.cookies = sign_in(signin_url(server.process, log))


def stop(server: Server) -> None:
    if server.process is None:
        return
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
    log = (server.home / "serve.log").read_text(encoding="utf-8")
    if log.count("Traceback"):
        print(f"the {server.name} server logged {log.count('Traceback')} error(s); the last:\n"
              f"{log[-3000:]}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def signin_url(server: subprocess.Popen[str], log: Path) -> str:
    """The URL `levelup serve` prints before it listens."""
    deadline = time.monotonic() + 900  # the newer tree may upgrade the ledger first
    while time.monotonic() < deadline and server.poll() is None:
        for line in log.read_text(encoding="utf-8").splitlines():
            if line.startswith("Open http"):
                return line.split()[1]
        time.sleep(0.1)
    sys.exit(f"levelup serve printed no sign-in URL (exit {server.poll()}): "
             f"{log.read_text(encoding='utf-8')[-1500:]}")


def sign_in(url: str) -> httpx.Cookies:
    deadline = time.monotonic() + 60
    while True:
        try:
            answer = httpx.get(url, timeout=30)
            break
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    if answer.status_code != 303:
        sys.exit(f"sign-in failed: {answer.status_code}")
    return answer.cookies


def measure(servers: list[Server], args: argparse.Namespace) -> list[str]:
    """p50/p95 and requests/s of each page with ``args.clients`` concurrent clients, each
    tree's batches alternating (old, new) when there are two."""
    calls = {server.name: requests_of(server) for server in servers}
    names = [server.name for server in servers]
    pairs = args.pairs if len(servers) > 1 else 1
    batch = max(args.requests // pairs, args.clients)
    rows = ["| what | tree | p50 | p95 | requests/s | target p95 | new/old p95 per pair |",
            "|---|---|---|---|---|---|---|"]
    with ThreadPoolExecutor(args.clients) as pool:
        for page in args.pages.split(","):
            times: dict[str, list[float]] = {name: [] for name in names}
            spent: dict[str, float] = dict.fromkeys(names, 0.0)
            p95s: dict[str, list[float]] = {name: [] for name in names}
            for name in names:  # warm up
                call = calls[name][page]
                list(pool.map(lambda _, c=call: timed(c), range(args.clients * 2)))
            for _ in range(pairs):
                for name in names:
                    call = calls[name][page]
                    began = time.perf_counter()
                    got = list(pool.map(lambda _, c=call: timed(c), range(batch)))
                    spent[name] += time.perf_counter() - began
                    times[name] += got
                    p95s[name].append(percentile(got, 95))
            ratios = ([new / old for old, new in zip(p95s["old"], p95s["new"], strict=True)]
                      if len(names) > 1 else [])
            for name in names:
                rows.append(row(page, name, times[name], len(times[name]) / spent[name],
                                ratios if name == "new" else []))
                print(rows[-1], flush=True)
    return rows


def requests_of(server: Server) -> dict[str, Callable[[], httpx.Response]]:
    """Each timed request, for this server: threads keep their own connections."""
    clients = local()

    def client() -> httpx.Client:
        """This thread's browser: the session cookie."""
        if not hasattr(clients, "http"):
            clients.http = httpx.Client(base_url=server.base, cookies=server.cookies,
                                        timeout=TIMEOUT_S)
        found: httpx.Client = clients.http
        return found

    def script() -> httpx.Client:
        """This thread's script: the bearer token, no cookie (a cookie would need CSRF)."""
        if not hasattr(clients, "api"):
            clients.api = httpx.Client(base_url=server.base, timeout=TIMEOUT_S,
                                       headers={"Authorization": f"Bearer {server.token}"})
        found: httpx.Client = clients.api
        return found

    searches = cycle(SEARCHES)
    numbers = iter(range(10**9))
    return {
        "floor": lambda: client().get("/static/levelup.css"),
        "dashboard": lambda: client().get("/"),
        "ledger": lambda: client().get("/ledger"),
        "search": lambda: client().get("/ledger", params={"q": next(searches), "partial": 1}),
        "capture": lambda: script().post(
            "/api/v1/entries",
            json={"title": f"Cut p99 of bench service {next(numbers)} from 900 to 250 ms"}),
    }


def row(page: str, tree: str, times: list[float], rate: float, ratios: list[float]) -> str:
    p50, p95 = percentile(times, 50), percentile(times, 95)
    target = TARGETS_MS[page]
    verdict = (f"<= {target:.0f} ms: {'met' if p95 <= target else 'MISSED'}" if target
               else "(no target)")
    spread = (f"{statistics.median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f})"
              if ratios else "")
    return f"| {page} | {tree} | {p50:.0f} ms | {p95:.0f} ms | {rate:.0f} | {verdict} | {spread} |"


TIMEOUT_S = 120.0
timeouts: list[str] = []  # requests not answered (counted at TIMEOUT_S) or answered with an error


def timed(call: Callable[[], httpx.Response]) -> float:
    began = time.perf_counter()
    try:
        answer = call()
    except httpx.TransportError as exc:  # no answer in time, or the connection dropped
        timeouts.append(f"{exc.request.method} {exc.request.url}: {type(exc).__name__}")
        return TIMEOUT_S * 1000
    elapsed = (time.perf_counter() - began) * 1000
    if answer.status_code not in (200, 201):  # counted, and the run goes on
        timeouts.append(f"{answer.request.method} {answer.request.url}: "
                        f"{answer.status_code} {answer.text[:200]}")
    return elapsed


def percentile(times: list[float], p: int) -> float:
    return statistics.quantiles(times, n=100, method="inclusive")[p - 1]


def compare_capture(server: Server, runs: int) -> str:
    """One capture at a time: through the running server's API, and as a `levelup log`."""
    headers = {"Authorization": f"Bearer {server.token}"}
    api: list[float] = []
    cli: list[float] = []
    with httpx.Client(base_url=server.base, headers=headers, timeout=TIMEOUT_S) as http:
        for i in range(runs):
            title = f"Cut p99 of single service {i} from 900 to 250 ms"
            api.append(timed(partial(http.post, "/api/v1/entries", json={"title": title})))
            began = time.perf_counter()
            run(server.levelup("log", title + " again"), server.environ)
            cli.append((time.perf_counter() - began) * 1000)
    one_api, one_cli = statistics.median(api), statistics.median(cli)
    return (f"| {server.name}: one capture, median of {runs} | API {one_api:.0f} ms | "
            f"`levelup log` {one_cli:.0f} ms | {one_cli / one_api:.0f}x faster through the "
            "server |")


def peak_mb(pid: int) -> float:
    """The process's peak resident memory: VmHWM from /proc (psutil has no peak on Linux);
    elsewhere psutil's current RSS, a lower bound."""
    status = Path(f"/proc/{pid}/status")
    if status.exists():
        lines = status.read_text(encoding="utf-8").splitlines()
        hwm = next(line for line in lines if line.startswith("VmHWM:"))
        return int(hwm.split()[1]) / 1024
    import psutil  # type: ignore[import-untyped, unused-ignore]

    return float(psutil.Process(pid).memory_info().rss) / 2**20


if __name__ == "__main__":
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    main()
