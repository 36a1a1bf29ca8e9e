"""What the importer needs to know about one repository before reading its history."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from levelup.importers.gitlog.stream import GitFailed, run_git

_GITHUB = re.compile(r"github\.com[:/](?P<slug>[\w.-]+/[\w.-]+?)(?:\.git)?/?$")
_REMOTE = re.compile(r"^(?:[\w+]+://)?(?:[^@/]+@)?(?P<host>[^:/]+)[:/](?P<path>.+?)(?:\.git)?/?$")


# What the import reads of each commit: lines added and removed (--numstat), only the files
# (--name-only: a partial clone without file contents), or nothing beyond the commit (one
# without trees either).
Contents = Literal["lines", "files", "commits"]


class NotARepository(Exception):
    """The path is not a readable git repository; the message says why."""


@dataclass(frozen=True, slots=True)
class RepoInfo:
    path: Path  # the top folder of the working tree (or the git dir of a bare repository)
    # stable across clones and worktrees: host/owner/name of the upstream remote (a fork's
    # parent), else of origin, else the path of the main checkout
    id: str
    head: str | None  # tip of the main line (see ``main_line``); None without commits
    user_email: str | None
    github: str | None  # https://github.com/owner/name when origin is on GitHub
    # Local branches (name -> tip) and the checked-out one when it is not the main line:
    # their commits missing from the main line are work in progress (``gitlog.branches``).
    branches: dict[str, str] = field(default_factory=dict)
    current: str | None = None
    # The checkout that owns the branches: worktrees of one repository share theirs.
    branches_home: Path | None = None
    # The filter of a partial clone ("blob:none", "tree:0"), "" for one whose filter is
    # unknown, None for a full repository.
    partial: str | None = None
    # The id levelup gave a fork before it counted work in the upstream repository: origin's.
    legacy_id: str | None = None
    # A shallow clone's boundary commits: git shows each as adding every file it holds.
    shallow: frozenset[str] = frozenset()

    @property
    def contents(self) -> Contents:
        """What of each commit can be read without git downloading missing objects."""
        if self.partial is None:
            return "lines"
        return "commits" if self.partial.startswith("tree:") else "files"

    @property
    def cursor_source(self) -> str:
        return f"git:{self.path}"

    @property
    def branches_source(self) -> str:
        return f"git:{self.branches_home or self.path}"

    @property
    def ownership_source(self) -> str:
        return f"git:{self.id}"  # ownership rows are the repository's, not one clone's

    def commit_url(self, sha: str) -> str:
        return f"{self.github}/commit/{sha}" if self.github else sha

    def pr_url(self, number: int) -> str | None:
        return f"{self.github}/pull/{number}" if self.github else None


def inspect_repo(path: str) -> RepoInfo:
    """Facts about the repository at ``path``; raises NotARepository with a clear reason."""
    folder = Path(path).expanduser()
    try:
        if not folder.is_dir():
            raise NotARepository("not a folder" if folder.exists() else "no such folder")
    except OSError as exc:  # a name too long, a folder that cannot be entered
        raise NotARepository(f"cannot open it ({exc.strerror})") from None
    root, common = _root(folder)
    home = common.parent if common.name == ".git" else common  # a worktree's main checkout
    config = _configs(root)
    origin = config.get("remote.origin.url")
    # A fork's pull requests live in the repository it was forked from (gh repo fork names
    # that remote "upstream"): that is the repository the work is counted in.
    upstream = config.get("remote.upstream.url")
    canonical = upstream or origin
    head = _head(root)
    refs = _refs(root)
    branches = {name.removeprefix("refs/heads/"): sha for name, (sha, _) in refs.items()
                if name.startswith("refs/heads/")}
    main = main_line(root, refs)
    checked_out = _checked_out(root)
    if main is None or (head is not None and main != head
                        and integration_branch(root, main, head)):
        main, checked_out = head, None  # the main line is HEAD's (none on an unborn branch)
    elif checked_out is not None and branches.get(checked_out) == main:
        checked_out = None
    return RepoInfo(
        path=root,
        id=remote_id(canonical, root) if canonical else str(home),
        legacy_id=remote_id(origin, root) if upstream and origin else None,
        head=main,
        user_email=config.get("user.email"),
        github=github_base(canonical) if canonical else None,
        branches=branches,
        current=checked_out if checked_out in branches else None,
        branches_home=home,
        partial=_partial_filter(config),
        shallow=_shallow(common),
    )


_MAIN_NAMES = ("main", "master", "trunk")


def main_line(root: Path, refs: dict[str, tuple[str, str]]) -> str | None:
    """The tip of the main branch: origin's default branch, else main, master or trunk.

    Of the local branch and its origin counterpart, the one ahead wins (a local main left
    behind while work happens on branches is common); when they diverged, the local one.
    None when the repository has no such branch.
    """
    default = refs.get("refs/remotes/origin/HEAD", ("", ""))[1]
    names = [default.removeprefix("refs/remotes/origin/")] if default else []
    for name in [*names, *_MAIN_NAMES]:
        local = refs.get(f"refs/heads/{name}", ("", ""))[0]
        remote = refs.get(f"refs/remotes/origin/{name}", ("", ""))[0]
        if local and remote and local != remote:
            return remote if is_ancestor(root, local, remote) else local
        if local or remote:
            return local or remote
    return None


MAX_BRANCH_COMMITS = 300


def integration_branch(root: Path, main: str, head: str) -> bool:
    """Whether HEAD is a long-lived branch that other work merges into (a ``develop``).

    It is when it merged in a branch the main line does not have, or holds more than
    ``MAX_BRANCH_COMMITS`` commits the main line lacks: then it is the main line to import,
    not one piece of work in progress. (Merging the main line into a feature branch does not
    count.)
    """
    ahead = run_git(root, "rev-list", "--first-parent", "--parents",
                    f"--max-count={MAX_BRANCH_COMMITS + 1}", f"{main}..{head}").splitlines()
    if len(ahead) > MAX_BRANCH_COMMITS:
        return True
    side_parents = [p for line in ahead for p in line.split()[2:]]
    return any(not is_ancestor(root, parent, main) for parent in side_parents)


def _refs(root: Path) -> dict[str, tuple[str, str]]:
    """Local branches and origin's: ref name -> (commit, symbolic target)."""
    out = run_git(root, "for-each-ref", "--format=%(refname)%09%(objectname)%09%(symref)",
                  "refs/heads", "refs/remotes/origin")
    refs: dict[str, tuple[str, str]] = {}
    for line in out.splitlines():
        name, sha, target = line.split("\t")
        refs[name] = (sha, target)
    return refs


