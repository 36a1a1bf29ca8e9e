"""The capture and recall commands, end to end on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from levelup.cli.common import Env
from levelup.store.entries import count_entries
from tests.conftest import invoke


def log(env: Env, *args: str) -> int:
    result = invoke(env, "log", *args, "--quiet")
    assert result.exit_code == 0, result.output
    return int(result.stdout.strip())


def entries_json(env: Env, *args: str) -> list[dict]:
    result = invoke(env, *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_init_then_log_the_documented_example(env: Env) -> None:
    assert invoke(env, "init", "--name", "Ada", "--level", "L3", "--target", "L4",
                  "--manager", "Grace").exit_code == 0
    result = invoke(env, "log", "Cut p99 checkout latency 900ms -> 250ms", "--project",
                    "checkout", "--outcome", "sla", "--metric", "p99 latency: 900 -> 250 ms",
                    "--json")
    assert result.exit_code == 0, result.output
    entry = json.loads(result.stdout)
    assert entry["project"] == "checkout"
    assert [o["id"] for o in entry["outcomes"]] == ["sla"]
    assert entry["outcomes"][0]["confirmed"] is True
    assert entry["metrics"] == [{"name": "p99 latency", "baseline": 900.0, "result": 250.0,
                                 "unit": "ms", "better": None}]
    assert entry["date"] == "2026-11-20"
    stakeholders = entries_json(env, "stakeholder", "list")
    assert [(s["name"], s["relation"], s["decision_maker"]) for s in stakeholders] == [
        ("Grace", "manager", True)]


def test_list_filters_by_natural_period_kind_and_label(env: Env) -> None:
    old = log(env, "Migrated billing to the new queue", "--date", "2026-09-03", "-o", "revenue")
    recent = log(env, "Paired with Sam on the cache", "--date", "2026-10-14", "-k", "mentoring",
                 "-c", "mentoring")
    today = log(env, "Wrote the incident review", "-k", "prevention", "-c", "communication")
    assert [e["id"] for e in entries_json(env, "list")] == [today, recent, old]
    assert [e["id"] for e in entries_json(env, "list", "--since", "last month")] == [today, recent]
    assert [e["id"] for e in entries_json(env, "list", "--since", "2026-Q3", "--until",
                                          "2026-Q3")] == [old]
    assert [e["id"] for e in entries_json(env, "list", "--kind", "mentoring")] == [recent]
    assert [e["id"] for e in entries_json(env, "list", "-o", "revenue")] == [old]
    assert [e["id"] for e in entries_json(env, "list", "-c", "communication")] == [today]
    plain = invoke(env, "list", "--since", "last month")
    assert "Paired with Sam" in plain.stdout and "Migrated billing" not in plain.stdout


def test_search_uses_full_text_with_prefixes_and_periods(env: Env) -> None:
    first = log(env, "Cut p99 checkout latency", "--details", "Profiled the payment service")
    log(env, "Onboarded two new engineers", "--date", "2026-06-01")
    second = log(env, "Latency dashboard for search", "--date", "2026-06-02")
    assert [e["id"] for e in entries_json(env, "search", "latency")] == [first, second]
    assert [e["id"] for e in entries_json(env, "search", "paym")] == [first]
    assert [e["id"] for e in entries_json(env, "search", "latency", "--since", "2026-11")] == [
        first]
    assert entries_json(env, "search", "checkout", "dashboard") == []


def test_search_covers_feedback_and_conversations(env: Env) -> None:
    added = invoke(env, "feedback", "add", "Your design doc was crisp", "--from", "Lin")
    assert added.exit_code == 0
    assert invoke(env, "talk", "add", "--with", "Grace", "--notes", "Discussed the design doc",
                  "--aspiration").exit_code == 0
    found = json.loads(invoke(env, "search", "design", "--in", "all", "--json").stdout)
    assert [f["giver"] for f in found["feedback"]] == ["Lin"]
    assert [c["with_"] for c in found["conversations"]] == ["Grace"]
    assert found["entries"] == []


def test_show_includes_who_heard_about_the_entry(env: Env) -> None:
    entry = log(env, "Shipped the on-call runbook")
    invoke(env, "stakeholder", "add", "Priya", "--relation", "skip-level", "--decision-maker")
    assert invoke(env, "tell", "Priya", str(entry), "--via", "demo").exit_code == 0
    shown = json.loads(invoke(env, "show", str(entry), "--json").stdout)
    assert shown["heard_by"] == [{"stakeholder": "Priya", "decision_maker": True}]
    assert "Priya *" in invoke(env, "show", str(entry)).stdout


def test_edit_opens_the_editor_and_confirms_labels(env: Env, tmp_path: Path) -> None:
    entry = log(env, "Fixed the flaky deploy", "-o", "sla")
    script = tmp_path / "editor.py"
    script.write_text(
        "import sys, pathlib\n"
        "p = pathlib.Path(sys.argv[1])\n"
        "t = p.read_text().replace('Fixed the flaky deploy', 'Fixed the flaky deploy for good')\n"
        "t = t.replace('metrics: []', 'metrics:\\n- \"deploy failures: 12 -> 1 per week\"')\n"
        "p.write_text(t)\n"
    )
    env.settings = env.settings.__class__(**{**_settings(env), "editor":
                                              f"{sys.executable} {script}"})
    result = invoke(env, "edit", str(entry))
    assert result.exit_code == 0, result.output
    shown = json.loads(invoke(env, "show", str(entry), "--json").stdout)
    assert shown["title"] == "Fixed the flaky deploy for good"
    assert shown["metrics"][0]["baseline"] == 12.0 and shown["metrics"][0]["unit"] == "per week"


def _settings(env: Env) -> dict:
    from dataclasses import fields

    return {f.name: getattr(env.settings, f.name) for f in fields(env.settings)}


def test_confirm_marks_suggested_labels(env: Env) -> None:
    entry = log(env, "Mentored two juniors through their first on-call rotation")
    before = json.loads(invoke(env, "show", str(entry), "--json").stdout)
    suggested = before["outcomes"] + before["competencies"]
    assert suggested and not any(label["confirmed"] for label in suggested)
    assert invoke(env, "confirm", str(entry)).exit_code == 0
    after = json.loads(invoke(env, "show", str(entry), "--json").stdout)
    assert all(label["confirmed"] for label in after["outcomes"] + after["competencies"])


def test_delete_needs_yes_off_a_terminal(env: Env) -> None:
    entry = log(env, "Temporary entry")
    refused = invoke(env, "delete", str(entry))
    assert refused.exit_code == 2 and "--yes" in refused.stderr
    assert invoke(env, "delete", str(entry), "--yes").exit_code == 0
    assert invoke(env, "show", str(entry)).exit_code == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["log", "x", "--date", "2026-02-30"], "not a real date"),
        (["log", "x", "--metric", "latency 900 -> 250"], "NAME: BASELINE -> RESULT"),
        (["log", "x", "--outcome", "revenu"], "did you mean 'revenue'"),
        (["log", "x", "--competency", "mentorship"], "did you mean 'mentoring'"),
        (["log", "x", "--kind", "wn"], "did you mean 'win'"),
        (["show", "999"], "no entry with id 999"),
        (["tell", "Nobody", "1"], "no entry with id 1"),
        (["list", "--since", "the other day"], "cannot read"),
        (["checkin", "--score", "listening=9"], "not a score from 1 to 5"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(env: Env, args: list[str],
                                                         message: str) -> None:
    result = invoke(env, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    with env.ctx.read() as conn:
        assert count_entries(conn) == 0


def test_unknown_stakeholder_suggests_the_nearest(env: Env) -> None:
    entry = log(env, "Demoed the new search")
    invoke(env, "stakeholder", "add", "Priya Raman")
    result = invoke(env, "tell", "Priya Ramen", str(entry))
    assert result.exit_code == 2 and "did you mean 'Priya Raman'" in result.stderr


def test_records_expectations_feedback_projects_talks_checkins(env: Env) -> None:
    assert invoke(env, "expect", "add", "Own the checkout SLO", "--kind", "critical-task",
                  "--by", "Grace", "--date", "2026-06-01").exit_code == 0
    expectations = entries_json(env, "expect", "list")
    assert expectations[0]["kind"] == "critical-task"
    assert "stale" in invoke(env, "expect", "list").stdout  # 172 days old > 90
    entry = log(env, "Ran the design review myself")
    assert invoke(env, "feedback", "add", "Let others speak first", "--from", "Grace",
                  "--constructive", "--asked", "--follow-up", "Ask two questions before "
                  "proposing", "-c", "influence").exit_code == 0
    assert invoke(env, "feedback", "update", "1", "--status", "done", "--shown-by",
                  str(entry)).exit_code == 0
    feedback = entries_json(env, "feedback", "list")[0]
    assert (feedback["status"], feedback["entry_ids"], feedback["asked"]) == ("done", [entry],
                                                                              True)
    assert invoke(env, "project", "set", "checkout", "--goal", "Faster checkout", "--stretch",
                  "-s", "Grace", "--went-well", "Weekly demos").exit_code == 0
    project = json.loads(invoke(env, "project", "show", "checkout", "--json").stdout)
    assert project["stretch"] is True and project["stakeholders"] == ["Grace"]
    assert project["went_well"] == "Weekly demos"
    assert invoke(env, "talk", "add", "--with", "Grace", "--kind", "career", "--aspiration",
                  "--qa", "What matters most this quarter? The checkout SLO").exit_code == 0
    talk = entries_json(env, "talk", "list")[0]
    assert talk["aspiration_stated"] is True
    assert talk["questions"] == [{"question": "What matters most this quarter?",
                                  "answer": "The checkout SLO"}]
    assert invoke(env, "checkin", "--score", "listening=4", "--score", "openness=3").exit_code == 0
    assert entries_json(env, "checkin", "list")[0]["scores"] == {"listening": 4, "openness": 3}
