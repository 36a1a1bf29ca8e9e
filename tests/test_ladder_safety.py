"""Imported ladders: no shadowing without --replace, `ladder remove`, and carried by exports."""

from __future__ import annotations

import json
from pathlib import Path

from levelup.cli.common import Env
from levelup.settings import load
from tests.conftest import TODAY, invoke

FIXTURES = Path(__file__).parent / "fixtures" / "ladders"
FT = str(FIXTURES / "ft-mini.yml")


def _one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


def test_import_refuses_a_builtin_id_without_replace(env: Env) -> None:
    refused = invoke(env, "ladder", "import", "ft", FT, "--id", "software-engineer")
    assert refused.exit_code == 2
    line = _one_line(refused.stderr)
    assert "'software-engineer'" in line and "--replace" in line
    assert not (env.settings.home / "ladders" / "software-engineer.yml").exists()
    assert invoke(env, "init", "--name", "Ada", "--level", "L3", "--target", "L4").exit_code == 0
    assert invoke(env, "readiness", "--json").exit_code == 0  # the built-in ladder still reads
    replaced = invoke(env, "ladder", "import", "ft", FT, "--id", "software-engineer",
                      "--replace")
    assert replaced.exit_code == 0, replaced.output
    assert (env.settings.home / "ladders" / "software-engineer.yml").is_file()


def test_import_refuses_the_profiles_ladder_without_replace(env: Env) -> None:
    assert invoke(env, "ladder", "import", "ft", FT, "--id", "plat").exit_code == 0
    assert invoke(env, "init", "--name", "Ada", "--ladder", "plat", "--level", "engineer",
                  "--target", "senior").exit_code == 0
    refused = invoke(env, "ladder", "import", "ft", FT, "--id", "plat")
    assert refused.exit_code == 2
    line = _one_line(refused.stderr)
    assert "'plat'" in line and "--replace" in line
    assert invoke(env, "ladder", "import", "ft", FT, "--id", "plat", "--replace").exit_code == 0
    # an imported ladder the profile does not use is replaced as before
    assert invoke(env, "ladder", "import", "ft", FT, "--id", "other").exit_code == 0
    assert invoke(env, "ladder", "import", "ft", FT, "--id", "other").exit_code == 0


def test_remove_an_imported_ladder_but_not_a_builtin_or_the_profiles(env: Env) -> None:
    assert invoke(env, "ladder", "import", "ft", FT, "--id", "plat").exit_code == 0
    assert invoke(env, "ladder", "import", "ft", FT, "--id", "spare").exit_code == 0
    builtin = invoke(env, "ladder", "remove", "engineering-manager")
    assert builtin.exit_code == 2 and "built-in" in _one_line(builtin.stderr)
    missing = invoke(env, "ladder", "remove", "nope")
    assert missing.exit_code == 2 and "'nope'" in _one_line(missing.stderr)
    assert invoke(env, "init", "--name", "Ada", "--ladder", "plat", "--level", "engineer",
                  "--target", "senior").exit_code == 0
    used = invoke(env, "ladder", "remove", "plat")
    assert used.exit_code == 2 and "profile uses" in _one_line(used.stderr)
    assert (env.settings.home / "ladders" / "plat.yml").is_file()
    done = invoke(env, "ladder", "remove", "spare", "--json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["id"] == "spare"
    listed = json.loads(invoke(env, "ladder", "list", "--json").stdout)
    assert "spare" not in {lad["id"] for lad in listed} and "plat" in {lad["id"] for lad in listed}


def test_removing_a_shadowing_file_brings_the_builtin_back(env: Env) -> None:
    assert invoke(env, "init", "--name", "Ada", "--level", "L3", "--target", "L4").exit_code == 0
    assert invoke(env, "ladder", "import", "ft", FT, "--id", "software-engineer",
                  "--replace").exit_code == 0
    assert invoke(env, "readiness").exit_code != 0  # shadowed: L3 is not on the imported ladder
    done = invoke(env, "ladder", "remove", "software-engineer")
    assert done.exit_code == 0, done.output
    assert "built-in" in done.stdout
    assert invoke(env, "readiness", "--json").exit_code == 0


def test_export_carries_imported_ladders_and_templates(env: Env, tmp_path: Path) -> None:
    assert invoke(env, "ladder", "import", "ft", FT, "--id", "plat").exit_code == 0
    assert invoke(env, "init", "--name", "Ada", "--ladder", "plat", "--level", "engineer",
                  "--target", "senior").exit_code == 0
    assert invoke(env, "log", "Mentored two engineers on the design review").exit_code == 0
    templates = env.settings.home / "templates"
    templates.mkdir(parents=True)
    (templates / "weekly.md.j2").write_text("My weekly {{ report.title }}\n", encoding="utf-8")
    out = tmp_path / "ledger.json"
    assert invoke(env, "export", "--output", str(out)).exit_code == 0
    doc = json.loads(out.read_text())
    assert [item["name"] for item in doc["ladders"]] == ["plat.yml"]
    assert [item["name"] for item in doc["templates"]] == ["weekly.md.j2"]

    fresh = Env(settings=load(environ={}, home=tmp_path / "fresh",
                              database_url=f"sqlite:///{tmp_path / 'fresh.db'}"), today=TODAY)
    try:
        result = invoke(fresh, "import", "json", str(out), "--json")
        assert result.exit_code == 0, result.output
        added = json.loads(result.stdout)
        assert added["ladders"] == 1 and added["templates"] == 1 and added["profile"] == 1
        ready = invoke(fresh, "readiness", "--json")
        assert ready.exit_code == 0, ready.output
        assert (tmp_path / "fresh" / "templates" / "weekly.md.j2").read_text(
            encoding="utf-8") == "My weekly {{ report.title }}\n"
        again = invoke(fresh, "import", "json", str(out), "--json")
        assert again.exit_code == 0 and json.loads(again.stdout) == {}
    finally:
        fresh.close()


def test_old_exports_without_the_sections_still_read(env: Env, tmp_path: Path) -> None:
    old = tmp_path / "old.json"
    old.write_text(json.dumps({"format": "levelup-export", "version": 1, "entries": []}))
    result = invoke(env, "import", "json", str(old), "--json")
    assert result.exit_code == 0 and json.loads(result.stdout) == {}


def test_a_bad_ladder_section_is_one_line_and_writes_nothing(env: Env, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "levelup-export", "version": 1, "ladders": [
        {"name": "../escape.yml", "text": "id: x\n"}]}))
    result = invoke(env, "import", "json", str(bad))
    assert result.exit_code == 2 and "ladders[0]" in _one_line(result.stderr)
    assert not (env.settings.home / "ladders").exists()
    assert not (env.settings.home.parent / "escape.yml").exists()
