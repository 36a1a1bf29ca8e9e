"""Never lose, never accept nonsense: the editor loop keeps the user's text, updates change only
what was given, everything added can be removed, and the services refuse impossible values."""

from __future__ import annotations

import io
import json
import re
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from levelup.cli.common import Env
from levelup.errors import FieldError, LevelupError, NotFound
from levelup.services import people, projects, records, removals
from levelup.services.entries import entry_form, log_entry, save_entry_form, save_profile
from levelup.services.opportunities import add_opportunity, list_opportunities
from tests.conftest import invoke


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _entry(env: Env, title: str = "Fixed the flaky deploy", date: str = "2026-11-10") -> int:
    entry_id = log_entry(env.ctx, title=title, date=date).entry.id
    assert entry_id is not None
    return entry_id


def _title(env: Env, entry_id: int) -> str:
    result = invoke(env, "show", str(entry_id), "--json")
    return str(json.loads(result.stdout)["title"])


def _editor(env: Env, tmp_path: Path, body: str) -> None:
    script = tmp_path / "editor.py"
    script.write_text("import pathlib, re, sys\np = pathlib.Path(sys.argv[1])\nt = p.read_text()\n"
                      + body)
    env.settings = replace(env.settings, editor=f"{sys.executable} {script}")


def _kept(output: str) -> Path:
    found = re.search(r"kept in (\S+\.yml)", output)
    assert found, output
    return Path(found.group(1))


# 1. Edits are never lost --------------------------------------------------------------------


@pytest.mark.parametrize(("change", "field"), [
    (("title: Fixed", "title: [Fixed"), "YAML"),
    (("date: '2026-11-10'", "date: not-a-date"), "date"),
    (("date: '2026-11-10'", "date: 2026-02-30"), "day is out of range"),
    (("testimonials: []", "testimonials: great work"), "testimonials"),
    (("title: Fixed the flaky deploy", "title: ''"), "title"),
])
def test_an_invalid_edit_is_one_line_naming_the_problem(
    env: Env, change: tuple[str, str], field: str,
) -> None:
    entry_id = _entry(env)
    form = entry_form(env.ctx, entry_id=entry_id)
    assert change[0] in form
    with pytest.raises(LevelupError, match=field):
        save_entry_form(env.ctx, entry_id=entry_id, text=form.replace(*change))


def test_edit_reopens_on_the_same_text_with_the_error_on_top(env: Env, tmp_path: Path) -> None:
    entry_id = _entry(env)
    seen = tmp_path / "second-round.txt"
    _editor(env, tmp_path, (
        f"s = pathlib.Path({str(seen)!r})\n"
        "if '# levelup: error' not in t:\n"
        "    t = t.replace(\"date: '2026-11-10'\", 'date: not-a-date')\n"
        "    t = t.replace('Fixed the flaky deploy', 'Fixed the flaky deploy for good')\n"
        "else:\n"
        "    s.write_text(t)\n"
        "    t = t.replace('date: not-a-date', \"date: '2026-11-11'\")\n"
        "p.write_text(t)\n"))
    env.out = Terminal()
    result = invoke(env, "edit", str(entry_id))
    assert result.exit_code == 0, result.output
    second = seen.read_text()
    assert second.startswith("# levelup: error: date: 'not-a-date' is not a date")
    assert "Fixed the flaky deploy for good" in second  # the same text, as the user left it
    env.out = None
    assert _title(env, entry_id) == "Fixed the flaky deploy for good"
    assert not list(Path(tmp_path).glob("levelup-*.yml"))


def test_off_a_terminal_an_invalid_edit_keeps_the_file(env: Env, tmp_path: Path) -> None:
    entry_id = _entry(env)
    _editor(env, tmp_path, "p.write_text(t.replace('Fixed the', 'Fixed for sure the')"
                           ".replace(\"date: '2026-11-10'\", 'date: someday'))\n")
    result = invoke(env, "edit", str(entry_id))
    assert result.exit_code == 2
    assert "Traceback" not in result.output and len(result.stderr.strip().splitlines()) == 1
    kept = _kept(result.stderr)
    try:
        assert "Fixed for sure the flaky deploy" in kept.read_text()
    finally:
        kept.unlink()
    assert _title(env, entry_id) == "Fixed the flaky deploy"


