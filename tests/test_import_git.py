"""`levelup import git` end to end on real repositories, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from levelup.cli.common import Env
from levelup.domain.models import Entry
from levelup.settings import load
from levelup.store import tables as t
from levelup.store.entries import list_entries
from levelup.store.ownership import path_owners, sole_owner_paths
from levelup.store.state import get_cursors
from tests.conftest import invoke
from tests.utils.gitrepo import BOB, GitRepo

OLD_ADA = ("Ada L.", "ada@old.example.com")


def build_repo(path: Path) -> GitRepo:
    """Direct commits, a merged PR branch, a colleague, a mailmap alias, a rename,
    a binary file, a Latin-1 message and undecodable bytes: the cases a real history holds."""
    repo = GitRepo(path)
    repo.commit("Add parser (ABC-12)", {"src/parser.py": "a\nb\n"}, day="2026-03-02")
    repo.commit("Add lexer", {"src/lexer.py": "x\n"}, day="2026-03-02")
    repo.commit("Write docs", {"docs/guide.md": "hi\n"}, day="2026-03-02")
    repo.git("checkout", "-q", "-b", "feature/login")
    repo.commit("Login form", {"web/login.py": "1\n2\n3\n"}, day="2026-03-03")
    repo.commit("Login tests for ABC-40", {"web/test_login.py": "t\n"}, day="2026-03-04")
    repo.git("checkout", "-q", "main")
    repo.commit("Bob's docs", {"docs/bob.md": "b\n", "src/parser.py": "a\nb\nc\n"},
                day="2026-03-04", author=BOB)
    repo.merge("feature/login", "Merge pull request #7 from ada/feature/login\n\n"
               "Sign-in page for the portal", day="2026-03-05")
    mailmap = "Ada <ada@example.com> <ada@old.example.com>\n"
    repo.commit("Map the old address", {".mailmap": mailmap}, day="2026-03-06")
    repo.commit("fix(api): retry timeouts", {"api/retry.py": "r\n"}, day="2026-03-06",
                author=OLD_ADA)
    repo.git("mv", "src/lexer.py", "src/tokens.py")
    repo.commit("Rename lexer", {"logo.png": b"\x89PNG\x00\x01\x02"}, day="2026-03-09")
    repo.git("config", "i18n.commitEncoding", "ISO-8859-1")  # declared: git re-encodes it
    repo.commit("Caf\xe9 menu".encode("latin-1"), {"menu.txt": "m\n"}, day="2026-03-10")
    repo.git("config", "--unset", "i18n.commitEncoding")
    repo.raw_commit(b"Broken \xff\xfe bytes", day="2026-03-12")  # undeclared: replaced
    return repo


def run(env: Env, *args: str) -> dict[str, Any]:
    result = invoke(env, "import", "git", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def git_entries(env: Env) -> dict[str, Entry]:
    with env.ctx.read() as conn:
        return {e.source_id.split(":", 1)[1]: e
                for e in list_entries(conn, source="git") if e.source_id}


def ownership_count(env: Env) -> int:
    with env.ctx.read() as conn:
        return int(conn.execute(select(func.coalesce(func.sum(t.file_ownership.c.commits), 0)))
                   .scalar_one())


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    return build_repo(tmp_path / "proj")


@pytest.fixture(autouse=True)
def no_gh_login(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The gh CLI's login is one of the default identities: none here unless a test says."""
    monkeypatch.setenv("GH_CONFIG_DIR", str(tmp_path / "no-gh"))


