"""A real `levelup serve` on a free port and Debian's Chromium driving it (Playwright).

The server is a subprocess on a temp home holding a small ledger; its sign-in URL is read from
its stdout. Chromium is never downloaded: Playwright launches the system's `chromium`.
"""

from __future__ import annotations

import os
import queue
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from levelup.cli.common import Env
from levelup.settings import load
from tests.conftest import invoke

LEVELUP = Path(sys.executable).parent / "levelup"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
START_SECONDS = 30.0


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def chromium_args() -> list[str]:
    """Chromium refuses to run as root inside its sandbox."""
    return ["--no-sandbox"] if os.geteuid() == 0 else []


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def build_ledger(home: Path, steps: list[tuple[str, ...]]) -> None:
    """Run each `levelup ARGS` in-process on the SQLite ledger in ``home``."""
    env = Env(settings=load(environ={}, home=home))
    try:
        for args in steps:
            result = invoke(env, *args)
            assert result.exit_code == 0, (args, result.output)
    finally:
        env.close()


@dataclass(frozen=True)
class Server:
    base: str
    signin: str
    process: subprocess.Popen[str]
    home: Path


def serve_environ(home: Path) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("LEVELUP_")}
    environ["LEVELUP_HOME"] = str(home)
    return environ


@contextmanager
def serving(home: Path, *, timeout: float = START_SECONDS) -> Iterator[Server]:
    """`levelup serve --no-open` on ``home`` and a free port, answering; always stopped."""
    port = free_port()
    process = subprocess.Popen(
        [str(LEVELUP), "serve", "--no-open", "--port", str(port)], env=serve_environ(home),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    try:
        lines = _lines_of(process)
        signin = _signin_url(lines, process, timeout)
        base = f"http://127.0.0.1:{port}"
        _wait_until_answering(base, process, timeout)
        yield Server(base=base, signin=signin, process=process, home=home)
    finally:
        stop(process)


def stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    if process.stdout is not None:
        process.stdout.close()


def _lines_of(process: subprocess.Popen[str]) -> queue.Queue[str]:
    """The server's output, line by line, read on a thread (never blocks the test)."""
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    return lines


def _signin_url(lines: queue.Queue[str], process: subprocess.Popen[str], timeout: float) -> str:
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.2)
        except queue.Empty:
            if process.poll() is not None:
                break
            continue
        seen.append(line)
        if line.startswith("Open http"):
            return line.split(maxsplit=1)[1].strip()
    raise AssertionError(f"levelup serve printed no sign-in URL: {''.join(seen)!r}")


def _wait_until_answering(base: str, process: subprocess.Popen[str], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"levelup serve exited with {process.returncode}")
        try:
            httpx.get(f"{base}/signin", timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError(f"levelup serve did not answer on {base} within {timeout} s")
