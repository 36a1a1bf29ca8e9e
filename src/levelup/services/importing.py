"""Importing sources into the ledger: the use case behind ``levelup import SOURCE``.

The importer plugin reads, the runner (``import_runner``) stores in one transaction. How far
the reading got and why the classifier fell back go to callbacks the adapter supplies (a
progress bar and a stream in a terminal, a progress stream on a page).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from levelup.importers.base import ImportContext, Importer
from levelup.services.import_runner import ImportSummary

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy import Engine

    from levelup.context import Context
    from levelup.domain.dates import DateRange


@dataclass(frozen=True, slots=True)
class ImportProgress:
    """``done`` of ``total`` (None while unknown) units of work of the importer ``label``.

    An import that read all its inputs ends with one event where ``done == total``.
    """

    label: str
    done: int
    total: int | None = None


Progress = Callable[[ImportProgress], None]


def import_sources(
    ctx: Context, *, importer: Importer, inputs: list[str], options: dict[str, Any],
    since: str | None = None, until: str | None = None, dry_run: bool = False,
    skip_bad: bool = False, progress: Progress | None = None,
    warn: Callable[[str], None] | None = None,
) -> ImportSummary:
    """Read ``inputs`` with ``importer`` and store its records in one transaction.

    A bad record aborts the import (``ImportFailed``, nothing written) unless ``skip_bad``;
    ``dry_run`` computes the summary and writes nothing, not even a new ledger. ``progress``
    hears how far the reading got; ``warn`` hears why the classifier fell back.
    """
    period = ctx.window(since, until)
    tracker = _Tracker(importer.name, progress)
    with _ledger(ctx, dry_run=dry_run) as engine:
        return _run(ctx, engine, importer, inputs, options, period, tracker,
                    dry_run=dry_run, skip_bad=skip_bad, warn=warn)


@dataclass(slots=True)
class _Tracker:
    """Turns the importer's ``progress(done, total)`` calls into ``ImportProgress`` events."""

    label: str
    report: Progress | None
    done: int = 0
    total: int | None = None

    def advance(self, done: int, total: int | None) -> None:
        self.done, self.total = done, total
        if self.report is not None:
            self.report(ImportProgress(self.label, done, total))

    def finish(self, read: int) -> None:
        """All read: a full last event (the importer's total, else the records counted)."""
        end = self.total if self.total is not None else max(self.done, read)
        self.advance(end, end)


@contextmanager
def _ledger(ctx: Context, *, dry_run: bool) -> Iterator[Engine]:
    """The ledger; for a dry run before there is one, a throwaway ledger: nothing is created."""
    from levelup.store.db import sqlite_path

    path = sqlite_path(ctx.settings.url)
    if path is None or path.exists():
        yield ctx.engine()
        return
    if not dry_run:
        try:
            yield ctx.engine()
        except BaseException:
            _remove_ledger(ctx, path)  # a first import that failed leaves no ledger behind
            raise
        return
    import tempfile

    from levelup.store.db import open_ledger
    from levelup.store.scope import scoped

    with tempfile.TemporaryDirectory(prefix="levelup-dry-run-") as folder:
        engine = scoped(open_ledger(f"sqlite:///{folder}/ledger.db"), ctx.owner)
        try:
            yield engine
        finally:
            engine.dispose()


def _remove_ledger(ctx: Context, path: Path) -> None:
    """Remove the SQLite ledger this import created, and its companion files."""
    ctx.close()
    for name in (path.name, f"{path.name}-wal", f"{path.name}-shm", f"{path.name}.lock"):
        path.with_name(name).unlink(missing_ok=True)


def _run(
    ctx: Context, engine: Engine, importer: Importer, inputs: list[str],
    options: dict[str, Any], period: DateRange, tracker: _Tracker, *, dry_run: bool,
    skip_bad: bool, warn: Callable[[str], None] | None,
) -> ImportSummary:
    from levelup.services.import_runner import run_import
    from levelup.services.labelling import suggest_labels
    from levelup.services.personal_model import personal_model
    from levelup.store.people import find_profile, list_stakeholders

    with engine.connect() as conn:
        profile = find_profile(conn)
        stakeholders = [person.name for person in list_stakeholders(conn)]
        model = personal_model(conn, ctx.settings.home)
    # parallel: big batches are classified on two cores (the worker starts before any thread,
    # so an adapter's progress display must not start a thread before the first event)
    with suggest_labels(model, details=importer.classify_details, parallel=True,
                        classifier=ctx.settings.classifier, warn=warn) as label:
        context = ImportContext(since=period.start, until=period.end, today=ctx.today,
                                options=options, profile=profile, progress=tracker.advance,
                                stakeholders=stakeholders)
        summary = run_import(engine, importer, inputs, context, dry_run=dry_run,
                             skip_bad=skip_bad, label=label)
        tracker.finish(summary.read)
    return summary
