"""`levelup doctor`: each check on a good and a bad setup; it never creates or upgrades a ledger."""

from __future__ import annotations

import importlib.abc
import os
import sqlite3
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from levelup.cli.common import Env
from levelup.context import Context
from levelup.domain.models import Profile
from levelup.services.doctor import (
    Check,
    check_pdf,
    check_setup,
    check_smtp,
    exposed_home,
    fix_permissions,
)
from levelup.settings import Settings
from levelup.store.db import HEAD_REVISION, make_engine, upgrade
from levelup.store.people import save_profile
from tests.conftest import TODAY, invoke

posix_only = pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")


def settings_for(home: Path, **values: object) -> Settings:
    return Settings(home=home, **values)  # type: ignore[arg-type]


def checks(settings: Settings, *, fix: bool = False) -> dict[str, Check]:
    return {c.name: c for c in check_setup(Context(settings=settings, today=TODAY), fix=fix).checks}


@pytest.fixture
def home(tmp_path: Path) -> Iterator[Path]:
    """A home holding a current ledger with Ada's profile on the built-in ladder."""
    folder = tmp_path / "home"
    env = Env(settings=settings_for(folder), today=TODAY)
    assert invoke(env, "init", "--name", "Ada", "--level", "L3", "--target", "L4").exit_code == 0
    env.close()
    for path in [folder, *folder.rglob("*")]:  # as the `levelup` program makes them (umask 077)
        path.chmod(0o700 if path.is_dir() else 0o600)
    yield folder


def test_a_good_setup_passes_every_check(home: Path) -> None:
    env = Env(settings=settings_for(home), today=TODAY)
    result = invoke(env, "doctor")
    assert result.exit_code == 0, result.output
    for name in ("home", "files", "database", "ledger", "ladder", "smtp"):
        assert f"ok    {name}" in result.output
    assert f"(schema {HEAD_REVISION})" in result.output
    assert "'software-engineer' (built-in) has L3 and L4" in result.output


def test_doctor_never_creates_a_ledger(tmp_path: Path) -> None:
    missing = tmp_path / "typo"
    env = Env(settings=settings_for(missing), today=TODAY)
    result = invoke(env, "doctor", "--fix")
    assert result.exit_code == 0  # nothing failed: there is simply no ledger yet
    assert "warn  ledger    no ledger at" in result.output and "fix: levelup init" in result.output
    assert not missing.exists()
    missing.mkdir()
    assert checks(settings_for(missing))["ledger"].status == "warn"
    assert list(missing.iterdir()) == []


def test_doctor_never_creates_a_schema_on_postgresql(db_url: str, tmp_path: Path) -> None:
    found = checks(settings_for(tmp_path / "home", database_url=db_url))
    assert found["database"].status == "ok"
    engine = create_engine(db_url)
    with engine.connect() as conn:
        assert inspect(conn).get_table_names() == []
    engine.dispose()
    assert found["ledger"].status == "warn"
    assert not (tmp_path / "home").exists()


def test_a_current_ledger_and_its_ladder_on_both_databases(env: Env) -> None:
    assert invoke(env, "init", "--name", "Ada", "--level", "L3", "--target", "L4").exit_code == 0
    found = checks(env.settings)
    assert found["ledger"].status == "ok" and HEAD_REVISION in found["ledger"].message
    assert found["ladder"].status == "ok"