def test_commits_become_work_items(env: Env, repo: GitRepo) -> None:
    summary = run(env, str(repo.path), "--author", "ada@example.com")
    entries = git_entries(env)
    assert summary["new"] == len(entries) == 8
    assert set(entries) == {"2026-03-02:src", "2026-03-02:docs", "pr:7", "2026-03-06:api",
                            "2026-03-06:(root)", "2026-03-09:(root)", "2026-03-10:(root)",
                            "2026-03-12:misc"}
    pr = entries["pr:7"]
    assert pr.title == "Sign-in page for the portal (#7)"
    assert (pr.date, pr.end_date) == (date(2026, 3, 3), date(2026, 3, 4))
    assert "2 commits" in pr.details and "+4 -0 lines" in pr.details
    assert "ABC-40" in pr.details and "Login form" in pr.details
    src = entries["2026-03-02:src"]
    assert src.title == "src: Add parser (ABC-12) (+1 more commit)"
    assert "Issues: ABC-12." in src.details and "Bob" not in src.details
    assert all(len(link) == 40 for link in src.links)  # no GitHub remote: bare hashes
    # the mailmap maps the old address to Ada; a scope groups the commit
    assert entries["2026-03-06:api"].title == "fix(api): retry timeouts"
    assert "2 files changed, +0 -0 lines, 1 binary change," in entries["2026-03-09:(root)"].details
    assert "1 file changed, +1 -0 lines" in entries["2026-03-10:(root)"].details
    assert entries["2026-03-10:(root)"].title == "Caf\xe9 menu"
    assert entries["2026-03-12:misc"].title == "Broken \ufffd\ufffd bytes"
    assert not any(e.metrics for e in entries.values())  # activity counts are not impact


def test_reimport_adds_nothing_and_new_commits_update_their_day(env: Env, repo: GitRepo) -> None:
    run(env, str(repo.path))  # identity defaults to the repository's user.email
    owned = ownership_count(env)
    again = run(env, str(repo.path))
    assert (again["new"], again["updated"]) == (0, 0)
    assert ownership_count(env) == owned  # counts are not added twice
    repo.commit("Another odd one", {}, day="2026-03-12")
    repo.commit("Parser errors", {"src/parser.py": "z\n"}, day="2026-03-13")
    third = run(env, str(repo.path))
    assert (third["new"], third["updated"]) == (1, 1)
    day = git_entries(env)["2026-03-12:misc"]
    assert "Broken" in day.details and "Another odd one" in day.details
    assert "2 commits" in day.details
    assert ownership_count(env) == owned + 1


def test_dry_run_writes_nothing(env: Env, repo: GitRepo) -> None:
    summary = run(env, str(repo.path), "--dry-run")
    assert summary["dry_run"] is True and summary["new"] == 8
    # it shows what would be added
    assert {c["title"] for c in summary["changes"]} == {
        "src: Add parser (ABC-12) (+1 more commit)", "Write docs",
        "Sign-in page for the portal (#7)", "Map the old address", "fix(api): retry timeouts",
        "Rename lexer", "Caf\xe9 menu", "Broken \ufffd\ufffd bytes"}
    assert {(c["change"], c["record"]) for c in summary["changes"]} == {("new", "entry")}
    assert git_entries(env) == {} and ownership_count(env) == 0
    with env.ctx.read() as conn:
        assert get_cursors(conn) == {}
    assert run(env, str(repo.path))["new"] == 8  # the cursor did not move either


def test_a_dry_run_before_any_ledger_creates_none(repo: GitRepo, tmp_path: Path) -> None:
    home = tmp_path / "fresh"
    fresh = Env(settings=load(environ={}, home=home, database_url=""), today=date(2026, 3, 20))
    result = invoke(fresh, "import", "git", str(repo.path), "--author", "ada@example.com",
                    "--dry-run")
    assert result.exit_code == 0, result.output
    assert "would import 8 entries: 8 new" in result.stdout
    assert not home.exists()
    one = GitRepo(tmp_path / "one")
    one.commit("Only change", {"a.txt": "a\n"})
    result = invoke(fresh, "import", "git", str(one.path), "--author", "ada@example.com",
                    "--dry-run")
    assert "would import 1 entry: 1 new" in result.stdout


def test_a_path_that_is_not_a_repository_fails_and_writes_nothing(
    env: Env, repo: GitRepo, tmp_path: Path
) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    result = invoke(env, "import", "git", str(repo.path), str(plain))
    assert result.exit_code == 2
    assert f"{plain}: not a git repository" in result.output
    assert git_entries(env) == {} and ownership_count(env) == 0
    missing = invoke(env, "import", "git", str(tmp_path / "nope"))
    assert missing.exit_code == 2 and "no such folder" in missing.output


