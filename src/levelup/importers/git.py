"""The git importer: local repositories' commits as work items, plus who owns which file.

`levelup import git ~/src/a ~/src/b --author ada@example.com --author ada@old.com`

Merged branches and pull requests of the main line become one entry each; direct commits
group by day and topic; the checked-out branch's work not on the main line yet is one entry
until it lands. Re-runs read only new commits (a cursor per repository). The pieces live in
``levelup.importers.gitlog``.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

from levelup.importers.base import (
    Cursor,
    ImportContext,
    Importer,
    ImportError_,
    ImportOption,
    Record,
    Skipped,
)
from levelup.importers.github import DEFAULT_API, gh_user
from levelup.importers.gitlog.history import Identities
from levelup.importers.gitlog.reader import read_repo
from levelup.importers.gitlog.repo import NotARepository, RepoInfo, inspect_repo
from levelup.importers.gitlog.stream import GitFailed

# Where the emails the user imported their git history as are kept (readiness reads them).
IDENTITY_CURSOR = ("git", "identities")


class GitImporter(Importer):
    name = "git"
    summary = "Import your commits from local git repositories, grouped into work items."
    inputs = "REPO"
    classify_details = False  # the details are commit statistics and subjects levelup wrote
    options = (
        ImportOption(
            name="author",
            multiple=True,
            help="Your email (or name) in the commits; repeat for several. @LOGIN stands for "
            "GitHub's private addresses of that login, which commits made on github.com carry. "
            "Default: your profile name, each repository's user.email and, for a GitHub "
            "repository, the gh CLI's login. .mailmap is honoured.",
        ),
    )

    def read(self, inputs: list[str], ctx: ImportContext) -> Iterator[Record]:
        if shutil.which("git") is None:
            raise ImportError_("git is not installed, or not on PATH: this import runs it "
                               "to read the repositories")
        repos: list[RepoInfo] = []
        for path in inputs:  # check every path before reading any history
            try:
                repo = inspect_repo(path)
            except NotARepository as exc:
                yield Skipped(where=path, reason=str(exc))
                continue
            if all(repo.path != known.path for known in repos):  # a checkout given twice
                repos.append(repo)
        emails: set[str] = set(ctx.cursors.get(IDENTITY_CURSOR, "").split(",")) - {""}
        for repo in repos:
            who = identities(repo, ctx)
            if not (who.emails or who.names or who.logins):
                yield Skipped(where=str(repo.path),
                              reason="no author identity: pass --author EMAIL")
                continue
            try:
                yield from read_repo(repo, ctx, who)
            except GitFailed as exc:
                yield Skipped(where=str(repo.path), reason=f"git failed: {exc}")
            emails |= who.emails | who.noreply
        if emails:  # the bus-factor check needs to know which authors are the user
            yield Cursor(source=IDENTITY_CURSOR[0], key=IDENTITY_CURSOR[1],
                         value=",".join(sorted(emails)))


def identities(repo: RepoInfo, ctx: ImportContext) -> Identities:
    """``--author`` values, else the profile's name, the repository's user.email and, for
    a repository on GitHub, the login the gh CLI is logged in as."""
    given = [a.strip() for a in ctx.options.get("author") or () if a.strip()]
    if not given:
        given = [repo.user_email or ""] + ([ctx.profile.name] if ctx.profile else [])
        if repo.github and (login := gh_user(DEFAULT_API)):
            given.append(f"@{login}")
    given = [part for a in given for part in _split_signature(a)]
    logins = {a[1:] for a in given if a.startswith("@") and len(a) > 1}
    return Identities(emails={a for a in given if "@" in a[1:]},
                      names={a for a in given if a and "@" not in a}, logins=logins)


_SIGNATURE = re.compile(r"^(?P<name>[^<>]*)<(?P<email>[^<>]+)>$")


def _split_signature(author: str) -> list[str]:
    """``Ada Lovelace <ada@example.com>``, as git prints authors, is a name and an email."""
    signature = _SIGNATURE.match(author)
    if signature is None:
        return [author]
    return [part for part in (signature["name"].strip(), signature["email"].strip()) if part]
