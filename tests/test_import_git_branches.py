"""Work in progress on branches, and a history that changes under the importer.

A branch that is not on the main line yet is one entry; once its work lands on the main line
(merged, squashed, rebased) or the branch is deleted, that entry goes away, so no work is
counted twice. File ownership follows the main line, whichever branch is checked out.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from levelup.cli.common import Env
from levelup.store.entries import list_entries
from tests.conftest import invoke
from tests.test_import_git import git_entries, ownership_count, run
from tests.utils.github_data import pull
from tests.utils.gitrepo import BOB, GitRepo


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    """A main line with one day of work and Bob's change, and a branch checked out."""
    repo = GitRepo(tmp_path / "proj")
    repo.commit("Add parser", {"src/parser.py": "a\nb\n"}, day="2026-03-02")
    repo.commit("Bob's docs", {"docs/bob.md": "b\n"}, day="2026-03-03", author=BOB)
    repo.git("checkout", "-q", "-b", "feature/search")
    repo.commit("Search box", {"web/search.py": "1\n2\n"}, day="2026-03-04")
    repo.commit("Search ranking", {"web/rank.py": "r\n"}, day="2026-03-05")
    return repo


def merge_pr_9(repo: GitRepo) -> None:
    """Merge feature/search into the checked-out branch as GitHub's pull request #9."""
    repo.merge("feature/search", "Merge pull request #9 from ada/feature/search\n\nSearch",
               day="2026-03-07")


def saved_pulls(folder: Path, *more: dict[str, Any]) -> Path:
    """`gh api` output holding pull request #9, merged, and ``more``."""
    saved = folder / "pulls.json"
    saved.write_text(json.dumps([
        pull("acme/proj", 9, "Search box", created="2026-03-04T09:00:00Z",
             merged="2026-03-07T09:00:00Z", closed="2026-03-07T09:00:00Z"), *more]))
    return saved


def from_saved(env: Env, saved: Path) -> dict[str, Any]:
    """`levelup import github` of a saved file, as Ada; its JSON summary."""
    result = invoke(env, "import", "github", str(saved), "--user", "ada", "--json")
    assert result.exit_code == 0, result.output
    summary: dict[str, Any] = json.loads(result.stdout)
    return summary


def test_the_checked_out_branch_is_one_entry_in_progress(env: Env, repo: GitRepo) -> None:
    summary = run(env, str(repo.path))
    entries = git_entries(env)
    assert set(entries) == {"2026-03-02:src", "branch:feature/search"}
    assert summary["new"] == 2 and summary["removed"] == 0
    branch = entries["branch:feature/search"]
    assert branch.title == "feature/search: Search box (+1 more commit)"
    assert "On branch feature/search, not on the main line yet." in branch.details
    assert "2 commits" in branch.details and "+3 -0 lines" in branch.details
    # the branch grows: its entry is rewritten whole
    repo.commit("Search paging", {"web/page.py": "p\n"}, day="2026-03-06")
    again = run(env, str(repo.path))
    assert (again["new"], again["updated"], again["removed"]) == (0, 1, 0)
    assert "3 commits" in git_entries(env)["branch:feature/search"].details


def test_a_merged_branch_gives_way_to_its_pull_request(env: Env, repo: GitRepo) -> None:
    run(env, str(repo.path))
    repo.git("checkout", "-q", "main")
    merge_pr_9(repo)
    summary = run(env, str(repo.path))
    entries = git_entries(env)
    assert set(entries) == {"2026-03-02:src", "pr:9"}
    assert summary["removed"] == 1 and summary["new"] == 1
    assert "2 commits" in entries["pr:9"].details
    assert run(env, str(repo.path))["removed"] == 0  # the branch is no longer tracked


def test_a_branch_left_open_is_still_followed_from_another_branch(
    env: Env, repo: GitRepo
) -> None:
    run(env, str(repo.path))
    repo.git("checkout", "-q", "main")
    repo.git("checkout", "-q", "-b", "fix/typo")
    repo.commit("Fix typo", {"src/parser.py": "a\nc\n"}, day="2026-03-08")
    summary = run(env, str(repo.path))
    assert summary["removed"] == 0
    assert {"branch:feature/search", "branch:fix/typo"} <= set(git_entries(env))


def test_a_squashed_branch_is_retracted(env: Env, repo: GitRepo) -> None:
    run(env, str(repo.path))
    repo.git("checkout", "-q", "main")
    repo.commit("Bob again", {"docs/more.md": "m\n"}, day="2026-03-06", author=BOB)
    repo.git("merge", "-q", "--squash", "feature/search")
    repo.commit("Search (#12)", {}, day="2026-03-07")
    summary = run(env, str(repo.path))
    assert summary["removed"] == 1
    assert set(git_entries(env)) == {"2026-03-02:src", "pr:12"}


