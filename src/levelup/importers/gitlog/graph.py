"""Which merge brought each of the user's commits in: one piece of work per merge.

The main line is the first-parent chain from HEAD. A commit that is not on it was brought in
by the *oldest* main-line merge that reaches it through a side parent. Reading the history in
topological order (children first), that merge is found by passing each merge's position
down the side branches and keeping the largest (oldest) one: one pass.

A merge of a long-lived branch (a maintenance, release or integration branch, a `git pull`
of the main branch, a "foxtrot" merge of origin's main line into a stale local one) is not
one piece of work: its branch is a line of its own, like the main line. Its inner merges are
pieces of work (split again when they too merged a long-lived branch), and the commits made
on it directly are direct commits. A merge is taken for such a branch by its name
(``is_long_lived_merge``) or by what it holds: a pull request merged into it, or two merges
of other branches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from levelup.importers.gitlog.grouping import is_long_lived_merge, is_pr_merge

GRAPH_FORMAT = "%H%x1f%P%x1f%aE%x1f%aN%x1f%s"

IsUser = Callable[[str, str], bool]


@dataclass(slots=True)
class Graph:
    """The user's commits and the merge (sha) that brought each in, or None for a commit
    made on the main line or directly on a long-lived branch."""

    merge_of: dict[str, str | None] = field(default_factory=dict)
    commits: int = 0  # every commit read, the user's or not
    # Merges that reach commits the walk did not read (older than a --since limit): their
    # branches may hold more of the user's commits than the walk saw.
    cut: set[str] = field(default_factory=set)

    @property
    def merges(self) -> set[str]:
        return {sha for sha in self.merge_of.values() if sha is not None}


@dataclass(slots=True)
class _Walk:
    """What the pass keeps of the commits off the main line, to split long-lived branches."""

    parents: dict[str, list[str]] = field(default_factory=dict)  # off the main line; merges
    subjects: dict[str, str] = field(default_factory=dict)  # merges only
    members: dict[str, set[str]] = field(default_factory=dict)  # main-line merge -> commits
    unread: set[str] = field(default_factory=set)  # parents the walk did not reach


def read_graph(lines: Iterable[str], is_user: IsUser) -> Graph:
    """Label commits from `git log --topo-order --format=GRAPH_FORMAT` lines."""
    graph = Graph()
    walk = _Walk()
    pending: dict[str, int] = {}  # commit -> position of the oldest merge reaching it so far
    merge_at: dict[int, str] = {}  # position on the main line -> merge sha
    reached_by: dict[str, int] = {}  # the user's commits off the main line -> position
    next_main: str | None = None
    position = 0
    for line in lines:
        sha, parents_, email, name, subject = line.rstrip("\n").split("\x1f", 4)
        parents = parents_.split()
        reached = pending.pop(sha, None)
        graph.commits += 1
        if graph.commits == 1 or sha == next_main:
            position += 1
            next_main = parents[0] if parents else None
            reached = None
            if len(parents) > 1:
                merge_at[position] = sha
                walk.parents[sha] = parents
                walk.subjects[sha] = subject
                _reach(pending, parents[1:], position)
        elif reached is not None:
            _reach(pending, parents, reached)
            walk.parents[sha] = parents
            if len(parents) > 1:
                walk.subjects[sha] = subject
            walk.members.setdefault(merge_at[reached], set()).add(sha)
        if is_user(email, name):
            graph.merge_of[sha] = None
            if reached is not None:
                reached_by[sha] = reached
    walk.unread = set(pending)
    owners: dict[str, str | None] = {}
    for merge in {merge_at[p] for p in reached_by.values()}:
        owners.update(_split(merge, walk.members.get(merge, set()), walk, graph.cut))
    for sha in reached_by:
        graph.merge_of[sha] = owners.get(sha)
    return graph


def _reach(pending: dict[str, int], parents: list[str], position: int) -> None:
    for parent in parents:
        if pending.get(parent, 0) < position:
            pending[parent] = position


def _split(top: str, region: set[str], walk: _Walk, cut: set[str]) -> dict[str, str | None]:
    """Which merge each commit of ``region`` (what merge ``top`` brought in) belongs to:
    ``top`` itself, an inner merge of a long-lived branch, or None (made on that branch)."""
    owners: dict[str, str | None] = {}
    todo = [(top, region)]
    while todo:
        merge, commits = todo.pop()
        line, reached_unread = _line(merge, commits, walk)
        taken = set(line)
        inner: list[tuple[str, set[str]]] = []
        for sha in reversed(line):  # the oldest inner merge first, as on the main line
            if len(walk.parents[sha]) > 1:
                brought, missing = _brought(walk.parents[sha][1:], commits, taken, walk)
                reached_unread = reached_unread or missing
                if brought:
                    inner.append((sha, brought))
        long_lived = (is_long_lived_merge(walk.subjects.get(merge, "")) or len(inner) > 1
                      or any(is_pr_merge(walk.subjects[sha]) for sha, _ in inner))
        if not long_lived:
            owners.update(dict.fromkeys(commits, merge))
            if reached_unread:
                cut.add(merge)
            continue
        direct = set(commits)
        for _, brought in inner:
            direct -= brought
        owners.update(dict.fromkeys(direct, None))
        todo += inner
    return owners


def _line(merge: str, commits: set[str], walk: _Walk) -> tuple[list[str], bool]:
    """The first-parent chains of ``merge``'s side parents within ``commits``, newest
    first, and whether they go on into history the walk did not read."""
    line: list[str] = []
    seen: set[str] = set()
    unread = False
    for head in walk.parents[merge][1:]:
        sha: str | None = head
        while sha is not None and sha in commits and sha not in seen:
            seen.add(sha)
            line.append(sha)
            parents = walk.parents[sha]
            sha = parents[0] if parents else None
        unread = unread or (sha is not None and sha in walk.unread)
    return line, unread


def _brought(
    heads: list[str], commits: set[str], taken: set[str], walk: _Walk
) -> tuple[set[str], bool]:
    """The commits of ``commits`` not ``taken`` yet that ``heads`` reach (now taken), and
    whether they reach history the walk did not read."""
    brought: set[str] = set()
    unread = False
    todo = list(heads)
    while todo:
        sha = todo.pop()
        if sha in walk.unread:
            unread = True
        if sha in taken or sha not in commits:
            continue
        taken.add(sha)
        brought.add(sha)
        todo += walk.parents[sha]
    return brought, unread
