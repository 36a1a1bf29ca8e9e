"""Which merge brought each of the user's commits into the main line.

The main line is the first-parent chain from HEAD. A commit that is not on it was brought in
by the *oldest* main-line merge that reaches it through a side parent. Reading the history in
topological order (children first), that merge is found by passing each merge's position
down the side branches and keeping the largest (oldest) one: one pass, and only the open
side branches are held in memory. A `git pull` that merged the main branch into a local copy
of it brings in no branch of work: the commits it reaches are direct, as if on the main line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from levelup.importers.gitlog.grouping import is_pull_merge

GRAPH_FORMAT = "%H%x1f%P%x1f%aE%x1f%aN%x1f%s"

IsUser = Callable[[str, str], bool]


@dataclass(slots=True)
class Graph:
    """The user's commits and the main-line merge (sha) that brought each in, or None."""

    merge_of: dict[str, str | None] = field(default_factory=dict)
    commits: int = 0  # every commit read, the user's or not
    # Merges that reach commits the walk did not read (older than a --since limit): their
    # branches may hold more of the user's commits than the walk saw.
    cut: set[str] = field(default_factory=set)

    @property
    def merges(self) -> set[str]:
        return {sha for sha in self.merge_of.values() if sha is not None}


def read_graph(lines: Iterable[str], is_user: IsUser) -> Graph:
    """Label commits from `git log --topo-order --format=GRAPH_FORMAT` lines."""
    graph = Graph()
    pending: dict[str, int] = {}  # commit -> position of the oldest merge reaching it so far
    merge_at: dict[int, str] = {}  # position on the main line -> merge sha
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
            if len(parents) > 1 and not is_pull_merge(subject):
                merge_at[position] = sha
                _reach(pending, parents[1:], position)
        elif reached is not None:
            _reach(pending, parents, reached)
        if is_user(email, name):
            graph.merge_of[sha] = merge_at[reached] if reached is not None else None
    graph.cut = {merge_at[position] for position in pending.values()}
    return graph


def _reach(pending: dict[str, int], parents: list[str], position: int) -> None:
    for parent in parents:
        if pending.get(parent, 0) < position:
            pending[parent] = position
