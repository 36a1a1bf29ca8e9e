"""Grouping commits into work items a reader recognises, and parsing what messages mention.

A merged branch or pull request is one item; direct commits on the main line group by author
day and topic (a squash-merged PR ``... (#12)``, a conventional-commit scope, or the top-level
folder they touched most).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

_PR_SUFFIX = re.compile(r"\(#(\d+)\)\s*$")
# A number that a message says is a pull request: a squash merge's "(#12)", "PR #12".
_PR_MENTION = re.compile(r"(?:pull request |PR ?|\()#(\d+)\b", re.IGNORECASE)
# Any other "#12" ("closes #12", "see #12") may be an issue: it is mentioned, not a PR.
_MENTION = re.compile(r"(?<![\w&/])#(\d+)\b")
_ISSUE_KEY = re.compile(r"\b([A-Z][A-Z0-9]{1,9}-[1-9]\d{0,6})\b")
_NOT_ISSUES = frozenset({"UTF", "ISO", "SHA", "RFC", "MD", "AES", "TLS", "HTTP", "PEP", "X"})
_SCOPE = re.compile(r"^[a-z]+\(([\w./-]+)\)!?:", re.IGNORECASE)
_MERGE_PR = re.compile(r"^Merge pull request #(\d+) from (\S+)")
_MERGE_BRANCH = re.compile(r"^Merge (?:remote-tracking )?branch '([^']+)'")
_MERGE_TAG = re.compile(r"^Merge (?:tag|commit) ")
# Branches that live on and receive other work: merging one brings in many pieces of work.
_LONG_LIVED = re.compile(
    r"^(?:main|master|trunk|develop|development|devel|dev|next|stable|maint|maintenance"
    r"|integration|staging|production|releases?"
    r"|(?:releases?|maint|maintenance|stable|support)/.+"
    r"|(?:releases?|maint|maintenance|stable|support)[_-]v?\d.*"
    r"|v?\d+(?:\.\d+)*\.x|v?\d+(?:\.\d+)+|.+[-_](?:maintenance|maint|stable))$",
    re.IGNORECASE)
# A pull request from a fork's own main branch is one piece of work, whatever its name.
_FORK_MAIN = frozenset({"main", "master", "trunk", "develop", "dev"})
# Where git's summary of a merged branch's commits, or a conflict list, begins.
_MERGE_LOG = re.compile(r"^(?:\* [^\s].*:|#? ?Conflicts:)\s*$")
_TRAILER = re.compile(r"^[A-Za-z][\w-]*: \S")
MAX_DESCRIPTION = 2000
# What `git pull` writes when it merges the main branch into a local copy of it.
_PULL = re.compile(r"^Merge (?:branch '(?:main|master|trunk|develop)' of \S+"
                   r"|remote-tracking branch '[^'/]+/(?:main|master|trunk|develop)')\s*$")


CommitLine = tuple[int, str, date, str]  # author time, sha, author day, subject


@dataclass(slots=True)
class Commit:
    """One of the user's commits, as much as grouping and details need."""

    sha: str
    time: int  # author time, seconds since the epoch
    day: date  # author day in the author's time zone
    subject: str
    body: str
    added: int
    removed: int
    binary: int
    files: list[str]


@dataclass(slots=True)
class WorkItem:
    """Commits that belong together, with their totals."""

    key: str
    direct: bool
    commits: list[CommitLine] = field(default_factory=list)
    files: set[str] = field(default_factory=set)
    added: int = 0
    removed: int = 0
    binary: int = 0
    prs: set[int] = field(default_factory=set)
    issues: set[str] = field(default_factory=set)
    mentions: set[int] = field(default_factory=set)  # "#N" that need not be pull requests
    description: str = ""  # the merge message's description of the branch
    merge_sha: str | None = None
    headline: str | None = None  # the PR title or branch name, when a merge says so
    branch: str | None = None  # the local branch of work not on the main line yet

    def add(self, commit: Commit) -> None:
        self.commits.append((commit.time, commit.sha, commit.day, commit.subject))
        self.files.update(commit.files)
        self.added += commit.added
        self.removed += commit.removed
        self.binary += commit.binary
        self.prs.update(pr_numbers(commit.subject))
        self.mentions.update(mentioned_numbers(commit.subject))
        self.issues.update(issue_keys(commit.subject, commit.body))

    def absorb(self, other: WorkItem) -> None:
        """Take in another item's commits (two items that turned out to share a key)."""
        known = {c[1] for c in self.commits}
        self.commits += [c for c in other.commits if c[1] not in known]
        self.files |= other.files
        self.added += other.added
        self.removed += other.removed
        self.binary += other.binary
        self.prs |= other.prs
        self.issues |= other.issues
        self.mentions |= other.mentions
        self.description = self.description or other.description
        self.merge_sha = self.merge_sha or other.merge_sha
        self.headline = self.headline or other.headline

    @property
    def first(self) -> date:
        return min(c[2] for c in self.commits)

    @property
    def last(self) -> date:
        return max(c[2] for c in self.commits)


