"""The pages on a small ledger: each renders, the capture form logs, bad input is shown beside
its field with the CLI's message, telling a stakeholder records who heard."""

from __future__ import annotations

import re

from levelup.cli.common import Env
from tests.conftest import invoke
from tests.web_support import client_for, csrf_of, small_ledger


def test_each_page_renders_from_the_nav_bar(env: Env) -> None:
    small_ledger(env)
    client, _ = client_for(env)
    dashboard = client.get("/")
    assert dashboard.status_code == 200
    for href in ("/", "/ledger", "/readiness"):
        assert f'href="{href}"' in dashboard.text
    assert "Cut p99 checkout latency" in dashboard.text  # a win of this week
    assert "Helped Marcus debug the queue" in dashboard.text  # invisible work
    assert "Write the rollout doc" in dashboard.text  # an open plan
    assert "visibility" in dashboard.text  # a readiness factor
    ledger = client.get("/ledger", params={"since": "last month"})
    assert "Migrated billing" in ledger.text and "Cut p99" in ledger.text
    readiness = client.get("/readiness")
    assert "Readiness for L4" in readiness.text and "craft" in readiness.text
    entry = client.get("/entries/1")
    assert "checkout" in entry.text and "Who heard about it" in entry.text


def test_the_ledger_filters_searches_and_pages(env: Env) -> None:
    small_ledger(env)
    client, _ = client_for(env)
    found = client.get("/ledger", params={"q": "queue", "partial": "1"}).text
    assert "Helped Marcus" in found and "Migrated billing" in found and "Cut p99" not in found
    invisible = client.get("/ledger", params={"kind": "invisible", "partial": "1"}).text
    assert "Helped Marcus" in invisible and "Cut p99" not in invisible
    first = client.get("/ledger", params={"limit": "2", "partial": "1"}).text
    assert "offset=2" in first
    older = client.get("/ledger", params={"limit": "2", "offset": "2", "partial": "1"}).text
    assert "Migrated billing" in older and "Helped Marcus" not in older


def test_the_capture_form_logs_an_entry(env: Env) -> None:
    small_ledger(env)
    client, _ = client_for(env)
    token = csrf_of(client.get("/ledger").text)
    answer = client.post("/ledger", data={
        "title": "Shipped rate limiting", "date": "yesterday", "metrics": "errors: 40 -> 2 /day",
        "outcomes": "sla", "kind": "win", "csrf": token})
    assert answer.status_code == 303
    page = client.get(answer.headers["location"]).text
    assert "Shipped rate limiting" in page and "+sla" in page and "2026-11-19" in page


def test_a_bad_date_is_shown_beside_the_date_with_the_cli_message(env: Env) -> None:
    small_ledger(env)
    client, _ = client_for(env)
    token = csrf_of(client.get("/ledger").text)
    answer = client.post("/ledger", data={"title": "Half written", "date": "notaday",
                                          "csrf": token})
    assert answer.status_code == 422
    shown = re.search(r'id="date-error" role="alert">([^<]*)<', answer.text)
    assert shown is not None
    cli = invoke(env, "log", "Half written", "--date", "notaday")
    assert cli.exit_code == 2
    assert cli.stderr.strip() == "levelup: error: " + shown.group(1).replace("&#39;", "'")
    bad_outcome = client.post("/ledger", data={"title": "Half written", "outcomes": "fame",
                                               "csrf": token})
    assert 'id="outcomes-error"' in bad_outcome.text
    assert "Half written" not in invoke(env, "list").output


def test_tell_records_who_heard(env: Env) -> None:
    small_ledger(env)
    client, _ = client_for(env)
    page = client.get("/entries/1").text
    assert "Nobody yet." in page
    answer = client.post("/entries/1/tell", data={"stakeholder": "Linus", "channel": "demo",
                                                  "csrf": csrf_of(page)})
    assert answer.status_code == 303
    assert "Linus (decision maker)" in client.get("/entries/1").text
    assert "Linus" in invoke(env, "show", "1").output


def test_suggested_labels_are_confirmed_and_an_entry_deleted(env: Env) -> None:
    small_ledger(env)
    client, _ = client_for(env)
    page = client.get("/entries/3").text  # logged without labels: they were suggested
    assert "Confirm the suggested labels" in page
    client.post("/entries/3/confirm", data={"csrf": csrf_of(page)})
    assert "Confirm the suggested labels" not in client.get("/entries/3").text
    ask = client.get("/entries/3/delete").text
    assert client.post("/entries/3/delete", data={"csrf": csrf_of(ask)}).status_code == 303
    assert client.get("/entries/3").status_code == 404


def test_unconfirmed_with_a_search_is_one_query_not_a_filtered_page(env: Env) -> None:
    small_ledger(env)
    client, _ = client_for(env)
    assert invoke(env, "confirm", "2").exit_code == 0  # the newest "queue" entry: confirmed
    page = client.get("/ledger", params={"q": "queue", "unconfirmed": "1", "limit": "1",
                                         "partial": "1"}).text
    assert "Migrated billing" in page and "Helped Marcus" not in page


def test_older_pages_follow_the_last_entry_shown(env: Env) -> None:
    small_ledger(env)
    for n in range(5):  # five on one day: the id breaks the tie
        assert invoke(env, "log", f"Same day work {n}", "--date", "2026-11-17").exit_code == 0
    client, _ = client_for(env)
    everything = client.get("/api/v1/entries", params={"since": "last year"}).json()["entries"]
    seen: list[str] = []
    url = "/ledger?since=last+year&limit=2&partial=1"
    while url:
        html = client.get(url).text
        seen += re.findall(r'href="/entries/(\d+)"', html)
        older = re.search(r'<a rel="next" href="([^"]+)"', html)
        url = older.group(1).replace("&amp;", "&") if older else ""
        assert not older or "after=" in url
    assert [int(i) for i in dict.fromkeys(seen)] == [e["id"] for e in everything]
    assert len(seen) == len(set(seen)) == len(everything) == 9  # and the plan
    third = everything[2]  # a script pages the API the same way: after the last it got
    rest = client.get("/api/v1/entries", params={
        "since": "last year", "after": f"{third['date']}.{third['id']}"}).json()["entries"]
    assert rest == everything[3:]
