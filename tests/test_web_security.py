"""The web app's security rules: sessions, single-use sign-in, CSRF, Host, escaping, headers."""

from __future__ import annotations

from levelup.cli.common import Env
from tests.conftest import invoke
from tests.web_support import client_for, csrf_of, small_ledger


def _titles(env: Env) -> list[str]:
    from levelup.services.entries import list_entries

    return [e.title for e in list_entries(env.ctx)]


def test_without_a_session_pages_redirect_and_the_api_answers_401(env: Env) -> None:
    small_ledger(env)
    client, _ = client_for(env, signed_in=False)
    for path in ("/", "/ledger", "/readiness", "/entries/1"):
        answer = client.get(path)
        assert answer.status_code == 303 and answer.headers["location"] == "/signin"
        assert "checkout" not in answer.text
    for path in ("/api/v1/entries", "/api/v1/readiness", "/api/v1/openapi.json", "/api/v1/docs"):
        answer = client.get(path)
        assert answer.status_code == 401
        assert "checkout" not in answer.text
    signin = client.get("/signin")
    assert "levelup serve" in signin.text and "checkout" not in signin.text


def test_a_forged_cookie_is_no_session(env: Env) -> None:
    small_ledger(env)
    client, _ = client_for(env, signed_in=False)
    client.cookies.set("levelup_session", "eyJzaWQiOiJ4In0.forged.signature")
    assert client.get("/api/v1/entries").status_code == 401


def test_the_sign_in_token_works_once(env: Env) -> None:
    small_ledger(env)
    client, guard = client_for(env, signed_in=False)
    token = guard.issue_signin()
    first = client.get(f"/signin?token={token}")
    assert first.status_code == 303
    assert "httponly" in first.headers["set-cookie"].lower()
    assert "samesite=strict" in first.headers["set-cookie"].lower()
    assert client.get("/ledger").status_code == 200
    other, _ = client_for(env, signed_in=False)
    other.app.state.guard = guard
    again = other.get(f"/signin?token={token}")
    assert again.status_code == 403 and "set-cookie" not in again.headers
    assert other.get("/ledger").status_code == 303
    assert other.get("/signin?token=guessed").status_code == 403


def test_a_post_without_the_csrf_token_is_refused_and_writes_nothing(env: Env) -> None:
    small_ledger(env)
    client, _ = client_for(env)
    before = _titles(env)
    refused = client.post("/ledger", data={"title": "Forged entry"})
    assert refused.status_code == 403
    wrong = client.post("/ledger", data={"title": "Forged entry", "csrf": "0" * 64})
    assert wrong.status_code == 403
    assert client.post("/entries/1/delete").status_code == 403
    as_json = client.post("/api/v1/entries", json={"title": "Forged entry"})
    assert as_json.status_code == 403
    assert _titles(env) == before
    token = csrf_of(client.get("/ledger").text)
    assert client.post("/ledger", data={"title": "Real entry", "csrf": token}).status_code == 303
    assert "Real entry" in _titles(env)


def test_a_request_for_another_host_gets_400(env: Env) -> None:
    small_ledger(env)
    client, _ = client_for(env)
    answer = client.get("/api/v1/entries", headers={"Host": "evil.example:8765"})
    assert answer.status_code == 400
    assert "checkout" not in answer.text


def test_user_text_is_escaped(env: Env) -> None:
    small_ledger(env)
    assert invoke(env, "log", "<script>alert(1)</script> shipped").exit_code == 0
    client, _ = client_for(env)
    for path in ("/ledger", "/entries/5"):
        page = client.get(path).text
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_every_answer_carries_the_security_headers(env: Env) -> None:
    small_ledger(env)
    client, _ = client_for(env)
    for path in ("/", "/signin", "/api/v1/entries", "/static/levelup.css"):
        headers = client.get(path).headers
        assert headers["content-security-policy"].startswith("default-src 'self'")
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "no-referrer"
