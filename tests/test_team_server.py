"""The team server on real PostgreSQL: an engineer's bundle reaches only the person it names;
revoked, expired and never-made shares are 404 to everyone but their engineer; every look is
logged for the engineer; sign-in by link and password, rate-limited; CSRF on forms."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from levelup.cli.common import Env
from levelup.context import Context
from levelup.services import accounts, sharing
from levelup.services.entries import log_entry, save_profile
from levelup.settings import load
from levelup.web.team import create_team_app
from tests.web_support import TestClient

pytestmark = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)

SECRET_TITLE = "Cut p99 checkout latency 900ms -> 250ms"
PEOPLE = {"ann": "engineer", "bob": "manager", "carl": "manager", "dan": "engineer",
          "eve": "admin"}


@pytest.fixture
def team(env: Env, db_url: str, tmp_path: Path) -> dict[str, Any]:
    """A server with five people, their tokens, and Ann's local ledger with two entries."""
    server = Context(settings=load(environ={}, home=tmp_path / "server", database_url=db_url),
                     today=date(2026, 11, 20))
    tokens = {}
    for name, role in PEOPLE.items():
        accounts.add_account(server, email=f"{name}@example.com", name=name.title(), role=role)
        tokens[name] = accounts.create_account_token(server, email=f"{name}@example.com")
    local = Env(settings=load(environ={}, home=tmp_path / "ann",
                              database_url=f"sqlite:///{tmp_path / 'ann.db'}"),
                today=date(2026, 11, 20))
    save_profile(local.ctx, name="Ann", level="L3", target="L4")
    log_entry(local.ctx, title=SECRET_TITLE, date="2026-10-01", competencies=["delivery"],
              metrics=["p99 latency: 900 -> 250 ms"])
    log_entry(local.ctx, title="Private musing about my manager", date="2026-10-02",
              competencies=["collaboration"])
    app = create_team_app(lambda: replace(server, today=date.today()))
    yield {"server": server, "tokens": tokens, "local": local, "client": TestClient(app),
           "url": db_url}
    local.close()
    server.close()


