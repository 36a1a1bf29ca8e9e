"""The team server's accounts on a real PostgreSQL database: `levelup server user add|list|link`,
`levelup server token create`, one-time sign-in links, sessions and argon2 passwords; no secret
is ever stored in clear."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, text

from levelup.cli.common import Env
from levelup.services import accounts
from tests.conftest import invoke

pytestmark = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)


@pytest.fixture
def server(env: Env, db_url: str) -> Env:
    """``env`` whose server commands use the same (fresh) PostgreSQL schema."""
    env.server_url = db_url  # type: ignore[attr-defined]
    return env


def _cli(env: Env, *args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return invoke(env, "server", *args, "--db", env.server_url,  # type: ignore[attr-defined]
                  input=input)


def _dump(db_url: str) -> str:
    """Every value of the account tables, as text: where a leaked secret would show."""
    engine = create_engine(db_url)
    with engine.connect() as conn:
        rows = [str(tuple(r)) for table in ("users", "signin_links", "server_sessions",
                                            "api_tokens")
                for r in conn.execute(text(f"SELECT * FROM {table}"))]
    engine.dispose()
    return "\n".join(rows)


def test_an_added_person_signs_in_once_through_the_printed_url(server: Env) -> None:
    result = _cli(server, "user", "add", "Ada@Example.com", "--name", " Ada  Lovelace ",
                  "--role", "manager", "--url", "https://levelup.example.com/")
    assert result.exit_code == 0, result.output
    url = result.stdout.strip()
    assert url.startswith("https://levelup.example.com/signin/")
    token = url.rsplit("/", 1)[1]
    session = accounts.sign_in_with_link(server.ctx, token=token)
    person = accounts.session_account(server.ctx, token=session)
    assert person is not None and (person.email, person.name, person.role) == (
        "Ada@Example.com", "Ada Lovelace", "manager")
    with pytest.raises(accounts.SignInRefused, match="used, has expired"):
        accounts.sign_in_with_link(server.ctx, token=token)
    accounts.sign_out(server.ctx, token=session)
    assert accounts.session_account(server.ctx, token=session) is None
    stored = _dump(server.server_url)  # type: ignore[attr-defined]
    assert token not in stored and session not in stored


def test_managers_must_exist_and_manage_and_emails_are_unique_ignoring_case(server: Env) -> None:
    assert _cli(server, "user", "add", "boss@example.com", "--name", "Boss",
                "--role", "manager").exit_code == 0
    assert _cli(server, "user", "add", "ann@example.com", "--name", "Ann",
                "--manager", "BOSS@example.com").exit_code == 0
    for args, words in [
        (("bob@example.com", "--name", "Bob", "--manager", "ann@example.com"), "is an engineer"),
        (("bob@example.com", "--name", "Bob", "--manager", "nobody@example.com"), "no account"),
        (("ANN@example.com", "--name", "Ann again"), "already has an account"),
        (("not-an-email", "--name", "X"), "not an e-mail address"),
        (("x@example.com", "--name", "X", "--role", "owner"), "not one of engineer"),
    ]:
        result = _cli(server, "user", "add", *args)
        assert result.exit_code != 0 and words in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.output and len(result.stderr.strip().splitlines()) == 1
    listed = json.loads(_cli(server, "user", "list", "--json").stdout)
    assert [(p["email"], p["role"], p["manager"]) for p in listed] == [
        ("ann@example.com", "engineer", "boss@example.com"),
        ("boss@example.com", "manager", None)]
    assert all("password" not in json.dumps(p) for p in listed)


def test_passwords_are_argon2_hashed_and_checked(server: Env) -> None:
    _cli(server, "user", "add", "eve@example.com", "--name", "Eve")
    secret = "correct horse battery"
    result = _cli(server, "user", "password", "eve@example.com", input=f"{secret}\n{secret}\n")
    assert result.exit_code == 0, result.output
    session = accounts.sign_in_with_password(server.ctx, email="EVE@example.com", password=secret)
    assert accounts.session_account(server.ctx, token=session) is not None
    for email, password in [("eve@example.com", "wrong password!"),
                            ("nobody@example.com", secret)]:
        with pytest.raises(accounts.SignInRefused, match="wrong e-mail or password"):
            accounts.sign_in_with_password(server.ctx, email=email, password=password)
    stored = _dump(server.server_url)  # type: ignore[attr-defined]
    assert "$argon2id$" in stored and secret not in stored
    short = _cli(server, "user", "password", "eve@example.com", input="short\nshort\n")
    assert short.exit_code != 0 and "at least 12 characters" in short.stderr


def test_a_personal_token_is_shown_once_and_stored_hashed(server: Env) -> None:
    from levelup.services.tokens import digest
    from levelup.store.accounts import token_owner

    _cli(server, "user", "add", "ann@example.com", "--name", "Ann")
    result = _cli(server, "token", "create", "--user", "ann@example.com")
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    assert token.startswith("lvl_") and "shown this once" in result.stderr
    stored = _dump(server.server_url)  # type: ignore[attr-defined]
    assert token not in stored and digest(token) in stored
    with server.ctx.begin() as conn:
        owner = token_owner(conn, token_hash=digest(token), now=accounts._now())
    [ann] = accounts.list_accounts(server.ctx)
    assert owner == ann.owner_id != 1
    again = _cli(server, "token", "create", "--user", "ann@example.com")
    assert again.exit_code != 0 and "already has a token named 'cli'" in again.stderr


def test_server_commands_need_a_postgresql_database(env: Env) -> None:
    missing = invoke(env, "server", "user", "list")
    assert missing.exit_code != 0
    assert "no server database: pass --db or set LEVELUP_SERVER_DATABASE_URL" in missing.stderr
    sqlite = invoke(env, "server", "user", "list", "--db", "sqlite:///x.db")
    assert sqlite.exit_code != 0 and "runs on PostgreSQL" in sqlite.stderr
