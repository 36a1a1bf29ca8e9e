"""`levelup import github` against a local server speaking GitHub's REST shapes, and files."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from levelup.cli.common import Env
from levelup.domain.models import Entry
from levelup.importers import http
from levelup.importers.github import find_token
from levelup.store.entries import list_entries
from tests.conftest import invoke
from tests.utils.api_server import ApiServer, Reply, link
from tests.utils.github_data import pull, review, search_engine, search_item, search_page

# The local server is, to gh and levelup, a GitHub Enterprise Server host: its token comes
# from GH_ENTERPRISE_TOKEN, never from github.com's GH_TOKEN or GITHUB_TOKEN.
TOKEN = "ghp_secret_token_123"
FIXTURES = Path(__file__).parent / "fixtures" / "github"


# `gh auth token --hostname HOST` as the gh CLI answers it: the token kept for HOST (in the
# system keyring since gh 2.40), else an error and exit code 1.
FAKE_GH = """#!/bin/sh
if [ "$1 $2 $3" = "auth token --hostname" ] && [ -n "$GH_TEST_TOKEN" ]; then
  echo "$GH_TEST_TOKEN"; exit 0
fi
echo "no oauth token found for $4" >&2; exit 1
"""


@pytest.fixture(autouse=True)
def no_ambient_token(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("GITHUB_TOKEN", "GH_TOKEN", "GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN",
                 "GH_TEST_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GH_CONFIG_DIR", str(tmp_path / "no-gh"))
    bin_ = tmp_path / "bin"  # a gh that is logged in nowhere, in place of any real one
    bin_.mkdir()
    (bin_ / "gh").write_text(FAKE_GH)
    (bin_ / "gh").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_}{os.pathsep}{os.environ['PATH']}")


@pytest.fixture(autouse=True)
def clock_zone() -> Iterator[Callable[[str], None]]:
    """GitHub's UTC times are dated on the machine's clock: UTC here unless a test says."""
    before = os.environ.get("TZ")

    def use(zone: str) -> None:
        os.environ["TZ"] = zone
        time.tzset()

    use("UTC")
    try:
        yield use
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


@pytest.fixture
def server() -> Iterator[ApiServer]:
    with ApiServer().running() as api:
        yield api


def q(text: str) -> Callable[[dict[str, str]], bool]:
    return lambda query: query.get("q", "").startswith(text)


def serve_account(api: ApiServer, *, prs_page2: Reply | None = None) -> None:
    """Ada's year: PRs on two pages, issues, a closed issue, a review she gave."""
    base = api.url
    api.add("/user", {"login": "ada", "id": 7})
    page2 = f"{base}/search/issues?q=type%3Apr+author%3Aada&per_page=100&page=2"
    api.add("/search/issues", Reply(search_page([
        search_item(base, "acme/shop", 12, "Cache prices at the edge", pr=True,
                    created="2026-03-01T10:00:00Z", merged="2026-03-04T16:00:00Z",
                    closed="2026-03-04T16:00:00Z", body="Cuts p95 from 900 to 200 ms."),
        search_item(base, "acme/shop", 15, "Try a new ORM", pr=True,
                    created="2026-03-05T10:00:00Z", closed="2026-03-09T10:00:00Z"),
    ], total=3), headers=link(page2)), match=lambda qs: qs.get("q", "").startswith(
        "type:pr author:ada") and "page" not in qs)
    api.add("/search/issues", prs_page2 or search_page([
        search_item(base, "acme/shop", 21, "Draft: split the checkout service", pr=True,
                    created="2026-05-02T10:00:00Z"),
    ], total=3), match=lambda qs: qs.get("page") == "2")
    api.add("/search/issues", search_page([
        search_item(base, "acme/shop", 30, "Checkout times out under load",
                    created="2026-04-01T08:00:00Z", labels=("bug",)),
        search_item(base, "acme/shop", 3, "Old issue from last year",
                    created="2025-02-01T08:00:00Z"),
    ]), match=q("type:issue author:ada"))
    api.add("/search/issues", search_page([
        search_item(base, "acme/infra", 44, "Rotate the TLS certificates", user="bob",
                    created="2026-02-01T08:00:00Z", closed="2026-02-10T09:00:00Z"),
    ]), match=q("type:issue assignee:ada"))
    api.add("/search/issues", search_page([
        search_item(base, "acme/api", 77, "Add rate limiting", pr=True, user="sam",
                    created="2026-04-10T08:00:00Z", merged="2026-04-14T08:00:00Z",
                    closed="2026-04-14T08:00:00Z"),
    ]), match=q("type:pr reviewed-by:ada"))
    api.add("/repos/acme/api/pulls/77/reviews", [
        review("ada", "CHANGES_REQUESTED", "2026-04-11T09:00:00Z", "Please add a test."),
        review("bob", "APPROVED", "2026-04-12T09:00:00Z"),
        review("ada", "APPROVED", "2026-04-13T09:00:00Z"),
    ])