def test_an_unchanged_text_after_an_error_stops_and_keeps_it(env: Env, tmp_path: Path) -> None:
    entry_id = _entry(env)
    _editor(env, tmp_path, "p.write_text(t.replace('testimonials: []', 'testimonials: nice'))\n")
    env.out = Terminal()
    result = invoke(env, "edit", str(entry_id))
    assert result.exit_code == 2
    kept = _kept(result.stderr)
    try:
        assert "testimonials: nice" in kept.read_text()
    finally:
        kept.unlink()


def test_a_missing_editor_is_one_line_and_keeps_the_file(env: Env) -> None:
    entry_id = _entry(env)
    env.settings = replace(env.settings, editor="/no/such/editor --wait")
    result = invoke(env, "edit", str(entry_id))
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert len(line.splitlines()) == 1 and "/no/such/editor" in line
    kept = _kept(line)
    try:
        assert "Fixed the flaky deploy" in kept.read_text()
    finally:
        kept.unlink()


# 2. Updates change only what was given ------------------------------------------------------


def test_stakeholder_add_on_an_existing_one_changes_only_what_was_given(env: Env) -> None:
    assert invoke(env, "init", "--name", "Ada", "--level", "L3", "--target", "L4",
                  "--manager", "Grace Hopper").exit_code == 0
    assert invoke(env, "stakeholder", "add", "Grace Hopper", "--email",
                  "grace@example.com").exit_code == 0
    result = invoke(env, "stakeholder", "add", "Grace Hopper", "--notes", "prefers written")
    assert result.exit_code == 0, result.output
    (grace,) = json.loads(invoke(env, "stakeholder", "list", "--json").stdout)
    assert (grace["relation"], grace["decision_maker"], grace["notes"], grace["email"]) == (
        "manager", True, "prefers written", "grace@example.com")


def test_stakeholder_set_corrects_the_fields_given(env: Env) -> None:
    people.add_stakeholder(env.ctx, name="Linus", relation="skip-level", decision_maker=True,
                           notes="kernel")
    result = invoke(env, "stakeholder", "set", "linus", "--no-decision-maker", "--relation",
                    "peer")
    assert result.exit_code == 0, result.output
    (linus,) = people.list_stakeholders(env.ctx)
    assert (linus.relation, linus.decision_maker, linus.notes) == ("peer", False, "kernel")
    missing = invoke(env, "stakeholder", "set", "Nobody", "--notes", "x")
    assert missing.exit_code == 2 and "Nobody" in missing.stderr
    with pytest.raises(NotFound):
        people.set_stakeholder(env.ctx, name="Nobody", notes="x")


# 3. Everything a user can add, they can remove ----------------------------------------------


def test_feedback_talk_checkin_and_opportunity_can_be_removed(env: Env) -> None:
    fb = records.add_feedback(env.ctx, text="Crisp doc", giver="Lin")
    talk = records.add_talk(env.ctx, with_="Grace", notes="career")
    check = records.add_checkin(env.ctx, scores={"listening": 4})
    opp = add_opportunity(env.ctx, title="Auto-grow", kind="support-cost")
    for args, line in ((("feedback", "remove", str(fb.id)), f"removed feedback #{fb.id}"),
                       (("talk", "remove", str(talk.id)), f"removed conversation #{talk.id}"),
                       (("checkin", "remove", str(check.id)), f"removed check-in #{check.id}"),
                       (("opportunity", "remove", str(opp.id)),
                        f"removed opportunity #{opp.id}")):
        result = invoke(env, *args)
        assert result.exit_code == 0, result.output
        assert result.stdout.strip() == line
    assert records.list_feedback(env.ctx) == [] and records.list_talks(env.ctx) == []
    assert records.list_checkins(env.ctx) == [] and list_opportunities(env.ctx) == []
    gone = invoke(env, "feedback", "remove", str(fb.id))
    assert gone.exit_code == 2
    assert f"no feedback with id {fb.id}" in gone.stderr and "levelup feedback list" in gone.stderr
    for name, call in (("conversation", lambda: removals.remove_talk(env.ctx, talk_id=999)),
                       ("check-in", lambda: removals.remove_checkin(env.ctx, checkin_id=999)),
                       ("opportunity",
                        lambda: removals.remove_opportunity(env.ctx, opportunity_id=999))):
        with pytest.raises(NotFound, match=f"no {name}.* 999"):
            call()