def _auth(team: dict[str, Any], who: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {team['tokens'][who]}"} if who else {}


def _share(team: dict[str, Any], **choice: Any) -> str:
    bundle = sharing.build_bundle(team["local"].ctx, **choice)
    answer = team["client"].post("/api/v1/shares", headers=_auth(team, "ann"), json={
        "with": "bob@example.com", "bundle": bundle.doc, "expires_days": 30,
        "message": "for my L4 case", "scope": bundle.scope})
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


def test_only_the_chosen_entries_reach_only_the_named_person(team: dict[str, Any]) -> None:
    share = _share(team, competencies=["delivery"])
    client = team["client"]
    seen = client.get(f"/api/v1/shares/{share}", headers=_auth(team, "bob"))
    assert seen.status_code == 200
    body = seen.text
    assert SECRET_TITLE in body and "Private musing" not in body
    assert seen.json()["readiness"]["target_level"] == "L4"
    team_page = client.get("/api/v1/team", headers=_auth(team, "bob")).json()["team"]
    assert [m["engineer"] for m in team_page] == ["ann@example.com"]
    assert "rank" not in str(team_page) and "count" not in str(team_page)
    for other in ("carl", "dan", "eve"):
        assert client.get(f"/api/v1/shares/{share}", headers=_auth(team, other)).status_code == 404
        assert SECRET_TITLE not in client.get("/api/v1/team", headers=_auth(team, other)).text
    log = client.get("/api/v1/shares/log", headers=_auth(team, "ann")).json()["views"]
    assert [(v["viewer"], v["what"]) for v in log] == [
        ("bob@example.com", "the share (API)"), ("bob@example.com", "team page")]


def test_sharing_again_replaces_the_bundle(team: dict[str, Any]) -> None:
    first = _share(team, competencies=["delivery"])
    second = _share(team)
    assert first == second
    body = team["client"].get(f"/api/v1/shares/{first}", headers=_auth(team, "bob")).json()
    assert sorted(e["title"] for e in body["entries"]) == sorted(
        [SECRET_TITLE, "Private musing about my manager"])
    mine = team["client"].get("/api/v1/shares", headers=_auth(team, "ann")).json()["shares"]
    assert len(mine) == 1


def _states(team: dict[str, Any]) -> dict[str, str]:
    """One share in each state, all from Ann to Bob (sharing replaces a live one, so each is
    made live, then moved to its state)."""
    engine = create_engine(team["url"])
    made = {}
    for state in ("revoked", "expired", "shared"):
        made[state] = _share(team)
        with engine.begin() as conn:
            if state == "revoked":
                conn.execute(text("UPDATE shares SET revoked = now() WHERE id = :i"),
                             {"i": made[state]})
            elif state == "expired":
                conn.execute(text("UPDATE shares SET expires = now() - interval '1 day' "
                                  "WHERE id = :i"), {"i": made[state]})
    engine.dispose()
    made["never"] = "0123456789abcdef"
    return made


def test_the_authorization_matrix(team: dict[str, Any]) -> None:
    states = _states(team)
    client = team["client"]
    for state, share in states.items():
        for who in (None, "ann", "bob", "carl", "dan", "eve"):
            headers = _auth(team, who)
            answers = {
                "api share": client.get(f"/api/v1/shares/{share}", headers=headers),
                "page": client.get(f"/shares/{share}", headers=headers, follow_redirects=False),
                "log": client.get("/api/v1/shares/log", params={"share": share},
                                  headers=headers),
                "team": client.get("/api/v1/team", headers=headers),
            }
            for route, answer in answers.items():
                if who is None:
                    expected = 303 if route == "page" else 401
                elif route == "team":
                    expected = 200
                elif who == "ann":
                    expected = 404 if state == "never" else 200
                elif who == "bob" and route != "log":
                    expected = 200 if state == "shared" else 404
                else:
                    expected = 404
                assert answer.status_code == expected, (state, who, route, answer.text)
                readable = who == "ann" and state != "never" and route != "log" or (
                    who == "bob" and state == "shared" and route != "log")
                if not readable:
                    assert SECRET_TITLE not in answer.text, (state, who, route)
    for who in ("bob", "carl", "dan", "eve"):
        assert client.delete(f"/api/v1/shares/{states['shared']}",
                             headers=_auth(team, who)).status_code == 404
    assert client.delete(f"/api/v1/shares/{states['shared']}",
                         headers=_auth(team, "ann")).status_code == 200
    assert client.get(f"/api/v1/shares/{states['shared']}",
                      headers=_auth(team, "bob")).status_code == 404


def test_sign_in_by_link_then_forms_need_the_csrf_token(team: dict[str, Any]) -> None:
    client = team["client"]
    link = accounts.signin_link(team["server"], email="ann@example.com")
    share = _share(team)
    signed = client.get(f"/signin/{link.signin_token}", follow_redirects=False)
    assert signed.status_code == 303 and "levelup_team" in signed.cookies
    assert "httponly" in signed.headers["set-cookie"].lower()
    again = TestClient(client.app).get(f"/signin/{link.signin_token}", follow_redirects=False)
    assert again.status_code == 403
    page = client.get("/shares")
    assert page.status_code == 200 and share in page.text
    forged = client.post(f"/shares/{share}/revoke", data={}, follow_redirects=False)
    assert forged.status_code == 403
    csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
    done = client.post(f"/shares/{share}/revoke", data={"csrf": csrf}, follow_redirects=False)
    assert done.status_code == 303
    mine = client.get("/api/v1/shares").json()["shares"]
    assert mine[0]["revoked"] is not None


def test_password_sign_in_is_rate_limited(team: dict[str, Any]) -> None:
    accounts.set_password(team["server"], email="dan@example.com", password="a long passphrase")
    client = team["client"]
    for _ in range(5):
        wrong = client.post("/signin", data={"email": "dan@example.com", "password": "nope"})
        assert wrong.status_code == 401 and "wrong e-mail or password" in wrong.text
    limited = client.post("/signin", data={"email": "dan@example.com",
                                           "password": "a long passphrase"})
    assert limited.status_code == 429 and "too many failed sign-ins" in limited.text
    other = TestClient(client.app, client=("10.0.0.9", 5000))
    ok = other.post("/signin", data={"email": "eve@example.com", "password": "x" * 12},
                    follow_redirects=False)
    assert ok.status_code == 401  # Eve has no password: refused, yet a different address


def _signed_in_client(team: dict[str, Any], who: str) -> TestClient:
    client = TestClient(team["client"].app)
    link = accounts.signin_link(team["server"], email=f"{who}@example.com")
    assert client.get(f"/signin/{link.signin_token}", follow_redirects=False).status_code == 303
    return client


def test_the_recipient_adds_feedback_from_the_share_page(team: dict[str, Any]) -> None:
    share = _share(team)
    bob = _signed_in_client(team, "bob")
    page = bob.get(f"/shares/{share}")
    assert page.status_code == 200 and "Give feedback" in page.text
    assert "<title>Ann · levelup team</title>" in page.text  # the forms stay in the page
    csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
    empty = bob.post(f"/shares/{share}/notes/feedback", data={"csrf": csrf, "text": " ",
                                                              "polarity": "positive"})
    assert empty.status_code == 422 and "text: is empty" in empty.text
    done = bob.post(f"/shares/{share}/notes/feedback", follow_redirects=False, data={
        "csrf": csrf, "text": "Clear <b>write-up</b>", "polarity": "positive",
        "competency": "delivery"})
    assert done.status_code == 303
    notes = team["client"].get("/api/v1/pull", headers=_auth(team, "ann")).json()["notes"]
    assert [(n["author"], n["kind"], n["text"]) for n in notes] == [
        ("bob@example.com", "feedback", "Clear <b>write-up</b>")]
    carl = _signed_in_client(team, "carl")
    carl_page = carl.get("/shares")
    carl_csrf = carl_page.text.split('name="csrf" value="')[1].split('"')[0]
    assert carl.post(f"/shares/{share}/notes/feedback", data={
        "csrf": carl_csrf, "text": "sneaky", "polarity": "positive"}).status_code == 404


def test_the_brief_is_made_from_the_shared_records_only(team: dict[str, Any]) -> None:
    bundle = sharing.build_bundle(team["local"].ctx, competencies=["delivery"])
    answer = team["client"].post("/api/v1/shares", headers=_auth(team, "ann"), json={
        "with": "bob@example.com", "bundle": bundle.doc, "packet": True})
    share = answer.json()["id"]
    brief = team["client"].get(f"/shares/{share}/brief.md", headers=_auth(team, "bob"))
    assert brief.status_code == 200 and SECRET_TITLE in brief.text
    assert "Private musing" not in brief.text
    assert team["client"].get(f"/shares/{share}/brief.md",
                              headers=_auth(team, "carl")).status_code == 404