def test_without_git_on_the_path_the_import_says_so(
    env: Env, repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = invoke(env, "import", "git", str(repo.path))
    assert result.exit_code == 2
    assert result.output.strip() == ("levelup: error: git is not installed, or not on PATH: "
                                     "this import runs it to read the repositories")


def test_a_repository_git_does_not_trust_says_how_to_trust_it(
    env: Env, repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")  # git's own test switch
    result = invoke(env, "import", "git", str(repo.path))
    assert result.exit_code == 2
    assert (f"{repo.path}: another user owns this repository, so git will not read it until "
            f"you run `git config --global --add safe.directory {repo.path}`") in result.output
    assert git_entries(env) == {}


def test_skip_bad_imports_the_good_repository(env: Env, repo: GitRepo, tmp_path: Path) -> None:
    summary = run(env, str(repo.path), str(tmp_path), "--skip-bad")
    assert summary["new"] == 8
    assert summary["skipped"] == [{"where": str(tmp_path), "reason": "not a git repository"}]


def test_empty_repository_imports_nothing(env: Env, tmp_path: Path) -> None:
    empty = GitRepo(tmp_path / "empty")
    summary = run(env, str(empty.path))
    assert summary["new"] == 0 and summary["skipped"] == []


def test_shallow_clone(env: Env, repo: GitRepo, tmp_path: Path) -> None:
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "3", f"file://{repo.path}", str(clone)],
                   check=True, capture_output=True)
    summary = run(env, str(clone), "--author", "ada@example.com")
    entries = git_entries(env)
    assert summary["new"] == len(entries) == 3
    assert {e.title for e in entries.values()} == {"Caf\xe9 menu", "Rename lexer",
                                                   "Broken \ufffd\ufffd bytes"}


def test_since_limits_entries_but_not_ownership(env: Env, repo: GitRepo) -> None:
    run(env, str(repo.path), "--since", "2026-03-06")
    # every author's commits of the last year in the folders Ada worked in (the renamed
    # src/lexer.py, gone from the main line, is not counted)
    assert ownership_count(env) == 11
    assert set(git_entries(env)) == {"2026-03-06:api", "2026-03-06:(root)", "2026-03-09:(root)",
                                     "2026-03-10:(root)", "2026-03-12:misc"}
    assert run(env, str(repo.path))["new"] == 3  # no cursor from a partial read


def test_github_remote_links_prs_and_commits(env: Env, repo: GitRepo) -> None:
    repo.git("remote", "add", "origin", "git@github.com:acme/proj.git")
    run(env, str(repo.path))
    pr = git_entries(env)["pr:7"]
    assert pr.source_id == "github.com/acme/proj:pr:7"
    assert pr.links[0] == "https://github.com/acme/proj/pull/7"
    assert pr.links[1].startswith("https://github.com/acme/proj/commit/")


def test_ownership_knows_every_author_and_the_sole_owner_paths(env: Env, repo: GitRepo) -> None:
    run(env, str(repo.path))
    since = date(2025, 11, 20)
    with env.ctx.read() as conn:
        files = {o.path: o.authors for o in path_owners(conn, since=since)}
        folders = {o.path: o.authors for o in path_owners(conn, since=since, depth=1)}
        mine = {o.path for o in sole_owner_paths(
            conn, author_emails=["ada@example.com"], since=since)}
    assert files["src/parser.py"] == {"ada@example.com": 1, "bob@example.com": 1}
    assert files["api/retry.py"] == {"ada@example.com": 1}  # via the mailmap
    assert "src/tokens.py" in files  # the rename's new path
    assert "src/lexer.py" not in files  # the old one is not on the main line any more
    assert folders["docs"] == {"ada@example.com": 1, "bob@example.com": 1}
    assert "src/parser.py" not in mine and "docs/bob.md" not in mine
    assert {"web/login.py", "src/tokens.py", "logo.png", "api/retry.py"} <= mine


FAKE_GPG = """#!/bin/sh
# Signs with a fixed block and calls every signature good, as gpg.program for a test.
cat >/dev/null
case " $* " in
  *" --verify "*) echo "[GNUPG:] GOODSIG 0123456789ABCDEF Ada"
                  echo 'gpg: Good signature from "Ada"' >&2 ;;
  *) echo "[GNUPG:] SIG_CREATED D 1 8 00 1 0123456789ABCDEF" >&2
     printf -- '-----BEGIN PGP SIGNATURE-----\\n\\niQEz\\n-----END PGP SIGNATURE-----\\n' ;;
esac
"""

