"""Benchmark the web app: `levelup serve` on a big ledger under 20 concurrent clients.

    .venv/bin/python bench/web.py [--size 100000] [--clients 20] [--requests 400]

Builds SIZE generated entries (bench/ledger.py's generator, owner-scoped) plus a profile in a
temp home, starts `levelup serve --no-open` on a free port of 127.0.0.1, signs in through the
printed URL, and times, with CLIENTS threads each holding its own connection: the dashboard,
the ledger page, search as you type (the ledger's partial page with growing prefixes of q=, as
levelup.js asks it) and capture (POST /api/v1/entries with a token from `levelup token
create`). Prints p50/p95 and requests/s for each, one capture through the API against one
`levelup log` process in the same run, and the server's peak memory (VmHWM), each with its
target from the issue: met or missed.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from functools import partial
from itertools import cycle
from pathlib import Path
from threading import local

import httpx
from ledger import build_levelup
from tools import levelup_env

ROOT = Path(__file__).resolve().parent.parent
LEVELUP = str(ROOT / ".venv" / "bin" / "levelup")
TARGETS_MS = {"dashboard": 150.0, "ledger": 100.0, "capture": 50.0, "search": 100.0}
MEMORY_MB = 300.0
SEARCHES = ["k", "ka", "kaf", "kafk", "kafka", "l", "la", "lat", "late", "latency", "m", "mi",
            "mig", "migr", "migrated", "r", "ru", "run", "runb", "runbook"]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=400, help="Timed requests per page.")
    parser.add_argument("--runs", type=int, default=7, help="Captures timed one at a time.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="levelup-bench-web-") as tmp:
        home = Path(tmp)
        environ = {**levelup_env(), "LEVELUP_HOME": str(home), "LEVELUP_DATABASE_URL": ""}
        began = time.perf_counter()
        build_levelup(home, args.size, date.today())
        run([LEVELUP, "init", "--name", "Ada", "--level", "L3", "--target", "L4",
             "--manager", "Grace"], environ)
        run([LEVELUP, "stakeholder", "add", "Linus", "--decision-maker"], environ)
        token = run([LEVELUP, "token", "create", "bench"], environ).strip()
        print(f"{args.size:,} entries generated in {time.perf_counter() - began:.1f} s", flush=True)
        bench(args, environ, token, home / "serve.log")


def run(cmd: list[str], environ: dict[str, str]) -> str:
    done = subprocess.run(cmd, env=environ, capture_output=True, text=True, check=False,
                          stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed: {done.stderr[-1500:]}")
    return done.stdout


def bench(args: argparse.Namespace, environ: dict[str, str], token: str, log: Path) -> None:
    port = free_port()
    with log.open("w", encoding="utf-8") as out:  # a file, never a pipe left full
        server = subprocess.Popen([LEVELUP, "serve", "--no-open", "--port", str(port)],
                                  env=environ, stdout=out, stderr=subprocess.STDOUT, text=True)
    try:
        signin = signin_url(server, log)
        base = f"http://127.0.0.1:{port}"
        cookies = sign_in(signin)
        rows = measure(base, cookies, token, args)
        rows.append(compare_capture(base, token, environ, args.runs))
        peak = peak_mb(server.pid)
        rows.append(f"| server peak RSS | {peak:.0f} MB | target <= {MEMORY_MB:.0f} MB: "
                    f"{'met' if peak <= MEMORY_MB else 'MISSED'} |")
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        errors = log.read_text(encoding="utf-8").count("Traceback")
        if errors:
            print(f"the server logged {errors} error(s); the last:\n"
                  f"{log.read_text(encoding='utf-8')[-3000:]}")
    print(f"\nbench/web.py --size {args.size} --clients {args.clients} "
          f"--requests {args.requests}")
    print("\n".join(rows))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def signin_url(server: subprocess.Popen[str], log: Path) -> str:
    """The URL `levelup serve` prints before it listens."""
    deadline = time.monotonic() + 60
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


def measure(base: str, cookies: httpx.Cookies, token: str, args: argparse.Namespace) -> list[str]:
    """p50/p95 and requests/s of each page with ``args.clients`` concurrent clients."""
    clients = local()

    def client() -> httpx.Client:
        """This thread's browser: the session cookie."""
        if not hasattr(clients, "http"):
            clients.http = httpx.Client(base_url=base, cookies=cookies, timeout=60)
        found: httpx.Client = clients.http
        return found

    def script() -> httpx.Client:
        """This thread's script: the bearer token, no cookie (a cookie would need CSRF)."""
        if not hasattr(clients, "api"):
            clients.api = httpx.Client(base_url=base, timeout=60,
                                       headers={"Authorization": f"Bearer {token}"})
        found: httpx.Client = clients.api
        return found

    searches = cycle(SEARCHES)
    numbers = iter(range(10**9))
    calls: dict[str, Callable[[], httpx.Response]] = {
        "dashboard": lambda: client().get("/"),
        "ledger": lambda: client().get("/ledger"),
        "search": lambda: client().get("/ledger", params={"q": next(searches), "partial": 1}),
        "capture": lambda: script().post(
            "/api/v1/entries",
            json={"title": f"Cut p99 of bench service {next(numbers)} from 900 to 250 ms"}),
    }
    rows = ["| what | p50 | p95 | requests/s | target p95 |", "|---|---|---|---|---|"]
    with ThreadPoolExecutor(args.clients) as pool:
        for name, call in calls.items():
            list(pool.map(lambda _, c=call: timed(c), range(args.clients * 2)))  # warm up
            began = time.perf_counter()
            times = list(pool.map(lambda _, c=call: timed(c), range(args.requests)))
            rate = args.requests / (time.perf_counter() - began)
            p50, p95 = percentile(times, 50), percentile(times, 95)
            target = TARGETS_MS[name]
            rows.append(f"| {name} | {p50:.0f} ms | {p95:.0f} ms | {rate:.0f} | <= {target:.0f} "
                        f"ms: {'met' if p95 <= target else 'MISSED'} |")
            print(rows[-1], flush=True)
    return rows


def timed(call: Callable[[], httpx.Response]) -> float:
    began = time.perf_counter()
    answer = call()
    elapsed = (time.perf_counter() - began) * 1000
    if answer.status_code not in (200, 201):
        sys.exit(f"{answer.request.method} {answer.request.url}: {answer.status_code} "
                 f"{answer.text[:300]}")
    return elapsed


def percentile(times: list[float], p: int) -> float:
    return statistics.quantiles(times, n=100, method="inclusive")[p - 1]


def compare_capture(base: str, token: str, environ: dict[str, str], runs: int) -> str:
    """One capture at a time: through the running server's API, and as a `levelup log`."""
    headers = {"Authorization": f"Bearer {token}"}
    api: list[float] = []
    cli: list[float] = []
    with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
        for i in range(runs):
            title = f"Cut p99 of single service {i} from 900 to 250 ms"
            api.append(timed(partial(http.post, "/api/v1/entries", json={"title": title})))
            began = time.perf_counter()
            run([LEVELUP, "log", title + " again"], environ)
            cli.append((time.perf_counter() - began) * 1000)
    one_api, one_cli = statistics.median(api), statistics.median(cli)
    return (f"| one capture, median of {runs} | API {one_api:.0f} ms | `levelup log` "
            f"{one_cli:.0f} ms | {one_cli / one_api:.0f}x faster through the server |")


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
