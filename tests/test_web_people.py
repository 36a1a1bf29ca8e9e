"""The People and expectations page: each list renders, each form writes through its service,
bad input comes back beside its input with the CLI's message, and a form without its CSRF
token gets 403 and writes nothing."""

from __future__ import annotations

import html
import re

from levelup.cli.common import Env
from tests.conftest import invoke
from tests.web_support import client_for, csrf_of, small_ledger


def _error(page: str, input_id: str) -> str:
    found = re.search(rf'id="{input_id}-error" role="alert">([^<]*)<', page)
    assert found is not None, f"no error beside {input_id}"
    return html.unescape(found.group(1))


def test_the_page_shows_stakeholders_expectations_feedback_talks_and_checkins(
        env: Env) -> None:
    small_ledger(env)
    for args in (("expect", "add", "Own the checkout SLO", "--kind", "critical-task",
                  "--date", "2026-01-05"),
                 ("expect", "add", "Mentor the new hire", "--by", "Grace"),
                 ("feedback", "add", "Great incident write-up", "--from", "Linus"),
                 ("talk", "add", "--with", "Grace", "--kind", "career", "--qa",
                  "What is missing for L4? Cross-team scope", "--aspiration"),
                 ("checkin", "--score", "listening=2", "--score", "helping=4",
                  "--date", "2026-11-01"),
                 ("checkin", "--score", "listening=4", "--score", "helping=5")):
        assert invoke(env, *args).exit_code == 0
    client, _ = client_for(env)
    assert 'href="/people"' in client.get("/").text
    page = client.get("/people").text
    assert "Linus" in page and "<strong>decision maker</strong>" in page
    critical = page.split('class="critical"')[1].split("</ol>")[0]
    assert "Own the checkout SLO" in critical and "stale" in critical  # agreed in January
    assert "Mentor the new hire" not in critical and "Mentor the new hire" in page
    assert "Great incident write-up" in page
    assert "What is missing for L4?" in page and "aspiration stated" in page
    means = re.findall(r'class="mean">([0-9.]+)<', page)
    assert means == ["4.5", "3.0"]  # newest first, with the trend up
    assert "↑" in page


def test_each_form_writes_through_its_service(env: Env) -> None:
    small_ledger(env)
    client, _ = client_for(env)
    token = csrf_of(client.get("/people").text)
    posts = [
        ("/people/stakeholders", {"name": "Margaret", "relation": "manager",
                                  "decision_maker": "true", "email": "margaret@example.com"}),
        ("/people/expectations", {"text": "Ship the billing migration",
                                  "kind": "critical-task", "said_by": "Grace"}),
        ("/people/feedback", {"text": "Explain trade-offs earlier", "giver": "Linus",
                              "constructive": "true", "competency": "communication",
                              "follow_up": "Write a design note first"}),
        ("/people/talks", {"with": "Grace", "kind": "career",
                           "qa": "Am I on track? Yes, with more scope", "aspiration": "true"}),
        ("/people/checkins", {"score-listening": "3", "score-helping": "5", "notes": "ok"}),
    ]
    for url, data in posts:
        answer = client.post(url, data={**data, "csrf": token})
        assert answer.status_code == 303, (url, answer.text)
    margaret = [line for line in invoke(env, "stakeholder", "list").stdout.splitlines()
                if line.startswith("Margaret")]
    assert margaret and "manager" in margaret[0] and "*" in margaret[0]
    assert margaret[0].endswith("margaret@example.com")
    assert "critical-task" in invoke(env, "expect", "list").stdout
    feedback = invoke(env, "feedback", "list").stdout
    assert "constructive" in feedback and "Write a design note first [open]" in feedback
    talks = invoke(env, "talk", "list").stdout
    assert "(aspiration stated)" in talks
    assert "Q: Am I on track?  A: Yes, with more scope" in talks
    assert "mean 4.0  helping=5 listening=3" in invoke(env, "checkin", "list").stdout
    update = client.post("/people/feedback/1", data={"status": "done",
                                                     "follow_up": "Wrote two notes",
                                                     "csrf": token})
    assert update.status_code == 303
    assert "Wrote two notes [done]" in invoke(env, "feedback", "list").stdout
    expectation = re.search(r"#(\d+) ", invoke(env, "expect", "list").stdout)
    assert expectation is not None
    removed = client.post(f"/people/expectations/{expectation.group(1)}/remove",
                          data={"csrf": token})
    assert removed.status_code == 303
    assert invoke(env, "expect", "list").stdout.strip() == ""