# Settings people do keep in ~/.gitconfig, each of which changes what `git log` prints.
HOSTILE_CONFIG = """[log]
\tshowSignature = true
\tshowRoot = false
\tfollow = true
\tdecorate = full
[format]
\tpretty = oneline
[i18n]
\tlogOutputEncoding = ISO-8859-1
[color]
\tui = always
\tdiff = always
[diff]
\trenames = false
\tnoprefix = true
[gpg]
\tprogram = {gpg}
"""


def test_the_users_git_config_and_a_hooks_git_dir_change_nothing(
    env: Env, repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gpg = tmp_path / "gpg"
    gpg.write_text(FAKE_GPG)
    gpg.chmod(0o755)
    repo.git("-c", f"gpg.program={gpg}", "-c", "user.signingkey=Ada", "commit", "-q", "-S",
             "-m", "Signed release notes", "--allow-empty", day="2026-03-13")
    other = GitRepo(tmp_path / "other")  # the repository a hook's GIT_DIR points at
    other.commit("Work in another repository", {"x.txt": "x\n"})
    config = tmp_path / "gitconfig"
    config.write_text(HOSTILE_CONFIG.format(gpg=gpg))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    assert "Good signature" in repo.git("log", "-1")  # the config is in force

    def hooked(*args: str) -> dict[str, Any]:
        with monkeypatch.context() as hook:
            hook.setenv("GIT_DIR", str(other.path / ".git"))
            return run(env, str(repo.path), *args)

    summary = hooked("--author", "ada@example.com")
    entries = git_entries(env)
    assert summary["new"] == len(entries) == 9
    assert entries["2026-03-13:misc"].title == "Signed release notes"
    assert entries["2026-03-10:(root)"].title == "Caf\xe9 menu"  # UTF-8, not Latin-1
    # the root commit keeps its file; the rename is one file, not a deletion and an addition
    assert "2 files changed, +3 -0 lines" in entries["2026-03-02:src"].details
    assert "2 files changed" in entries["2026-03-09:(root)"].details
    with env.ctx.read() as conn:
        files = {o.path: o.authors for o in path_owners(conn, since=date(2025, 11, 20))}
    assert files["src/parser.py"] == {"ada@example.com": 1, "bob@example.com": 1}
    assert "x.txt" not in files
    # a branch that landed through a cherry-pick is still found by its patch
    repo.git("checkout", "-q", "-b", "topic")
    repo.commit("Topic change", {"topic.txt": "t\n"}, day="2026-03-14")
    assert hooked()["new"] == 1
    repo.git("checkout", "-q", "main")
    repo.git("cherry-pick", "topic", day="2026-03-15")
    repo.git("branch", "-D", "topic")
    again = hooked()
    assert (again["new"], again["removed"]) == (1, 1)


def partial_clone(repo: GitRepo, tmp_path: Path, spec: str) -> Path:
    """A clone with ``--filter=SPEC`` whose origin is then gone: any download would fail."""
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(repo.path), str(origin)], check=True)
    subprocess.run(["git", "-C", str(origin), "config", "uploadpack.allowFilter", "true"],
                   check=True)
    clone = tmp_path / spec.replace(":", "-")
    subprocess.run(["git", "clone", "-q", f"--filter={spec}", f"file://{origin}", str(clone)],
                   check=True, capture_output=True)
    shutil.rmtree(origin)
    return clone


