"""`levelup import git`: whom the history is read for, periods that cut work items, and git
failing part way. Real repositories, on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import delete

from levelup.cli.common import Env
from levelup.settings import load
from levelup.store.tables import import_state
from tests.conftest import TODAY, invoke
from tests.test_import_git import git_entries, ownership_count, run
from tests.utils.gitrepo import BOB, GitRepo

OLD = ("Ada", "ada@old-laptop.local")


@pytest.fixture(autouse=True)
def no_gh_login(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GH_CONFIG_DIR", str(tmp_path / "no-gh"))


def long_branch(path: Path) -> GitRepo:
    """A pull request whose commits span October and November, merged on 21 November."""
    repo = GitRepo(path)
    repo.commit("Base", {"base.txt": "b\n"}, day="2026-09-01")
    repo.git("checkout", "-q", "-b", "feature/long")
    for day in ("2026-10-01", "2026-10-20", "2026-11-20"):
        repo.commit(f"Long work {day}", {f"long/{day}.txt": f"{day}\n"}, day=day)
    repo.git("checkout", "-q", "main")
    repo.commit("Bob's fix", {"bob.txt": "x\n"}, day="2026-10-05", author=BOB)
    repo.merge("feature/long", "Merge pull request #42 from ada/feature/long\n\nLong feature",
               day="2026-11-21")
    return repo


def commits_of(env: Env, key: str) -> str:
    return git_entries(env)[key].details.splitlines()[0]


def test_a_first_import_as_nobody_says_who_the_authors_are_and_hides_nothing(
    env: Env, tmp_path: Path
) -> None:
    repo = GitRepo(tmp_path / "proj")
    repo.commit("Work as ada", {"a/x": "1\n"}, day="2026-03-02")
    repo.commit("Work from the old laptop", {"b/y": "1\n"}, day="2026-03-03", author=OLD)
    typo = run(env, str(repo.path), "--author", "ada@exmaple.com")
    assert typo["new"] == 0
    assert typo["notes"] == [
        f"{repo.path}: no commit is by ada@exmaple.com; its most frequent authors: "
        "Ada <ada@example.com>, Ada <ada@old-laptop.local> (pass --author with your email "
        "or name)"]
    fixed = run(env, str(repo.path), "--author", "ada@example.com", "--author", OLD[1])
    assert fixed["new"] == 2 and fixed["notes"] == []
    assert run(env, str(repo.path), "--author", "ada@example.com", "--author", OLD[1])["new"] == 0


def test_a_new_mailmap_reads_the_history_again(env: Env, tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "proj")
    repo.commit("Work as ada", {"a/x": "1\n"}, day="2026-03-02")
    repo.commit("Work from the old laptop", {"b/y": "1\n"}, day="2026-03-03", author=OLD)
    assert run(env, str(repo.path), "--author", "ada@example.com")["new"] == 1
    (repo.path / ".mailmap").write_text(f"Ada <ada@example.com> <{OLD[1]}>\n")
    assert run(env, str(repo.path), "--author", "ada@example.com")["new"] == 1
    assert len(git_entries(env)) == 2


def test_an_author_as_git_prints_it_and_a_name_in_other_case_are_the_user(
    env: Env, tmp_path: Path
) -> None:
    signed = GitRepo(tmp_path / "signed")
    signed.commit("Work as ada", {"a/x": "1\n"}, day="2026-03-02")
    assert run(env, str(signed.path), "--author", "Ada <ada@example.com>")["new"] == 1
    named = GitRepo(tmp_path / "named")
    named.commit("More work as ada", {"a/y": "1\n"}, day="2026-03-03")
    assert run(env, str(named.path), "--author", "ADA")["new"] == 1


def test_a_period_never_cuts_a_merged_item_down(env: Env, tmp_path: Path) -> None:
    repo = long_branch(tmp_path / "proj")
    run(env, str(repo.path), "--author", "ada@example.com")
    whole = commits_of(env, "pr:42")
    assert whole.startswith("3 commits in ") and whole.endswith("2026-10-01 to 2026-11-20.")
    november = run(env, str(repo.path), "--author", "ada@example.com", "--since", "2026-11-01")
    assert november["updated"] == 0 and commits_of(env, "pr:42") == whole
    october = run(env, str(repo.path), "--author", "ada@example.com", "--until", "2026-10-15")
    assert october["updated"] == 0 and commits_of(env, "pr:42") == whole


def test_a_first_import_of_a_period_adds_its_merged_items_whole(
    env: Env, tmp_path: Path
) -> None:
    repo = long_branch(tmp_path / "proj")
    summary = run(env, str(repo.path), "--author", "ada@example.com", "--since", "2026-11-01")
    assert summary["new"] == 1
    assert commits_of(env, "pr:42").startswith("3 commits in ")


def test_a_period_adds_a_branch_in_progress_whole(env: Env, tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "proj")
    repo.commit("Base", {"base.txt": "b\n"}, day="2026-09-01")
    repo.git("checkout", "-q", "-b", "feature/wip")
    repo.commit("Start", {"w/1": "1\n"}, day="2026-10-01")
    repo.commit("Continue", {"w/2": "2\n"}, day="2026-11-20")
    run(env, str(repo.path), "--author", "ada@example.com", "--since", "2026-11-01")
    assert commits_of(env, "branch:feature/wip").startswith("2 commits in ")


def test_git_failing_part_way_is_one_line_and_skip_bad_keeps_the_good(
    env: Env, tmp_path: Path
) -> None:
    broken = GitRepo(tmp_path / "broken")
    for n, folder in enumerate("abc"):
        broken.commit(f"Change {folder}", {f"{folder}/f": f"{n}\n"}, day=f"2026-03-0{n + 2}")
    blob = broken.git("rev-parse", "HEAD~1:b/f")
    (broken.path / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    good = GitRepo(tmp_path / "good")
    good.commit("Good work", {"g": "1\n"}, day="2026-03-02")
    failed = invoke(env, "import", "git", str(good.path), str(broken.path))
    assert failed.exit_code == 2
    assert f"{broken.path}: git failed: fatal: unable to read {blob}" in failed.output
    assert "Traceback" not in failed.output and git_entries(env) == {}
    summary = run(env, str(good.path), str(broken.path), "--skip-bad")
    assert summary["new"] == 1
    assert summary["skipped"] == [{"where": str(broken.path),
                                   "reason": f"git failed: fatal: unable to read {blob}"}]


def titles(env: Env) -> list[str]:
    return sorted(entry.title for entry in git_entries(env).values())


def test_a_rewritten_history_retracts_the_work_it_no_longer_holds(
    env: Env, tmp_path: Path
) -> None:
    repo = GitRepo(tmp_path / "proj")
    repo.commit("Base", {"base.txt": "b\n"}, day="2026-03-02")
    repo.commit("Accidentally committed secrets", {"oops/secret": "s\n"}, day="2026-03-03")
    run(env, str(repo.path), "--author", "ada@example.com")
    repo.git("reset", "-q", "--hard", "HEAD~1")
    undone = run(env, str(repo.path), "--author", "ada@example.com")
    assert undone["removed"] == 1 and titles(env) == ["Base"]
    repo.git("checkout", "-q", "-b", "feature/login")
    repo.commit("Login form", {"login/x": "1\n"}, day="2026-03-04")
    repo.git("checkout", "-q", "main")
    repo.merge("feature/login", "Merge branch 'feature/login'", day="2026-03-05")
    run(env, str(repo.path), "--author", "ada@example.com")
    repo.git("commit", "-q", "--amend", "-m", "Merge branch 'feature/login' (reviewed)")
    amended = run(env, str(repo.path), "--author", "ada@example.com")
    assert amended["removed"] == 1 and titles(env) == ["Base", "feature/login"]


def test_work_the_user_added_to_stays_when_history_drops_it(env: Env, tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "proj")
    repo.commit("Base", {"base.txt": "b\n"}, day="2026-03-02")
    repo.commit("Cut p99 latency", {"api/cache.py": "c\n"}, day="2026-03-03")
    run(env, str(repo.path), "--author", "ada@example.com")
    entry = git_entries(env)[next(k for k in git_entries(env) if "api" in k)]
    assert invoke(env, "stakeholder", "add", "Grace", "-r", "manager").exit_code == 0
    assert invoke(env, "tell", "Grace", str(entry.id), "--via", "1:1").exit_code == 0
    repo.git("reset", "-q", "--hard", "HEAD~1")
    summary = run(env, str(repo.path), "--author", "ada@example.com")
    assert summary["removed"] == 0 and len(summary["kept"]) == 1
    assert titles(env) == ["Base", "Cut p99 latency"]


def test_reading_again_for_fewer_identities_removes_nothing(env: Env, tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "proj")
    repo.commit("Work as ada", {"a/x": "1\n"}, day="2026-03-02")
    repo.commit("Work from the old laptop", {"b/y": "1\n"}, day="2026-03-03", author=OLD)
    run(env, str(repo.path), "--author", "ada@example.com", "--author", OLD[1])
    again = run(env, str(repo.path), "--author", "ada@example.com")
    assert again["removed"] == 0 and len(git_entries(env)) == 2


def test_commits_of_the_same_second_are_titled_by_the_first(env: Env, tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "proj")  # every commit of a day is made at 10:00:00
    for step in ("step 1: schema", "step 2: api", "step 3: tests", "step 4: docs"):
        repo.commit(step, {"pay/" + step[:6]: "x\n"}, day="2026-03-02")
    run(env, str(repo.path), "--author", "ada@example.com")
    assert titles(env) == ["pay: step 1: schema (+3 more commits)"]


def test_a_shallow_clone_counts_no_boundary_diff_and_is_read_again_once_deepened(
    env: Env, tmp_path: Path
) -> None:
    repo = GitRepo(tmp_path / "proj")
    for n in range(1, 7):
        repo.commit(f"Change {n}", {f"dir{n % 2}/f{n}.txt": f"{n}\n"}, day=f"2026-03-0{n}")
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.path}", str(clone)],
                   check=True, capture_output=True)
    first = run(env, str(clone), "--author", "ada@example.com")
    assert first["notes"] == [
        f"{clone} is a shallow clone: older history is not there and the changes of its "
        "oldest commits are not counted; run `git fetch --unshallow` and import again for "
        "the rest"]
    [boundary] = git_entries(env).values()
    assert "0 files changed, +0 -0 lines" in boundary.details  # not the 6 files it holds
    subprocess.run(["git", "-C", str(clone), "fetch", "-q", "--unshallow"], check=True,
                   capture_output=True)
    deepened = run(env, str(clone), "--author", "ada@example.com")
    assert deepened["new"] == 6 and deepened["removed"] == 1
    assert titles(env) == [f"Change {n}" for n in range(1, 7)]


def test_a_remote_added_later_renames_the_work_instead_of_doubling_it(
    env: Env, tmp_path: Path
) -> None:
    repo = GitRepo(tmp_path / "proj")
    repo.commit("One", {"a/x": "1\n"}, day="2026-03-02")
    run(env, str(repo.path), "--author", "ada@example.com")
    [before] = git_entries(env).values()
    owned = ownership_count(env)
    repo.git("remote", "add", "origin", "git@github.com:ada/proj.git")
    repo.commit("Two", {"a/y": "2\n"}, day="2026-03-02")
    summary = run(env, str(repo.path), "--author", "ada@example.com")
    assert summary["new"] == 0 and summary["updated"] == 1
    [after] = git_entries(env).values()
    assert after.source_id == "github.com/ada/proj:2026-03-02:a"
    assert after.id == before.id and after.details.startswith("2 commits in github.com/ada/")
    assert ownership_count(env) == owned + 1  # counted once, under the new name


def test_another_project_in_the_same_folder_takes_nothing_over(
    env: Env, tmp_path: Path
) -> None:
    first = GitRepo(tmp_path / "proj")
    first.commit("Old project", {"a/x": "1\n"}, day="2026-03-02")
    run(env, str(first.path), "--author", "ada@example.com")
    shutil.rmtree(first.path)
    second = GitRepo(tmp_path / "proj")
    second.commit("New project", {"b/y": "1\n"}, day="2026-03-03")
    second.git("remote", "add", "origin", "git@github.com:ada/other.git")
    run(env, str(second.path), "--author", "ada@example.com")
    assert titles(env) == ["New project", "Old project"]


def test_a_checkout_given_twice_is_read_once_and_a_file_is_no_folder(
    env: Env, tmp_path: Path
) -> None:
    repo = GitRepo(tmp_path / "proj")
    repo.commit("One", {"a/x": "1\n"}, day="2026-03-02")
    summary = run(env, str(repo.path), str(repo.path / "a"), "--author", "ada@example.com")
    assert summary["new"] == 1 and summary["unchanged"] == 0
    result = invoke(env, "import", "git", str(repo.path / "a" / "x"))
    assert result.exit_code == 2 and f"{repo.path / 'a' / 'x'}: not a folder" in result.output


def test_an_unborn_branch_checked_out_still_reads_the_main_line(
    env: Env, tmp_path: Path
) -> None:
    repo = GitRepo(tmp_path / "proj")
    repo.commit("Real work", {"a/x": "1\n"}, day="2026-03-02")
    repo.git("checkout", "-q", "--orphan", "gh-pages")
    assert run(env, str(repo.path), "--author", "ada@example.com")["new"] == 1


def test_an_imported_entry_the_user_deleted_is_not_added_again(
    env: Env, tmp_path: Path
) -> None:
    repo = GitRepo(tmp_path / "proj")
    repo.commit("Typo fix nobody cares about", {"a/x": "1\n"}, day="2026-03-02")
    repo.commit("Real work", {"b/y": "1\n"}, day="2026-03-03")
    run(env, str(repo.path), "--author", "ada@example.com")
    typo = next(e for e in git_entries(env).values() if e.title.startswith("Typo"))
    assert invoke(env, "delete", str(typo.id), "--yes").exit_code == 0
    again = run(env, str(repo.path), "--author", "ada@example.com", "--since", "2026-01-01")
    assert again["new"] == 0 and again["dismissed"] == 1
    assert titles(env) == ["Real work"]
    shown = invoke(env, "import", "git", str(repo.path), "--since", "2026-01-01")
    assert "1 entry you deleted not added again" in shown.output


def test_a_deleted_entry_stays_deleted_when_its_repository_gets_a_remote(
    env: Env, tmp_path: Path
) -> None:
    repo = GitRepo(tmp_path / "proj")
    repo.commit("Noise", {"a/x": "1\n"}, day="2026-03-02")
    run(env, str(repo.path), "--author", "ada@example.com")
    [noise] = git_entries(env).values()
    assert invoke(env, "delete", str(noise.id), "--yes").exit_code == 0
    repo.git("remote", "add", "origin", "git@github.com:ada/proj.git")
    again = run(env, str(repo.path), "--author", "ada@example.com", "--since", "2026-01-01")
    assert again["dismissed"] == 1 and git_entries(env) == {}


def test_reading_another_branch_as_the_main_line_retracts_nothing(
    env: Env, tmp_path: Path
) -> None:
    repo = GitRepo(tmp_path / "proj")
    repo.commit("Base", {"base.txt": "b\n"}, day="2026-01-02")
    repo.git("checkout", "-q", "-b", "develop")
    repo.git("checkout", "-q", "-b", "feature/search")
    repo.commit("Search index", {"search/x": "1\n"}, day="2026-01-05")
    repo.git("checkout", "-q", "develop")
    repo.merge("feature/search", "Merge branch 'feature/search' into develop", day="2026-01-06")
    run(env, str(repo.path), "--author", "ada@example.com")  # develop is where work lands
    repo.git("checkout", "-q", "main")
    assert run(env, str(repo.path), "--author", "ada@example.com")["removed"] == 0
    assert titles(env) == ["Base", "feature/search"]


def test_a_rewrite_in_one_clone_leaves_the_work_of_another(env: Env, tmp_path: Path) -> None:
    upstream = tmp_path / "up.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(upstream)], check=True)
    a = GitRepo(tmp_path / "a")
    a.commit("Base", {"base.txt": "b\n"}, day="2026-01-02")
    a.git("remote", "add", "origin", str(upstream))
    a.git("push", "-q", "origin", "main")
    subprocess.run(["git", "clone", "-q", str(upstream), str(tmp_path / "b")], check=True,
                   capture_output=True)
    b = GitRepo.open(tmp_path / "b")
    b.commit("Only in clone b", {"api/x": "1\n"}, day="2026-01-05")
    a.commit("Oops", {"oops/x": "1\n"}, day="2026-01-07")
    run(env, str(a.path), str(b.path), "--author", "ada@example.com")
    a.git("reset", "-q", "--hard", "HEAD~1")
    assert run(env, str(a.path), "--author", "ada@example.com")["removed"] == 1
    assert titles(env) == ["Base", "Only in clone b"]


def test_git_failing_after_a_rewrite_retracts_nothing(env: Env, tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "proj")
    for n in range(1, 5):
        repo.commit(f"Work {n}", {f"d{n}/x": f"{n}\n"}, day=f"2026-11-0{n}")
    run(env, str(repo.path), "--author", "ada@example.com")
    repo.git("reset", "-q", "--hard", "HEAD~1")
    blob = repo.git("rev-parse", "HEAD~1:d2/x")
    (repo.path / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    summary = run(env, str(repo.path), "--author", "ada@example.com", "--skip-bad")
    assert summary["removed"] == 0 and len(summary["skipped"]) == 1
    assert len(git_entries(env)) == 4


def test_a_rewrite_read_for_other_identities_still_retracts(env: Env, tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "proj")
    repo.commit("Real work", {"a/x": "1\n"}, day="2026-01-02")
    repo.commit("Accidentally committed secrets", {"secrets/x": "1\n"}, day="2026-01-05")
    run(env, str(repo.path), "--author", "ada@example.com")
    repo.git("reset", "-q", "--hard", "HEAD~1")
    again = run(env, str(repo.path), "--author", "ada@example.com", "--author", OLD[1])
    assert again["removed"] == 1 and titles(env) == ["Real work"]


def test_work_on_a_branch_alone_gets_no_note_that_nothing_is_yours(
    env: Env, tmp_path: Path
) -> None:
    repo = GitRepo(tmp_path / "proj")
    repo.commit("Bob's scaffold", {"a/x": "1\n"}, day="2026-01-02", author=BOB)
    repo.git("checkout", "-q", "-b", "feature/search")
    repo.commit("Search index", {"search/x": "1\n"}, day="2026-01-05")
    summary = run(env, str(repo.path), "--author", "ada@example.com")
    assert summary["new"] == 1 and summary["notes"] == []


def test_a_deleted_item_that_gains_work_comes_back(env: Env, tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "proj")
    repo.commit("Typo fix nobody cares about", {"a/x": "1\n"}, day="2026-03-02")
    run(env, str(repo.path), "--author", "ada@example.com")
    [typo] = git_entries(env).values()
    assert invoke(env, "delete", str(typo.id), "--yes").exit_code == 0
    repo.commit("Real fix", {"a/y": "1\n"}, day="2026-03-02")  # the same day and folder
    again = run(env, str(repo.path), "--author", "ada@example.com")
    assert again["new"] == 1 and again["dismissed"] == 0
    assert titles(env) == ["a: Typo fix nobody cares about (+1 more commit)"]


def merged_pr(path: Path) -> GitRepo:
    repo = GitRepo(path)
    repo.commit("Base", {"base.txt": "b\n"}, day="2026-11-02")
    repo.git("checkout", "-q", "-b", "feature/f")
    repo.commit("Rate limiter", {"f/x": "1\n"}, day="2026-11-03")
    repo.git("checkout", "-q", "main")
    repo.merge("feature/f", "Merge pull request #5 from ada/feature/f\n\nRate limiter",
               day="2026-11-04")
    return repo


def test_a_fork_counts_its_work_in_the_repository_it_was_forked_from(
    env: Env, tmp_path: Path
) -> None:
    repo = merged_pr(tmp_path / "proj")
    repo.git("remote", "add", "origin", "git@github.com:acme/proj.git")
    run(env, str(repo.path), "--author", "ada@example.com")
    repo.git("remote", "rename", "origin", "upstream")  # what `gh repo fork` does
    repo.git("remote", "add", "origin", "git@github.com:ada/proj.git")
    repo.commit("More", {"b/x": "1\n"}, day="2026-11-05")
    assert run(env, str(repo.path), "--author", "ada@example.com")["new"] == 1
    ids = sorted(e.source_id or "" for e in git_entries(env).values())
    assert ids == [f"github.com/acme/proj:{key}"
                   for key in ("2026-11-02:(root)", "2026-11-05:b", "pr:5")]
    assert git_entries(env)["pr:5"].links[0] == "https://github.com/acme/proj/pull/5"


def test_a_fork_read_before_ids_were_kept_moves_to_the_upstream_name(
    env: Env, tmp_path: Path
) -> None:
    repo = merged_pr(tmp_path / "proj")
    repo.git("remote", "add", "origin", "git@github.com:ada/proj.git")
    run(env, str(repo.path), "--author", "ada@example.com")
    with env.ctx.begin() as conn:  # as a ledger of an earlier levelup has it: no id cursor
        conn.execute(delete(import_state).where(import_state.c.key == "id"))
    repo.git("remote", "add", "upstream", "https://github.com/acme/proj.git")
    summary = run(env, str(repo.path), "--author", "ada@example.com")
    assert summary["new"] == 0
    assert {e.source_id for e in git_entries(env).values()} == {
        "github.com/acme/proj:2026-11-02:(root)", "github.com/acme/proj:pr:5"}


def test_deletions_travel_with_an_export(env: Env, tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "proj")
    repo.commit("Noise", {"a/x": "1\n"}, day="2026-03-02")
    repo.commit("Real work", {"b/y": "1\n"}, day="2026-03-03")
    run(env, str(repo.path), "--author", "ada@example.com")
    noise = next(e for e in git_entries(env).values() if e.title == "Noise")
    assert invoke(env, "delete", str(noise.id), "--yes").exit_code == 0
    export = tmp_path / "ledger.json"
    assert invoke(env, "export", "-o", str(export)).exit_code == 0
    other = tmp_path / "other"
    restored = Env(settings=load(environ={}, home=other,
                                 database_url=f"sqlite:///{other / 'ledger.db'}"), today=TODAY)
    assert invoke(restored, "import", "json", str(export)).exit_code == 0
    summary = run(restored, str(repo.path), "--author", "ada@example.com")
    assert summary["dismissed"] == 1 and summary["new"] == 0 and summary["unchanged"] == 1
    restored.ctx.engine().dispose()


def test_work_a_colleagues_git_pull_merged_is_grouped_by_day(env: Env, tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "proj")
    repo.commit("Base", {"base.txt": "b\n"}, day="2026-03-02", author=BOB)
    repo.git("checkout", "-q", "-b", "pushed")  # what Ada pushed to origin/main
    repo.commit("Add cache", {"api/cache.py": "1\n"}, day="2026-03-03")
    repo.commit("Docs for the cache", {"docs/cache.md": "1\n"}, day="2026-03-05")
    repo.git("checkout", "-q", "main")
    repo.commit("Bob's local work", {"bob.txt": "1\n"}, day="2026-03-04", author=BOB)
    repo.git("merge", "-q", "--no-ff", "pushed", "-m",
             "Merge branch 'main' of github.com:acme/proj", day="2026-03-06", author=BOB)
    run(env, str(repo.path), "--author", "ada@example.com")
    assert titles(env) == ["Add cache", "Docs for the cache"]  # not one item named "main"
    repo.commit("More cache work", {"api/cache2.py": "1\n"}, day="2026-03-03")  # that day
    assert run(env, str(repo.path), "--author", "ada@example.com")["updated"] == 1
    assert titles(env) == ["Docs for the cache", "api: Add cache (+1 more commit)"]
