"""Data hygiene: names normalised once, no NUL characters stored, merges of shared imports."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from levelup.cli.common import Env
from levelup.domain.models import Entry, Stakeholder, VisibilityEvent
from levelup.services import people as people_service
from levelup.services import projects as project_service
from levelup.services.portable import export_document, import_document
from levelup.settings import load
from levelup.store import entries, people, records
from tests.conftest import TODAY, invoke


def _names(env: Env) -> list[tuple[str, str]]:
    with env.ctx.read() as conn:
        return [(s.name, s.relation) for s in people.list_stakeholders(conn)]


def test_a_case_variant_add_updates_the_stakeholder(env: Env) -> None:
    assert invoke(env, "stakeholder", "add", "Dana Kim", "--relation", "peer").exit_code == 0
    result = invoke(env, "stakeholder", "add", "dana kim", "--relation", "manager")
    assert result.exit_code == 0, result.output
    assert _names(env) == [("Dana Kim", "manager")]
    assert invoke(env, "stakeholder", "remove", "dana kim").exit_code == 0
    assert _names(env) == []


def test_names_are_trimmed_and_their_inner_spaces_collapsed(env: Env) -> None:
    people_service.add_stakeholder(env.ctx, name="  Dana \t  Kim ")
    people_service.add_stakeholder(env.ctx, name="dana  kim", relation="manager")
    assert _names(env) == [("Dana Kim", "manager")]
    project_service.set_project(env.ctx, name="  Search   v2 ", stakeholder=[" Dana  Kim"])
    project_service.set_project(env.ctx, name="Search v2", goal="faster")
    [project] = project_service.list_projects(env.ctx)
    assert (project.name, project.goal, project.stakeholders) == ("Search v2", "faster",
                                                                   ["Dana Kim"])
    assert _names(env) == [("Dana Kim", "manager")]


def test_an_imported_nul_is_dropped_and_the_ledger_moves_to_any_database(
        env: Env, tmp_path: Path) -> None:
    source = Env(settings=load(environ={}, home=tmp_path / "a",
                               database_url=f"sqlite:///{tmp_path / 'a.db'}"), today=TODAY)
    items = tmp_path / "items.csv"
    items.write_text("id,date,title,details\n7,2026-11-02,Fix\x00 cache,a\x00b\n",
                     encoding="utf-8")
    result = invoke(source, "import", "csv", str(items), "--map", "source_id=id")
    assert result.exit_code == 0, result.output
    with source.ctx.read() as conn:
        [entry] = entries.list_entries(conn)
    assert (entry.title, entry.details) == ("Fix cache", "ab")
    out = tmp_path / "ledger.json"
    assert invoke(source, "export", "--output", str(out)).exit_code == 0
    source.close()
    result = invoke(env, "import", "json", str(out), "--json")  # SQLite, and PostgreSQL
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["entries"] == 1
    with env.ctx.read() as conn:
        assert [e.title for e in entries.list_entries(conn)] == ["Fix cache"]


def _machine(tmp_path: Path, name: str, heard: str) -> dict[str, object]:
    """A ledger that imported the same source entry, told someone about it, and exports."""
    other = Env(settings=load(environ={}, home=tmp_path / name,
                              database_url=f"sqlite:///{tmp_path / name}.db"), today=TODAY)
    with other.ctx.begin() as conn:
        people.add_stakeholder(conn, stakeholder=Stakeholder(name=heard))
        entry = entries.add_entry(conn, entry=Entry(
            title="Shipped search", date=date(2026, 11, 2), source="github",
            source_id="acme/web#12"))
        records.add_visibility(conn, event=VisibilityEvent(
            stakeholder=heard, date=TODAY, channel="1:1", entry_ids=[int(entry.id or 0)]))
    with other.ctx.read() as conn:
        doc = export_document(conn)
    doc["dismissed"] = [{"source": "github", "source_id": "acme/web#9",
                         "fingerprint": "f", "deleted_at": "2026-11-01T09:00:00"}] * 2
    other.close()
    return json.loads(json.dumps(doc))  # type: ignore[no-any-return]


def test_merging_exports_that_share_an_import_applies_their_records(env: Env,
                                                                     tmp_path: Path) -> None:
    first, second = _machine(tmp_path, "a", "Grace"), _machine(tmp_path, "b", "Linus")
    broken = json.loads(json.dumps(second))
    broken["visibility"][0]["entry_ids"] = ["no-such-uid"]
    with env.ctx.begin() as conn:
        assert import_document(conn, first)["entries"] == 1
        added = import_document(conn, second)
        assert (added["entries"], added["visibility"]) == (0, 1)
        skipped = import_document(conn, broken)
    assert skipped["visibility not applied"] == 1 and skipped["visibility"] == 0
    with env.ctx.read() as conn:
        [entry] = entries.list_entries(conn)
        heard = sorted((v.stakeholder, v.entry_ids) for v in records.list_visibility(conn))
    assert heard == [("Grace", [entry.id]), ("Linus", [entry.id])]
