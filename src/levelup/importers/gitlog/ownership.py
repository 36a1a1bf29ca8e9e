"""Who changed the user's code over the last year: what the bus-factor check reads.

One `git log --name-only` pass over the window in a thread beside the user's own passes, so
that git works on both at once. Of every other author's changes only those under a top-level
folder (or to a top-level file) the user changed in the window are kept: who else touched the
user's code, at any folder depth the check reports, and nothing of the rest of the repository.
(Asking git for those paths alone costs it more: a pathspec makes it compare every merge with
its parents.) A whole pass keeps only files still on the main line. Days are commit days, as
the window is.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from levelup.importers.base import Ownership
from levelup.importers.gitlog.history import Identities
from levelup.importers.gitlog.stream import (
    Readable,
    git_stream,
    name_records,
    nul_tokens,
    run_git,
)

OWNERSHIP_FORMAT = "%x1e%aE%x1f%aN%x1f%cs"


class _Tally:
    __slots__ = ("commits", "first", "last")

    def __init__(self, day: str) -> None:
        self.commits, self.first, self.last = 1, day, day  # ISO days compare as strings


class OwnershipPass:
    """Reads the ownership of ``head``'s history since ``since`` in a thread (only commits
    in ``revs``, when an earlier import read the rest); ``rows()`` waits for it."""

    def __init__(
        self, repo: Path, repo_id: str, head: str, revs: list[str], since: date,
        who: Identities, *, whole: bool = False, renames: bool = True,
    ) -> None:
        self.repo_id = repo_id
        self.whole = whole  # the pass reads all of the period: it replaces stored rows
        self.tally: dict[tuple[str, str], _Tally] = {}
        self.error: BaseException | None = None
        self._keep: set[str] | None = None  # the paths whose rows are kept (None: all)
        # --name-only: which files, not how many lines, so git diffs trees, not contents
        # (except to find renames, which a partial clone without contents goes without)
        self._log = ["log", "--use-mailmap", "--no-merges", "--name-only", "-z",
                     *([] if renames else ["--no-renames"]), f"--format={OWNERSHIP_FORMAT}",
                     f"--since={since.isoformat()} 00:00:00"]
        self._thread = threading.Thread(target=self._run, args=(repo, head, revs, who),
                                        daemon=True)
        self._thread.start()

    def _run(self, repo: Path, head: str, revs: list[str], who: Identities) -> None:
        try:
            with git_stream(repo, [*self._log, *revs, "--"]) as out:
                mine = self._count(out, who)
            if self.whole:
                # the user's code only (a re-run adds every change, as the rows it adds to
                # may be of folders the user changed before), and only files still there
                listing = run_git(repo, "ls-tree", "-r", "-z", "--name-only", head)
                self._keep = {path for path in listing.split("\0")
                              if path and path.split("/", 1)[0] in mine}
        except BaseException as exc:  # re-raised in the reading thread by rows()
            self.error = exc

    def _count(self, out: Readable, who: Identities) -> set[str]:
        """Tally the changes; the top-level folders and files the user changed."""
        tally = self.tally
        mine: set[str] = set()
        for (author, name, day), files in name_records(nul_tokens(out), 3):
            author = author.lower()
            if who(author, name):
                mine.update(path.split("/", 1)[0] for path in files)
            for path in files:
                row = tally.get((path, author))
                if row is None:
                    tally[(path, author)] = _Tally(day)
                else:
                    row.commits += 1
                    row.first = min(row.first, day)
                    row.last = max(row.last, day)
        return mine

    def rows(self) -> Iterator[Ownership]:
        self._thread.join()
        if self.error is not None:
            raise self.error
        keep = self._keep
        for (path, author), row in self.tally.items():
            if keep is not None and path not in keep:
                continue
            yield Ownership(repo=self.repo_id, path=path, author=author, commits=row.commits,
                            first_date=date.fromisoformat(row.first),
                            last_date=date.fromisoformat(row.last))
