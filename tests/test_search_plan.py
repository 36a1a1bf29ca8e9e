"""On SQLite, a search follows the full-text match's rowids instead of scanning the ledger.

Every query is scoped to an owner; told that a local ledger's owner filter holds for nearly every
row, SQLite's planner keeps the rowid path (7x faster on 100k entries than an owner-index scan).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event

from levelup.context import Context
from levelup.services.entries import log_entry, search_ledger
from levelup.settings import load
from tests.conftest import TODAY


def test_search_reads_entries_by_rowid_not_by_owner_index(tmp_path: Path) -> None:
    ctx = Context(settings=load(environ={}, home=tmp_path), today=TODAY)
    for n in range(30):
        log_entry(ctx, title=f"Tuned kafka consumer {n}" if n % 3 else f"Wrote docs {n}",
                  date=None, until=None, kind="win", project=None, outcomes=["sla"],
                  competencies=["craft"], metrics=[], links=[])
    seen: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, sql: str, params: Any, *_: Any) -> None:
        if "entries_fts" in sql and sql.lstrip().upper().startswith("SELECT"):
            seen.append((sql, params))

    engine = ctx.engine()
    event.listen(engine, "before_cursor_execute", record)
    found = search_ledger(ctx, query="kafka", since=None, until=None, within="entries",
                          limit=None)
    event.remove(engine, "before_cursor_execute", record)
    assert len(found["entries"]) == 20
    sql, params = seen[0]
    with engine.connect() as conn:
        plan = [row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params)]
    assert any(step.startswith("SEARCH entries USING INTEGER PRIMARY KEY") for step in plan), plan
    assert not any(step.startswith(("SCAN entries ", "SEARCH entries USING INDEX"))
                   for step in plan), plan
    ctx.close()
