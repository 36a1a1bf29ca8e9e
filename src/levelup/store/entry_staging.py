"""New imported entries written ahead into temporary tables, so that SQLite's write lock is
held briefly.

SQLite has one writer at a time: while an import writes, `levelup log` waits. Building rows
and binding them costs far more than SQLite's own work, and a statement per row is slow on
tables with full-text triggers. So an import stages the rows of the entries the ledger does not
hold yet in temporary tables (private to its connection; writing them takes no lock on the
ledger), then, inside its one transaction, adds each chunk with one ``INSERT … SELECT`` per
table. The import stays all-or-nothing: only that transaction writes the ledger.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Integer,
    MetaData,
    Table,
    Text,
    insert,
    literal_column,
    select,
    update,
)
from sqlalchemy.exc import SQLAlchemyError

from levelup.domain.models import Entry
from levelup.store import tables as t
from levelup.store.entries import child_rows, row_values
from levelup.store.named import project_id
from levelup.store.text import scrub

PREFIX = "levelup_staged_"


class Staged:
    """Entries staged on one connection: ``uids`` names them; ``drop`` removes the tables."""

    def __init__(self, tables: dict[Table, Table], positions: dict[str, int]) -> None:
        self.tables = tables  # ledger table -> its temporary twin
        self.uids = positions.keys()
        self._positions = positions  # uid -> its place in the staging order (column "pos")
        self._projects_resolved = False

    def add(self, conn: Connection, entries: Sequence[Entry]) -> None:
        """Add these staged entries to the ledger (inside the writing transaction); each
        ``entry.id`` is set. Entries keep the order they were staged in."""
        self._resolve_projects(conn)
        uids = [entry.uid for entry in entries]
        staged = self.tables[t.entries]
        names = [c.name for c in staged.columns if c.name not in ("project", "pos")]
        conn.execute(insert(t.entries).from_select(
            names, select(*(staged.c[n] for n in names)).where(self._these(staged, uids))
            .order_by(staged.c.pos)))
        ids = dict(conn.execute(select(t.entries.c.uid, t.entries.c.id).where(
            t.entries.c.uid.in_(uids))).all())
        for entry in entries:
            entry.id = int(ids[entry.uid])
        for table, twin in self.tables.items():
            if table is not t.entries:
                columns = [c.name for c in twin.columns if c.name not in ("uid", "pos")]
                conn.execute(insert(table).from_select(
                    ["entry_id", *columns],
                    select(t.entries.c.id, *(twin.c[n] for n in columns))
                    .join(t.entries, t.entries.c.uid == twin.c.uid)
                    .where(self._these(twin, uids)).order_by(_rowid(twin))))

    def _these(self, twin: Table, uids: list[str]) -> Any:
        """The rows of these entries: a range of places when they were staged one after the
        other (the usual case: no long list of values to bind), else by uid."""
        places = sorted(self._positions[uid] for uid in uids)
        if places[-1] - places[0] + 1 == len(places):
            return twin.c.pos.between(places[0], places[-1])
        return twin.c.uid.in_(uids)

    def _resolve_projects(self, conn: Connection) -> None:
        """Project ids, once the lock is held: a project named for the first time is made."""
        if self._projects_resolved:
            return
        staged = self.tables[t.entries]
        names = conn.execute(select(staged.c.project).distinct().where(
            staged.c.project.is_not(None))).scalars().all()
        for name in names:
            conn.execute(update(staged).where(staged.c.project == name)
                         .values(project_id=project_id(conn, name)))
        self._projects_resolved = True

    def drop(self, conn: Connection) -> None:
        """Remove the staging tables; a connection that cannot is left as it is (the next
        staging on it drops them first), so that the error that ended the import shows."""
        try:
            for twin in self.tables.values():
                conn.exec_driver_sql(f'DROP TABLE IF EXISTS temp."{twin.name}"')
            conn.commit()
        except SQLAlchemyError:
            conn.rollback()


def stage_entries(conn: Connection, *, entries: Sequence[Entry],
                  scores: Mapping[str, int]) -> Staged:
    """Stage the rows of ``entries`` (labelled already; ``scores``: the coach's, by uid) in
    temporary tables of ``conn``, and commit (only those tables are written)."""
    projects: dict[str, int | None] = {e.project: None for e in entries if e.project}
    now = datetime.now().replace(microsecond=0)
    rows: list[dict[str, Any]] = []
    children: dict[Table, list[dict[str, Any]]] = defaultdict(list)
    for pos, entry in enumerate(entries):
        values = row_values(conn, entry, projects, score=scores.get(entry.uid), scored=False)
        entry.created_at = values["created_at"] = entry.created_at or now
        rows.append({**values, "project": entry.project or None, "pos": pos})
        for table, table_rows in child_rows(0, entry).items():
            children[table] += [{**scrub(row), "uid": entry.uid, "pos": pos}
                                for row in table_rows]
    meta = MetaData()
    tables = {t.entries: _twin(meta, t.entries, rows)}
    tables.update({table: _twin(meta, table, table_rows)
                   for table, table_rows in children.items() if table_rows})
    for table, twin in tables.items():
        conn.exec_driver_sql(f'DROP TABLE IF EXISTS temp."{twin.name}"')
        twin.create(conn)
        conn.execute(insert(twin), rows if table is t.entries else children[table])
        for column in ("uid", "pos"):
            conn.exec_driver_sql(
                f'CREATE INDEX temp."{twin.name}_{column}" ON "{twin.name}" ({column})')
    conn.commit()
    return Staged(tables, {entry.uid: pos for pos, entry in enumerate(entries)})


def _twin(meta: MetaData, table: Table, rows: list[dict[str, Any]]) -> Table:
    """A temporary table with the columns of ``rows``, typed as in ``table``."""
    columns = [Column(name, table.c[name].type if name in table.c else Text)
               for name in rows[0] if name not in ("entry_id", "pos")]
    if "uid" not in rows[0]:
        columns.append(Column("uid", Text))
    columns.append(Column("pos", Integer))
    return Table(PREFIX + table.name, meta, *columns, prefixes=["TEMPORARY"])


def _rowid(table: Table) -> Any:
    return literal_column(f'"{table.name}".rowid')