def test_a_branch_squashed_with_its_conflicts_resolved_is_retracted(
    env: Env, repo: GitRepo
) -> None:
    """The patch changed on the way in, so only GitHub's squash message says it landed."""
    run(env, str(repo.path))
    repo.git("checkout", "-q", "main")
    repo.commit("Bob's search stub", {"web/search.py": "0\n"}, day="2026-03-06", author=BOB)
    repo.commit("Search (#12)\n\n* Search box\n\n* Search ranking",
                {"web/search.py": "0\n1\n2\n", "web/rank.py": "r\n"}, day="2026-03-07")
    summary = run(env, str(repo.path))
    assert summary["removed"] == 1
    assert "branch:feature/search" not in git_entries(env)


def test_a_commit_that_names_only_part_of_a_branch_does_not_close_it(
    env: Env, repo: GitRepo
) -> None:
    run(env, str(repo.path))
    repo.git("checkout", "-q", "main")
    repo.commit("Search box (#12)", {"web/search.py": "other\n"}, day="2026-03-07")
    assert run(env, str(repo.path))["removed"] == 0
    assert "branch:feature/search" in git_entries(env)


def test_a_rebased_branch_is_retracted(env: Env, repo: GitRepo) -> None:
    run(env, str(repo.path))
    repo.git("checkout", "-q", "main")
    repo.commit("Bob again", {"docs/more.md": "m\n"}, day="2026-03-06", author=BOB)
    for sha in repo.git("rev-list", "--reverse", "main..feature/search").split():
        repo.git("cherry-pick", sha, day="2026-03-07")
    summary = run(env, str(repo.path))
    assert summary["removed"] == 1
    assert "branch:feature/search" not in git_entries(env)


def test_a_changed_branch_that_did_not_land_stays(env: Env, repo: GitRepo) -> None:
    run(env, str(repo.path))
    repo.git("checkout", "-q", "main")
    repo.git("cherry-pick", "feature/search~1", day="2026-03-07")  # only one of the two
    assert run(env, str(repo.path))["removed"] == 0
    assert "branch:feature/search" in git_entries(env)


def test_a_deleted_branch_is_retracted_unless_the_user_added_to_it(
    env: Env, repo: GitRepo
) -> None:
    run(env, str(repo.path))
    branch = git_entries(env)["branch:feature/search"]
    assert invoke(env, "stakeholder", "add", "Grace", "-r", "manager").exit_code == 0
    assert invoke(env, "tell", "Grace", str(branch.id), "--via", "1:1").exit_code == 0
    repo.git("checkout", "-q", "main")
    repo.git("branch", "-q", "-D", "feature/search")
    summary = run(env, str(repo.path))
    assert summary["removed"] == 0
    assert summary["kept"] == [{"where": f"entry {branch.id} {branch.title!r}",
                                "reason": "no longer stands, kept because you added to it"}]
    assert "branch:feature/search" in git_entries(env)
    # an untouched one goes
    repo.git("checkout", "-q", "-b", "spike")
    repo.commit("Try a cache", {"cache.py": "c\n"}, day="2026-03-09")
    run(env, str(repo.path))
    repo.git("checkout", "-q", "main")
    repo.git("branch", "-q", "-D", "spike")
    assert run(env, str(repo.path))["removed"] == 1
    assert "branch:spike" not in git_entries(env)
    # the main line's file in src/, counted once (Bob's docs/ is no folder of Ada's)
    assert ownership_count(env) == 1


def test_dry_run_retracts_nothing(env: Env, repo: GitRepo) -> None:
    run(env, str(repo.path))
    repo.git("checkout", "-q", "main")
    repo.git("branch", "-q", "-D", "feature/search")
    dry = run(env, str(repo.path), "--dry-run")
    assert dry["removed"] == 1
    assert dry["changes"] == [{"change": "removed", "record": "entry", "date": "2026-03-04",
                               "title": "feature/search: Search box (+1 more commit)"}]
    assert "branch:feature/search" in git_entries(env)
    result = invoke(env, "import", "git", str(repo.path))
    assert result.exit_code == 0 and "1 removed" in result.output


def test_a_local_main_left_behind_uses_origin(env: Env, repo: GitRepo, tmp_path: Path) -> None:
    repo.git("checkout", "-q", "main")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(repo.path), str(clone)], check=True,
                   capture_output=True)
    repo.commit("More parsing", {"src/parser.py": "a\nb\nc\n"}, day="2026-03-10")
    mine = GitRepo.open(clone)
    mine.git("fetch", "-q")
    mine.git("checkout", "-q", "-b", "topic", "origin/main")  # local main stays behind
    mine.commit("Topic work", {"topic.py": "t\n"}, day="2026-03-11")
    run(env, str(clone), "--author", "ada@example.com")
    entries = git_entries(env)
    assert {"2026-03-02:src", "2026-03-10:src", "branch:topic"} == set(entries)
    assert "1 commit " in entries["branch:topic"].details


