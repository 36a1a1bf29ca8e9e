"""A third-party importer, installed as its own distribution, is found and run by levelup."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PLUGIN = '''
from datetime import date

from levelup.domain.models import Entry
from levelup.importers.base import Importer, ImportOption


class HelloImporter(Importer):
    name = "hello"
    summary = "One entry per line of a text file."
    inputs = "FILE"
    options = (ImportOption(name="kind", help="Entry kind.", default="win"),)

    def read(self, inputs, ctx):
        for path in inputs:
            with open(path, encoding="utf-8") as lines:
                for number, line in enumerate(lines, 1):
                    yield Entry(title=line.strip(), date=date(2026, 5, number),
                                kind=ctx.options["kind"], source="hello",
                                source_id=f"{path}:{number}")
'''

ENTRY_POINTS = """
[levelup.importers.v1]
hello = levelup_hello:HelloImporter
broken = levelup_hello:NoSuchImporter
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The plugin installed as its own distribution in a folder of its own.

    The folder holds what an installer writes: the package and a ``.dist-info`` with the
    entry point (written directly: building a wheel offline needs tools this venv lacks).
    """
    target = tmp_path_factory.mktemp("plugin") / "site"
    (target / "levelup_hello").mkdir(parents=True)
    (target / "levelup_hello" / "__init__.py").write_text(textwrap.dedent(PLUGIN))
    info = target / "levelup_hello-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: levelup-hello\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(ENTRY_POINTS)
    return target


def levelup(site: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site), "LEVELUP_HOME": str(home)}
    env.pop("LEVELUP_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "levelup", *args], env=env, text=True,
                          capture_output=True, timeout=60)


def test_an_installed_plugin_is_listed_and_imports(site: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    listed = levelup(site, home, "import", "--help")
    assert "hello" in listed.stdout, listed.stderr
    notes = tmp_path / "notes.txt"
    notes.write_text("Shipped the search page\nMentored Sam on SQL\n")
    done = levelup(site, home, "import", "hello", str(notes), "--kind", "mentoring", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["new"] == 2
    again = levelup(site, home, "import", "hello", str(notes), "--kind", "mentoring", "--json")
    assert json.loads(again.stdout)["new"] == 0
    ledger = sqlite3.connect(next(home.glob("*.db")))
    rows = ledger.execute("SELECT title, kind, source FROM entries ORDER BY date").fetchall()
    assert rows == [("Shipped the search page", "mentoring", "hello"),
                    ("Mentored Sam on SQL", "mentoring", "hello")]


def test_a_plugin_that_cannot_load_is_named_and_leaves_the_others_working(
    site: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    listed = levelup(site, home, "import", "--help")
    assert listed.returncode == 0, listed.stderr
    assert "hello" in listed.stdout and "broken" in listed.stdout
    assert "cannot be loaded" in listed.stdout
    run = levelup(site, home, "import", "broken", "notes.txt", "--since", "2026-01-01")
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [
        "levelup: error: importer plugin 'broken' (levelup_hello:NoSuchImporter) cannot be loaded: "
        "AttributeError: module 'levelup_hello' has no attribute 'NoSuchImporter'"]


def test_without_the_plugin_the_source_is_unknown(tmp_path: Path) -> None:
    done = levelup(tmp_path / "empty-site", tmp_path / "home", "import", "hello", "x")
    assert done.returncode == 2
    assert "No such command 'hello'" in done.stderr
