"""The ledger is its user's alone: levelup's folders are 0700 and the files it writes 0600.

The CLI runs as a real process (``python -m levelup`` and the ``levelup`` script) started with
the usual umask 022, so the process-wide umask levelup sets is what is tested.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")


def levelup(tmp_path: Path, *args: str, script: bool = False) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEVELUP_")}
    env.update(HOME=str(tmp_path), LEVELUP_HOME=str(tmp_path / "home"))
    program = [str(Path(sys.executable).parent / "levelup")] if script else \
        [sys.executable, "-m", "levelup"]
    return subprocess.run([*program, *args], env=env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=300, preexec_fn=lambda: os.umask(0o022))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def modes(folder: Path) -> dict[str, int]:
    """Every file and folder under ``folder`` (itself included) -> its permission bits."""
    found = {".": mode(folder)}
    for path in folder.rglob("*"):
        found[str(path.relative_to(folder))] = mode(path)
    return found


def private(folder: Path) -> dict[str, int]:
    """What ``modes(folder)`` must be: folders 0700, files 0600."""
    return {name: 0o700 if (folder / name).is_dir() else 0o600 for name in modes(folder)}


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    """A home with a profile and one entry, made by the `levelup` script."""
    ok(levelup(tmp_path, "init", "--name", "Ada", "--level", "L3", "--target", "L4",
               script=True))
    ok(levelup(tmp_path, "log", "Cut checkout p95 latency by 40%"))
    return tmp_path / "home"


def test_home_and_ledger_files_are_private(ledger: Path) -> None:
    found = modes(ledger)
    assert found["."] == 0o700
    assert found["ledger.db"] == 0o600
    assert found == private(ledger)


def test_an_export_is_private_even_over_an_existing_file(ledger: Path, tmp_path: Path) -> None:
    ok(levelup(tmp_path, "export", "-o", "new.json"))
    old = tmp_path / "old.json"
    old.write_text("{}")
    old.chmod(0o644)
    ok(levelup(tmp_path, "export", "-o", "old.json"))
    assert mode(tmp_path / "new.json") == 0o600
    assert mode(old) == 0o600
    assert json.loads(old.read_text())["entries"]


def test_a_report_is_private_even_over_an_existing_file(ledger: Path, tmp_path: Path) -> None:
    ok(levelup(tmp_path, "report", "weekly", "-o", "new.md"))
    old = tmp_path / "old.md"
    old.write_text("last week")
    old.chmod(0o644)
    ok(levelup(tmp_path, "report", "weekly", "-o", "old.md"))
    assert mode(tmp_path / "new.md") == 0o600
    assert mode(old) == 0o600
    assert old.read_text().startswith("# Weekly update")


def test_the_demo_folder_is_private(tmp_path: Path) -> None:
    ok(levelup(tmp_path, "demo", "--home", "demo", "--json"))
    found = modes(tmp_path / "demo")
    assert any(name.endswith(".pdf") for name in found)
    assert found == private(tmp_path / "demo")


def test_a_private_home_gets_no_warning(ledger: Path, tmp_path: Path) -> None:
    assert ok(levelup(tmp_path, "list")).stderr == ""


def test_an_open_home_gets_one_warning_line_on_stderr(ledger: Path, tmp_path: Path) -> None:
    ledger.chmod(0o755)
    result = ok(levelup(tmp_path, "list", "--json"))
    assert json.loads(result.stdout)[0]["title"].startswith("Cut checkout")
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert str(ledger) in lines[0] and "drwxr-xr-x" in lines[0]
    assert f"chmod 700 {ledger}" in lines[0] and "levelup doctor --fix" in lines[0]


def test_doctor_fix_closes_an_open_home(ledger: Path, tmp_path: Path) -> None:
    ledger.chmod(0o755)
    (ledger / "ledger.db").chmod(0o644)
    before = levelup(tmp_path, "doctor")
    assert before.returncode == 1
    assert "fail  home" in before.stdout and before.stderr == ""
    fixed = ok(levelup(tmp_path, "doctor", "--fix"))
    assert f"fixed: chmod 700 {ledger}" in fixed.stdout
    assert f"fixed: chmod 600 {ledger / 'ledger.db'}" in fixed.stdout
    assert mode(ledger) == 0o700 and mode(ledger / "ledger.db") == 0o600
    assert ok(levelup(tmp_path, "list")).stderr == ""
