"""File ownership from imported git history: who changed which file, and the bus factor.

Rows are (repo, path, author) with a commit count and the first and last day of those
commits. Imports are incremental, so merging adds counts and widens the dates.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, case, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from levelup.domain.ownership import Ownership
from levelup.store import tables as t
from levelup.store.scope import owned, owner_of

_CHUNK = 5000


@dataclass(slots=True)
class PathOwners:
    """Who changed one file (or folder) of a repository, with their commit counts."""

    repo: str
    path: str
    authors: dict[str, int] = field(default_factory=dict)
    last_date: date | None = None

    @property
    def commits(self) -> int:
        return sum(self.authors.values())


def merge_ownership(conn: Connection, *, rows: Iterable[Ownership]) -> int:
    """Add ``rows`` to the stored ownership (counts add up, dates widen); returns rows merged."""
    owner = owner_of(conn)
    values = [{**row, "owner_id": owner} for row in _combined(rows).values()]
    table = t.file_ownership
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    stmt = insert(table)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.owner_id, table.c.repo, table.c.path, table.c.author],
        set_={
            "commits": table.c.commits + stmt.excluded.commits,
            "first_date": case((stmt.excluded.first_date < table.c.first_date,
                                stmt.excluded.first_date), else_=table.c.first_date),
            "last_date": case((stmt.excluded.last_date > table.c.last_date,
                               stmt.excluded.last_date), else_=table.c.last_date),
        },
    )
    for start in range(0, len(values), _CHUNK):
        conn.execute(stmt, values[start : start + _CHUNK])
    return len(values)


def delete_ownership(conn: Connection, *, repo: str) -> None:
    """Forget the stored ownership of one repository (before it is read again whole)."""
    conn.execute(delete(t.file_ownership).where(
        owned(conn, t.file_ownership), t.file_ownership.c.repo == repo))


def _combined(rows: Iterable[Ownership]) -> dict[tuple[str, str, str], dict[str, Any]]:
    # One statement must not touch a row twice (PostgreSQL refuses), so merge duplicates first.
    found: dict[tuple[str, str, str], dict[str, Any]] = {}
    for row in rows:
        key = (row.repo, row.path, row.author)
        seen = found.get(key)
        if seen is None:
            found[key] = {"repo": row.repo, "path": row.path, "author": row.author,
                          "commits": row.commits, "first_date": row.first_date,
                          "last_date": row.last_date}
        else:
            seen["commits"] += row.commits
            seen["first_date"] = min(seen["first_date"], row.first_date)
            seen["last_date"] = max(seen["last_date"], row.last_date)
    return found


def path_owners(
    conn: Connection, *, since: date, repo: str | None = None, depth: int | None = None
) -> list[PathOwners]:
    """Who changed each file since ``since``; with ``depth``, per folder of that many levels."""
    table = t.file_ownership
    query = select(table.c.repo, table.c.path, table.c.author, table.c.commits,
                   table.c.last_date).where(owned(conn, table), table.c.last_date >= since)
    if repo is not None:
        query = query.where(table.c.repo == repo)
    grouped: dict[tuple[str, str], PathOwners] = {}
    for repo_id, path, author, commits, last in conn.execute(query):
        where = folder(path, depth) if depth else path
        owners = grouped.get((repo_id, where))
        if owners is None:
            owners = grouped[(repo_id, where)] = PathOwners(repo=repo_id, path=where)
        owners.authors[author] = owners.authors.get(author, 0) + commits
        owners.last_date = max(owners.last_date or last, last)
    return sorted(grouped.values(), key=lambda o: (o.repo, o.path))


def sole_owner_paths(
    conn: Connection, *, author_emails: Collection[str], since: date, depth: int | None = None
) -> list[PathOwners]:
    """Files (or folders, with ``depth``) changed since ``since`` only by the user's emails.

    These are the code only the user touches: the bus-factor check of readiness.
    """
    mine = {e.lower() for e in author_emails}
    return [o for o in path_owners(conn, since=since, depth=depth) if o.authors.keys() <= mine]


def folder(path: str, depth: int) -> str:
    """The first ``depth`` folders of ``path`` (a file at the top stays itself)."""
    parts = path.split("/")
    return "/".join(parts[:depth]) if len(parts) > depth else path
