"""The capture-and-recall use cases, called directly on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from levelup.cli.common import Env
from levelup.domain.models import Conversation
from levelup.domain.vocab import UnknownValue
from levelup.errors import FieldError, LevelupError, NotFound
from levelup.services.config import list_settings
from levelup.services.entries import (
    confirm_labels,
    delete_entries,
    entry_form,
    list_entries,
    log_entry,
    save_entry_form,
    save_profile,
    search_ledger,
    show_entry,
)
from levelup.services.portable import export_ledger
from levelup.services.statements import classify_statements, coach_statement
from levelup.store.records import add_conversation
from tests import factories as f


def test_logged_labels_are_kept_confirmed_and_tips_come_with_a_weak_win(env: Env) -> None:
    logged = log_entry(env.ctx, title="Cut p99 checkout latency", project="checkout",
                       outcomes=["SLA"], competencies=["craft"], metrics=["p99: 900 -> 250 ms"])
    stored = show_entry(env.ctx, entry_id=logged.entry.id or 0).entry
    assert [(lab.id, lab.confirmed) for lab in stored.outcomes + stored.competencies] == [
        ("sla", True), ("craft", True)]
    assert (stored.date, stored.project, stored.metrics[0].result) == (f.TODAY, "checkout", 250)
    assert logged.warnings == []
    assert log_entry(env.ctx, title="Helped with stuff").tips  # vague: the coach has advice


def test_an_entry_without_labels_gets_unconfirmed_suggestions(env: Env) -> None:
    logged = log_entry(env.ctx, title="Mentored two juniors through their first on-call rotation")
    stored = show_entry(env.ctx, entry_id=logged.entry.id or 0).entry
    suggested = stored.outcomes + stored.competencies
    assert suggested and not any(label.confirmed for label in suggested)
    assert "mentoring" in stored.competency_ids


def test_log_names_the_bad_field(env: Env) -> None:
    with pytest.raises(FieldError) as until:
        log_entry(env.ctx, title="Migration", date="2026-03-10", until="2026-03-01")
    assert until.value.field == "until"
    assert until.value.problem == "2026-03-01 is before the entry's date 2026-03-10"
    with pytest.raises(UnknownValue, match="unknown kind 'wn'; did you mean 'win'"):
        log_entry(env.ctx, title="Shipped it", kind="wn")
    with pytest.raises(LevelupError, match="title"):
        log_entry(env.ctx, title="   ")
    assert list_entries(env.ctx) == []  # nothing half-written


def test_list_filters_by_period_kind_project_and_labels(env: Env) -> None:
    old = log_entry(env.ctx, title="Migrated billing", date="2026-09-03", outcomes=["revenue"],
                    project="billing").entry
    paired = log_entry(env.ctx, title="Paired with Sam", date="2026-10-14", kind="mentoring",
                       competencies=["mentoring"]).entry
    review = log_entry(env.ctx, title="Wrote the incident review", kind="prevention",
                       competencies=["communication"]).entry

    def ids(**filters: object) -> list[int | None]:
        return [e.id for e in list_entries(env.ctx, **filters)]  # type: ignore[arg-type]

    assert ids() == [review.id, paired.id, old.id]
    assert ids(since="last month") == [review.id, paired.id]
    assert ids(since="2026-Q3", until="2026-Q3") == [old.id]
    assert ids(kind=["mentoring", "Prevention"]) == [review.id, paired.id]
    assert ids(project="billing") == [old.id]
    assert ids(outcome="revenue") == [old.id]
    assert ids(competency="communication") == [review.id]
    assert ids(limit=1) == [review.id]
    with pytest.raises(UnknownValue, match="outcome"):
        list_entries(env.ctx, outcome="money")


def test_search_finds_entries_feedback_and_conversations(env: Env) -> None:
    with env.ctx.begin() as conn:
        f.feedback(conn, "Your latency dashboards helped the team", giver="Lin")
        add_conversation(conn, conversation=Conversation(
            date=f.TODAY, with_="Grace", notes="We split the latency budget"))
    hit = log_entry(env.ctx, title="Cut checkout latency", outcomes=["sla"]).entry
    log_entry(env.ctx, title="Wrote docs", outcomes=["culture"])
    assert [e.id for e in search_ledger(env.ctx, query="laten")["entries"]] == [hit.id]
    found = search_ledger(env.ctx, query="latency", within="all")
    assert [len(found[k]) for k in ("entries", "feedback", "conversations")] == [1, 1, 1]
    assert list(search_ledger(env.ctx, query="latency", within="feedback")) == ["feedback"]
    assert search_ledger(env.ctx, query="latency", since="2027-01-01")["entries"] == []
    with pytest.raises(UnknownValue, match="search scope"):
        search_ledger(env.ctx, query="latency", within="talks")


def test_the_entry_form_round_trip(env: Env) -> None:
    entry = log_entry(env.ctx, title="Fixed the flaky deploy", outcomes=["sla"],
                      competencies=["craft"]).entry  # both given: no suggestion to confirm
    assert entry.id is not None
    text = entry_form(env.ctx, entry_id=entry.id)
    assert save_entry_form(env.ctx, entry_id=entry.id, text=text) is None  # left as it was
    assert save_entry_form(env.ctx, entry_id=entry.id, text="# all gone\n") is None
    edited = text.replace("Fixed the flaky deploy", "Fixed the flaky deploy for good")
    saved = save_entry_form(env.ctx, entry_id=entry.id, text=edited)
    assert saved is not None and saved.title == "Fixed the flaky deploy for good"
    assert show_entry(env.ctx, entry_id=entry.id).entry.title == "Fixed the flaky deploy for good"
    with pytest.raises(LevelupError, match="title: must not be empty"):
        save_entry_form(env.ctx, entry_id=entry.id, text=edited.replace("for good", "")
                        .replace("title: Fixed the flaky deploy", "title: ''"))


def test_keeping_suggested_labels_in_the_form_confirms_them(env: Env) -> None:
    entry = log_entry(env.ctx, title="Mentored two juniors through their on-call").entry
    assert entry.id is not None
    saved = save_entry_form(env.ctx, entry_id=entry.id,
                            text=entry_form(env.ctx, entry_id=entry.id))
    assert saved is not None
    assert all(label.confirmed for label in saved.outcomes + saved.competencies)


def test_confirm_then_delete(env: Env) -> None:
    first = log_entry(env.ctx, title="Mentored two juniors through their on-call").entry
    second = log_entry(env.ctx, title="Shipped search", outcomes=["revenue"]).entry
    assert first.id is not None and second.id is not None
    assert confirm_labels(env.ctx, entry_ids=[first.id, second.id]) >= 1
    shown = show_entry(env.ctx, entry_id=first.id).entry
    assert all(label.confirmed for label in shown.outcomes + shown.competencies)
    delete_entries(env.ctx, entry_ids=[first.id])
    assert [e.id for e in list_entries(env.ctx)] == [second.id]
    with pytest.raises(NotFound):
        show_entry(env.ctx, entry_id=first.id)


def test_show_says_who_heard_about_the_entry(env: Env) -> None:
    with env.ctx.begin() as conn:
        win = f.entry(conn, "Shipped the on-call runbook")
        f.stakeholder(conn, "Priya", decision_maker=True)
        f.told(conn, "Priya", [win])
    shown = show_entry(env.ctx, entry_id=win.id or 0)
    assert shown.heard_by == [("Priya", True)]
    assert shown.to_json()["heard_by"] == [{"stakeholder": "Priya", "decision_maker": True}]


def test_profile_levels_must_be_on_the_ladder(env: Env) -> None:
    profile = save_profile(env.ctx, name="Ada", level="L3", target="L4", manager="Grace")
    assert (profile.level, profile.target_level, profile.manager) == ("L3", "L4", "Grace")
    with pytest.raises(LevelupError, match="no level 'L9'"):
        save_profile(env.ctx, name="Ada", level="L3", target="L9")
    assert export_ledger(env.ctx)["profile"]["target_level"] == "L4"  # the bad one not saved


def test_settings_statements_and_classification(env: Env) -> None:
    settings = {s.name: s for s in list_settings(env.ctx)}
    assert settings["classifier"].value == "default" and settings["classifier"].help
    assert coach_statement(env.ctx, text="Cut p99 latency from 900 to 250 ms").has_metric
    found = list(classify_statements(env.ctx, texts=["Mentored two juniors", "Cut costs"]))
    assert len(found) == 2 and found[0]["competencies"][0]["id"] == "mentoring"


def test_a_fixed_today_dates_the_entry(env: Env) -> None:
    entry = log_entry(env.ctx, title="Planned the migration", date="yesterday", kind="plan").entry
    assert entry.date == date(2026, 11, 19) and entry.kind == "plan"