def pr_numbers(text: str) -> set[int]:
    return {int(n) for n in _PR_MENTION.findall(text)}


def mentioned_numbers(text: str) -> set[int]:
    """Every "#N" a message mentions (issues or pull requests: it does not say which)."""
    return {int(n) for n in _MENTION.findall(text)}


def issue_keys(*texts: str) -> set[str]:
    """Issue keys like ABC-123 (not UTF-8, ISO-8601 and the like)."""
    return {
        key for text in texts for key in _ISSUE_KEY.findall(text)
        if key.split("-", 1)[0] not in _NOT_ISSUES
    }


def direct_topic(commit: Commit) -> str:
    """The topic of a direct commit: its squash-merged PR, scope, or main top-level folder."""
    pr = _PR_SUFFIX.search(commit.subject)
    if pr:
        return f"pr:{pr[1]}"
    scope = _SCOPE.match(commit.subject)
    if scope:
        return scope[1].lower()
    if not commit.files:
        return "misc"
    tops = Counter(path.split("/", 1)[0] if "/" in path else "(root)" for path in commit.files)
    return min(tops.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def direct_key(commit: Commit) -> str:
    topic = direct_topic(commit)
    return topic if topic.startswith("pr:") else f"{commit.day.isoformat()}:{topic}"


def is_pull_merge(subject: str) -> bool:
    """Whether a merge is `git pull` merging the main branch into a local copy of it: the
    commits it brings in were made on the main line elsewhere, not on a branch of work."""
    return _PULL.match(subject) is not None


def parse_merge(subject: str, body: str) -> tuple[int | None, str | None]:
    """The PR number and a headline (PR title or branch name) from a merge message."""
    pr = _MERGE_PR.match(subject)
    if pr:
        title = next((line.strip() for line in body.splitlines() if line.strip()), None)
        return int(pr[1]), title or pr[2].split("/", 1)[-1]
    branch = _MERGE_BRANCH.match(subject)
    if branch:
        return None, branch[1]
    numbers = pr_numbers(subject)
    return (min(numbers) if numbers else None), None


def merged_branch(subject: str) -> str | None:
    """The branch a merge message says it merged (a PR's head branch, without its owner)."""
    pr = _MERGE_PR.match(subject)
    if pr:
        return pr[2].split("/", 1)[-1] if "/" in pr[2] else pr[2]
    branch = _MERGE_BRANCH.match(subject)
    if branch is None:
        return None
    name = branch[1]
    if subject.startswith("Merge remote-tracking"):
        name = name.split("/", 1)[-1]  # origin/stable is stable
    return name


def is_pr_merge(subject: str) -> bool:
    return _MERGE_PR.match(subject) is not None


def is_long_lived_merge(subject: str) -> bool:
    """Whether a merge brings in a long-lived branch (a maintenance, release or integration
    branch, a tag, or the main branch itself through `git pull`) rather than one piece of
    work: its commits are the work of many merges and direct commits."""
    if is_pull_merge(subject) or _MERGE_TAG.match(subject):
        return True
    name = merged_branch(subject)
    if name is None:
        return False
    if is_pr_merge(subject) and name.lower() in _FORK_MAIN:
        return False
    return _LONG_LIVED.match(name) is not None


def merge_description(subject: str, body: str) -> str:
    """What a merge message says about the merged work, beyond its first line: git's
    paragraphs about a topic, or a pull request's description (its title, the body's first
    line, is the headline). git's list of the merged commits and trailers are left out."""
    lines = body.strip("\n").splitlines()
    if _MERGE_PR.match(subject) and lines:
        lines = lines[1:]
    kept: list[str] = []
    for line in lines:
        if _MERGE_LOG.match(line):
            break
        kept.append(line.rstrip())
    while kept and (not kept[-1].strip() or _TRAILER.match(kept[-1])):
        kept.pop()
    text = "\n".join(kept).strip()
    return text if len(text) <= MAX_DESCRIPTION else text[:MAX_DESCRIPTION].rstrip() + " ..."
