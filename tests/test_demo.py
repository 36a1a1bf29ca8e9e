"""`levelup demo`: a realistic ledger in its own folder, never the user's own."""

from __future__ import annotations

import json
from pathlib import Path

from levelup.cli.common import Env
from levelup.domain import vocab
from levelup.settings import load
from tests.conftest import TODAY, invoke


def _user_env(tmp_path: Path) -> Env:
    return Env(settings=load(environ={}, home=tmp_path / "mine"), today=TODAY)


def test_demo_builds_half_a_year_of_every_kind(tmp_path: Path) -> None:
    env = _user_env(tmp_path)
    result = invoke(env, "demo", "--home", str(tmp_path / "demo"), "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["entries"] >= 150
    assert set(summary["by_kind"]) == set(vocab.ENTRY_KINDS)
    assert summary["conversations"] >= 10 and summary["feedback"] >= 5
    assert all(Path(p).exists() and Path(p).stat().st_size > 0 for p in summary["reports"])
    assert not (tmp_path / "mine").exists()  # the user's own ledger is never touched

    demo = Env(settings=load(environ={}, home=tmp_path / "demo"), today=TODAY)
    for group in ("stakeholder", "expect", "project", "checkin"):
        listed = invoke(demo, group, "list", "--json")
        assert listed.exit_code == 0 and len(json.loads(listed.stdout)) >= 4, group
    wins = json.loads(invoke(demo, "list", "--kind", "win", "--json").stdout)
    assert min(w["date"] for w in wins) >= "2026-05-01"


def test_demo_overview_names_the_folder_and_next_steps(tmp_path: Path) -> None:
    result = invoke(_user_env(tmp_path), "demo", "--home", str(tmp_path / "d"))
    assert result.exit_code == 0, result.output
    assert f"export LEVELUP_HOME={tmp_path / 'd'}" in result.stdout
    assert "Strongest wins:" in result.stdout


def test_demo_refuses_a_folder_that_is_not_a_demo(tmp_path: Path) -> None:
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine")
    result = invoke(_user_env(tmp_path), "demo", "--home", str(busy))
    assert result.exit_code == 2 and "not a levelup demo" in result.stderr
    assert (busy / "notes.txt").read_text() == "mine"


def test_demo_twice_rebuilds_instead_of_duplicating(tmp_path: Path) -> None:
    env = _user_env(tmp_path)
    first = json.loads(invoke(env, "demo", "--home", str(tmp_path / "d"), "--json").stdout)
    second = json.loads(invoke(env, "demo", "--home", str(tmp_path / "d"), "--json").stdout)
    assert first["entries"] == second["entries"]
