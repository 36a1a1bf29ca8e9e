"""Export the whole ledger and import it back: nothing lost, nothing duplicated."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from levelup.cli.common import Env
from levelup.domain import vocab
from levelup.domain.models import (
    CheckIn,
    Conversation,
    Entry,
    Expectation,
    Feedback,
    Incident,
    Label,
    Metric,
    Project,
    QuestionAnswer,
    Stakeholder,
    Testimonial,
    VisibilityEvent,
)
from levelup.services.portable import export_document, export_ledger, import_document
from levelup.settings import load
from levelup.store import entries, people, projects, records
from levelup.store.db import open_ledger
from levelup.store.incidents import upsert_incidents
from levelup.store.scope import scoped
from tests.conftest import TODAY, invoke

text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=40)
days = st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31))
numbers = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
labels = st.lists(st.builds(Label, id=st.sampled_from(vocab.OUTCOMES), confirmed=st.booleans(),
                            score=st.none() | st.floats(0, 1)), max_size=2,
                  unique_by=lambda lab: lab.id)
competencies = st.lists(st.builds(Label, id=st.sampled_from(vocab.COMPETENCIES),
                                  confirmed=st.booleans(), score=st.none()), max_size=3,
                        unique_by=lambda lab: lab.id)
entry_strategy = st.builds(
    Entry, title=text.filter(str.strip), date=days, end_date=st.none() | days, details=text,
    kind=st.sampled_from(vocab.ENTRY_KINDS), project=st.none() | st.sampled_from(["a", "b"]),
    outcomes=labels, competencies=competencies,
    metrics=st.lists(st.builds(Metric, name=text.filter(str.strip), result=numbers,
                               baseline=st.none() | numbers, unit=st.sampled_from(["", "ms"])),
                     max_size=2),
    links=st.lists(st.just("https://example.test/pr/1"), max_size=1),
    testimonials=st.lists(st.builds(Testimonial, quote=text, author=text), max_size=1),
    source=st.just("manual"), status=st.none(),
    created_at=st.just(datetime(2026, 1, 1, 9, 30)),
)


def _fill(engine, ledger: list[Entry]) -> None:  # type: ignore[no-untyped-def]
    with engine.begin() as conn:
        people.save_profile(conn, profile=_profile())
        people.add_stakeholder(conn, stakeholder=Stakeholder(name="Priya", relation="skip-level",
                                                             decision_maker=True))
        projects.save_project(conn, project=Project(name="a", goal="g", stretch=True,
                                                    stakeholders=["Priya"]))
        for entry in ledger:
            entries.add_entry(conn, entry=entry)
        ids = [e.id for e in ledger][:2]
        records.add_visibility(conn, event=VisibilityEvent(stakeholder="Priya", date=TODAY,
                                                           channel="demo", entry_ids=ids))
        records.add_feedback(conn, feedback=Feedback(giver="Priya", date=TODAY, polarity="positive",
                                                     text="Great", entry_ids=ids, asked=True))
        records.add_expectation(conn, expectation=Expectation(kind="kpi", text="p99 < 300ms",
                                                              agreed_on=TODAY))
        records.add_conversation(conn, conversation=Conversation(
            date=TODAY, with_="Grace", aspiration_stated=True,
            questions=[QuestionAnswer(question="Right projects?", answer="Yes")]))
        records.add_checkin(conn, checkin=CheckIn(date=TODAY, scores={"listening": 4}))
        upsert_incidents(conn, incidents=[Incident(
            source="pagerduty", source_id="P1", created=datetime(2026, 11, 2, 3, 0),
            resolved=datetime(2026, 11, 2, 4, 0), title="Disk full on db-3", service="db")])


def _profile():  # type: ignore[no-untyped-def]
    from levelup.domain.models import Profile

    return Profile(name="Ada", level="L3", target_level="L4", manager="Grace")


def _comparable(doc: dict) -> dict:
    doc = dict(doc)
    doc.pop("exported_at")
    return doc


@settings(max_examples=12, deadline=None, phases=[Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ledger=st.lists(entry_strategy, min_size=1, max_size=6))
def test_round_trip_loses_nothing(ledger: list[Entry], tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    source = scoped(open_ledger(f"sqlite:///{tmp_path_factory.mktemp('src') / 'l.db'}"), 1)
    _fill(source, ledger)
    with source.connect() as conn:
        first = export_document(conn)
    target = scoped(open_ledger(f"sqlite:///{tmp_path_factory.mktemp('dst') / 'l.db'}"), 1)
    with target.begin() as conn:
        import_document(conn, json.loads(json.dumps(first)))
    with target.connect() as conn:
        second = export_document(conn)
    assert _comparable(second) == _comparable(first)
    with target.begin() as conn:  # merging the same document again adds nothing
        again = import_document(conn, first)
    assert sum(again.values()) == 0
    source.dispose()
    target.dispose()


def test_cli_export_import_into_postgres_and_sqlite(env: Env, tmp_path: Path) -> None:
    _fill(env.ctx.engine(), [Entry(title="Shipped search", date=TODAY, metrics=[
        Metric(name="p95", baseline=800, result=200, unit="ms")])])
    out = tmp_path / "ledger.json"
    assert invoke(env, "export", "--output", str(out)).exit_code == 0
    other = Env(settings=load(environ={}, home=tmp_path / "b",
                              database_url=f"sqlite:///{tmp_path / 'b.db'}"), today=TODAY)
    result = invoke(other, "import", "json", str(out), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["entries"] == 1
    assert invoke(other, "import", "json", str(out), "--json").stdout.strip() == "{}"
    shown = json.loads(invoke(other, "list", "--json").stdout)
    assert shown[0]["metrics"][0]["baseline"] == 800.0


def test_import_refuses_unknown_versions_and_broken_files(env: Env, tmp_path: Path) -> None:
    bad_version = tmp_path / "v9.json"
    bad_version.write_text(json.dumps({"format": "levelup-export", "version": 9}))
    result = invoke(env, "import", "json", str(bad_version))
    assert result.exit_code == 2 and "version 9 is not supported" in result.stderr
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "levelup-export",\n "version": 1,\n "entries": [\n')
    result = invoke(env, "import", "json", str(broken))
    assert result.exit_code == 2 and f"{broken}:4" in result.stderr
    wrong_field = tmp_path / "field.json"
    wrong_field.write_text(json.dumps({"format": "levelup-export", "version": 1, "entries": [
        {"title": "ok", "date": "2026-01-01"}, {"title": "bad", "date": "yesterday"}]}))
    result = invoke(env, "import", "json", str(wrong_field))
    assert result.exit_code == 2 and "entries[1].date" in result.stderr
    assert json.loads(invoke(env, "list", "--json").stdout) == []  # nothing half-written


def test_export_is_dated_and_versioned(env: Env) -> None:
    doc = export_ledger(env.ctx, now=datetime(2026, 11, 20, 10, 0) + timedelta(0))
    assert (doc["format"], doc["version"], doc["exported_at"]) == (
        "levelup-export", 1, "2026-11-20T10:00:00")
