"""What the importer needs to know about one repository before reading its history."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from levelup.importers.gitlog.stream import GitFailed, run_git

_GITHUB = re.compile(r"github\.com[:/](?P<slug>[\w.-]+/[\w.-]+?)(?:\.git)?/?$")
_REMOTE = re.compile(r"^(?:[\w+]+://)?(?:[^@/]+@)?(?P<host>[^:/]+)[:/](?P<path>.+?)(?:\.git)?/?$")


class NotARepository(Exception):
    """The path is not a readable git repository; the message says why."""


@dataclass(frozen=True, slots=True)
class RepoInfo:
    path: Path  # the top folder of the working tree (or the git dir of a bare repository)
    id: str  # stable across clones: host/owner/name of the origin remote, else the path
    head: str | None  # None for a repository without commits
    user_email: str | None
    github: str | None  # https://github.com/owner/name when origin is on GitHub

    @property
    def cursor_source(self) -> str:
        return f"git:{self.path}"

    def commit_url(self, sha: str) -> str:
        return f"{self.github}/commit/{sha}" if self.github else sha

    def pr_url(self, number: int) -> str | None:
        return f"{self.github}/pull/{number}" if self.github else None


def inspect_repo(path: str) -> RepoInfo:
    """Facts about the repository at ``path``; raises NotARepository with a clear reason."""
    folder = Path(path).expanduser()
    if not folder.is_dir():
        raise NotARepository("no such folder")
    root = _root(folder)
    origin = _config(root, "remote.origin.url")
    return RepoInfo(
        path=root,
        id=remote_id(origin) if origin else str(root),
        head=_head(root),
        user_email=_config(root, "user.email"),
        github=github_base(origin) if origin else None,
    )


def remote_id(url: str) -> str:
    """``host/owner/name`` for any spelling of a remote (ssh, https, scp-like)."""
    found = _REMOTE.match(url.strip())
    return f"{found['host']}/{found['path']}" if found else url.strip()


def github_base(url: str) -> str | None:
    found = _GITHUB.search(url.strip())
    return f"https://github.com/{found['slug']}" if found else None


def _root(folder: Path) -> Path:
    for question in ("--show-toplevel", "--git-dir"):  # a bare repository has no top level
        try:
            answer = run_git(folder, "rev-parse", "--path-format=absolute", question).strip()
        except GitFailed:
            continue
        return Path(answer).resolve()
    raise NotARepository("not a git repository")


def _head(root: Path) -> str | None:
    try:
        return run_git(root, "rev-parse", "--verify", "-q", "HEAD^{commit}").strip() or None
    except GitFailed:
        return None


def _config(root: Path, key: str) -> str | None:
    try:
        return run_git(root, "config", "--get", key).strip() or None
    except GitFailed:
        return None
