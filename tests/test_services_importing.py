"""The import use case, called directly: progress events, the summary, dry runs, failures."""

from __future__ import annotations

from pathlib import Path

import pytest

from levelup.cli.common import Env
from levelup.context import Context
from levelup.importers.tabular import TabularImporter
from levelup.services.import_runner import ImportFailed
from levelup.services.importing import ImportProgress, import_sources
from levelup.settings import load
from levelup.store.db import sqlite_path
from levelup.store.entries import list_entries
from tests.conftest import TODAY

ROWS = 1100  # the tabular importer reports progress every 500 rows


def sheet(folder: Path, rows: int, *, bad: bool = False) -> str:
    path = folder / "work.csv"
    lines = [f"Shipped change {n};2026-03-{n % 28 + 1:02d}" for n in range(rows)]
    path.write_text("\n".join(["title;date", *lines, *(["Broken row;someday"] if bad else [])])
                    + "\n")
    return str(path)


def stored(ctx: Context) -> int:
    with ctx.read() as conn:
        return len(list_entries(conn, source="csv"))


def test_progress_events_rise_and_end_full(env: Env, tmp_path: Path) -> None:
    events: list[ImportProgress] = []
    summary = import_sources(env.ctx, importer=TabularImporter(), inputs=[sheet(tmp_path, ROWS)],
                             options={}, progress=events.append)
    dones = [event.done for event in events]
    assert dones == sorted(set(dones)) and dones[:2] == [500, 1000]
    assert {event.label for event in events} == {"csv"}
    assert [event.total for event in events[:-1]] == [None, None]
    assert events[-1].total == events[-1].done >= ROWS
    assert (summary.counts["new"], summary.kinds["entries"], summary.formats) == (
        ROWS, ROWS, ["csv"])
    assert stored(env.ctx) == ROWS


def test_a_second_import_changes_nothing_and_the_json_keeps_its_keys(
    env: Env, tmp_path: Path
) -> None:
    path = sheet(tmp_path, 3)
    import_sources(env.ctx, importer=TabularImporter(), inputs=[path], options={})
    again = import_sources(env.ctx, importer=TabularImporter(), inputs=[path], options={})
    assert (again.counts["new"], again.counts["unchanged"]) == (0, 3)
    assert list(again.as_json()) == [
        "new", "updated", "unchanged", "removed", "duplicates", "dismissed", "skipped", "kept",
        "records", "formats", "visibility_hints", "notes", "dry_run"]


def test_a_dry_run_writes_nothing_and_lists_the_changes(env: Env, tmp_path: Path) -> None:
    stored(env.ctx)  # the ledger exists
    summary = import_sources(env.ctx, importer=TabularImporter(), inputs=[sheet(tmp_path, 2)],
                             options={}, dry_run=True)
    assert summary.counts["new"] == 2 and summary.as_json()["dry_run"] is True
    assert [(c.change, c.record) for c in summary.changes] == [("new", "entry")] * 2
    assert stored(env.ctx) == 0


def test_a_period_limits_what_is_read(env: Env, tmp_path: Path) -> None:
    summary = import_sources(env.ctx, importer=TabularImporter(), inputs=[sheet(tmp_path, 28)],
                             options={}, since="2026-03-15", until="2026-03-20")
    assert summary.counts["new"] == 6


def test_bad_rows_abort_unless_skipped(env: Env, tmp_path: Path) -> None:
    path = sheet(tmp_path, 2, bad=True)
    stored(env.ctx)
    with pytest.raises(ImportFailed, match="someday"):
        import_sources(env.ctx, importer=TabularImporter(), inputs=[path], options={})
    assert stored(env.ctx) == 0
    summary = import_sources(env.ctx, importer=TabularImporter(), inputs=[path], options={},
                             skip_bad=True)
    assert (summary.counts["new"], len(summary.skipped)) == (2, 1)


@pytest.fixture
def fresh(sqlite_url: str, tmp_path: Path) -> Context:
    """A context whose SQLite ledger does not exist yet."""
    settings = load(environ={}, home=tmp_path / "home", database_url=sqlite_url)
    return Context(settings=settings, today=TODAY)


def ledger_files(ctx: Context) -> list[str]:
    path = sqlite_path(ctx.settings.url)
    assert path is not None
    return sorted(p.name for p in path.parent.glob(f"{path.name}*"))


def test_a_dry_run_before_there_is_a_ledger_creates_none(fresh: Context, tmp_path: Path) -> None:
    summary = import_sources(fresh, importer=TabularImporter(), inputs=[sheet(tmp_path, 2)],
                             options={}, dry_run=True)
    assert summary.counts["new"] == 2
    assert ledger_files(fresh) == []


def test_a_first_import_that_failed_leaves_no_ledger(fresh: Context, tmp_path: Path) -> None:
    with pytest.raises(ImportFailed):
        import_sources(fresh, importer=TabularImporter(), inputs=[sheet(tmp_path, 2, bad=True)],
                       options={})
    assert ledger_files(fresh) == []
    import_sources(fresh, importer=TabularImporter(), inputs=[sheet(tmp_path, 2)], options={})
    assert stored(fresh) == 2
    fresh.close()
