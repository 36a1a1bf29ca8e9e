"""Editing every field of an entry through its form, bad input beside its field with nothing
written, who heard with when and through which channel, and the "unconfirmed labels" filter."""

from __future__ import annotations

from levelup.cli.common import Env
from levelup.domain.vocab import COMPETENCIES
from levelup.errors import FieldError
from levelup.services.entries import list_entries, show_entry, update_entry
from tests.conftest import invoke
from tests.web_support import client_for, csrf_of, small_ledger

FULL = {
    "title": "Cut p99 latency for real", "date": "2026-11-17", "until": "2026-11-18",
    "kind": "win", "project": "payments", "details": "Profiled the hot path.",
    "context": "Checkout was slow", "why": "Carts were abandoned", "did": "I rewrote the cache",
    "result_now": "p99 is 250 ms", "result_later": "Fewer abandoned carts",
    "prevented": "A Black Friday outage", "outcomes": ["sla", "revenue"],
    "competencies": ["craft"], "metrics": "p99: 900 -> 250 ms\nerrors: 12 -> 3 %",
    "links": "https://example.com/pr/1\nhttps://example.com/doc",
    "testimonials": '"Saved our quarter" — Linus',
}


def test_every_field_is_edited_through_the_form(env: Env) -> None:
    small_ledger(env)
    client, _ = client_for(env)
    form = client.get("/entries/1/edit")
    assert form.status_code == 200 and 'name="result_later"' in form.text
    answer = client.post("/entries/1/edit", data={**FULL, "csrf": csrf_of(form.text)})
    assert answer.status_code == 303, answer.text
    entry = show_entry(env.ctx, entry_id=1).entry
    assert (entry.title, str(entry.date), str(entry.end_date), entry.project) == (
        "Cut p99 latency for real", "2026-11-17", "2026-11-18", "payments")
    assert entry.details == "Profiled the hot path." and entry.did == "I rewrote the cache"
    assert entry.prevented == "A Black Friday outage" and entry.why == "Carts were abandoned"
    assert entry.outcome_ids == ["sla", "revenue"] and entry.competency_ids == ["craft"]
    assert [(m.name, m.baseline, m.result, m.unit) for m in entry.metrics] == [
        ("p99", 900, 250, "ms"), ("errors", 12, 3, "%")]
    assert entry.links == ["https://example.com/pr/1", "https://example.com/doc"]
    assert [(t.quote, t.author) for t in entry.testimonials] == [("Saved our quarter", "Linus")]
    page = client.get("/entries/1").text
    assert "I rewrote the cache" in page and "Saved our quarter" in page
    again = client.get("/entries/1/edit").text  # the form shows what is stored
    assert "errors: 12 -&gt; 3 %" in again and "&#34;Saved our quarter&#34; — Linus" in again


def test_bad_input_is_shown_beside_its_field_and_nothing_is_written(env: Env) -> None:
    small_ledger(env)
    client, _ = client_for(env)
    token = csrf_of(client.get("/entries/1/edit").text)
    cases = {"metrics": {"metrics": "p99 went down"}, "date": {"date": "someday soon"},
             "testimonials": {"testimonials": "no quotes here"},
             "outcomes": {"outcomes": ["bogus"]}, "until": {"until": "2026-01-01"}}
    for name, bad in cases.items():
        answer = client.post("/entries/1/edit", data={**FULL, **bad, "csrf": token})
        assert answer.status_code == 422, name
        assert f'id="{name}-error"' in answer.text, (name, answer.text)
        assert 'value="Cut p99 latency for real"' in answer.text  # the form keeps what was typed
    entry = show_entry(env.ctx, entry_id=1).entry
    assert entry.title == "Cut p99 checkout latency 900ms to 250ms" and not entry.did


def test_update_entry_raises_a_field_error_and_keeps_label_confirmation(env: Env) -> None:
    small_ledger(env)
    before = show_entry(env.ctx, entry_id=3).entry
    suggested = [lab.id for lab in before.competencies if not lab.confirmed]
    assert suggested
    try:
        update_entry(env.ctx, entry_id=3, title="x", date="2026-10-02", testimonials=["bad"])
    except FieldError as exc:
        assert exc.field == "testimonials"
    else:
        raise AssertionError("a malformed testimonial was accepted")
    added = next(c for c in COMPETENCIES if c not in before.competency_ids)
    update_entry(env.ctx, entry_id=3, title="Migrated billing", date="2026-10-02",
                 competencies=[*suggested, added], did="I moved it")
    after = show_entry(env.ctx, entry_id=3).entry
    confirmed = {lab.id: lab.confirmed for lab in after.competencies}
    assert confirmed[added] is True and after.did == "I moved it"
    assert not any(confirmed[name] for name in suggested)


def test_who_heard_shows_when_and_through_which_channel(env: Env) -> None:
    small_ledger(env)
    result = invoke(env, "tell", "Linus", "1", "--via", "demo", "--date", "2026-11-20")
    assert result.exit_code == 0, result.output
    client, _ = client_for(env)
    page = client.get("/entries/1").text
    assert "Linus (decision maker)" in page
    assert '<time datetime="2026-11-20">' in page and '<span class="channel">demo</span>' in page


def test_the_unconfirmed_labels_filter(env: Env) -> None:
    small_ledger(env)
    assert [e.title for e in list_entries(env.ctx, since="2026-01-01", unconfirmed=True)
            if e.id == 1] == []
    client, _ = client_for(env)
    params = {"since": "last year", "unconfirmed": "1", "partial": "1"}
    found = client.get("/ledger", params=params).text
    assert "Migrated billing" in found and "Cut p99" not in found
    assert "unconfirmed=1" in client.get("/ledger", params={**params, "limit": "1"}).text
    page = client.get("/entries/3").text
    client.post("/entries/3/confirm", data={"csrf": csrf_of(page)})
    assert "Migrated billing" not in client.get("/ledger", params=params).text
    everything = client.get("/ledger", params={"since": "last year", "partial": "1"}).text
    assert "Migrated billing" in everything and "Cut p99" in everything
