"""Work in progress: the user's commits on local branches that the main line lacks.

The checked-out branch, and every branch an earlier import found open, is one entry while it
holds commits of the user's that the main line does not have. Once they have landed there
(merged, rebased or squashed: git's patch ids match, or a squash commit of the user's names
the branch's commits) or the branch is deleted, the entry is retracted, since the main line's
work items now hold that work.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from datetime import date, timedelta

from levelup.importers.base import Cursor, ImportContext, Record, Retract
from levelup.importers.gitlog.entries import item_entry
from levelup.importers.gitlog.grouping import Commit, WorkItem
from levelup.importers.gitlog.history import Identities, user_commit_stream, user_commits
from levelup.importers.gitlog.repo import RepoInfo
from levelup.importers.gitlog.stream import (
    GitFailed,
    git_command,
    git_env,
    git_error,
    run_git,
)

BRANCHES_KEY = "branches"  # cursor: the open branches, one name per line
MAX_PATHS = 500  # at most this many paths narrow the search for a squashed branch


def branch_records(repo: RepoInfo, ctx: ImportContext, who: Identities) -> Iterator[Record]:
    """An entry per open branch, a retraction per branch closed since the last import."""
    stored = ctx.cursors.get((repo.branches_source, BRANCHES_KEY), "")
    names = set(stored.split("\n")) - {""}
    if repo.current:
        names.add(repo.current)
    still_open = []
    for name in sorted(names):
        commits = open_commits(repo, who, name)
        if not commits:
            yield Retract(source="git", source_id=branch_source_id(repo, name))
            continue
        still_open.append(name)
        if any(ctx.in_range(commit.day) for commit in commits):  # the branch whole, or not
            item = WorkItem(key=f"branch:{name}", direct=False, branch=name)
            for commit in commits:
                item.add(commit)
            yield item_entry(repo, item)
    if still_open or stored:
        yield Cursor(source=repo.branches_source, key=BRANCHES_KEY, value="\n".join(still_open))


def branch_source_id(repo: RepoInfo, name: str) -> str:
    return f"{repo.id}:branch:{name}"


def open_commits(repo: RepoInfo, who: Identities, name: str) -> list[Commit]:
    """The user's commits on branch ``name`` that have not landed on the main line."""
    tip = repo.branches.get(name)
    if tip is None or repo.head is None:
        return []  # deleted
    commits = list(user_commits(repo.path, [tip, f"^{repo.head}"], [], who,
                                contents=repo.contents))
    if commits and landed(repo, who, tip, commits):
        return []
    return commits


def landed(repo: RepoInfo, who: Identities, tip: str, commits: list[Commit]) -> bool:
    """Whether the branch's change is on the main line under other commits.

    Squashed: the main line has a commit with the patch id of the whole branch, or, when
    conflicts changed the patch, a commit of the user's whose message is the squash of the
    branch's (``squash_names``). Rebased: it has one with the patch id of each of the user's
    commits. Only main-line commits made since the branch began, touching the branch's
    files, are read.
    """
    assert repo.head is not None
    try:
        base = run_git(repo.path, "merge-base", repo.head, tip).strip()
    except GitFailed:
        return False  # unrelated histories
    since = min(c.day for c in commits) - timedelta(days=1)
    files = sorted({path for c in commits for path in c.files})
    paths = files if len(files) <= MAX_PATHS else []
    # Patch ids read every file's contents, which a partial clone would download.
    if repo.contents == "lines" and _same_patches(repo, base, tip, commits, since, paths):
        return True
    subjects = {c.subject for c in commits}
    with user_commit_stream(repo.path, [f"{base}..{repo.head}"],
                            [f"--since={since.isoformat()} 00:00:00"], who,
                            paths=paths, contents="commits") as squashes:
        return any(squash_names(c.subject, c.body, subjects) for c in squashes)


def _same_patches(
    repo: RepoInfo, base: str, tip: str, commits: list[Commit], since: date, paths: list[str]
) -> bool:
    """Whether the main line since ``base`` has the branch's patch, or each commit's."""
    assert repo.head is not None
    whole = _patch_ids(repo, ["diff", "--no-ext-diff", base, tip])
    mine = _patch_ids(repo, ["log", "-p", "--no-merges", "--no-ext-diff", "--format=%H",
                             "--no-walk=unsorted", *(c.sha for c in commits)])
    main = _patch_ids(repo, ["log", "-p", "--no-merges", "--no-ext-diff", "--format=%H",
                             f"--since={since.isoformat()} 00:00:00", f"{base}..{repo.head}",
                             "--", *paths])
    return bool(whole & main or mine and mine <= main)


_PR_SUFFIX = re.compile(r"\s*\(#\d+\)$")


def squash_names(subject: str, body: str, subjects: set[str]) -> bool:
    """Whether a commit message is the squash of commits with these ``subjects``.

    GitHub titles a squash merge with the pull request's title (by default the commit's
    subject when there is one commit) and " (#N)", and lists each squashed subject as a
    "* " line of the body.
    """
    title = _PR_SUFFIX.sub("", subject.strip())
    listed = {line[2:].strip() for line in body.splitlines() if line.startswith("* ")}
    return subjects <= listed | {title}


def _patch_ids(repo: RepoInfo, args: list[str]) -> set[str]:
    """``git patch-id --stable`` of the patches that ``git ARGS`` prints."""
    with subprocess.Popen(git_command(repo.path, *args), stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, env=git_env()) as source:
        assert source.stdout is not None
        with subprocess.Popen(git_command(repo.path, "patch-id", "--stable"),
                              stdin=source.stdout, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env=git_env()) as ids:
            source.stdout.close()  # patch-id alone reads it: if it stops, git stops too
            out, err = ids.communicate()
    if source.returncode != 0 or ids.returncode != 0:
        raise GitFailed(git_error(err) if err.strip()
                        else f"git {args[0]} failed while looking for a landed branch")
    return {line.split()[0] for line in out.decode().splitlines() if line.strip()}