def test_an_empty_ledger_file_fails_and_stays_empty(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    (home / "ledger.db").touch()
    result = invoke(Env(settings=settings_for(home), today=TODAY), "doctor")
    assert result.exit_code == 1
    assert "fail  ledger" in result.output and "empty (0 bytes)" in result.output
    assert "restore a backup" in result.output
    assert (home / "ledger.db").stat().st_size == 0


def test_a_file_that_is_not_a_ledger_fails(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    (home / "ledger.db").write_text("my shopping list\n" * 200)
    found = checks(settings_for(home))["ledger"]
    assert found.status == "fail" and "not a levelup ledger" in found.message


def test_an_older_schema_is_reported_and_not_upgraded(tmp_path: Path) -> None:
    home = tmp_path / "home"
    settings = settings_for(home)
    engine = make_engine(settings.url)
    upgrade(engine, "0005")
    engine.dispose()
    found = checks(settings)["ledger"]
    assert found.status == "warn" and "schema 0005" in found.message
    assert "upgrades it" in found.fix
    with sqlite3.connect(settings.ledger_path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0005",)
    assert checks(settings)["ladder"].status == "warn"  # no profile read from an old schema


def test_a_newer_schema_fails(home: Path) -> None:
    with sqlite3.connect(home / "ledger.db") as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    found = checks(settings_for(home))["ledger"]
    assert found.status == "fail" and "newer than this levelup" in found.message


def _set_profile(home: Path, **changes: str) -> None:
    ctx = Context(settings=settings_for(home), today=TODAY)
    profile = Profile(name="Ada", level="L3", target_level="L4", ladder="software-engineer",
                      manager=None)
    with ctx.begin() as conn:
        save_profile(conn, profile=replace(profile, **changes))
    ctx.close()


def test_a_missing_ladder_fails(home: Path) -> None:
    _set_profile(home, ladder="acme-engineering")
    result = invoke(Env(settings=settings_for(home), today=TODAY), "doctor")
    assert result.exit_code == 1
    assert "fail  ladder    no ladder 'acme-engineering'" in result.output
    assert "levelup init --ladder" in result.output


def test_a_level_not_on_the_ladder_fails(home: Path) -> None:
    _set_profile(home, target_level="L99")
    found = checks(settings_for(home))["ladder"]
    assert found.status == "fail" and "L99" in found.message


def test_a_user_ladder_is_found(home: Path) -> None:
    ladders = home / "ladders"
    ladders.mkdir()
    source = Path(__file__).parents[1] / "src/levelup/ladders/data/software-engineer.yml"
    text_ = source.read_text().replace("id: software-engineer", "id: acme-engineering", 1)
    (ladders / "acme-engineering.yml").write_text(text_)
    _set_profile(home, ladder="acme-engineering")
    found = checks(settings_for(home))["ladder"]
    assert found.status == "ok" and "acme-engineering.yml" in found.message


class _NoPango(importlib.abc.MetaPathFinder):
    """Imports WeasyPrint as a machine without Pango does: cffi cannot load the library."""

    def find_spec(self, name: str, *_: object) -> None:
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0': no such file")


def test_pdf_support(monkeypatch: pytest.MonkeyPatch) -> None:
    assert check_pdf().status == "ok"
    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_NoPango(), *sys.meta_path])
    found = check_pdf()
    assert found.status == "warn" and "libpango" in found.message
    assert "brew install pango" in found.fix and "apt install" in found.fix
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # not installed at all
    assert check_pdf().status == "warn"


def test_smtp_settings(tmp_path: Path) -> None:
    def smtp(password: bool = False, **values: object) -> Check:
        return check_smtp(settings_for(tmp_path, **values), password=password)

    assert smtp().status == "ok" and "not set up" in smtp().message
    partial = smtp(smtp_host="mail.example.com")
    assert partial.status == "fail" and "LEVELUP_EMAIL_FROM" in partial.message
    assert smtp(email_from="ada@example.com").status == "ok"  # localhost is a real host
    no_password = smtp(email_from="ada@example.com", smtp_user="ada")
    assert no_password.status == "fail" and "LEVELUP_SMTP_PASSWORD" in no_password.message
    assert smtp(True, email_from="ada@example.com", smtp_user="ada").status == "ok"
    assert smtp(email_from="a@example.com", smtp_security="tls").status == "fail"
    assert smtp(password=True).status == "fail"  # a password alone: From is missing


def test_a_missing_postgresql_driver_fails(tmp_path: Path) -> None:
    url = "postgresql+pg8000://ada:secret@127.0.0.1/levelup"
    result = invoke(Env(settings=settings_for(tmp_path, database_url=url), today=TODAY),
                    "doctor")
    assert result.exit_code == 1
    assert "fail  database" in result.output and "pg8000" in result.output
    assert "pip install 'levelup[postgres]'" in result.output


def test_an_unreachable_postgresql_fails_without_its_password(tmp_path: Path) -> None:
    url = "postgresql+psycopg://ada:secret@127.0.0.1:1/levelup"
    found = checks(settings_for(tmp_path, database_url=url))
    assert found["database"].status == "ok"
    assert found["ledger"].status == "fail" and "cannot read" in found["ledger"].message
    assert "secret" not in found["ledger"].message
    assert found["home"].status == "ok"  # a PostgreSQL ledger needs no home yet


@posix_only
def test_an_open_home_fails_and_fix_closes_it(home: Path) -> None:
    home.chmod(0o755)
    (home / "ledger.db").chmod(0o644)
    assert exposed_home(settings_for(home)) is not None
    found = checks(settings_for(home))
    assert found["home"].status == "fail" and "drwxr-xr-x" in found["home"].message
    assert found["home"].fix.startswith(f"chmod 700 {home}")
    assert found["files"].status == "warn" and "ledger.db" in found["files"].message
    result = invoke(Env(settings=settings_for(home), today=TODAY), "doctor", "--fix")
    assert result.exit_code == 0, result.output
    assert f"fixed: chmod 700 {home}" in result.output
    assert home.stat().st_mode & 0o777 == 0o700
    assert (home / "ledger.db").stat().st_mode & 0o777 == 0o600
    assert exposed_home(settings_for(home)) is None


@posix_only
def test_fix_leaves_links_and_shared_folders_alone(tmp_path: Path) -> None:
    outside = tmp_path / "notes.txt"
    outside.write_text("not levelup's")
    outside.chmod(0o644)
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    (shared / "notes.txt").symlink_to(outside)
    assert fix_permissions(shared) == []
    assert shared.stat().st_mode & 0o7777 == 0o1777
    assert outside.stat().st_mode & 0o777 == 0o644


def test_a_home_that_is_a_file_fails(tmp_path: Path) -> None:
    (tmp_path / "home").write_text("")
    found = checks(settings_for(tmp_path / "home"))["home"]
    assert found.status == "fail" and "not a folder" in found.message


def test_json_output(home: Path) -> None:
    import json

    result = invoke(Env(settings=settings_for(home), today=TODAY), "doctor", "--json")
    data = json.loads(result.output)
    assert data["ok"] is True and data["fixed"] == []
    assert {c["name"] for c in data["checks"]} >= {"home", "ledger", "ladder", "pdf", "smtp"}
    assert all(set(c) == {"name", "status", "message", "fix", "step"} for c in data["checks"])


def test_quick_check_finds_damage(home: Path) -> None:
    engine = create_engine(f"sqlite:///{home / 'ledger.db'}")
    with engine.begin() as conn:
        conn.execute(text("PRAGMA journal_mode=DELETE"))
        page = conn.execute(text("PRAGMA page_size")).scalar()
    engine.dispose()
    assert isinstance(page, int)
    with open(home / "ledger.db", "r+b") as handle:  # scribble over the pages after the first
        handle.seek(page * 2)
        handle.write(b"\x07" * page * 4)
    found = checks(settings_for(home))["ledger"]
    assert found.status == "fail"
