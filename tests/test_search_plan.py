"""On SQLite, a search follows the full-text match's rowids instead of scanning the ledger.

Every query is scoped to an owner; told that a local ledger's owner filter holds for nearly every
row, SQLite's planner keeps the rowid path (7x faster on 100k entries than an owner-index scan).
The ledger page's search keeps that path for a rare word, and walks the date index for a common
one (store/paging.py), stopping once the page is full instead of sorting every match.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
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


def _ledger_of(tmp_path: Path, titles: list[str]) -> Context:
    ctx = Context(settings=load(environ={}, home=tmp_path), today=TODAY)
    for n, title in enumerate(titles):
        log_entry(ctx, title=title, date=f"2026-{1 + n % 10:02d}-{1 + n % 28:02d}",
                  outcomes=["sla"], competencies=["craft"])
    return ctx


def _page_plan(ctx: Context, **search: Any) -> tuple[list[int], list[str]]:
    """The ids of a ledger page and the query plan of the statement that read its entries."""
    from levelup.services.dashboard import ledger_page

    seen: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, sql: str, params: Any, *_: Any) -> None:
        if sql.lstrip().upper().startswith("SELECT ENTRIES.ID, ENTRIES.UID"):
            seen.append((sql, params))

    engine = ctx.engine()
    event.listen(engine, "before_cursor_execute", record)
    try:
        page = ledger_page(ctx, **search)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    sql, params = seen[0]
    with engine.connect() as conn:
        plan = [row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params)]
    return [e.id for e in page.entries if e.id is not None], plan


def test_a_common_word_walks_the_date_index_and_stops_at_a_page(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from levelup.store import paging
    from levelup.store.search import search_entries

    titles = [f"Tuned kafka consumer {n}" if n % 4 else f"Wrote docs {n}" for n in range(40)]
    ctx = _ledger_of(tmp_path, titles)
    monkeypatch.setattr(paging, "SPARSE", 5)  # 30 matches: "common" for this small ledger
    ids, plan = _page_plan(ctx, query="kafka", limit=7)
    with ctx.read() as conn:
        expected = [e.id for e in search_entries(conn, query="kafka", limit=7)]
    assert ids == expected and len(ids) == 7
    assert any("USING COVERING INDEX ix_entries_date" in step
               or "USING INDEX ix_entries_date" in step for step in plan), plan
    assert not any("TEMP B-TREE FOR ORDER BY" in step for step in plan), plan  # no sort of all
    ctx.close()


def test_a_rare_word_reads_its_few_entries_by_id(tmp_path: Path) -> None:
    from levelup.store.search import search_entries

    titles = [f"Tuned kafka consumer {n}" if n % 10 == 0 else f"Wrote docs {n}"
              for n in range(40)]
    ctx = _ledger_of(tmp_path, titles)
    ids, plan = _page_plan(ctx, query="kafka", limit=3)
    with ctx.read() as conn:
        expected = [e.id for e in search_entries(conn, query="kafka", limit=3)]
    assert ids == expected and len(ids) == 3
    assert any(step.startswith("SEARCH entries USING INTEGER PRIMARY KEY") for step in plan), plan
    ctx.close()