def _checked_out(root: Path) -> str | None:
    try:
        ref = run_git(root, "symbolic-ref", "-q", "HEAD").strip()
    except GitFailed:
        return None  # a detached HEAD
    return ref.removeprefix("refs/heads/") if ref.startswith("refs/heads/") else None


def is_ancestor(root: Path, old: str, new: str) -> bool:
    """Whether commit ``old`` is in the history of ``new`` (False when either is gone)."""
    try:
        run_git(root, "merge-base", "--is-ancestor", old, new)
    except GitFailed:
        return False
    return True


def remote_id(url: str, root: Path | None = None) -> str:
    """``host/owner/name`` for any spelling of a remote (ssh, https, scp-like); the path,
    without ``.git``, of a remote on this machine (``file://``, ``/srv/git/x.git``, or one
    relative to the repository at ``root``)."""
    url = url.strip()
    local = url.removeprefix("file://")
    if local != url or local.startswith(("/", "./", "../", "~")):
        if root is not None and local.startswith("."):
            local = str((root / local).resolve())
        return local.removesuffix("/").removesuffix(".git")
    found = _REMOTE.match(url)
    return f"{found['host']}/{found['path']}" if found else url


def github_base(url: str) -> str | None:
    found = _GITHUB.search(url.strip())
    return f"https://github.com/{found['slug']}" if found else None


def _root(folder: Path) -> tuple[Path, Path]:
    """The top folder (the git dir of a bare repository) and the git dir worktrees share."""
    failed = ""
    for question in ("--show-toplevel", "--git-dir"):  # a bare repository has no top level
        try:
            answer = run_git(folder, "rev-parse", "--path-format=absolute", question,
                             "--git-common-dir").split("\n")
        except GitFailed as exc:
            failed = failed or str(exc)
            continue
        return Path(answer[0]).resolve(), Path(answer[1]).resolve()
    raise NotARepository(_why_not(folder, failed))


def _why_not(folder: Path, failed: str) -> str:
    """git's reason, in one line, for not reading ``folder`` as a repository."""
    reason = failed.partition("\n")[0].removeprefix("fatal: ")
    if "dubious ownership" in reason:
        return ("another user owns this repository, so git will not read it until you run "
                f"`git config --global --add safe.directory {folder}`")
    if not reason or reason.startswith("not a git repository"):
        return "not a git repository"
    return reason


def _shallow(git_dir: Path) -> frozenset[str]:
    """The boundary commits of a shallow clone (none for a full one)."""
    try:
        return frozenset((git_dir / "shallow").read_text().split())
    except OSError:
        return frozenset()


def _head(root: Path) -> str | None:
    try:
        return run_git(root, "rev-parse", "--verify", "-q", "HEAD^{commit}").strip() or None
    except GitFailed:
        return None


_CONFIG_KEYS = (r"^(remote\.(origin|upstream)\.url|user\.email|extensions\.partialclone"
                r"|remote\..+\.partialclonefilter|remote\..+\.promisor)$")


def _configs(root: Path) -> dict[str, str]:
    """The settings the import reads, in one git call (the last value of a key wins, as
    with ``git config --get``)."""
    try:
        out = run_git(root, "config", "-z", "--get-regexp", _CONFIG_KEYS)
    except GitFailed:
        return {}  # none is set
    found: dict[str, str] = {}
    for item in out.split("\0"):
        key, _, value = item.partition("\n")  # git writes names in its canonical case
        if key and value.strip():
            found[key] = value.strip()
    return found


def _partial_filter(config: dict[str, str]) -> str | None:
    """The object filter of a partial clone (see ``RepoInfo.partial``)."""
    filters = [v for k, v in config.items() if k.lower().endswith(".partialclonefilter")]
    if filters:
        return filters[0]
    promisor = any(k.lower().endswith(".promisor") and v.lower() == "true"
                   for k, v in config.items())
    return "" if promisor or "extensions.partialclone" in config else None
