"""Credentials go only where they were configured for: the site's own origin, over https
(or plain http to this machine, or with --insecure), and never inside a URL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from levelup.cli.common import Env
from levelup.importers.common import BadInput
from levelup.importers.http import Origin, is_loopback, site_origin
from levelup.store.entries import list_entries
from tests.conftest import invoke
from tests.utils.api_server import ApiServer, Reply, link
from tests.utils.github_data import search_item, search_page

TOKEN = "ghp_secret_token_123"
JIRA_TOKEN = "pat-secret-456"
JIRA_EXPORT = Path(__file__).parent / "fixtures" / "jira" / "export.csv"


@pytest.fixture(autouse=True)
def only_test_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("GITHUB_TOKEN", "GH_TOKEN", "GITHUB_ENTERPRISE_TOKEN", "JIRA_EMAIL",
                 "JIRA_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GH_ENTERPRISE_TOKEN", TOKEN)  # 127.0.0.1 is an Enterprise host
    monkeypatch.setenv("JIRA_TOKEN", JIRA_TOKEN)
    monkeypatch.setenv("GH_CONFIG_DIR", str(tmp_path / "no-gh"))
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))  # no gh CLI to ask for a token


@pytest.fixture
def no_connections(monkeypatch: pytest.MonkeyPatch) -> list[httpx.Request]:
    """Requests that reached the network layer, each failing as an unreachable host."""
    made: list[httpx.Request] = []

    def refuse(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        made.append(request)
        raise httpx.ConnectError("no network in tests", request=request)

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", refuse)
    return made


@pytest.fixture
def server() -> Iterator[ApiServer]:
    with ApiServer().running() as api:
        yield api


@pytest.fixture
def servers() -> Iterator[tuple[ApiServer, ApiServer]]:
    """Two local servers: two origins, as they differ in port."""
    with ApiServer().running() as first, ApiServer().running() as second:
        yield first, second


def github(env: Env, api_url: str, *extra: str) -> Any:
    return invoke(env, "import", "github", "--api-url", api_url, "--since", "2026-01-01",
                  "--until", "2026-06-30", *extra)


def jira(env: Env, *extra: str) -> Any:
    return invoke(env, "import", "jira", "--since", "2026-01-01", "--until", "2026-06-30",
                  *extra)


def count_entries(env: Env) -> int:
    with env.ctx.read() as conn:
        return len(list_entries(conn))


def authorized(api: ApiServer) -> list[str]:
    return [r.path for r in api.requests
            if any(name.lower() == "authorization" for name in r.headers)]


# --- a page link to another origin -----------------------------------------------------


def test_a_next_link_to_another_origin_stops_the_import_before_the_token_goes_there(
        env: Env, servers: tuple[ApiServer, ApiServer]) -> None:
    home, elsewhere = servers
    home.add("/user", {"login": "ada", "id": 7})
    home.add("/search/issues", Reply(search_page([
        search_item(home.url, "acme/shop", 12, "Cache prices at the edge", pr=True,
                    created="2026-03-01T10:00:00Z"),
    ], total=2), headers=link(f"{elsewhere.url}/search/issues?page=2")))
    elsewhere.add("/search/issues", search_page([
        search_item(home.url, "acme/shop", 13, "Second page", pr=True,
                    created="2026-03-02T10:00:00Z"),
    ], total=2))

    result = github(env, home.url)

    assert result.exit_code != 0
    port = elsewhere.url.rsplit(":", 1)[1]
    assert f"GitHub sent a link to another server, http://127.0.0.1:{port} " in result.output
    assert "the import stopped rather than miss pages" in result.output
    assert elsewhere.requests == []  # so it never saw an Authorization header
    assert authorized(home) == ["/user", "/search/issues"]  # the token did go home
    assert TOKEN not in result.output
    assert count_entries(env) == 0  # all or nothing: no first page alone


def test_the_token_is_attached_only_to_its_own_origin(
        servers: tuple[ApiServer, ApiServer]) -> None:
    from levelup.importers.http import origin_auth

    home, elsewhere = servers
    for api in servers:
        api.add("/user", {"login": "ada"})
    auth = origin_auth(Origin.of(home.url), f"Bearer {TOKEN}")
    with httpx.Client(auth=auth) as client:
        client.get(f"{home.url}/user")
        client.get(f"{elsewhere.url}/user")
    assert authorized(home) == ["/user"]
    assert elsewhere.requests and authorized(elsewhere) == []


def test_a_redirect_to_another_origin_does_not_carry_the_token(
        servers: tuple[ApiServer, ApiServer]) -> None:
    from levelup.importers.http import JsonApi

    home, elsewhere = servers
    home.add("/user", Reply(status=302, headers={"Location": f"{elsewhere.url}/user"}))
    elsewhere.add("/user", {"login": "ada"})
    api = JsonApi(name="GitHub", base_url=home.url, authorization=f"Bearer {TOKEN}")
    assert api.get_json("/user")[0] == {"login": "ada"}
    api.close()
    assert authorized(home) == ["/user"]
    assert [r.path for r in elsewhere.requests] == ["/user"]
    assert authorized(elsewhere) == []


def test_credentials_may_not_ride_in_the_ordinary_headers() -> None:
    from levelup.importers.http import JsonApi

    api = JsonApi(name="Jira", base_url="https://jira.example.com",
                  headers={"Authorization": "Bearer x"})
    with pytest.raises(ValueError, match="JsonApi.authorization"):
        api.client()


# --- plain http ---------------------------------------------------------------------------


def test_plain_http_to_another_host_is_refused_before_any_connection(
        env: Env, no_connections: list[httpx.Request]) -> None:
    result = jira(env, "--url", "http://jira.invalid")
    assert result.exit_code != 0
    assert ("--url: http://jira.invalid: refusing to send credentials over plain http to "
            "jira.invalid: use https://, or pass --insecure") in result.output
    assert no_connections == []

    result = github(env, "http://github.invalid/api/v3")
    assert result.exit_code != 0
    assert "--api-url: http://github.invalid/api/v3: refusing to send credentials over " \
           "plain http to github.invalid" in result.output
    assert no_connections == []


def test_insecure_allows_plain_http_to_another_host(
        env: Env, no_connections: list[httpx.Request]) -> None:
    result = jira(env, "--url", "http://jira.invalid", "--insecure")
    assert result.exit_code != 0
    assert "cannot reach Jira" in result.output
    assert {str(r.url.host) for r in no_connections} == {"jira.invalid"}
    assert no_connections[0].headers["Authorization"] == f"Bearer {JIRA_TOKEN}"


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080", "http://127.9.9.9", "http://[::1]:80",
                                 "http://localhost:3000", "https://jira.example.com"])
def test_this_machine_and_https_are_allowed(url: str) -> None:
    assert site_origin(url, setting="--url", credentials_hint="", insecure=False)


@pytest.mark.parametrize("host, expected", [
    ("localhost", True), ("LOCALHOST", True), ("127.0.0.1", True), ("127.200.0.3", True),
    ("::1", True), ("10.0.0.1", False), ("192.168.1.2", False), ("localhost.example.com", False),
    ("jira.invalid", False), ("::", False),
])
def test_loopback(host: str, expected: bool) -> None:
    assert is_loopback(host) is expected


@pytest.mark.parametrize("url", ["ftp://jira.example.com", "jira.example.com", "https://"])
def test_a_site_that_is_not_an_http_url_is_refused(url: str) -> None:
    with pytest.raises(BadInput, match="expected a URL like https://HOST"):
        site_origin(url, setting="--url", credentials_hint="", insecure=True)


def test_origins_spell_out_default_ports() -> None:
    assert Origin.of("https://API.github.com/x") == Origin.of("https://api.github.com:443/y")
    assert Origin.of("http://127.0.0.1:1") != Origin.of("http://127.0.0.1:2")
    assert Origin.of("http://h") != Origin.of("https://h")


# --- credentials in a URL -----------------------------------------------------------------


def test_jira_credentials_in_the_url_are_refused_and_shown_nowhere(
        env: Env, server: ApiServer) -> None:
    with_secret = server.url.replace("http://", "http://ada%40acme.com:url-secret-789@")
    result = jira(env, "--url", with_secret)
    assert result.exit_code != 0
    assert f"--url: {server.url}: a URL with credentials in it is refused" in result.output
    assert "JIRA_EMAIL and JIRA_TOKEN" in result.output
    assert "url-secret-789" not in result.output
    assert "ada%40acme.com" not in result.output
    assert server.requests == []


def test_jira_credentials_in_jira_url_are_refused_for_a_csv_import_too(
        env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIRA_URL", "https://ada:url-secret-789@acme.atlassian.net")
    result = jira(env, str(JIRA_EXPORT))
    assert result.exit_code != 0
    assert "JIRA_URL: https://acme.atlassian.net: a URL with credentials" in result.output
    assert "url-secret-789" not in result.output
    assert count_entries(env) == 0  # no link holds them
    export = invoke(env, "export")
    assert export.exit_code == 0 and "url-secret-789" not in export.output


def test_github_credentials_in_the_api_url_are_refused_naming_gh_token(
        env: Env, no_connections: list[httpx.Request]) -> None:
    result = github(env, "https://ada:ghp_in_url_000@api.github.com")
    assert result.exit_code != 0
    assert ("--api-url: https://api.github.com: a URL with credentials in it is refused"
            in result.output)
    assert "set GH_TOKEN" in result.output
    assert "ghp_in_url_000" not in result.output
    assert no_connections == []
