"""First contact: the demo's "try it" lines run as printed, and shell completion is offered."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from levelup.cli.demo_view import program

LEVELUP = Path(sys.executable).parent / "levelup"
needs_script = pytest.mark.skipif(not LEVELUP.is_file(), reason="levelup script not installed")


def _env(path: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEVELUP_")}
    return {**env, "PATH": path}


def _try_lines(stdout: str) -> list[str]:
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Try it"))
    return [line.strip() for line in lines[start + 1:] if line.startswith("  ")]


@needs_script
def test_demo_try_lines_run_as_printed_without_levelup_on_path(tmp_path: Path) -> None:
    home = tmp_path / "my demo"  # a space: the export line must be quoted
    bare = _env("/usr/bin:/bin")
    built = subprocess.run([str(LEVELUP), "demo", "--home", str(home)], env=bare, cwd=tmp_path,
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    export, *commands = _try_lines(built.stdout)
    assert export.startswith("export LEVELUP_HOME=") and len(commands) >= 4
    for line in commands:
        assert not line.startswith("levelup "), line  # not on this PATH: the full path
        ran = subprocess.run(["/bin/sh", "-c", f"{export}\n{line}"], env=bare, cwd=tmp_path,
                             capture_output=True, text=True, timeout=120)
        assert ran.returncode == 0, (line, ran.stdout, ran.stderr)
        assert ran.stdout.strip(), line


@needs_script
def test_program_is_plain_levelup_only_when_path_finds_this_one(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(LEVELUP.parent))
    assert program(str(LEVELUP)) == "levelup"
    other = tmp_path / "bin"
    other.mkdir()
    (other / "levelup").write_text("#!/bin/sh\n")
    (other / "levelup").chmod(0o755)
    monkeypatch.setenv("PATH", str(other))
    assert program(str(LEVELUP)) == str(LEVELUP)  # another levelup first: this one's path
    assert program("/somewhere/pytest").endswith(" -m levelup")


@needs_script
def test_completion_is_offered_and_completes(tmp_path: Path) -> None:
    env = _env(os.environ.get("PATH", "/usr/bin:/bin"))
    # run from bash (`; true` keeps bash as the parent), the shell it detects
    shown = subprocess.run(["bash", "-c", f"{LEVELUP} --show-completion; true"], env=env,
                           cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    assert "_LEVELUP_COMPLETE=complete_bash" in shown.stdout
    assert "complete -o default -F" in shown.stdout
    helped = subprocess.run([str(LEVELUP), "--help"], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    assert "--install-completion" in helped.stdout
    tab = {**env, "COMP_WORDS": "levelup report we", "COMP_CWORD": "2",
           "_LEVELUP_COMPLETE": "complete_bash"}
    answered = subprocess.run([str(LEVELUP)], env=tab, cwd=tmp_path,
                              capture_output=True, text=True, timeout=60)
    assert answered.stdout.split() == ["weekly"], answered.stderr
