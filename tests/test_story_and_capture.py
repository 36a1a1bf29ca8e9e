"""An entry's story and fast capture: schema 0008 keeps a 0007 ledger's data and makes the
story searchable; `levelup log` takes the story, inline tokens, stdin and an editor."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from levelup.cli.common import Env
from levelup.context import Context
from levelup.domain.models import Entry, Metric, Stakeholder
from levelup.services.entries import log_entry
from levelup.settings import load
from levelup.store.db import HEAD_REVISION, upgrade
from levelup.store.entries import add_entry, get_entry
from levelup.store.entry_upserts import upsert_entries
from levelup.store.people import add_stakeholder, get_stakeholder
from levelup.store.search import search_entries
from tests.conftest import TODAY, invoke

LEDGER_0007 = [
    "INSERT INTO stakeholders (id, uid, owner_id, name, relation, decision_maker, notes) "
    "VALUES (1, 's1', 1, 'Grace', 'manager', TRUE, 'skip-level')",
    "INSERT INTO entries (id, uid, owner_id, date, title, details, kind, source, created_at) "
    "VALUES (1, 'e1', 1, '2026-01-02', 'Shipped the ranking service', 'p95 halved', 'win', "
    "'manual', '2026-01-02 10:00:00')",
    "INSERT INTO entry_metrics (id, entry_id, name, baseline, result, unit) "
    "VALUES (1, 1, 'p95', 800, 400, 'ms')",
]


@pytest.fixture
def contexts() -> Iterator[list[Context]]:
    made: list[Context] = []
    yield made
    for ctx in made:
        ctx.close()


def _context(db_url: str, tmp_path: Path) -> Context:
    settings = load(environ={}, home=tmp_path / "home", database_url=db_url)
    return Context(settings=settings, today=TODAY)


def test_a_0007_ledger_keeps_its_data_and_gains_a_searchable_story(
    db_url: str, tmp_path: Path, contexts: list[Context]
) -> None:
    engine = create_engine(db_url)
    upgrade(engine, "0007")
    with engine.begin() as conn:
        for statement in LEDGER_0007:
            conn.execute(text(statement))
        if conn.dialect.name == "postgresql":  # ids were given: move the sequences past them
            for name in ("stakeholders", "entries", "entry_metrics"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), 1)"))
    engine.dispose()

    ctx = _context(db_url, tmp_path)
    contexts.append(ctx)
    with ctx.begin() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
            HEAD_REVISION)
        old = get_entry(conn, entry_id=1)
        assert (old.title, old.details, old.context, old.prevented) == (
            "Shipped the ranking service", "p95 halved", "", "")
        assert (old.metrics[0].result, old.metrics[0].better) == (400, None)
        assert get_stakeholder(conn, name="Grace").email == ""
        assert [e.id for e in search_entries(conn, query="ranking")] == [1]  # still indexed
        story = Entry(title="Cut checkout latency", date=date(2026, 1, 5),
                      context="checkout timed out under peak load",
                      why="abandoned carts cost revenue", did="rewrote the pricing cache",
                      result_now="p99 at 250ms", result_later="no timeouts since",
                      prevented="a holiday outage",
                      metrics=[Metric(name="p99", baseline=900, result=250, unit="ms",
                                      better="lower")])
        added = add_entry(conn, entry=story)
        add_stakeholder(conn, stakeholder=Stakeholder(name="Linus", email="linus@example.com"))
    with ctx.read() as conn:
        back = get_entry(conn, entry_id=int(added.id or 0))
        assert (back.context, back.why, back.did, back.result_now, back.result_later,
                back.prevented) == (story.context, story.why, story.did, story.result_now,
                                    story.result_later, story.prevented)
        assert back.metrics[0].better == "lower"
        assert get_stakeholder(conn, name="Linus").email == "linus@example.com"
        for word in ("timed", "revenue", "pricing", "timeouts", "holiday"):
            assert [e.id for e in search_entries(conn, query=word)] == [added.id], word


STORY = {"context": "checkout timed out under peak load", "why": "abandoned carts cost revenue",
         "did": "I rewrote the pricing cache", "result_now": "p99 at 250ms",
         "result_later": "no timeouts since", "prevented": "a holiday outage"}


def _log(env: Env, *args: str, input: str | None = None) -> dict:
    result = invoke(env, "log", *args, "--json", input=input)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_story_is_logged_shown_edited_and_searched(env: Env, tmp_path: Path) -> None:
    flags = [part for name, value in STORY.items()
             for part in ("--" + name.replace("_", "-"), value)]
    entry = _log(env, "Cut checkout latency", *flags)
    assert {name: entry[name] for name in STORY} == STORY
    shown = invoke(env, "show", str(entry["id"]))
    for label, value in (("context:", STORY["context"]), ("I did:", STORY["did"]),
                         ("result later:", STORY["result_later"]),
                         ("prevented:", STORY["prevented"])):
        assert f"{label:<13} {value}" in shown.stdout
    as_json = json.loads(invoke(env, "show", str(entry["id"]), "--json").stdout)
    assert as_json["why"] == STORY["why"]
    found = json.loads(invoke(env, "search", "holiday", "--json").stdout)
    assert [e["id"] for e in found] == [entry["id"]]

    script = tmp_path / "editor.py"
    script.write_text(
        "import sys, pathlib\n"
        "p = pathlib.Path(sys.argv[1])\n"
        "t = p.read_text()\n"
        "assert 'prevented: a holiday outage' in t, t\n"
        "p.write_text(t.replace('a holiday outage', 'a Black Friday outage'))\n"
    )
    env.settings = replace(env.settings, editor=f"{sys.executable} {script}")
    assert invoke(env, "edit", str(entry["id"])).exit_code == 0
    edited = json.loads(invoke(env, "show", str(entry["id"]), "--json").stdout)
    assert edited["prevented"] == "a Black Friday outage" and edited["why"] == STORY["why"]


def test_the_coach_names_the_missing_story_parts_of_a_win_only(env: Env) -> None:
    logged = log_entry(env.ctx, title="Cut checkout latency", why="carts were abandoned",
                       did="I rewrote the cache")
    assert logged.missing_story == ["context", "result_now", "result_later", "prevented"]
    assert logged.entry.context == ""  # never filled in
    assert log_entry(env.ctx, title="Read a book", kind="learning").missing_story == []
    result = invoke(env, "log", "Cut checkout latency", "--context", "timeouts")
    assert ("story: not recorded yet: --why, --did, --result-now, --result-later, --prevented"
            in result.stdout)


def test_an_unquoted_title_with_inline_fields(env: Env) -> None:
    entry = _log(env, "yesterday:", "Cut", "p99", "latency", "900ms", "to", "250ms",
                 "@checkout", "+sla", "#craft")
    assert entry["title"] == "Cut p99 latency 900ms to 250ms"
    assert (entry["date"], entry["project"]) == ("2026-11-19", "checkout")
    assert [(o["id"], o["confirmed"]) for o in entry["outcomes"]] == [("sla", True)]
    assert [(c["id"], c["confirmed"]) for c in entry["competencies"]] == [("craft", True)]
    assert [(m["name"], m["baseline"], m["result"], m["unit"]) for m in entry["metrics"]] == [
        ("p99 latency", 900.0, 250.0, "ms")]
    dated = _log(env, "2026-03-02: Migrated billing")
    assert (dated["date"], dated["title"]) == ("2026-03-02", "Migrated billing")
    kept = _log(env, "Billing: migrated the queue", "--date", "friday")
    assert (kept["date"], kept["title"]) == ("2026-11-20", "Billing: migrated the queue")
    friday = _log(env, "friday: shipped search")
    assert (friday["date"], friday["title"]) == ("2026-11-20", "shipped search")


def test_unknown_inline_labels_are_errors_naming_them(env: Env) -> None:
    for token, word in (("+revenu", "revenue"), ("#mentorship", "mentoring")):
        result = invoke(env, "log", "Shipped", "it", token)
        assert result.exit_code == 2
        assert f"'{token}'" in result.stderr and f"did you mean '{word}'" in result.stderr
    result = invoke(env, "log", "Shipped @search", "--project", "checkout")
    assert result.exit_code == 2 and "'@search'" in result.stderr
    assert json.loads(invoke(env, "list", "--json").stdout) == []


@pytest.mark.parametrize(("title", "metric"), [
    ("Cut p99 latency 900 ms → 250 ms", ("p99 latency", 900.0, 250.0, "ms")),
    ("Reduced deploy time from 25 min to 9 min", ("deploy time", 25.0, 9.0, "min")),
    ("Cut pages from 12 to 3 per week", ("pages", 12.0, 3.0, "per week")),
    ("Upgraded Python 3.10 to 3.12", None),
    ("Cut infra cost $12k → $8k", ("infra cost", 12000.0, 8000.0, "$")),
    ("Cloud bill €1,200 -> €800/month", ("Cloud bill", 1200.0, 800.0, "€/month")),
])
def test_a_figure_in_the_title_becomes_a_metric(
    env: Env, title: str, metric: tuple[str, float, float, str] | None
) -> None:
    entry = _log(env, title)
    assert entry["title"] == title
    found = [(m["name"], m["baseline"], m["result"], m["unit"]) for m in entry["metrics"]]
    assert found == ([metric] if metric else [])


def test_a_metric_given_wins_over_the_title(env: Env) -> None:
    entry = _log(env, "Cut p99 900ms -> 250ms", "--metric", "p99 latency: 900 -> 250 ms")
    assert [m["name"] for m in entry["metrics"]] == ["p99 latency"]


def test_labels_not_given_are_still_suggested(env: Env) -> None:
    title = "Mentored two juniors through their first on-call rotation"
    given_outcome = _log(env, title, "--outcome", "people")
    assert [(o["id"], o["confirmed"]) for o in given_outcome["outcomes"]] == [("people", True)]
    suggested = given_outcome["competencies"]
    assert "mentoring" in [c["id"] for c in suggested]
    assert not any(c["confirmed"] for c in suggested)
    given_competency = _log(env, "Cut checkout p99 latency, fewer SLA breaches", "-c", "craft")
    assert [(c["id"], c["confirmed"]) for c in given_competency["competencies"]] == [
        ("craft", True)]
    assert given_competency["outcomes"]
    assert not any(o["confirmed"] for o in given_competency["outcomes"])


def test_log_dash_reads_standard_input(env: Env) -> None:
    entry = _log(env, "-", "--kind", "invisible", input="Fixed the flaky deploy\n\nIt failed "
                 "one run in five.\nNow none.\n")
    assert entry["title"] == "Fixed the flaky deploy"
    assert entry["details"] == "It failed one run in five.\nNow none."
    assert entry["kind"] == "invisible"
    empty = invoke(env, "log", "-", input="")
    assert empty.exit_code == 0 and "nothing logged" in empty.stdout
    assert len(json.loads(invoke(env, "list", "--json").stdout)) == 1


def test_log_without_a_title_opens_the_editor(env: Env, tmp_path: Path) -> None:
    untouched = tmp_path / "untouched.py"
    untouched.write_text("import sys, pathlib\nassert \"title: ''\" in "
                         "pathlib.Path(sys.argv[1]).read_text()\n")
    env.settings = replace(env.settings, editor=f"{sys.executable} {untouched}")
    result = invoke(env, "log")
    assert result.exit_code == 0 and "nothing logged" in result.stdout
    assert json.loads(invoke(env, "list", "--json").stdout) == []

    filled = tmp_path / "filled.py"
    filled.write_text(
        "import sys, pathlib\n"
        "p = pathlib.Path(sys.argv[1])\n"
        "t = p.read_text().replace(\"title: ''\", 'title: Cut build time from 25 min to 9 min')\n"
        "t = t.replace(\"why: ''\", 'why: releases waited on CI')\n"
        "t = t.replace('outcomes: []', 'outcomes: [kpi]')\n"
        "p.write_text(t)\n"
    )
    env.settings = replace(env.settings, editor=f"{sys.executable} {filled}")
    result = invoke(env, "log")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("logged #")
    (entry,) = json.loads(invoke(env, "list", "--json").stdout)
    assert (entry["title"], entry["why"], entry["date"]) == (
        "Cut build time from 25 min to 9 min", "releases waited on CI", "2026-11-20")
    assert [(o["id"], o["confirmed"]) for o in entry["outcomes"]] == [("kpi", True)]
    assert [(m["name"], m["result"]) for m in entry["metrics"]] == [("build time", 9.0)]


def test_imports_keep_the_story_the_user_wrote(env: Env) -> None:
    imported = Entry(title="PR 12: faster cache", date=TODAY, source="github",
                     source_id="org/repo#12")
    with env.ctx.begin() as conn:
        upsert_entries(conn, entries=[imported])
    with env.ctx.begin() as conn:
        stored = get_entry(conn, entry_id=int(imported.id or 0))
        stored.why = "checkout timed out"
        from levelup.store.entries import replace_entry

        replace_entry(conn, entry=stored)
    again = Entry(title="PR 12: faster cache, reviewed", date=TODAY, source="github",
                  source_id="org/repo#12")
    with env.ctx.begin() as conn:
        assert upsert_entries(conn, entries=[again])["updated"] == 1
        back = get_entry(conn, entry_id=int(imported.id or 0))
        assert (back.title, back.why) == ("PR 12: faster cache, reviewed", "checkout timed out")
        from levelup.store.entry_upserts import retract_entries

        gone, kept = retract_entries(conn, keys=[("github", "org/repo#12")])
        assert (gone, [e.id for e in kept]) == ([], [imported.id])


def test_the_story_the_better_way_and_emails_travel_in_the_export(
    env: Env, tmp_path: Path
) -> None:
    with env.ctx.begin() as conn:
        add_entry(conn, entry=Entry(title="Cut latency", date=TODAY, **STORY, metrics=[
            Metric(name="p99", baseline=900, result=250, unit="ms", better="lower")]))
        add_stakeholder(conn, stakeholder=Stakeholder(name="Grace", email="grace@example.com"))
    out = tmp_path / "ledger.json"
    assert invoke(env, "export", "--output", str(out)).exit_code == 0
    doc = json.loads(out.read_text())
    assert doc["version"] == 1
    other = Env(settings=load(environ={}, home=tmp_path / "b",
                              database_url=f"sqlite:///{tmp_path / 'b.db'}"), today=TODAY)
    try:
        assert invoke(other, "import", "json", str(out)).exit_code == 0
        (entry,) = json.loads(invoke(other, "list", "--json").stdout)
        assert {name: entry[name] for name in STORY} == STORY
        assert entry["metrics"][0]["better"] == "lower"
        with other.ctx.read() as conn:
            assert get_stakeholder(conn, name="Grace").email == "grace@example.com"
        old = tmp_path / "v1.json"  # a version 1 document of an older levelup: no story
        old.write_text(json.dumps({"format": "levelup-export", "version": 1, "entries": [
            {"title": "Old win", "date": "2026-01-01", "metrics": [
                {"name": "p95", "baseline": 800, "result": 400, "unit": "ms"}]}],
            "stakeholders": [{"name": "Linus", "relation": "peer"}]}))
        assert invoke(other, "import", "json", str(old)).exit_code == 0
        found = json.loads(invoke(other, "search", "old", "--json").stdout)
        assert [(e["title"], e["why"], e["metrics"][0]["better"]) for e in found] == [
            ("Old win", "", None)]
        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps({"format": "levelup-export", "version": 1, "entries": [
            {"title": "x", "date": "2026-01-01", "metrics": [
                {"name": "p", "result": 1, "better": "sideways"}]}]}))
        result = invoke(other, "import", "json", str(bad))
        assert result.exit_code == 2 and "metrics[0].better" in result.stderr
    finally:
        other.close()
