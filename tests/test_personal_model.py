"""Labels the user confirmed in their own ledger improve later suggestions."""

from __future__ import annotations

import json

from levelup.classify import classify
from levelup.cli.common import Env
from tests.conftest import invoke

STATEMENT = "Groomed the zorblax backlog for the quarterly planning"


def _suggested(env: Env, title: str) -> dict[str, list[str]]:
    result = invoke(env, "log", title, "--json")
    assert result.exit_code == 0, result.output
    entry = json.loads(result.stdout)
    assert not any(label["confirmed"] for label in entry["outcomes"] + entry["competencies"])
    return {"outcomes": [o["id"] for o in entry["outcomes"]],
            "competencies": [c["id"] for c in entry["competencies"]]}


def test_confirmed_labels_steer_later_suggestions(env: Env) -> None:
    shipped = classify(STATEMENT)
    assert shipped["competencies"][0]["id"] != "mentoring"
    for week in range(1, 9):
        title = f"Zorblax backlog grooming session {week} with the zorblax crew"
        assert invoke(env, "log", title, "-o", "people", "-c", "mentoring").exit_code == 0
    learned = _suggested(env, STATEMENT)
    assert learned["competencies"][0] == "mentoring"


def test_a_ledger_without_confirmed_labels_uses_the_shipped_model(env: Env) -> None:
    shipped = classify(STATEMENT)
    assert _suggested(env, STATEMENT)["competencies"] == [
        c["id"] for c in shipped["competencies"][:2]]
    assert not (env.settings.home / "cache" / "classifier.json").exists()
