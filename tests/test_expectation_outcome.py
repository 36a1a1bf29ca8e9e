"""How an agreed expectation went: recorded from the CLI and the web, carried by export and
import, and told by the packet and the self-review (never invented when not recorded)."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from levelup.cli.common import Env
from levelup.errors import FieldError, NotFound
from levelup.services import people
from levelup.services.portable import export_document, import_document
from levelup.services.reports import build_report, render_report
from levelup.settings import load
from tests.conftest import invoke
from tests.factories import TODAY
from tests.web_support import client_for, csrf_of


def _agreed(env: Env) -> tuple[int, int]:
    first = people.add_expectation(env.ctx, text="Cut the page rate in half",
                                   kind="critical-task", said_by="Grace", agreed="2026-09-01")
    second = people.add_expectation(env.ctx, text="Mentor the new hire", agreed="2026-09-02")
    assert first.id is not None and second.id is not None
    return first.id, second.id


def test_expect_update_records_how_it_went_and_changes_only_what_was_given(env: Env) -> None:
    first, _ = _agreed(env)
    result = invoke(env, "expect", "update", str(first), "--outcome",
                    "Pages fell from 14 to 5 a week", "--on", "2026-11-02", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["outcome"] == "Pages fell from 14 to 5 a week"
    assert data["outcome_on"] == "2026-11-02"
    assert (data["text"], data["kind"], data["said_by"], data["agreed_on"]) == (
        "Cut the page rate in half", "critical-task", "Grace", "2026-09-01")
    again = invoke(env, "expect", "update", str(first), "--text", "Halve the page rate")
    assert again.exit_code == 0, again.output
    listed = json.loads(invoke(env, "expect", "list", "--json").stdout)
    mine = next(x for x in listed if x["id"] == first)
    assert mine["text"] == "Halve the page rate"
    assert mine["outcome"] == "Pages fell from 14 to 5 a week"  # untouched by a text fix
    assert "how it went (2026-11-02): Pages fell" in invoke(env, "expect", "list").stdout


def test_outcome_defaults_to_today_and_an_empty_one_clears_it(env: Env) -> None:
    first, _ = _agreed(env)
    went = people.update_expectation(env.ctx, expectation_id=first, outcome="Done early")
    assert went.outcome_on == TODAY
    cleared = people.update_expectation(env.ctx, expectation_id=first, outcome="")
    assert (cleared.outcome, cleared.outcome_on) == ("", None)


def test_bad_updates_name_the_field_and_write_nothing(env: Env) -> None:
    first, _ = _agreed(env)
    with pytest.raises(FieldError, match="before it was agreed"):
        people.update_expectation(env.ctx, expectation_id=first, outcome="x",
                                  outcome_on="2026-08-01")
    with pytest.raises(FieldError, match="needs an outcome"):
        people.update_expectation(env.ctx, expectation_id=first, outcome_on="2026-10-01")
    with pytest.raises(FieldError, match="must not be empty"):
        people.update_expectation(env.ctx, expectation_id=first, text="  ")
    with pytest.raises(NotFound):
        people.update_expectation(env.ctx, expectation_id=999, outcome="x")
    result = invoke(env, "expect", "update", str(first), "--outcome", "x", "--on", "2026-08-01")
    assert result.exit_code != 0
    assert result.stderr.startswith("levelup: error: --on ")
    assert "Traceback" not in result.output
    stored = [v.expectation for v in people.list_expectations(env.ctx)
              if v.expectation.id == first][0]
    assert (stored.outcome, stored.outcome_on, stored.text) == (
        "", None, "Cut the page rate in half")


def test_the_people_page_records_how_it_went(env: Env) -> None:
    first, _ = _agreed(env)
    client, _ = client_for(env)
    token = csrf_of(client.get("/people").text)
    answer = client.post(f"/people/expectations/{first}",
                         data={"outcome": "Shipped in October", "outcome_on": "2026-10-30",
                               "csrf": token})
    assert answer.status_code == 303, answer.text
    page = client.get("/people").text
    assert 'value="Shipped in October"' in page
    assert "Cut the page rate in half — how it went: Shipped in October" in page  # critical
    stored = people.update_expectation(env.ctx, expectation_id=first)
    assert (stored.outcome, stored.outcome_on) == ("Shipped in October", date(2026, 10, 30))
    bad = client.post(f"/people/expectations/{first}",
                      data={"outcome": "Later", "outcome_on": "2026-01-01", "csrf": token})
    assert bad.status_code == 422
    assert re.search(rf'id="expectation{first}-outcome_on-error"[^>]*>[^<]*before it was agreed',
                     bad.text)


def test_export_and_import_carry_how_it_went(env: Env, tmp_path) -> None:  # type: ignore[no-untyped-def]
    first, _ = _agreed(env)
    people.update_expectation(env.ctx, expectation_id=first, outcome="Halved by November",
                              outcome_on="2026-11-03")
    with env.ctx.read() as conn:
        doc = json.loads(json.dumps(export_document(conn)))
    other = Env(settings=load(environ={}, home=tmp_path / "b",
                              database_url=f"sqlite:///{tmp_path / 'b.db'}"), today=TODAY)
    try:
        with other.ctx.begin() as conn:
            import_document(conn, doc)
        carried = {v.expectation.text: v.expectation for v in people.list_expectations(other.ctx)}
    finally:
        other.close()
    assert carried["Cut the page rate in half"].outcome == "Halved by November"
    assert carried["Cut the page rate in half"].outcome_on == date(2026, 11, 3)
    assert carried["Mentor the new hire"].outcome == ""
    assert carried["Mentor the new hire"].outcome_on is None


@pytest.mark.parametrize("kind", ["packet", "review"])
def test_the_packet_and_review_tell_how_it_went_and_invent_nothing(env: Env, kind: str) -> None:
    assert invoke(env, "init", "--name", "Ada", "--level", "L3", "--target", "L4",
                  "--manager", "Grace").exit_code == 0
    first, _ = _agreed(env)
    people.update_expectation(env.ctx, expectation_id=first, outcome="Pages fell to 5 a week",
                              outcome_on="2026-11-02")
    report = build_report(env.ctx, kind=kind, since="2026-01-01")
    for fmt in ("md", "html"):
        text = str(render_report(env.ctx, report=report, fmt=fmt).data)
        told = [line for line in re.split(r"\n|<li>", text) if "Cut the page rate" in line]
        assert told and "How it went" in told[0] and "Pages fell to 5 a week" in told[0]
        mentor = [line for line in re.split(r"\n|<li>", text) if "Mentor the new hire" in line]
        assert mentor and "How it went" not in mentor[0]