def run(env: Env, api: ApiServer, *extra: str) -> tuple[int, str]:
    result = invoke(env, "import", "github", "--api-url", api.url, "--since", "2026-01-01",
                    "--until", "2026-06-30", *extra)
    return result.exit_code, result.output


def github_entries(env: Env) -> dict[str, Entry]:
    with env.ctx.read() as conn:
        return {e.source_id or "": e for e in list_entries(conn, source="github")}


def test_api_import_maps_prs_reviews_and_issues(env: Env, server: ApiServer,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GH_ENTERPRISE_TOKEN", TOKEN)
    serve_account(server)
    code, output = run(env, server)
    assert code == 0, output
    assert TOKEN not in output
    entries = github_entries(env)
    merged = entries["https://github.com/acme/shop/pull/12"]
    assert (merged.kind, merged.date.isoformat(), str(merged.end_date)) == (
        "win", "2026-03-01", "2026-03-04")
    assert merged.links == ["https://github.com/acme/shop/pull/12"]
    assert "acme/shop#12 merged on 2026-03-04" in merged.details
    assert entries["https://github.com/acme/shop/pull/15"].kind == "other"
    assert (entries["https://github.com/acme/shop/pull/21"].kind,
            entries["https://github.com/acme/shop/pull/21"].status) == ("plan", "open")
    assert entries["https://github.com/acme/infra/issues/44"].kind == "win"
    assert entries["https://github.com/acme/shop/issues/30"].kind == "other"
    reviewed = entries["https://github.com/acme/api/pull/77#reviews"]
    assert (reviewed.kind, str(reviewed.date), str(reviewed.end_date)) == (
        "mentoring", "2026-04-11", "2026-04-13")
    assert "2 reviews" in reviewed.details and "@sam" in reviewed.details
    assert "https://github.com/acme/shop/issues/3" not in entries  # outside the range
    assert len(entries) == 6
    sent = [r for r in server.requests if r.path == "/search/issues"]
    assert all(r.headers.get("Authorization") == f"Bearer {TOKEN}" for r in sent)
    assert any("updated:>=2026-01-01" in r.query["q"] for r in sent)


def test_api_import_is_idempotent_and_dry_run_writes_nothing(
        env: Env, server: ApiServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GH_ENTERPRISE_TOKEN", TOKEN)
    serve_account(server)
    code, output = run(env, server, "--dry-run")
    assert code == 0, output
    assert "would import" in output and github_entries(env) == {}
    assert run(env, server)[0] == 0
    code, output = run(env, server, "--json")
    assert code == 0, output
    summary = json.loads(output)
    assert (summary["new"], summary["unchanged"]) == (0, 6)


def test_short_rate_limit_is_waited_out(env: Env, server: ApiServer,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GH_ENTERPRISE_TOKEN", TOKEN)
    limited = Reply({"message": "You have exceeded a secondary rate limit."}, status=403,
                    headers={"retry-after": "1", "x-ratelimit-remaining": "0"})
    ok = search_page([search_item(server.url, "acme/shop", 21, "Split checkout", pr=True,
                                  created="2026-05-02T10:00:00Z")], total=3)
    serve_account(server, prs_page2=limited)
    server.routes[2].replies.append(Reply(ok))  # the retry succeeds
    started = time.monotonic()
    code, output = run(env, server)
    assert code == 0, output
    assert time.monotonic() - started >= 1
    assert "https://github.com/acme/shop/pull/21" in github_entries(env)


def test_a_passing_server_error_is_asked_again(env: Env, server: ApiServer,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GH_ENTERPRISE_TOKEN", TOKEN)
    monkeypatch.setattr(http, "BACKOFF", 0.01)  # the waits, not their length, are tested
    busy = Reply({"message": "Server Error"}, status=502)
    ok = search_page([search_item(server.url, "acme/shop", 21, "Split checkout", pr=True,
                                  created="2026-05-02T10:00:00Z")], total=3)
    serve_account(server, prs_page2=busy)
    server.routes[2].replies += [busy, Reply(ok)]  # the third attempt succeeds
    code, output = run(env, server)
    assert code == 0, output
    assert "https://github.com/acme/shop/pull/21" in github_entries(env)
    asked = [r for r in server.requests if r.query.get("page") == "2"]
    assert len(asked) == 3


def test_a_lasting_server_error_stops_the_import_and_writes_nothing(
    env: Env, server: ApiServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GH_ENTERPRISE_TOKEN", TOKEN)
    monkeypatch.setattr(http, "BACKOFF", 0.01)
    serve_account(server, prs_page2=Reply({"message": "Unavailable"}, status=503))
    code, output = run(env, server)
    assert code == 2
    assert "/search/issues: GitHub answered 503 Service Unavailable" in output
    assert len([r for r in server.requests if r.query.get("page") == "2"]) == 4
    assert github_entries(env) == {}


def test_long_rate_limit_stops_with_a_clear_message_and_writes_nothing(
        env: Env, server: ApiServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GH_ENTERPRISE_TOKEN", TOKEN)
    reset = str(int(time.time()) + 3600)
    serve_account(server, prs_page2=Reply(
        {"message": "API rate limit exceeded for user ID 7."}, status=403,
        headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset,
                 "x-ratelimit-limit": "30"}))
    code, output = run(env, server)
    assert code == 2
    assert "GitHub rate limit reached; it resets in 60 min" in output
    assert "run the import again" in output and TOKEN not in output
    assert github_entries(env) == {}


def test_malformed_page_is_one_clear_error_and_nothing_is_written(
        env: Env, server: ApiServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GH_ENTERPRISE_TOKEN", TOKEN)
    serve_account(server, prs_page2=Reply("<html>upstream timeout</html>"))
    code, output = run(env, server)
    assert code == 2
    assert "/search/issues: malformed response from GitHub: not JSON" in output
    assert len(output.strip().splitlines()) == 1
    assert github_entries(env) == {}


def test_token_comes_from_the_gh_cli_config(env: Env, server: ApiServer, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    gh = tmp_path / "gh"
    gh.mkdir()
    (gh / "hosts.yml").write_text("127.0.0.1:\n    oauth_token: gho_from_gh\n"
                                  "    user: ada\n    git_protocol: https\n")
    monkeypatch.setenv("GH_CONFIG_DIR", str(gh))
    serve_account(server)
    assert run(env, server)[0] == 0
    assert server.requests[0].headers.get("Authorization") == "Bearer gho_from_gh"


def test_token_comes_from_the_gh_cli_keyring(env: Env, server: ApiServer,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GH_TEST_TOKEN", "gho_from_keyring")  # what `gh auth token` prints
    serve_account(server)
    assert run(env, server)[0] == 0
    assert server.requests[0].headers.get("Authorization") == "Bearer gho_from_keyring"


def merged_prs(base: str, days: list[date]) -> list[dict[str, object]]:
    return [search_item(base, "acme/shop", n, f"Change {n}", pr=True,
                        created=f"{day}T10:00:00Z", merged=f"{day}T15:00:00Z",
                        closed=f"{day}T15:00:00Z") for n, day in enumerate(days, start=1)]


def test_a_search_finding_over_1000_results_is_split_by_creation_date(
    env: Env, server: ApiServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GH_ENTERPRISE_TOKEN", TOKEN)
    server.add("/user", {"login": "ada", "id": 7})
    days = [date(2022, 1, 3) + timedelta(days=n) for n in range(1500)]
    server.answer("/search/issues", search_engine(server.url, merged_prs(server.url, days)))
    result = invoke(env, "import", "github", "--api-url", server.url, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["notes"] == []
    assert len(github_entries(env)) == 1500
    assert all(int(r.query.get("page", "1")) <= 10 for r in server.requests)


def test_a_single_day_over_1000_results_says_what_was_left_out(
    env: Env, server: ApiServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GH_ENTERPRISE_TOKEN", TOKEN)
    server.add("/user", {"login": "ada", "id": 7})
    days = [date(2026, 3, 2)] * 1001
    server.answer("/search/issues", search_engine(server.url, merged_prs(server.url, days)))
    result = invoke(env, "import", "github", "--api-url", server.url)
    assert result.exit_code == 0, result.output
    assert ("note: GitHub found 1,001 results for 'type:pr author:ada created:2026-03-02.."
            "2026-03-02' but gives at most 1,000 for one search: the others were not imported"
            ) in result.output
    assert len(github_entries(env)) == 1000


def test_results_github_left_out_are_named_once(env: Env, server: ApiServer,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Organizations whose SAML single sign-on the token lacks (X-GitHub-SSO: partial-results)
    and a search that timed out (incomplete_results): a note each, once, and the rest lands."""
    monkeypatch.setenv("GH_ENTERPRISE_TOKEN", TOKEN)
    sso = {"X-GitHub-SSO": "partial-results; organizations=21955855,20582480"}
    timed_out = {**search_page([]), "incomplete_results": True}
    server.add("/search/issues", Reply(search_page([]), headers=sso),
               match=q("type:issue author:ada"))
    server.add("/search/issues", Reply(timed_out, headers=sso),
               match=q("type:issue assignee:ada"))
    serve_account(server)
    code, output = run(env, server)
    assert code == 0, output
    assert output.count("note: GitHub left out the results of 2 organization(s) "
                        "(id 21955855, 20582480) that use SAML single sign-on") == 1
    assert output.count("timed out and gave part of its results") == 1
    assert "type:issue assignee:ada is:closed" in output
    assert "https://github.com/acme/shop/pull/12" in github_entries(env)


def test_an_organization_refusing_for_sso_says_where_to_authorize(
        env: Env, server: ApiServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GH_ENTERPRISE_TOKEN", TOKEN)
    request = "https://github.com/orgs/acme/sso?authorization_request=A5BFBSECRET"
    server.add("/user", Reply({"message": "Resource protected by organization SAML "
                               "enforcement. You must grant your Personal Access token access "
                               "to this organization."}, status=403,
                              headers={"X-GitHub-SSO": f"required; url={request}"}))
    code, output = run(env, server)
    assert code == 2
    assert ("the organization uses SAML single sign-on and the token is not authorized for "
            "it: start a session at https://github.com/orgs/acme/sso,") in output
    assert "A5BFBSECRET" not in output
    assert github_entries(env) == {}


def test_without_a_token_or_user_the_import_explains(env: Env, server: ApiServer) -> None:
    code, output = run(env, server)
    assert code == 2
    assert ("no GitHub token for 127.0.0.1: set GH_ENTERPRISE_TOKEN or run `gh auth login "
            "--hostname 127.0.0.1`, or pass --user LOGIN for public data") in output
    assert server.requests == []


def test_a_github_com_token_is_never_sent_to_another_host(
        env: Env, server: ApiServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GH_TOKEN", "ghp_dotcom_a")
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_dotcom_b")
    code, output = run(env, server)
    assert code == 2 and "set GH_ENTERPRISE_TOKEN" in output
    assert server.requests == []
    serve_account(server)
    code, output = run(env, server, "--user", "ada")  # public data, without a token
    assert code == 0, output
    assert server.requests and all("Authorization" not in r.headers for r in server.requests)


@pytest.mark.parametrize("names", [("GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN"),
                                   ("GITHUB_ENTERPRISE_TOKEN",)])
def test_an_enterprise_host_takes_ghs_enterprise_tokens_in_order(
        env: Env, server: ApiServer, monkeypatch: pytest.MonkeyPatch,
        names: tuple[str, ...]) -> None:
    monkeypatch.setenv("GH_TOKEN", "ghp_dotcom")
    for name in names:
        monkeypatch.setenv(name, f"token_of_{name}")
    serve_account(server)
    assert run(env, server)[0] == 0
    sent = {r.headers.get("Authorization") for r in server.requests}
    assert sent == {f"Bearer token_of_{names[0]}"}


@pytest.mark.parametrize(("api_url", "variables", "expected"), [
    ("https://api.github.com", {"GH_TOKEN": "a", "GITHUB_TOKEN": "b"}, "a"),
    ("https://api.github.com", {"GITHUB_TOKEN": "b", "GH_ENTERPRISE_TOKEN": "e"}, "b"),
    ("https://api.acme.ghe.com", {"GH_TOKEN": "a", "GH_ENTERPRISE_TOKEN": "e"}, "a"),
    ("https://github.acme.com/api/v3", {"GH_TOKEN": "a", "GITHUB_TOKEN": "b"}, None),
    ("https://github.acme.com/api/v3", {"GITHUB_TOKEN": "b", "GITHUB_ENTERPRISE_TOKEN": "f"},
     "f"),
])
def test_the_token_is_the_one_gh_would_use_for_the_host(
        monkeypatch: pytest.MonkeyPatch, api_url: str, variables: dict[str, str],
        expected: str | None) -> None:
    """gh's precedence (`gh help environment`): GH_TOKEN then GITHUB_TOKEN for github.com and
    its *.ghe.com hosts, only the enterprise variables for an Enterprise Server host."""
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    token = find_token(api_url)
    assert (token.value if token else None) == expected


def test_bad_credentials_name_where_the_token_came_from(
        env: Env, server: ApiServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_ENTERPRISE_TOKEN", "expired")
    server.add("/user", Reply({"message": "Bad credentials"}, status=401))
    code, output = run(env, server)
    assert code == 2
    assert ("GitHub rejected the credentials (401): Bad credentials; the token came from "
            "GITHUB_ENTERPRISE_TOKEN: renew or unset it") in output
    assert "expired" not in output
    monkeypatch.delenv("GITHUB_ENTERPRISE_TOKEN")
    gh = tmp_path / "gh"
    gh.mkdir()
    (gh / "hosts.yml").write_text("127.0.0.1:\n    oauth_token: gho_old\n    user: ada\n")
    monkeypatch.setenv("GH_CONFIG_DIR", str(gh))
    code, output = run(env, server)
    assert code == 2
    assert ("; the token came from the gh CLI's login: run `gh auth login --hostname "
            "127.0.0.1`") in output


# --- offline: JSON saved with `gh api` ---------------------------------------------------


def test_saved_search_results_and_paginated_pulls(env: Env) -> None:
    result = invoke(env, "import", "github", str(FIXTURES / "search.json"),
                    "--from-file", str(FIXTURES / "pulls-paginated.json"), "--user", "ada")
    assert result.exit_code == 0, result.output
    entries = github_entries(env)
    assert set(entries) == {  # not pull/8, dependabot's
        "https://github.com/acme/shop/pull/12", "https://github.com/acme/shop/issues/30",
        "https://github.com/acme/web/pull/5", "https://github.com/acme/web/pull/6",
        "https://github.com/acme/web/pull/7"}
    assert entries["https://github.com/acme/web/pull/5"].kind == "win"
    assert entries["https://github.com/acme/web/pull/7"].kind == "plan"
    again = invoke(env, "import", "github", str(FIXTURES / "search.json"), "--user", "ada",
                   "--json")
    assert json.loads(again.stdout)["new"] == 0


def test_saved_file_honours_the_range_and_the_user(env: Env) -> None:
    result = invoke(env, "import", "github", str(FIXTURES / "pulls-paginated.json"),
                    "--since", "2026-04-01", "--user", "ada")
    assert result.exit_code == 0, result.output
    assert set(github_entries(env)) == {"https://github.com/acme/web/pull/7"}


def test_saved_reviews_become_one_entry_per_reviewed_pull_request(
    env: Env, tmp_path: Path
) -> None:
    reviews = tmp_path / "reviews.json"
    reviews.write_text(json.dumps([
        review("ada", "CHANGES_REQUESTED", "2026-04-11T09:00:00Z", "Please add a test."),
        review("bob", "APPROVED", "2026-04-12T09:00:00Z"),
        review("ada", "APPROVED", "2026-04-13T09:00:00Z"),
        review("ada", "COMMENTED", "2026-05-02T09:00:00Z", repo="acme/web", number=9),
        review("ada", "COMMENTED", "2026-05-03T09:00:00Z", repo="acme/web", number=5),
    ], indent=2))
    pulls = tmp_path / "pulls.json"
    pulls.write_text(json.dumps([
        pull("acme/api", 77, "Add rate limiting", user="sam", created="2026-04-10T08:00:00Z"),
        pull("acme/web", 5, "Ada's own change", created="2026-05-01T08:00:00Z"),
    ], indent=2))
    without_user = invoke(env, "import", "github", str(reviews))
    assert without_user.exit_code == 2
    assert f"{reviews}:2: saved reviews need --user LOGIN" in without_user.output
    result = invoke(env, "import", "github", str(reviews), str(pulls), "--user", "ada")
    assert result.exit_code == 0, result.output
    entries = github_entries(env)
    assert set(entries) == {"https://github.com/acme/api/pull/77#reviews",
                            "https://github.com/acme/web/pull/9#reviews",
                            "https://github.com/acme/web/pull/5"}  # hers: no review entry
    titled = entries["https://github.com/acme/api/pull/77#reviews"]
    assert (titled.title, titled.kind) == ("Reviewed: Add rate limiting", "mentoring")
    assert (str(titled.date), str(titled.end_date)) == ("2026-04-11", "2026-04-13")
    assert "by @sam: 2 reviews (approved, changes requested)" in titled.details
    bare = entries["https://github.com/acme/web/pull/9#reviews"]
    assert (bare.title, bare.kind) == ("Reviewed: acme/web#9", "other")
    assert bare.links == ["https://github.com/acme/web/pull/9"]
    again = invoke(env, "import", "github", str(reviews), str(pulls), "--user", "ada", "--json")
    assert json.loads(again.stdout)["new"] == 0


def test_bad_saved_files(env: Env, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('[\n  {"html_url": "https://github.com/a/b/pull/1",\n  oops\n]')
    result = invoke(env, "import", "github", str(broken))
    assert result.exit_code == 2
    assert f"{broken}:3: not valid JSON" in result.output
    odd = tmp_path / "odd.json"
    odd.write_text(json.dumps([pull("a/b", 1, "Fine", created="2026-03-01T00:00:00Z"),
                               {"title": "no url"}], indent=2))
    result = invoke(env, "import", "github", str(odd), "--user", "ada")
    assert result.exit_code == 2
    assert f"{odd}:" in result.output and "no html_url" in result.output
    assert github_entries(env) == {}
    result = invoke(env, "import", "github", str(odd), "--user", "ada", "--skip-bad")
    assert result.exit_code == 0, result.output
    assert "skipped" in result.output and len(github_entries(env)) == 1


def saved(path: Path, *pages: list[dict[str, object]]) -> Path:
    """``gh api --paginate`` output: one JSON array per page, back to back."""
    path.write_text("".join(json.dumps(page, indent=2) for page in pages))
    return path


def test_a_saved_file_is_only_read_as_the_users_work(env: Env, tmp_path: Path) -> None:
    mixed = saved(tmp_path / "pulls.json", [
        pull("acme/shop", 812, "Cache checkout totals", created="2026-03-01T17:00:00Z"),
        pull("acme/shop", 814, "Bob's refactor", user="bob", created="2026-03-06T10:00:00Z")])
    result = invoke(env, "import", "github", str(mixed), "--skip-bad")
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"levelup: error: {mixed}:2: saved pull requests and issues need --user LOGIN to tell "
        "yours from others' (here by ada, bob)"]
    assert github_entries(env) == {}
    # one author is no proof either: a file of Bob's pull requests is not Ada's work
    bobs = saved(tmp_path / "bob.json", [
        pull("acme/shop", 814, "Bob's refactor", user="bob", created="2026-03-06T10:00:00Z")])
    assert invoke(env, "import", "github", str(bobs)).exit_code == 2
    assert invoke(env, "import", "github", str(mixed), "--user", "ada").exit_code == 0
    assert set(github_entries(env)) == {"https://github.com/acme/shop/pull/812"}


def test_a_saved_file_is_read_as_the_gh_cli_users(env: Env, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    gh = tmp_path / "gh"
    gh.mkdir()
    (gh / "hosts.yml").write_text("github.com:\n    oauth_token: gho_x\n    user: Bob\n")
    monkeypatch.setenv("GH_CONFIG_DIR", str(gh))
    mixed = saved(tmp_path / "pulls.json", [
        pull("acme/shop", 812, "Cache checkout totals", created="2026-03-01T17:00:00Z"),
        pull("acme/shop", 814, "Bob's refactor", user="bob", created="2026-03-06T10:00:00Z")])
    result = invoke(env, "import", "github", str(mixed))
    assert result.exit_code == 0, result.output
    assert set(github_entries(env)) == {"https://github.com/acme/shop/pull/814"}


def test_github_times_are_dated_on_the_local_clock(
    env: Env, tmp_path: Path, clock_zone: Callable[[str], None]
) -> None:
    clock_zone("America/Los_Angeles")
    pulls = saved(tmp_path / "pulls.json", [
        pull("acme/shop", 812, "Cache checkout totals", created="2026-03-01T07:00:00Z",
             merged="2026-03-03T02:30:00Z", closed="2026-03-03T02:30:00Z"),
        pull("acme/api", 77, "Add rate limiting", user="sam", created="2026-04-10T08:00:00Z")])
    reviews = saved(tmp_path / "reviews.json", [
        review("ada", "APPROVED", "2026-04-11T03:00:00Z")])
    result = invoke(env, "import", "github", str(pulls), str(reviews), "--user", "ada")
    assert result.exit_code == 0, result.output
    entries = github_entries(env)
    merged = entries["https://github.com/acme/shop/pull/812"]
    assert (str(merged.date), str(merged.end_date)) == ("2026-02-28", "2026-03-02")
    assert "merged on 2026-03-02" in merged.details
    assert str(entries["https://github.com/acme/api/pull/77#reviews"].date) == "2026-04-10"


def test_a_bad_item_of_paginated_output_names_its_own_line(env: Env, tmp_path: Path) -> None:
    broken = {"html_url": "https://github.com/acme/shop/pull/816", "number": 816,
              "title": "Broken", "created_at": "not-a-date", "user": {"login": "ada"}}
    path = saved(tmp_path / "pulls.json",
                 [pull("acme/shop", 812, "Cache", created="2026-03-01T17:00:00Z")],
                 [pull("acme/shop", 815, "Idea", created="2026-04-01T10:00:00Z"), broken])
    lines = path.read_text().splitlines()
    start = lines.index('  {', lines.index('][') + 2) + 1  # the second item of page two
    assert '"pull/816"' not in lines[start - 1] and "pull/816" in lines[start]
    result = invoke(env, "import", "github", str(path), "--user", "ada")
    assert result.exit_code == 2
    assert f"{path}:{start}: unreadable field" in result.output
