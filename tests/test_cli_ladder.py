"""`levelup ladder`, `levelup coach` and `levelup classify`, run in-process."""

from __future__ import annotations

import json
from pathlib import Path

from levelup.cli.common import Env
from tests.conftest import invoke

FIXTURES = Path(__file__).parent / "fixtures" / "ladders"




def _json(env: Env, *args: str) -> object:
    result = invoke(env, *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_ladder_list_and_show_level(env: Env) -> None:
    listed = _json(env, "ladder", "list")
    assert {"software-engineer", "engineering-manager"} <= {lad["id"] for lad in listed}  # type: ignore[union-attr, index]
    shown = _json(env, "ladder", "show", "software-engineer", "--level", "L4")
    levels = shown["tracks"][0]["levels"]  # type: ignore[index, call-overload]
    assert [lv["id"] for lv in levels] == ["L4"] and "mentoring" in levels[0]["competencies"]
    text = invoke(env, "ladder", "show", "--level", "L5")
    assert text.exit_code == 0 and "Staff Engineer" in text.stdout and "signal:" in text.stdout


def test_ladder_show_unknown_level_is_a_user_error(env: Env) -> None:
    result = invoke(env, "ladder", "show", "--level", "L9")
    assert result.exit_code == 2 and "no level 'L9'" in result.stderr


def test_ladder_next_uses_the_profile_or_options(env: Env) -> None:
    assert invoke(env, "ladder", "next").exit_code != 0
    assert invoke(env, "init", "--name", "Ada", "--level", "L3", "--target", "L4").exit_code == 0
    data = _json(env, "ladder", "next")
    assert (data["current"], data["target"]) == ("L3", "L4")  # type: ignore[index, call-overload]
    assert [c["competency"] for c in data["competencies"]][0] == "craft"  # type: ignore[index, call-overload]
    text = invoke(env, "ladder", "next", "--ladder", "engineering-manager", "--current", "M1",
                  "--target", "M2")
    assert text.exit_code == 0 and "next:" in text.stdout


def test_ladder_import_installs_into_home(env: Env) -> None:
    data = _json(env, "ladder", "import", "monzo", str(FIXTURES / "monzo-mini.md"), "--id",
                 "tiny")
    assert data["levels"] == ["L1", "L2", "L3"]  # type: ignore[index, call-overload]
    assert Path(data["path"]).is_file()  # type: ignore[index, call-overload]
    assert "tiny" in {lad["id"] for lad in _json(env, "ladder", "list")}  # type: ignore[union-attr, index]
    bad = invoke(env, "ladder", "import", "ft", str(FIXTURES / "monzo-mini.md"))
    assert bad.exit_code == 2 and "levelup: error" in bad.stderr


def test_coach_json_and_text(env: Env) -> None:
    data = _json(env, "coach", "Worked on the backend")
    assert data["vague"] is True and data["score"] < 50  # type: ignore[index, call-overload]
    text = invoke(env, "coach", "Fixed 3 bugs")
    assert text.exit_code == 0 and "score" in text.stdout and "counts activity" in text.stdout


def test_coach_and_classify_read_stdin_as_json_lines(env: Env) -> None:
    lines = "Fixed 3 bugs\nCut cloud cost from $9k to $5k a month by rightsizing nodes\n"
    result = invoke(env, "coach", "-", input=lines)
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["has_metric"] for a in answers] == [False, True]
    result = invoke(env, "classify", "-", input=lines)
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(answers) == 2 and answers[1]["outcomes"][0]["id"] == "profit"


def test_classify_text_output(env: Env) -> None:
    result = invoke(env, "classify", "Wrote a Helm chart")
    assert result.exit_code == 0 and "(none: say why it mattered)" in result.stdout
