"""`./dev demo` builds the demo and serves it (`levelup demo --serve`): the printed URL signs a
browser in and the dashboard shows the demo's readiness grid; `--no-serve` only builds."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _levelup() -> list[str]:
    script = Path(sys.executable).with_name("levelup")
    return [str(script)] if script.exists() else [sys.executable, "-m", "levelup"]


def _environ(home: Path) -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items() if not k.startswith("LEVELUP_")}
    return kept | {"LEVELUP_HOME": str(home), "BROWSER": "true"}  # no browser pops up


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_dev_demo_builds_then_serves_unless_told_not_to() -> None:
    dev = (ROOT / "dev").read_text()
    branch = re.search(r"^\s*demo\)\n(.*?)\n\s*;;", dev, re.M | re.S)
    assert branch is not None
    assert 'exec .venv/bin/levelup demo --serve "$@"' in branch.group(1)


@pytest.mark.slow
def test_the_demo_is_served_and_the_printed_url_signs_in(tmp_path: Path) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [*_levelup(), "demo", "--home", str(tmp_path / "demo"), "--serve", "--port", str(port)],
        env=_environ(tmp_path / "mine"), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        url, deadline, seen = "", time.monotonic() + 240, []
        while not url and time.monotonic() < deadline:
            line = server.stdout.readline()
            if not line:
                break
            seen.append(line)
            if line.startswith("Open http"):
                url = line.split()[1]
        assert url.startswith(f"http://127.0.0.1:{port}/signin?token="), "".join(seen)
        assert "Demo ledger built in" in "".join(seen)  # the overview came first
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            for _ in range(100):  # the server starts listening just after printing
                try:
                    signed = client.get(url)
                    break
                except httpx.ConnectError:
                    time.sleep(0.1)
            assert signed.status_code == 303
            dashboard = client.get("/")
        assert dashboard.status_code == 200
        assert 'id="readiness-grid"' in dashboard.text and 'data-sustained="yes"' in dashboard.text
    finally:
        server.terminate()
        server.communicate(timeout=30)  # reaps it and closes its pipes
    assert not (tmp_path / "mine").exists()  # served the demo, never the user's ledger


@pytest.mark.slow
def test_no_serve_only_builds(tmp_path: Path) -> None:
    done = subprocess.run(
        [*_levelup(), "demo", "--home", str(tmp_path / "demo"), "--serve", "--no-serve"],
        env=_environ(tmp_path / "mine"), stdin=subprocess.DEVNULL, capture_output=True,
        text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert "Demo ledger built in" in done.stdout and "Open http" not in done.stdout
