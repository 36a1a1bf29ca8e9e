"""Readiness: each factor measured from scenario ledgers, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from levelup.cli.common import Env
from levelup.readiness import FACTORS
from levelup.services.readiness import readiness_for
from tests.conftest import invoke
from tests.readiness_ledgers import build


def test_complete_ledger_meets_every_factor(env: Env) -> None:
    build(env)
    found = readiness_for(env.ctx)
    assert {f.id: f.status for f in found.factors} == dict.fromkeys(FACTORS, "met")
    assert [a for a in found.actions if a.factor != "sustained"] == []
    assert found.target_level == "L4"


@pytest.mark.parametrize("factor", FACTORS)
def test_ledger_lacking_one_factor_reports_it_missing_with_an_action(env: Env,
                                                                     factor: str) -> None:
    build(env, skip=factor)
    found = readiness_for(env.ctx)
    statuses = {f.id: f.status for f in found.factors}
    assert statuses.pop(factor) == "missing", found.factor(factor).detail
    assert set(statuses.values()) == {"met"}, statuses
    assert found.actions[0].factor == factor
    assert found.actions[0].text


def test_one_burst_month_is_not_sustained(env: Env) -> None:
    made = build(env, skip="sustained")
    found = readiness_for(env.ctx)
    craft = next(c for c in found.competencies if c.id == "craft")
    assert craft.months_with_evidence == 1
    assert craft.status == "partial"
    assert set(craft.evidence) <= {e.id for e in made["wins"]}
    assert "burst" in found.factor("sustained").detail


def test_sustained_months_count_per_competency(env: Env) -> None:
    made = build(env)
    craft = next(c for c in readiness_for(env.ctx).competencies if c.id == "craft")
    assert (craft.status, craft.months_with_evidence) == ("met", 6)
    assert craft.evidence == sorted(e.id for e in made["wins"])


def test_visibility_action_names_the_entries_and_the_decision_maker(env: Env) -> None:
    made = build(env, skip="visibility")
    action = next(a for a in readiness_for(env.ctx).actions if a.factor == "visibility")
    assert "Alan Turing" in action.text and "Grace Hopper" in action.text
    assert set(action.entries) <= {e.id for e in made["wins"]}


def test_json_shape(env: Env) -> None:
    import json

    build(env, skip="aspiration")
    result = invoke(env, "readiness", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"target_level", "competencies", "factors", "actions"}
    assert set(data["competencies"][0]) == {"id", "status", "evidence", "months_with_evidence"}
    assert [f["id"] for f in data["factors"]] == list(FACTORS)
    assert set(data["factors"][0]) == {"id", "status", "detail", "evidence"}
    assert set(data["actions"][0]) == {"text", "factor", "entries", "command", "step"}
    assert data["actions"][0]["factor"] == "aspiration"
    command = "levelup talk add --with NAME --kind career --aspiration"
    assert data["actions"][0]["command"] == command
    assert data["actions"][0]["text"].endswith(f"(`{command}`)")


def test_terminal_view_fits_one_screen(env: Env) -> None:
    build(env, skip="feedback")
    result = invoke(env, "readiness")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) <= 40
    assert "✗ feedback" in result.output and "✓ visibility" in result.output
    assert "1. Ask Grace Hopper" in result.output


def test_unknown_level_is_one_line_error(env: Env) -> None:
    build(env)
    result = invoke(env, "readiness", "--level", "L44")
    assert result.exit_code == 2
    assert "did you mean" in result.output + (result.stderr or "")


def test_bus_factor_uses_the_emails_of_the_git_import(env: Env, tmp_path: Path) -> None:
    """No LEVELUP_GIT_EMAILS set: the identities `import git --author` used are remembered."""
    from tests.utils.gitrepo import BOB, GitRepo

    repo = GitRepo(tmp_path / "repo")
    repo.commit("Add billing rules", {"billing/rules.py": "x = 1\n"}, day="2026-10-01")
    repo.commit("Shared docs", {"docs/readme.md": "hi\n"}, day="2026-10-02")
    repo.commit("Shared docs too", {"docs/readme.md": "hi there\n"}, day="2026-10-03",
                author=BOB)
    assert invoke(env, "init", "--name", "Ada", "--level", "L3", "--target", "L4").exit_code == 0
    done = invoke(env, "import", "git", str(repo.path), "--author", "ada@example.com")
    assert done.exit_code == 0, done.output
    factor = next(f for f in readiness_for(env.ctx).factors if f.id == "bus_factor")
    assert "not measured" not in factor.detail
    assert "billing" in factor.detail and "docs" not in factor.detail
