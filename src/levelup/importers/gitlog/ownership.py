"""Who changed which file over the last year: one pass over every author's commits.

It runs in a thread beside the user's own passes, so that git works on both at once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from levelup.importers.base import Ownership
from levelup.importers.gitlog.stream import git_stream, name_records, nul_tokens

OWNERSHIP_FORMAT = "%x1e%aE%x1f%as"


class _Tally:
    __slots__ = ("commits", "first", "last")

    def __init__(self, day: str) -> None:
        self.commits, self.first, self.last = 1, day, day  # ISO days compare as strings


class OwnershipPass:
    """Reads ``git log REVS --since SINCE`` in a thread; ``rows()`` waits for it."""

    def __init__(
        self, repo: Path, repo_id: str, revs: list[str], since: date, *, whole: bool = False,
        renames: bool = True,
    ) -> None:
        self.repo_id = repo_id
        self.whole = whole  # the pass reads all of the period: it replaces stored rows
        self.tally: dict[tuple[str, str], _Tally] = {}
        self.error: BaseException | None = None
        # --name-only: which files, not how many lines, so git diffs trees, not contents
        # (except to find renames, which a partial clone without contents goes without)
        args = ["log", "--use-mailmap", "--no-merges", "--name-only", "-z",
                *([] if renames else ["--no-renames"]),
                f"--format={OWNERSHIP_FORMAT}", f"--since={since.isoformat()} 00:00:00",
                *revs, "--"]
        self._thread = threading.Thread(target=self._run, args=(repo, args), daemon=True)
        self._thread.start()

    def _run(self, repo: Path, args: list[str]) -> None:
        try:
            with git_stream(repo, args) as out:
                tally = self.tally
                for (author, day), files in name_records(nul_tokens(out), 2):
                    author = author.lower()
                    for path in files:
                        row = tally.get((path, author))
                        if row is None:
                            tally[(path, author)] = _Tally(day)
                        else:
                            row.commits += 1
                            row.first = min(row.first, day)
                            row.last = max(row.last, day)
        except BaseException as exc:  # re-raised in the reading thread by rows()
            self.error = exc

    def rows(self) -> Iterator[Ownership]:
        self._thread.join()
        if self.error is not None:
            raise self.error
        for (path, author), row in self.tally.items():
            yield Ownership(repo=self.repo_id, path=path, author=author, commits=row.commits,
                            first_date=date.fromisoformat(row.first),
                            last_date=date.fromisoformat(row.last))
