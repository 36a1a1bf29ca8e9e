"""The capture and recall commands keep heavy libraries off their start-up path.

A structural check, not a timing: run the real command in a fresh interpreter on a migrated
ledger and list what it imported.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from levelup.store.db import open_ledger

HEAVY = ("alembic", "rich", "yaml", "jsonschema", "pydantic", "httpx", "jinja2", "psycopg")
PROBE = """
import sys
from levelup.cli.main import run
run(sys.argv[1:], standalone_mode=False)
print("\\n".join(sorted(sys.modules)), file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["log", "Cut p99 latency from 900 to 250 ms"],
                                  ["list", "--since", "last month"], ["search", "latency"],
                                  ["show", "1"]])
def test_capture_and_recall_import_nothing_heavy(args: list[str], tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    open_ledger(url).dispose()  # migrated up front: a first run may import Alembic
    env = {**os.environ, "LEVELUP_HOME": str(tmp_path), "LEVELUP_DATABASE_URL": url}
    if args[0] != "log":
        subprocess.run([sys.executable, "-m", "levelup", "log", "Cut p99 latency"], env=env,
                       check=True, capture_output=True)
    done = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, capture_output=True,
                          text=True, check=True)
    loaded = {name.split(".")[0] for name in done.stderr.split()}
    assert "sqlalchemy" in loaded  # the probe saw the command's imports
    assert sorted(loaded & set(HEAVY)) == []
