"""Stakeholders, expectations and projects through their services, on a real ledger."""

from __future__ import annotations

from datetime import date

import pytest

from levelup.cli.common import Env
from levelup.domain.expectations import is_stale
from levelup.domain.vocab import UnknownValue
from levelup.errors import NotFound
from levelup.services import people, projects
from tests.factories import TODAY, days_ago


def test_stakeholder_add_updates_the_one_with_the_same_name(env: Env) -> None:
    people.add_stakeholder(env.ctx, name="Priya", relation="peer")
    again = people.add_stakeholder(env.ctx, name=" Priya ", relation="Skip-Level",
                                   decision_maker=True, notes="runs the committee")
    found = people.list_stakeholders(env.ctx)
    assert [(p.name, p.relation, p.decision_maker, p.notes) for p in found] == [
        ("Priya", "skip-level", True, "runs the committee")]
    assert again.id == found[0].id


def test_unknown_relation_or_kind_names_the_field_and_writes_nothing(env: Env) -> None:
    with pytest.raises(UnknownValue, match="unknown relation 'manger'; did you mean 'manager'"):
        people.add_stakeholder(env.ctx, name="Grace", relation="manger")
    with pytest.raises(UnknownValue, match="unknown expectation kind 'critical'"):
        people.add_expectation(env.ctx, text="Own the SLO", kind="critical")
    assert people.list_stakeholders(env.ctx) == []
    assert people.list_expectations(env.ctx) == []


def test_removing_someone_unknown_suggests_the_nearest(env: Env) -> None:
    people.add_stakeholder(env.ctx, name="Priya Raman")
    with pytest.raises(NotFound, match="did you mean 'Priya Raman'"):
        people.remove_stakeholder(env.ctx, name="Priya Ramen")
    people.remove_stakeholder(env.ctx, name="priya raman")
    assert people.list_stakeholders(env.ctx) == []


def test_expectations_are_stale_after_the_setting_newest_first(env: Env) -> None:
    days = env.ctx.settings.expectations_days
    people.add_expectation(env.ctx, text="Old", agreed=days_ago(days + 1).isoformat())
    people.add_expectation(env.ctx, text="Edge", agreed=days_ago(days).isoformat())
    people.add_expectation(env.ctx, text="New", kind="critical-task", said_by="Grace")
    views = people.list_expectations(env.ctx)
    assert [(v.expectation.text, v.age_days, v.stale) for v in views] == [
        ("New", 0, False), ("Edge", days, False), ("Old", days + 1, True)]
    assert views[0].expectation.agreed_on == TODAY
    assert set(views[0].to_json()) == {"kind", "text", "agreed_on", "said_by", "outcome",
                                          "outcome_on", "id", "uid"}


def test_the_stale_rule_is_one_day_past_the_limit() -> None:
    assert not is_stale(date(2026, 1, 1), today=date(2026, 1, 31), days=30)
    assert is_stale(date(2026, 1, 1), today=date(2026, 2, 1), days=30)


def test_remove_expectation(env: Env) -> None:
    item = people.add_expectation(env.ctx, text="Ship it")
    assert item.id is not None
    people.remove_expectation(env.ctx, expectation_id=item.id)
    with pytest.raises(NotFound, match=f"no expectation with id {item.id}"):
        people.remove_expectation(env.ctx, expectation_id=item.id)


def test_project_set_creates_then_changes_only_the_fields_given(env: Env) -> None:
    made = projects.set_project(env.ctx, name="checkout", goal="Faster checkout", stretch=True,
                                stakeholder=["Grace"], start="2026-09-01")
    assert (made.status, made.stretch, made.stakeholders) == ("active", True, ["Grace"])
    changed = projects.set_project(env.ctx, name="checkout", status="Done",
                                   went_well="Weekly demos", stakeholder=[])
    assert (changed.goal, changed.stretch, changed.start) == ("Faster checkout", True,
                                                              date(2026, 9, 1))
    assert (changed.status, changed.went_well, changed.stakeholders) == ("done", "Weekly demos",
                                                                         ["Grace"])
    assert projects.set_project(env.ctx, name="checkout", stretch=False).stretch is False
    assert [p.name for p in projects.list_projects(env.ctx)] == ["checkout"]
    assert projects.get_project(env.ctx, name="checkout").went_well == "Weekly demos"


def test_project_status_is_checked_and_missing_projects_are_not_found(env: Env) -> None:
    with pytest.raises(UnknownValue, match="unknown status 'finished'"):
        projects.set_project(env.ctx, name="checkout", status="finished")
    with pytest.raises(NotFound, match="no project called 'checkout'"):
        projects.get_project(env.ctx, name="checkout")
