"""Everything a user can add they can correct: only what was given changes, bad values are one
line naming the field, deleted stays deleted, and names stay unique ignoring case."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

import levelup
from levelup.cli.common import Env
from levelup.cli.steps import COMMANDS, command
from levelup.context import Context
from levelup.domain.steps import Step
from levelup.errors import FieldError, NotFound
from levelup.services import opportunities, people, projects, records
from levelup.services.doctor import check_setup
from levelup.settings import load
from levelup.store.db import HEAD_REVISION, upgrade
from tests.conftest import TODAY, invoke


def _json(env: Env, *args: str) -> object:
    result = invoke(env, *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _fails(env: Env, *args: str) -> str:
    """The one error line of a command that must fail, and must not leave a traceback."""
    result = invoke(env, *args)
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("levelup: error: ")
    return lines[0]


# Feedback ----------------------------------------------------------------------------------


def test_feedback_update_corrects_only_what_was_given(env: Env) -> None:
    item = records.add_feedback(env.ctx, text="Great write-up", giver="Linus",
                                competency="communication", follow_up="Share it",
                                date="2026-11-02")
    data = _json(env, "feedback", "update", str(item.id), "--text", "Great incident write-up",
                 "--from", "Linus T", "--constructive", "--date", "2026-11-03")
    assert isinstance(data, dict)
    assert (data["text"], data["giver"], data["polarity"], data["date"]) == (
        "Great incident write-up", "Linus T", "constructive", "2026-11-03")
    assert (data["competency"], data["follow_up"], data["status"], data["asked"]) == (
        "communication", "Share it", "open", False)  # untouched
    cleared = records.update_feedback(env.ctx, feedback_id=int(item.id or 0), competency="",
                                      asked=True)
    assert (cleared.competency, cleared.asked, cleared.text) == (
        None, True, "Great incident write-up")


def test_bad_feedback_corrections_name_the_field_and_write_nothing(env: Env) -> None:
    item = records.add_feedback(env.ctx, text="Great write-up", giver="Linus")
    line = _fails(env, "feedback", "update", str(item.id), "--text", " ")
    assert "--text must not be empty" in line
    assert "unknown competency 'charm'" in _fails(env, "feedback", "update", str(item.id),
                                                  "--competency", "charm")
    assert _fails(env, "feedback", "update", "999", "--text", "x").endswith(
        "no feedback with id 999")
    [kept] = records.list_feedback(env.ctx)
    assert (kept.text, kept.competency) == ("Great write-up", None)


def test_the_people_page_corrects_feedback(env: Env) -> None:
    from tests.web_support import client_for, csrf_of

    item = records.add_feedback(env.ctx, text="Grat write-up", giver="Linus",
                                follow_up="Share it")
    client, _ = client_for(env)
    token = csrf_of(client.get("/people").text)
    answer = client.post(f"/people/feedback/{item.id}/correct", data={
        "text": "Great write-up", "giver": "Linus T", "date": "2026-11-18", "csrf": token})
    assert answer.status_code == 303, answer.text
    [stored] = records.list_feedback(env.ctx)
    assert (stored.text, stored.giver, str(stored.date), stored.follow_up) == (
        "Great write-up", "Linus T", "2026-11-18", "Share it")
    bad = client.post(f"/people/feedback/{item.id}/correct",
                      data={"text": "", "giver": "Linus", "csrf": token})
    assert bad.status_code == 422
    assert re.search(rf'id="fix{item.id}-text-error"[^>]*>[^<]*must not be empty', bad.text)
    assert records.list_feedback(env.ctx)[0].text == "Great write-up"


# Conversations and check-ins ---------------------------------------------------------------


def test_talk_update_corrects_only_what_was_given(env: Env) -> None:
    talk = records.add_talk(env.ctx, with_="Grace", notes="Roadmap", qa=["On track? Yes"],
                            date="2026-11-10")
    data = _json(env, "talk", "update", str(talk.id), "--kind", "career", "--aspiration")
    assert isinstance(data, dict)
    assert (data["with_"], data["kind"], data["notes"], data["aspiration_stated"]) == (
        "Grace", "career", "Roadmap", True)
    assert data["questions"] == [{"question": "On track?", "answer": "Yes"}]
    again = records.update_talk(env.ctx, talk_id=int(talk.id or 0), qa=["Next step? Lead X"],
                                with_="Grace Hopper", date="2026-11-11")
    [stored] = records.list_talks(env.ctx)
    assert (stored.with_, str(stored.date), stored.kind) == ("Grace Hopper", "2026-11-11",
                                                            "career")
    assert [(q.question, q.answer) for q in stored.questions] == [("Next step?", "Lead X")]
    assert again.questions == stored.questions
    assert "needs a question mark" in _fails(env, "talk", "update", str(talk.id), "--qa", "no")
    assert "unknown conversation kind" in _fails(env, "talk", "update", str(talk.id),
                                                 "--kind", "chat")
    assert len(records.list_talks(env.ctx)[0].questions) == 1


def test_checkin_update_rescores_only_the_questions_given(env: Env) -> None:
    item = records.add_checkin(env.ctx, scores={"listening": 3, "helping": 4}, notes="ok")
    data = _json(env, "checkin", "update", str(item.id), "--score", "listening=5")
    assert isinstance(data, dict)
    assert data["scores"] == {"helping": 4, "listening": 5} and data["notes"] == "ok"
    assert "not a score from 1 to 5" in _fails(env, "checkin", "update", str(item.id),
                                               "--score", "helping=9")
    assert records.list_checkins(env.ctx)[0].scores == {"helping": 4, "listening": 5}


def test_the_people_page_corrects_a_conversation(env: Env) -> None:
    from tests.web_support import client_for, csrf_of

    talk = records.add_talk(env.ctx, with_="Grace", notes="Roadmap", qa=["On track? Yes"])
    client, _ = client_for(env)
    token = csrf_of(client.get("/people").text)
    answer = client.post(f"/people/talks/{talk.id}", data={
        "with": "Grace Hopper", "kind": "career", "date": "2026-11-12", "notes": "Roadmap",
        "csrf": token})
    assert answer.status_code == 303, answer.text
    [stored] = records.list_talks(env.ctx)
    assert (stored.with_, stored.kind, str(stored.date)) == ("Grace Hopper", "career",
                                                            "2026-11-12")
    assert [q.question for q in stored.questions] == ["On track?"]
    bad = client.post(f"/people/talks/{talk.id}", data={"with": " ", "csrf": token})
    assert bad.status_code == 422
    assert re.search(rf'id="talk{talk.id}-with-error"[^>]*>[^<]*must not be empty', bad.text)
    assert records.list_talks(env.ctx)[0].with_ == "Grace Hopper"


# Opportunities, projects, stakeholders ----------------------------------------------------


def test_opportunity_update_corrects_only_what_was_given(env: Env) -> None:
    item = opportunities.add_opportunity(env.ctx, title="Auto-grow volumes", kind="scale",
                                         hypothesis="no disk pages")
    data = _json(env, "opportunity", "update", str(item.id), "--kind", "support-cost")
    assert isinstance(data, dict)
    assert (data["title"], data["kind"], data["hypothesis"]) == (
        "Auto-grow volumes", "support-cost", "no disk pages")
    assert "--title must not be empty" in _fails(env, "opportunity", "update", str(item.id),
                                                 "--title", "")
    assert "no problem keys yet" in _fails(env, "opportunity", "update", str(item.id),
                                           "--problem", "disk-full")
    [kept] = opportunities.list_opportunities(env.ctx)
    assert (kept.kind, kept.problem_key) == ("support-cost", None)


def test_projects_are_found_and_renamed_ignoring_case(env: Env) -> None:
    projects.set_project(env.ctx, name="Checkout", goal="Faster checkout")
    same = projects.set_project(env.ctx, name="CHECKOUT", role="lead")
    assert (same.name, same.goal, same.role) == ("Checkout", "Faster checkout", "lead")
    assert invoke(env, "log", "Shipped the cache", "--project", "checkout").exit_code == 0
    assert [p.name for p in projects.list_projects(env.ctx)] == ["Checkout"]
    projects.set_project(env.ctx, name="Search")
    line = _fails(env, "project", "set", "search", "--rename", "checkout")
    assert "--rename 'checkout' is the name of another project ('Checkout')" in line
    data = _json(env, "project", "set", "checkout", "--rename", "Checkout v2")
    assert isinstance(data, dict) and (data["name"], data["role"]) == ("Checkout v2", "lead")
    entries = _json(env, "list")
    assert isinstance(entries, list) and entries[0]["project"] == "Checkout v2"
    with pytest.raises(NotFound):
        projects.set_project(env.ctx, name="Nowhere", rename="Somewhere")
    assert [p.name for p in projects.list_projects(env.ctx)] == ["Checkout v2", "Search"]


def test_stakeholders_are_found_and_renamed_ignoring_case(env: Env) -> None:
    people.add_stakeholder(env.ctx, name="Dana Kim", relation="manager", decision_maker=True)
    again = people.add_stakeholder(env.ctx, name="DANA KIM", notes="runs the committee")
    assert (again.name, again.relation, again.decision_maker) == ("Dana Kim", "manager", True)
    people.add_stakeholder(env.ctx, name="Linus")
    line = _fails(env, "stakeholder", "set", "linus", "--rename", "dana kim")
    assert "--rename 'dana kim' is the name of another stakeholder ('Dana Kim')" in line
    fixed = people.set_stakeholder(env.ctx, name="dana kim", rename="Dana  Kim-Lee")
    assert fixed.name == "Dana Kim-Lee"
    cased = _json(env, "stakeholder", "set", "linus", "--rename", "LINUS")
    assert isinstance(cased, dict) and cased["name"] == "LINUS"  # its own name, recased
    assert [(p.name, p.relation) for p in people.list_stakeholders(env.ctx)] == [
        ("Dana Kim-Lee", "manager"), ("LINUS", "peer")]
    with pytest.raises(FieldError, match="must not be empty"):
        people.set_stakeholder(env.ctx, name="LINUS", rename="  ")


def test_deleted_stays_deleted(env: Env) -> None:
    feedback = records.add_feedback(env.ctx, text="Nice", giver="Linus")
    talk = records.add_talk(env.ctx, with_="Grace")
    checkin = records.add_checkin(env.ctx, scores={"listening": 3})
    item = opportunities.add_opportunity(env.ctx, title="Fewer pages", kind="quality")
    expectation = people.add_expectation(env.ctx, text="Own the SLO")
    for what, number in (("feedback", feedback.id), ("talk", talk.id), ("checkin", checkin.id),
                         ("opportunity", item.id)):
        removed = invoke(env, what, "remove", str(number))
        assert removed.exit_code == 0, removed.output
    people.remove_expectation(env.ctx, expectation_id=int(expectation.id or 0))
    for args in (("feedback", "update", str(feedback.id), "--text", "x"),
                 ("talk", "update", str(talk.id), "--notes", "x"),
                 ("checkin", "update", str(checkin.id), "--notes", "x"),
                 ("opportunity", "update", str(item.id), "--title", "x"),
                 ("expect", "update", str(expectation.id), "--outcome", "x")):
        assert "no " in _fails(env, *args)
    assert records.list_feedback(env.ctx) == [] and records.list_talks(env.ctx) == []
    assert records.list_checkins(env.ctx) == []
    assert opportunities.list_opportunities(env.ctx) == []


# Names unique ignoring case: a 0010 ledger upgraded -----------------------------------------

LEDGER_0010 = [
    "INSERT INTO stakeholders (id, uid, owner_id, name, relation, decision_maker, notes) "
    "VALUES (1, 's1', 1, 'Dana Kim', 'manager', TRUE, '')",
    "INSERT INTO stakeholders (id, uid, owner_id, name, relation, decision_maker, notes) "
    "VALUES (2, 's2', 1, 'DANA KIM', 'peer', FALSE, 'typed in capitals')",
    "INSERT INTO entries (id, uid, owner_id, date, title, details, kind, source, created_at) "
    "VALUES (1, 'e1', 1, '2026-01-02', 'Shipped the ranking service', '', 'win', "
    "'manual', '2026-01-02 10:00:00')",
    "INSERT INTO visibility (id, uid, owner_id, stakeholder_id, date, channel, note) "
    "VALUES (1, 'v1', 1, 1, '2026-01-03', '1:1', '')",
    "INSERT INTO visibility (id, uid, owner_id, stakeholder_id, date, channel, note) "
    "VALUES (2, 'v2', 1, 2, '2026-01-04', 'email', '')",
    "INSERT INTO visibility_entries (visibility_id, entry_id) VALUES (1, 1)",
    "INSERT INTO visibility_entries (visibility_id, entry_id) VALUES (2, 1)",
]


def test_a_0010_ledger_with_case_twins_keeps_both_and_their_history(
    db_url: str, tmp_path: Path
) -> None:
    engine = create_engine(db_url)
    upgrade(engine, "0010")
    with engine.begin() as conn:
        for statement in LEDGER_0010:
            conn.execute(text(statement))
        if conn.dialect.name == "postgresql":  # ids were given: move the sequences past them
            for name in ("stakeholders", "entries", "visibility"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), 2)"))
    engine.dispose()
    ctx = Context(settings=load(environ={}, home=tmp_path / "home", database_url=db_url),
                  today=TODAY)
    try:
        with ctx.read() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
                HEAD_REVISION)
            rows = conn.execute(text(
                "SELECT s.id, s.name, s.relation, v.id, ve.entry_id FROM stakeholders s "
                "JOIN visibility v ON v.stakeholder_id = s.id "
                "JOIN visibility_entries ve ON ve.visibility_id = v.id ORDER BY s.id")).all()
        assert [tuple(r) for r in rows] == [(1, "Dana Kim", "manager", 1, 1),
                                            (2, "DANA KIM (2)", "peer", 2, 1)]
        # the twin is told apart now; a third spelling still means the first
        assert people.add_stakeholder(ctx, name="dana kim", notes="x").id == 1
        with pytest.raises(FieldError, match="another stakeholder"):
            people.set_stakeholder(ctx, name="DANA KIM (2)", rename="Dana kim")
    finally:
        ctx.close()


# Messages name next steps, never command text -----------------------------------------------

_SERVICES = Path(levelup.__file__).parent / "services"
# Where a message is made: raised errors, doctor's checks, warning notices and functions that
# return warnings.
_MESSAGE_CALLS = {"Check", "Notice"}



def _command_text() -> re.Pattern[str]:
    """``levelup`` followed by one of its commands, unless an article makes it a noun ("a
    levelup export", "not a levelup ledger")."""
    from levelup.cli.main import command as cli

    words = "|".join(sorted(cli().commands))  # type: ignore[attr-defined]
    return re.compile(rf"(?<!\ba )(?<!\bthe )(?<!\bthis )\blevelup (?:{words})\b")


_COMMAND_TEXT = _command_text()


def _message_strings(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, text) of each string literal inside a raise, a Check(…)/Notice(…) call, or a
    function whose name ends in ``warning(s)``."""
    found: list[tuple[int, str]] = []

    def strings(node: ast.AST) -> None:
        for inner in ast.walk(node):
            if isinstance(inner, ast.Constant) and isinstance(inner.value, str):
                found.append((inner.lineno, inner.value))

    for node in ast.walk(tree):
        if isinstance(node, ast.Raise):
            strings(node)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) in _MESSAGE_CALLS:
            strings(node)
        elif isinstance(node, ast.FunctionDef) and node.name.endswith(("warning", "warnings")):
            for statement in node.body[1 if ast.get_docstring(node) else 0:]:
                strings(statement)
    return found


def test_service_messages_name_steps_not_command_text() -> None:
    offenders = [f"{path.name}:{line}: {text!r}"
                 for path in sorted(_SERVICES.glob("*.py"))
                 for line, text in _message_strings(ast.parse(path.read_text()))
                 if _COMMAND_TEXT.search(text)]
    assert offenders == []


def test_the_check_finds_command_text_in_a_raised_message() -> None:
    planted = ast.parse('def f():\n    raise LevelupError(f"run `levelup init` first {x}")\n')
    assert any(_COMMAND_TEXT.search(text) for _, text in _message_strings(planted))


def test_each_step_is_phrased_as_its_command(env: Env, tmp_path: Path) -> None:
    far = invoke(env, "log", "Wrote the runbook", "--date", "1990-01-01")
    assert far.exit_code == 0
    warned = [line for line in far.stderr.splitlines() if "5 years" in line]
    [logged] = json.loads(invoke(env, "list", "--json").stdout)
    assert warned and warned[0].endswith(f"(`levelup edit {logged['id']}`)")
    unknown = invoke(env, "config", "set", "zzzz", "1")
    assert unknown.exit_code != 0 and "(`levelup config`)" in unknown.stderr
    steps = {c.name: c.step for c in check_setup(env.ctx).checks}
    assert all(s is None or s.action in COMMANDS for s in steps.values())
    assert command(Step("doctor", {"fix": ""})) == "levelup doctor --fix"
