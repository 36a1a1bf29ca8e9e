"""The shapes of real public histories, built with git: work reaching the main line through
long-lived branches (maintenance, git-flow develop and release, a `git pull`, a foxtrot merge)
is split into the pull requests and topics merged on them, never one entry titled by the
branch; topic merges carry their description."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from levelup.cli.common import Env
from levelup.store.entries import list_entries
from tests.test_import_git import git_entries, run
from tests.test_import_git_branches import from_saved
from tests.utils.github_data import pull
from tests.utils.gitrepo import BOB, GitRepo


@pytest.fixture(autouse=True)
def no_gh_login(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GH_CONFIG_DIR", str(tmp_path / "no-gh"))


def start(tmp_path: Path) -> GitRepo:
    repo = GitRepo(tmp_path / "proj")
    repo.commit("Initial layout", {"src/app.py": "a\n"}, day="2026-03-01", author=BOB)
    return repo


def pr_branch(repo: GitRepo, base: str, name: str, commits: list[tuple[str, str, str]]) -> None:
    """A topic branch off ``base`` with ``commits`` (subject, file, day) by Ada."""
    repo.git("checkout", "-q", "-b", name, base)
    for subject, path, day in commits:
        repo.commit(subject, {path: f"{subject}\n"}, day=day)


def titles(env: Env) -> list[str]:
    return sorted(entry.title for entry in git_entries(env).values())


def maintenance_history(tmp_path: Path) -> GitRepo:
    """flask's shape: PRs merged into 2.0.x, a release commit on it, 2.0.x merged into main
    twice (once by name, once as a pull request from the project's own branch)."""
    repo = start(tmp_path)
    repo.git("branch", "2.0.x")
    pr_branch(repo, "2.0.x", "fix-cookie", [("Fix cookie path", "src/cookie.py", "2026-03-02"),
                                           ("Test cookie path, closes #2713",
                                            "tests/test_cookie.py", "2026-03-02")])
    repo.git("checkout", "-q", "2.0.x")
    repo.merge("fix-cookie", "Merge pull request #11 from ada/fix-cookie\n\nFix the cookie path",
               day="2026-03-03")
    repo.commit("Release 2.0.1", {"CHANGES.rst": "2.0.1\n"}, day="2026-03-04")
    repo.git("checkout", "-q", "main")
    repo.commit("Bob's feature", {"src/feature.py": "f\n"}, day="2026-03-04", author=BOB)
    repo.merge("2.0.x", "Merge branch '2.0.x'", day="2026-03-05")
    pr_branch(repo, "2.0.x", "fix-json", [("Fix JSON dates", "src/json.py", "2026-03-06")])
    repo.git("checkout", "-q", "2.0.x")
    repo.merge("fix-json", "Merge pull request #12 from ada/fix-json\n\nFix JSON dates",
               day="2026-03-07")
    repo.git("checkout", "-q", "main")
    repo.merge("2.0.x", "Merge pull request #13 from pallets/2.0.x\n\n2.0.2", day="2026-03-08")
    return repo


def test_pull_requests_merged_into_a_maintenance_branch_are_entries(
    env: Env, tmp_path: Path
) -> None:
    repo = maintenance_history(tmp_path)
    run(env, str(repo.path))
    entries = git_entries(env)
    assert set(entries) == {"pr:11", "pr:12", "2026-03-04:(root)"}
    assert entries["pr:11"].title == "Fix the cookie path (#11)"
    assert "2 commits" in entries["pr:11"].details
    assert entries["2026-03-04:(root)"].title == "Release 2.0.1"
    assert not any("2.0.x" in title for title in titles(env))
    # "closes #2713" is an issue mentioned, not a pull request of the entry
    assert "Pull requests: #11." in entries["pr:11"].details
    assert "Mentions: #2713." in entries["pr:11"].details
    assert all("/pull/2713" not in link for link in entries["pr:11"].links)


def test_pull_requests_from_github_after_git_are_not_counted_twice(
    env: Env, tmp_path: Path
) -> None:
    repo = maintenance_history(tmp_path)
    repo.git("remote", "add", "origin", "git@github.com:acme/proj.git")
    run(env, str(repo.path))
    saved = tmp_path / "pulls.json"
    saved.write_text(json.dumps([
        pull("acme/proj", number, title, created="2026-03-02T09:00:00Z",
             merged="2026-03-07T09:00:00Z", closed="2026-03-07T09:00:00Z")
        for number, title in ((11, "Fix the cookie path"), (12, "Fix JSON dates"))]))
    summary = from_saved(env, saved)
    assert (summary["new"], summary["duplicates"]) == (0, 2)
    with env.ctx.read() as conn:
        assert len(list_entries(conn)) == 3


def test_git_flow_develop_and_release_branches_are_split_into_features(
    env: Env, tmp_path: Path
) -> None:
    repo = start(tmp_path)
    repo.git("branch", "develop")
    pr_branch(repo, "develop", "feature/search", [("Search box", "web/search.py", "2026-03-02"),
                                                  ("Search ranking", "web/rank.py",
                                                   "2026-03-03")])
    repo.git("checkout", "-q", "develop")
    repo.merge("feature/search", "Merge branch 'feature/search' into develop", day="2026-03-04")
    pr_branch(repo, "develop", "feature/export", [("CSV export", "web/export.py",
                                                   "2026-03-05")])
    repo.git("checkout", "-q", "develop")
    repo.commit("Bob's fix on develop", {"web/fix.py": "x\n"}, day="2026-03-05", author=BOB)
    repo.merge("feature/export", "Merge branch 'feature/export' into develop", day="2026-03-06")
    repo.git("checkout", "-q", "-b", "release/1.0", "develop")
    repo.commit("Bump version to 1.0", {"VERSION": "1.0\n"}, day="2026-03-07")
    repo.git("checkout", "-q", "main")
    repo.merge("release/1.0", "Merge branch 'release/1.0'", day="2026-03-08")
    run(env, str(repo.path))
    entries = git_entries(env)
    topics = {e.title for e in entries.values() if e.title.startswith("feature/")}
    assert topics == {"feature/search", "feature/export"}
    search = next(e for e in entries.values() if e.title == "feature/search")
    assert "2 commits" in search.details
    assert "2026-03-07:(root)" in entries  # the release's own commit, a day's work
    assert not any("release/1.0" in t or "develop" in t for t in titles(env))


def test_pull_requests_brought_in_by_a_git_pull_are_entries(env: Env, tmp_path: Path) -> None:
    """requests' shape: a colleague's `git pull` brings PR merges in on its side parent."""
    repo = start(tmp_path)
    repo.git("branch", "origin-main")
    pr_branch(repo, "origin-main", "retries", [("Retry on reset", "src/retry.py", "2026-03-02")])
    repo.git("checkout", "-q", "origin-main")
    repo.merge("retries", "Merge pull request #5 from ada/retries\n\nRetry on connection reset",
               day="2026-03-03")
    repo.commit("Ada's direct fix", {"docs/index.md": "d\n"}, day="2026-03-03")
    repo.git("checkout", "-q", "main")
    repo.commit("Bob's local change", {"src/bob.py": "b\n"}, day="2026-03-03", author=BOB)
    repo.git("merge", "-q", "--no-ff", "origin-main", "-m",
             "Merge branch 'main' of github.com:acme/proj", day="2026-03-04", author=BOB)
    run(env, str(repo.path))
    entries = git_entries(env)
    assert set(entries) == {"pr:5", "2026-03-03:docs"}
    assert entries["pr:5"].title == "Retry on connection reset (#5)"


def test_a_foxtrot_merge_does_not_swallow_the_pull_requests(env: Env, tmp_path: Path) -> None:
    """A stale local main merged with origin's: origin's main line is the side parent."""
    repo = start(tmp_path)
    repo.git("branch", "origin-main")
    for number, day in ((21, "2026-03-02"), (22, "2026-03-03")):
        pr_branch(repo, "origin-main", f"topic{number}",
                  [(f"Change {number}", f"src/c{number}.py", day)])
        repo.git("checkout", "-q", "origin-main")
        repo.merge(f"topic{number}", f"Merge pull request #{number} from ada/topic{number}\n\n"
                   f"Change {number}", day=day)
    repo.git("checkout", "-q", "main")
    repo.commit("Local tweak", {"src/local.py": "l\n"}, day="2026-03-04")
    repo.merge("origin-main", "Merge branch 'main' of github.com:acme/proj into main",
               day="2026-03-04")
    run(env, str(repo.path))
    assert set(git_entries(env)) == {"pr:21", "pr:22", "2026-03-04:src"}


def test_topic_merges_carry_their_description(env: Env, tmp_path: Path) -> None:
    """git.git's shape: topics merged into maint, maint merged into master; each merge
    message has a paragraph about the topic and git's list of its commits."""
    repo = start(tmp_path)
    repo.git("branch", "maint")
    pr_branch(repo, "maint", "ad/parser-leak", [("parser: free the token buffer",
                                                 "src/parser.c", "2026-03-02")])
    repo.git("checkout", "-q", "maint")
    repo.merge("ad/parser-leak", "Merge branch 'ad/parser-leak' into maint\n\n"
               "The parser leaked its token buffer on every error path.\n\n"
               "* ad/parser-leak:\n  parser: free the token buffer\n\n"
               "Signed-off-by: Bob <bob@example.com>", day="2026-03-03")
    pr_branch(repo, "maint", "ad/doc-typo", [("doc: fix a typo", "Documentation/a.txt",
                                              "2026-03-04")])
    repo.git("checkout", "-q", "maint")
    repo.merge("ad/doc-typo", "Merge branch 'ad/doc-typo' into maint", day="2026-03-05")
    repo.git("checkout", "-q", "main")
    repo.merge("maint", "Merge branch 'maint'\n\n* maint:\n  Merge branch 'ad/doc-typo'",
               day="2026-03-06")
    run(env, str(repo.path))
    entries = {e.title: e for e in git_entries(env).values()}
    assert set(entries) == {"ad/parser-leak", "ad/doc-typo"}
    details = entries["ad/parser-leak"].details
    assert "The parser leaked its token buffer on every error path." in details
    assert "* ad/parser-leak:" not in details and "Signed-off-by" not in details


def test_a_feature_branch_that_merged_main_stays_one_pull_request(
    env: Env, tmp_path: Path
) -> None:
    repo = start(tmp_path)
    pr_branch(repo, "main", "search", [("Search box", "web/search.py", "2026-03-02")])
    repo.git("checkout", "-q", "main")
    repo.commit("Bob's change", {"src/bob.py": "b\n"}, day="2026-03-03", author=BOB)
    repo.git("checkout", "-q", "search")
    repo.merge("main", "Merge branch 'main' into search", day="2026-03-04")
    repo.commit("Search ranking", {"web/rank.py": "r\n"}, day="2026-03-05")
    repo.git("checkout", "-q", "main")
    repo.merge("search", "Merge pull request #9 from ada/search\n\nSearch", day="2026-03-06")
    run(env, str(repo.path))
    entries = git_entries(env)
    assert set(entries) == {"pr:9"}
    assert "2 commits" in entries["pr:9"].details


def test_a_split_branch_imported_with_since_keeps_each_pull_request_whole(
    env: Env, tmp_path: Path
) -> None:
    repo = maintenance_history(tmp_path)
    run(env, str(repo.path), "--since", "2026-03-06")
    entries = git_entries(env)
    assert set(entries) == {"pr:12"}


def test_the_ownership_pass_reads_only_the_users_folders(env: Env, tmp_path: Path) -> None:
    """Who else changed the user's code is read; every other author's work elsewhere is not,
    and a file of the user's deleted since is no single point of failure."""
    from levelup.store.ownership import path_owners

    repo = start(tmp_path)  # Bob's src/app.py
    repo.commit("Parser", {"src/parser.py": "p\n", "tools/old.sh": "o\n"}, day="2026-03-02")
    repo.commit("Bob's docs", {"docs/guide.md": "g\n"}, day="2026-03-03", author=BOB)
    repo.commit("Bob's parser fix", {"src/parser.py": "p2\n"}, day="2026-03-04", author=BOB)
    repo.git("rm", "-q", "tools/old.sh")
    repo.commit("Drop the old script", {}, day="2026-03-05")
    run(env, str(repo.path))
    with env.ctx.read() as conn:
        owners = {o.path: o.authors for o in path_owners(conn, since=date(2025, 11, 20))}
    assert owners == {"src/parser.py": {"ada@example.com": 1, "bob@example.com": 1},
                      "src/app.py": {"bob@example.com": 1}}