def test_ownership_follows_the_main_line_and_survives_a_rewrite(
    env: Env, repo: GitRepo
) -> None:
    run(env, str(repo.path))
    # the main line's commit in src/, not the branch's (nor Bob's docs/, where Ada never was)
    assert ownership_count(env) == 1
    repo.git("checkout", "-q", "main")
    run(env, str(repo.path))
    assert ownership_count(env) == 1  # switching branches counts nothing twice
    repo.git("commit", "-q", "--amend", "-m", "Bob's docs, reworded", day="2026-03-03",
             author=BOB)  # history rewritten
    run(env, str(repo.path))
    assert ownership_count(env) == 1


def test_two_clones_of_one_repository_share_its_ownership(
    env: Env, repo: GitRepo, tmp_path: Path
) -> None:
    repo.git("checkout", "-q", "main")
    clones = [tmp_path / "a", tmp_path / "b"]
    for clone in clones:
        subprocess.run(["git", "clone", "-q", str(repo.path), str(clone)], check=True,
                       capture_output=True)
    run(env, *map(str, clones), "--author", "ada@example.com")
    assert ownership_count(env) == 1  # not once per clone (Bob's docs/ is not Ada's code)
    repo.commit("More parsing", {"src/parser.py": "a\nb\nc\n"}, day="2026-03-10")
    for clone in clones:
        GitRepo.open(clone).git("pull", "-q", "--ff-only")
        run(env, str(clone), "--author", "ada@example.com")
    assert ownership_count(env) == 2
    assert "2026-03-10:src" in git_entries(env)


def test_worktrees_of_one_repository_follow_the_same_branches(
    env: Env, repo: GitRepo, tmp_path: Path
) -> None:
    repo.git("checkout", "-q", "main")
    tree = tmp_path / "spike-tree"
    repo.git("worktree", "add", "-q", "-b", "spike", str(tree))
    GitRepo.open(tree).commit("Try a cache", {"cache.py": "c\n"}, day="2026-03-09")
    run(env, str(tree))
    assert "branch:spike" in git_entries(env)
    repo.git("worktree", "remove", str(tree))
    repo.git("branch", "-q", "-D", "spike")
    # imported from the main checkout, the branch the worktree held is known to be gone
    assert run(env, str(repo.path))["removed"] == 1
    assert "branch:spike" not in git_entries(env)
    # the main line's file in src/, counted once (Bob's docs/ is no folder of Ada's)
    assert ownership_count(env) == 1


def test_merging_the_main_line_in_keeps_a_branch_in_progress(env: Env, repo: GitRepo) -> None:
    repo.git("checkout", "-q", "main")
    repo.commit("Bob's fix", {"docs/fix.md": "f\n"}, day="2026-03-06", author=BOB)
    repo.git("checkout", "-q", "feature/search")
    repo.merge("main", "Merge branch 'main' into feature/search", day="2026-03-07")
    run(env, str(repo.path))
    assert set(git_entries(env)) == {"2026-03-02:src", "branch:feature/search"}


def test_a_develop_branch_that_takes_in_other_branches_is_the_main_line(
    env: Env, repo: GitRepo
) -> None:
    repo.git("checkout", "-q", "-b", "develop", "main")
    merge_pr_9(repo)
    repo.commit("Tidy develop", {"src/tidy.py": "t\n"}, day="2026-03-08")
    run(env, str(repo.path))
    # main is stale: develop is where work lands, so its merges are work items as usual
    assert set(git_entries(env)) == {"2026-03-02:src", "pr:9", "2026-03-08:src"}


# GitHub's names ignore letter case: a remote may spell them otherwise than the API does.
SPELLINGS = pytest.mark.parametrize("slug", ["acme/proj", "Acme/PROJ"])


@SPELLINGS
def test_a_pull_request_from_git_and_from_github_is_one_entry(
    env: Env, repo: GitRepo, tmp_path: Path, slug: str
) -> None:
    repo.git("remote", "add", "origin", f"git@github.com:{slug}.git")
    repo.git("checkout", "-q", "main")
    merge_pr_9(repo)
    saved = saved_pulls(tmp_path, pull("acme/proj", 10, "Search paging",
                                       created="2026-03-08T09:00:00Z"))
    # git first: GitHub adds only the pull request git did not see
    assert run(env, str(repo.path))["new"] == 2
    from_github = from_saved(env, saved)
    assert (from_github["new"], from_github["duplicates"]) == (1, 1)
    with env.ctx.read() as conn:
        sources = sorted((e.source, e.title) for e in list_entries(conn))
    assert sources == [("git", "Add parser"), ("git", "Search (#9)"),
                       ("github", "Search paging")]
    again = from_saved(env, saved)
    assert (again["new"], again["duplicates"]) == (0, 1)


@SPELLINGS
def test_a_pull_request_from_github_first_is_not_added_again_from_git(
    env: Env, repo: GitRepo, tmp_path: Path, slug: str
) -> None:
    repo.git("remote", "add", "origin", f"https://github.com/{slug}.git")
    repo.git("checkout", "-q", "main")
    merge_pr_9(repo)
    saved = saved_pulls(tmp_path)
    from_saved(env, saved)
    summary = run(env, str(repo.path))
    assert (summary["new"], summary["duplicates"]) == (1, 1)
    assert set(git_entries(env)) == {"2026-03-02:src"}
