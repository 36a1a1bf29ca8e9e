"""The readiness and today services, called directly; next steps are actions, not commands."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import click
import pytest

from levelup.cli.common import Env
from levelup.cli.steps import COMMANDS, command
from levelup.domain.models import CheckIn
from levelup.domain.steps import ACTIONS, Step
from levelup.readiness import FACTORS, EntryFacts, Person, ReadinessInput, Record, assess
from levelup.readiness.today import TodayInput, due
from levelup.services.readiness import readiness_for, today_for
from levelup.store.records import add_checkin
from tests import factories as f
from tests.factories import TODAY, days_ago
from tests.readiness_ledgers import build


def test_a_complete_ledger_meets_every_factor(env: Env) -> None:
    build(env)
    found = readiness_for(env.ctx)
    assert {x.id: x.status for x in found.factors} == dict.fromkeys(FACTORS, "met")
    assert found.target_level == "L4"


def test_the_business_need_gap_names_the_expectation_to_record(env: Env) -> None:
    build(env, skip="business_need")
    found = readiness_for(env.ctx)
    assert found.factor("business_need").status == "missing"
    first = found.actions[0]
    assert first.factor == "business_need"
    assert first.step == Step("expect.add", {"kind": "business-need"})
    assert first.text.endswith("record it")


@pytest.mark.parametrize("factor", ["aspiration", "feedback", "expectations", "checkin"])
def test_a_missing_record_points_at_a_step(env: Env, factor: str) -> None:
    build(env, skip=factor)
    action = readiness_for(env.ctx).actions[0]
    assert action.factor == factor and action.step is not None
    assert "levelup" not in action.text and "`" not in action.text


def test_an_explicit_level_is_assessed(env: Env) -> None:
    build(env)
    assert readiness_for(env.ctx, level="L5").target_level == "L5"


def test_today_lists_what_is_due_with_its_step(env: Env) -> None:
    with env.ctx.begin() as conn:
        f.profile(conn)
        add_checkin(conn, checkin=CheckIn(date=days_ago(2), scores={"listening": 4}))
    items = {item.id: item for item in today_for(env.ctx)}
    assert set(items) == {"weekly_report", "one_on_one", "feedback", "expectations"}
    assert items["weekly_report"].step == Step("report.weekly")
    assert items["one_on_one"].step == Step("talk.add", {"with": "NAME"})
    assert "Grace Hopper" in items["one_on_one"].text


# --- every step the rules produce is a command of the CLI -------------------------------


def _entry(n: int, kind: str = "win") -> EntryFacts:
    return EntryFacts(id=n, date=days_ago(10 + n), kind=kind, title=f"Shipped part {n}")


def _inputs() -> list[ReadinessInput]:
    """Ledgers that reach every branch of the rules that suggests a step."""
    empty = ReadinessInput(today=TODAY, target_level="L4", competencies=["craft"])
    stale = Record(id=7, date=days_ago(120), who="Grace Hopper", open_follow_up="Speak up")
    decider = Person("Alan Turing", "skip-level", True)
    busy = ReadinessInput(
        today=TODAY, target_level="L4", competencies=["craft"], manager="Grace Hopper",
        entries=[_entry(1), _entry(2, "incident")], feedback=[stale], sole_paths=["a/b"])
    return [empty, busy, replace(busy, people=[decider])]


def _today_inputs() -> list[TodayInput]:
    return [TodayInput(today=TODAY),
            TodayInput(today=TODAY, one_on_ones=[TODAY + timedelta(days=2)])]


def rule_steps() -> list[Step]:
    steps = [a.step for data in _inputs() for a in assess(data).actions]
    steps += [d.step for data in _today_inputs() for d in due(data)]
    return [s for s in steps if s is not None]


def test_the_rules_reach_every_step_they_name() -> None:
    assert {s.action for s in rule_steps()} == {
        "expect.add", "talk.add", "import.git", "feedback.add", "feedback.update", "checkin",
        "report.weekly", "report.agenda", "stakeholder.add", "opportunities"}


def _resolve(words: list[str]) -> click.Command | None:
    from levelup.cli.main import command as root

    found: click.Command | None = root()
    for word in words:
        if not isinstance(found, click.Group):
            return None
        found = found.get_command(click.Context(found), word)
    return found


def _flags(cmd: click.Command) -> set[str]:
    return {opt for p in cmd.params if isinstance(p, click.Option) for opt in p.opts}


def test_every_step_the_rules_produce_renders_to_a_real_command() -> None:
    for step in rule_steps():
        rendered = command(step)
        assert rendered.startswith("levelup " + COMMANDS[step.action])
        cmd = _resolve(COMMANDS[step.action].split())
        runs = not isinstance(cmd, click.Group) or cmd.invoke_without_command
        assert cmd is not None and runs, rendered
        for name in step.args:
            if name == "_":
                assert any(isinstance(p, click.Argument) for p in cmd.params), rendered
            else:
                assert "--" + name.replace("_", "-") in _flags(cmd), rendered


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_every_action_is_a_command(action: str) -> None:
    assert _resolve(COMMANDS[action].split()) is not None, COMMANDS[action]
