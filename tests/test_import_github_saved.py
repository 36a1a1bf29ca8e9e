"""`levelup import github FILE…`: the shapes `gh api` saves that are easy to get wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from levelup.cli.common import Env
from levelup.store.entries import list_entries
from tests.conftest import invoke
from tests.utils.github_data import review, search_item, search_page

API = "https://api.github.com"
FIXTURES = Path(__file__).parent / "fixtures" / "github"


@pytest.fixture(autouse=True)
def no_gh_login(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GH_CONFIG_DIR", str(tmp_path / "no-gh"))


def github_ids(env: Env) -> set[str]:
    with env.ctx.read() as conn:
        return {e.source_id or "" for e in list_entries(conn, source="github")}


def merged_pr(number: int) -> dict[str, object]:
    return search_item(API, "acme/web", number, f"Change {number}", pr=True,
                       created="2026-03-02T09:00:00Z", merged="2026-03-03T09:00:00Z",
                       closed="2026-03-03T09:00:00Z")


def test_an_empty_list_or_search_imports_nothing_and_the_other_files_import(
        env: Env, tmp_path: Path) -> None:
    """`gh api .../reviews` of a pull request nobody reviewed saves [], a search that finds
    nothing saves no items: neither is an error, and the other files import."""
    reviewed = tmp_path / "reviews7.json"
    reviewed.write_text(json.dumps([review("ada", "APPROVED", "2026-03-10T12:00:00Z",
                                           repo="acme/web", number=7)]))
    unreviewed = tmp_path / "reviews8.json"
    unreviewed.write_text("[]\n")
    no_results = tmp_path / "search.json"
    no_results.write_text(json.dumps(search_page([])))
    no_pages = tmp_path / "slurped.json"
    no_pages.write_text("[[], []]")
    result = invoke(env, "import", "github", str(reviewed), str(unreviewed), str(no_results),
                    str(no_pages), "--user", "ada")
    assert result.exit_code == 0, result.output
    assert github_ids(env) == {"https://github.com/acme/web/pull/7#reviews"}


def test_slurped_search_pages_are_read_page_by_page(env: Env, tmp_path: Path) -> None:
    """`gh api --paginate --slurp search/issues?q=…` saves one array of result pages."""
    broken = {**merged_pr(4), "created_at": "not-a-date"}
    path = tmp_path / "slurped.json"
    path.write_text(json.dumps([search_page([merged_pr(1), merged_pr(2)], total=4),
                                search_page([merged_pr(3), broken], total=4)], indent=2))
    result = invoke(env, "import", "github", str(path), "--user", "ada")
    assert result.exit_code == 2
    lines = path.read_text().splitlines()
    start = lines.index('        "html_url": "https://github.com/acme/web/pull/4",') - 2
    assert lines[start - 1] == "      {" and f"{path}:{start}: unreadable field" in result.output
    result = invoke(env, "import", "github", str(path), "--user", "ada", "--skip-bad")
    assert result.exit_code == 0, result.output
    assert github_ids(env) == {f"https://github.com/acme/web/pull/{n}" for n in (1, 2, 3)}


@pytest.mark.parametrize(("name", "line"), [("gh-pr-list.json", 2), ("gh-pr-view.json", 1)])
def test_gh_json_output_is_named_for_what_it_is(env: Env, tmp_path: Path, name: str,
                                                line: int) -> None:
    """`gh pr list --json …` and `gh search prs --json …` write gh's own field names, not
    the REST API's: one line says so and how to save what levelup reads."""
    listed = json.loads((FIXTURES / "gh-pr-list.json").read_text())
    path = tmp_path / name
    path.write_text(json.dumps(listed if line == 2 else listed[0], indent=2))
    result = invoke(env, "import", "github", str(path), "--user", "ada", "--skip-bad")
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"levelup: error: {path}:{line}: this is `gh pr list`/`gh search --json` output, which "
        "levelup does not read: save with `gh api --paginate "
        "'search/issues?q=type:pr+author:LOGIN'` instead (see README)"]
    assert github_ids(env) == set()


def test_issues_saved_from_the_2012_api_are_issues(env: Env, tmp_path: Path) -> None:
    """The API of 2012-13 put a "pull_request" with null links on every issue."""
    old = search_item(API, "acme/web", 12, "Crash on empty cart", created="2013-03-02T09:00:00Z",
                      closed="2013-03-04T09:00:00Z")
    old["pull_request"] = {"html_url": None, "diff_url": None, "patch_url": None}
    path = tmp_path / "issues.json"
    path.write_text(json.dumps([old, merged_pr(13)]))
    result = invoke(env, "import", "github", str(path), "--user", "ada", "--since", "2013-01-01")
    assert result.exit_code == 0, result.output
    with env.ctx.read() as conn:
        details = {e.source_id: e.details for e in list_entries(conn, source="github")}
    assert details["https://github.com/acme/web/issues/12"].startswith("Issue acme/web#12")
    assert details["https://github.com/acme/web/pull/13"].startswith("Pull request acme/web#13")