def test_bad_input_is_shown_beside_its_input_and_nothing_is_written(env: Env) -> None:
    small_ledger(env)
    client, _ = client_for(env)
    token = csrf_of(client.get("/people").text)
    bad_email = client.post("/people/stakeholders", data={"name": "Eve", "email": "not-mail",
                                                          "csrf": token})
    assert bad_email.status_code == 422
    cli = invoke(env, "stakeholder", "add", "Eve", "--email", "not-mail")
    assert cli.exit_code == 2
    assert _error(bad_email.text, "stakeholder-email") in cli.stderr
    assert 'value="Eve"' in bad_email.text  # the form comes back as typed
    bad_relation = client.post("/people/stakeholders", data={"name": "Eve",
                                                             "relation": "boss",
                                                             "csrf": token})
    assert "unknown relation 'boss'" in _error(bad_relation.text, "stakeholder-relation")
    bad_date = client.post("/people/expectations", data={"text": "Lead the on-call rota",
                                                         "date": "notaday", "csrf": token})
    cli = invoke(env, "expect", "add", "Lead the on-call rota", "--date", "notaday")
    assert cli.stderr.strip() == "levelup: error: " + _error(bad_date.text, "expectation-date")
    bad_status = client.post("/people/feedback", data={"text": "Nice", "giver": "Linus",
                                                       "competency": "charm", "csrf": token})
    assert "unknown competency 'charm'" in _error(bad_status.text, "feedback-competency")
    bad_qa = client.post("/people/talks", data={"with": "Grace", "qa": "no question mark",
                                                "csrf": token})
    assert "needs a question mark" in _error(bad_qa.text, "talk-qa")
    no_scores = client.post("/people/checkins", data={"notes": "tired", "csrf": token})
    assert no_scores.status_code == 422
    assert "score at least one question" in _error(no_scores.text, "checkin-score")
    assert "Eve" not in invoke(env, "stakeholder", "list").stdout
    assert invoke(env, "expect", "list").stdout.strip() == ""
    assert invoke(env, "feedback", "list").stdout.strip() == ""
    assert invoke(env, "talk", "list").stdout.strip() == ""
    assert invoke(env, "checkin", "list").stdout.strip() == ""


def test_a_form_without_its_csrf_token_gets_403_and_writes_nothing(env: Env) -> None:
    small_ledger(env)
    client, _ = client_for(env)
    for url, data in (("/people/stakeholders", {"name": "Mallory"}),
                      ("/people/expectations", {"text": "Forged"}),
                      ("/people/feedback", {"text": "Forged", "giver": "Mallory"}),
                      ("/people/talks", {"with": "Mallory"}),
                      ("/people/checkins", {"score-listening": "5"})):
        assert client.post(url, data=data).status_code == 403, url
        assert client.post(url, data={**data, "csrf": "0" * 64}).status_code == 403, url
    assert "Mallory" not in invoke(env, "stakeholder", "list").stdout
    assert invoke(env, "expect", "list").stdout.strip() == ""
    assert invoke(env, "feedback", "list").stdout.strip() == ""
    assert invoke(env, "talk", "list").stdout.strip() == ""
    assert invoke(env, "checkin", "list").stdout.strip() == ""
    signed_out, _ = client_for(env, signed_in=False)
    assert signed_out.get("/people").status_code == 303


def test_what_you_type_is_shown_as_text(env: Env) -> None:
    small_ledger(env)
    client, _ = client_for(env)
    token = csrf_of(client.get("/people").text)
    client.post("/people/feedback", data={"text": "<script>alert(1)</script>",
                                          "giver": "<b>Eve</b>", "csrf": token})
    page = client.get("/people").text
    assert "<script>alert(1)</script>" not in page and "<b>Eve</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