def test_a_removed_project_keeps_its_entries(env: Env) -> None:
    entry = log_entry(env.ctx, title="Shipped checkout v2", project="checkout").entry
    result = invoke(env, "project", "remove", "checkout")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "removed project checkout; its 1 entry kept without a project"
    assert projects.list_projects(env.ctx) == []
    assert json.loads(invoke(env, "show", str(entry.id), "--json").stdout)["project"] is None
    with pytest.raises(NotFound, match="checkout"):
        removals.remove_project(env.ctx, name="checkout")


def test_a_removed_imported_conversation_stays_removed(env: Env) -> None:
    from datetime import date

    from levelup.domain.models import Conversation
    from levelup.store.records import upsert_conversation

    def imported() -> Conversation:
        return Conversation(date=date(2026, 11, 2), with_="Grace", source="calendar",
                            source_id="evt-1")

    with env.ctx.begin() as conn:
        assert upsert_conversation(conn, conversation=imported()) == "new"
    (talk,) = records.list_talks(env.ctx)
    assert talk.id is not None
    removals.remove_talk(env.ctx, talk_id=talk.id)
    with env.ctx.begin() as conn:
        assert upsert_conversation(conn, conversation=imported()) == "unchanged"
    assert records.list_talks(env.ctx) == []


# 4. Validation at the service layer ---------------------------------------------------------


def test_the_services_refuse_impossible_values(env: Env) -> None:
    with pytest.raises(FieldError) as empty:
        people.add_stakeholder(env.ctx, name="  ")
    assert empty.value.field == "name"
    projects.set_project(env.ctx, name="checkout", start="2026-10-01")
    with pytest.raises(FieldError) as early:
        projects.set_project(env.ctx, name="checkout", end="2026-09-01")
    assert early.value.field == "end"
    for target in ("L3", "L2"):
        with pytest.raises(FieldError) as level:
            save_profile(env.ctx, name="Ada", level="L3", target=target)
        assert level.value.field == "target"
    save_profile(env.ctx, name="Ada", level="L3", target="L4")
    entry_id = _entry(env, date="2026-11-10")
    people.add_stakeholder(env.ctx, name="Priya")
    with pytest.raises(FieldError) as told:
        records.tell(env.ctx, stakeholder="Priya", entry_ids=[entry_id], date="2026-11-09")
    assert told.value.field == "date"
    records.tell(env.ctx, stakeholder="Priya", entry_ids=[entry_id], date="2026-11-10")


def test_a_date_years_away_is_kept_with_a_warning(env: Env) -> None:
    far = log_entry(env.ctx, title="Migrated the queue", date="2062-01-05")
    assert far.entry.id is not None
    assert any("date: 2062-01-05 is more than 5 years" in w for w in far.warnings)
    near = log_entry(env.ctx, title="Migrated the cache", date="2026-01-05")
    assert not any("years" in w for w in near.warnings)
    result = invoke(env, "log", "Wrote the runbook", "--date", "1990-01-01")
    assert result.exit_code == 0
    assert len([line for line in result.stderr.splitlines() if "5 years" in line]) == 1