def test_a_blobless_clone_is_read_without_downloading_contents(
    env: Env, repo: GitRepo, tmp_path: Path
) -> None:
    clone = partial_clone(repo, tmp_path, "blob:none")
    summary = run(env, str(clone), "--author", "ada@example.com")
    assert summary["notes"] == [
        f"{clone} is a partial clone (blob:none): lines added and removed are not counted, "
        "since git would download the missing contents from the remote to read them"]
    entries = git_entries(env)
    assert summary["new"] == len(entries) == 8
    src = entries["2026-03-02:src"]
    assert src.details.startswith(f"2 commits in {tmp_path / 'origin'}, "
                                  "2 files changed, 2026-03-02 to 2026-03-02.\n")
    assert "lines" not in src.details
    assert entries["pr:7"].title == "Sign-in page for the portal (#7)"
    with env.ctx.read() as conn:
        files = {o.path: o.authors for o in path_owners(conn, since=date(2025, 11, 20))}
    assert files["src/parser.py"] == {"ada@example.com": 1, "bob@example.com": 1}
    # a local branch still counts as work in progress, and the re-run reads nothing new
    subprocess.run(["git", "-C", str(clone), "checkout", "-q", "-b", "wip"], check=True)
    GitRepo.open(clone).commit("Half a feature", {"half.txt": "h\n"}, day="2026-03-20")
    again = run(env, str(clone), "--author", "ada@example.com")
    assert (again["new"], again["updated"]) == (1, 0)
    assert git_entries(env)["branch:wip"].title == "wip: Half a feature"


def test_a_treeless_clone_is_read_from_its_commits_alone(
    env: Env, repo: GitRepo, tmp_path: Path
) -> None:
    clone = partial_clone(repo, tmp_path, "tree:0")
    summary = run(env, str(clone), "--author", "ada@example.com")
    assert summary["notes"] == [
        f"{clone} is a partial clone (tree:0): changed files, lines and file ownership are not "
        "read, since git would download the missing contents from the remote to read them"]
    entries = git_entries(env)
    assert "pr:7" in entries and len(entries) == summary["new"]
    assert all("changed" not in e.details and "lines" not in e.details for e in entries.values())
    assert ownership_count(env) == 0


def test_an_address_in_other_letter_case_is_the_same_author(env: Env, tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "cased")
    repo.commit("Fix the cache key", {"a.txt": "a\n"}, author=("Ada", "Ada@Example.COM"))
    summary = run(env, str(repo.path), "--author", "ada@example.com")
    assert summary["new"] == 1


NOREPLY_ADA = ("Ada Lovelace", "1234567+ada-l@users.noreply.github.com")


def test_github_private_addresses_of_the_users_login_are_the_user(
    env: Env, repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A squash merge made on github.com is authored with the private address."""
    repo.commit("Search box (#9)\n\n* Search box\n* Search paging",
                {"web/search.py": "s\n"}, day="2026-03-16", author=NOREPLY_ADA)
    repo.commit("Bob's squash (#10)", {"web/bob.py": "b\n"}, day="2026-03-16",
                author=("Bob", "99+bob@users.noreply.github.com"))
    repo.commit("Old-style address", {"web/old.py": "o\n"}, day="2026-03-17",
                author=("Ada", "ada-l@users.noreply.github.com"))
    explicit = run(env, str(repo.path), "--author", "ada@example.com", "--author", "@ada-l",
                   "--dry-run")
    titles = {c["title"] for c in explicit["changes"]}
    assert {"Search box (#9)", "Old-style address"} <= titles
    assert "Bob's squash (#10)" not in titles
    assert "Search box (#9)" not in {c["title"] for c in run(
        env, str(repo.path), "--author", "ada@example.com", "--dry-run")["changes"]}
    # by default, for a GitHub repository: the gh CLI's login
    repo.git("remote", "add", "origin", "git@github.com:acme/proj.git")
    gh = tmp_path / "gh"
    gh.mkdir()
    (gh / "hosts.yml").write_text("github.com:\n    user: ada-l\n    git_protocol: https\n")
    monkeypatch.setenv("GH_CONFIG_DIR", str(gh))
    run(env, str(repo.path))
    assert git_entries(env)["pr:9"].title == "Search box (#9)"
    with env.ctx.read() as conn:
        mine = get_cursors(conn)[("git", "identities")].split(",")
    assert mine == ["1234567+ada-l@users.noreply.github.com", "ada-l@users.noreply.github.com",
                    "ada@example.com"]


def test_a_first_import_that_fails_leaves_no_ledger(tmp_path: Path) -> None:
    home = tmp_path / "fresh"
    fresh = Env(settings=load(environ={}, home=home, database_url=""), today=date(2026, 3, 20))
    result = invoke(fresh, "import", "git", str(tmp_path / "nope"))
    assert result.exit_code == 2 and "no such folder" in result.output
    assert not (home / "ledger.db").exists() and list(home.glob("ledger.db*")) == []
