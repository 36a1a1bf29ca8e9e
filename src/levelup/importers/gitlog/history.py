"""The `git log` passes over the user's history: the graph, their commits, the merges."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import NamedTuple

from levelup.importers.gitlog.graph import GRAPH_FORMAT, Graph, IsUser, read_graph
from levelup.importers.gitlog.grouping import Commit, merge_description, parse_merge
from levelup.importers.gitlog.repo import Contents, RepoInfo
from levelup.importers.gitlog.stream import (
    Readable,
    git_stream,
    log_records,
    name_records,
    nul_tokens,
    run_git,
    split_stream,
)

USER_FORMAT = "%x1e%H%x1f%aE%x1f%aN%x1f%at%x1f%as%x1f%s%x1f%b"
MERGE_FORMAT = "%H%x1f%s%x1f%b"


NOREPLY = "users.noreply.github.com"


class Identities:
    """The user's emails, names and GitHub logins; commits match on the (mailmapped) email,
    whatever its case, or the name. A login stands for GitHub's private addresses of it,
    ``ID+LOGIN@users.noreply.github.com`` and ``LOGIN@users.noreply.github.com``, which
    commits made on github.com (squash merges, suggestions) carry."""

    def __init__(self, emails: set[str], names: set[str], logins: Iterable[str] = ()) -> None:
        self.emails = {e.lower() for e in emails}
        self.names = {n.casefold() for n in names}  # git's --author ignores case here too
        self.logins = {login.lower() for login in logins}
        self.noreply: set[str] = set()  # the private addresses seen in matching commits

    def __call__(self, email: str, name: str) -> bool:
        email = email.lower()
        if email in self.emails or name.casefold() in self.names:
            return True
        local = email.removesuffix(f"@{NOREPLY}")
        if local == email or local.split("+", 1)[-1] not in self.logins:  # ID+LOGIN or LOGIN
            return False
        self.noreply.add(email)
        return True

    def __str__(self) -> str:
        return ", ".join([*sorted(self.emails), *sorted(self.names),
                          *(f"@{login}" for login in sorted(self.logins))])

    def fingerprint(self, repo: Path) -> str:
        """Who the history is read for: these identities and the repository's .mailmap.

        A history read for other identities must be read again, since commits skipped then
        may be the user's now.
        """
        mailmap = repo / ".mailmap"
        digest = hashlib.sha1(mailmap.read_bytes()).hexdigest()[:12] if mailmap.is_file() else ""
        return f"{self}; mailmap {digest or 'none'}"

    def git_args(self) -> list[str]:
        # --author is a substring match on "Name <email>": fixed strings, ignoring case as
        # email addresses do; Python then decides exactly.
        patterns = ([f"<{e}>" for e in sorted(self.emails)]
                    + [f"{n} <" for n in sorted(self.names)]
                    + [f"{login}@{NOREPLY}>" for login in sorted(self.logins)])
        return ["--fixed-strings", "--regexp-ignore-case",
                *(f"--author={p}" for p in patterns)]


def nobody_note(repo: RepoInfo, who: Identities) -> str:
    """What to say when none of a repository's commits is the user's: who its authors are."""
    assert repo.head is not None
    counts = run_git(repo.path, "shortlog", "-sne", "--no-merges", repo.head, "--")
    authors = [line.split("\t", 1)[-1] for line in counts.splitlines()[:3]]
    return (f"{repo.path}: no commit is by {who}; its most frequent authors: "
            f"{', '.join(authors) or 'none'} (pass --author with your email or name)")


def read_user_graph(repo: Path, revs: list[str], limits: list[str], is_user: IsUser) -> Graph:
    """Which main-line merge brought in each of the user's commits (see ``graph``)."""
    args = ["log", "--use-mailmap", "--topo-order", f"--format={GRAPH_FORMAT}", *limits, *revs,
            "--"]
    with git_stream(repo, args) as out:
        return read_graph(split_stream(out, b"\n"), is_user)


# Without file contents, rename detection would download them too: renames are not looked for.
_DIFF: dict[Contents, list[str]] = {"lines": ["--numstat"],
                                    "files": ["--name-only", "--no-renames"], "commits": []}


@contextmanager
def user_commit_stream(
    repo: Path, revs: list[str], limits: list[str], who: Identities, *extra: str,
    paths: Sequence[str] = (), contents: Contents = "lines",
) -> Iterator[Iterator[Commit]]:
    """The user's non-merge commits with their numstat, newest first, streamed.

    ``contents`` says how much of each commit git reads (``RepoInfo.contents``): without
    lines, the counts are 0; without files, the file list is empty. git starts at once and
    reads ahead (``Prefetched``) while the caller does other work, such as reading the graph.
    """
    args = ["log", "--use-mailmap", "--no-merges", *_DIFF[contents], "-z",
            f"--format={USER_FORMAT}", *who.git_args(), *extra, *limits, *revs, "--", *paths]
    with git_stream(repo, args, prefetch=True) as out:
        yield _commits(out, who) if contents == "lines" else _commits_without_lines(out, who)


def _commits(out: Readable, who: Identities) -> Iterator[Commit]:
    for record in log_records(nul_tokens(out), 7):
        sha, email, name, time, day, subject, body = record.fields
        if who(email, name):
            yield Commit(sha=sha, time=int(time), day=date.fromisoformat(day), subject=subject,
                         body=body, added=record.added, removed=record.removed,
                         binary=record.binary, files=record.files)


def _commits_without_lines(out: Readable, who: Identities) -> Iterator[Commit]:
    for (sha, email, name, time, day, subject, body), files in name_records(nul_tokens(out), 7):
        if who(email, name):
            yield Commit(sha=sha, time=int(time), day=date.fromisoformat(day), subject=subject,
                         body=body, added=0, removed=0, binary=0, files=files)


def user_commits(
    repo: Path, revs: list[str], limits: list[str], who: Identities, *extra: str,
    paths: Sequence[str] = (), contents: Contents = "lines",
) -> Iterator[Commit]:
    """``user_commit_stream`` as a plain generator."""
    with user_commit_stream(repo, revs, limits, who, *extra, paths=paths,
                            contents=contents) as commits:
        yield from commits


class MergeMessage(NamedTuple):
    number: int | None  # the pull request it merged
    headline: str | None  # the PR's title or the branch's name
    description: str  # what the message says of the work beyond that


def merge_messages(repo: Path, shas: set[str]) -> dict[str, MergeMessage]:
    """PR number, headline and description of each merge commit in ``shas``."""
    if not shas:
        return {}
    args = ["log", "--no-walk=unsorted", "--stdin", "-z", f"--format={MERGE_FORMAT}"]
    found: dict[str, MergeMessage] = {}
    with git_stream(repo, args, stdin="\n".join(sorted(shas)) + "\n") as out:
        for token in nul_tokens(out):
            if token:
                sha, subject, body = token.split("\x1f", 2)
                found[sha] = MergeMessage(*parse_merge(subject, body),
                                          merge_description(subject, body))
    return found
