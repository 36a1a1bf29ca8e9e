"""Running an import from the CLI: progress bar, summary table, JSON."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from levelup.importers.base import ImportContext, Importer

if TYPE_CHECKING:
    from pathlib import Path

    from sqlalchemy import Engine

    from levelup.cli.common import Env
    from levelup.domain.dates import DateRange
    from levelup.importers.run import ImportSummary


SHOWN = 30  # changes a dry run lists on the terminal


def import_with_progress(
    env: Env, importer: Importer, inputs: list[str], *, options: dict[str, Any],
    since: str | None, until: str | None, dry_run: bool, skip_bad: bool, as_json: bool,
) -> ImportSummary:
    period = env.window(since, until)
    with _ledger(env, dry_run=dry_run) as engine:
        summary = _run(env, engine, importer, inputs, options, period, dry_run, skip_bad,
                       shown=not as_json and env.stderr.isatty())
    if as_json:
        env.json(summary.as_json())
    else:
        _print_summary(env, importer.name, summary)
    return summary


@contextmanager
def _ledger(env: Env, *, dry_run: bool) -> Iterator[Engine]:
    """The ledger; for a dry run before there is one, a throwaway ledger: nothing is created."""
    from levelup.store.db import sqlite_path

    path = sqlite_path(env.settings.url)
    if path is None or path.exists():
        yield env.engine()
        return
    if not dry_run:
        try:
            yield env.engine()
        except BaseException:
            _remove_ledger(env, path)  # a first import that failed leaves no ledger behind
            raise
        return
    import tempfile

    from levelup.store.db import open_ledger

    with tempfile.TemporaryDirectory(prefix="levelup-dry-run-") as folder:
        engine = open_ledger(f"sqlite:///{folder}/ledger.db")
        try:
            yield engine
        finally:
            engine.dispose()


def _remove_ledger(env: Env, path: Path) -> None:
    """Remove the SQLite ledger this command created, and its companion files."""
    env.close()
    for name in (path.name, f"{path.name}-wal", f"{path.name}-shm", f"{path.name}.lock"):
        path.with_name(name).unlink(missing_ok=True)


def _run(
    env: Env, engine: Engine, importer: Importer, inputs: list[str], options: dict[str, Any],
    period: DateRange, dry_run: bool, skip_bad: bool, *, shown: bool,
) -> ImportSummary:
    from levelup.importers.run import run_import
    from levelup.services.labelling import suggest_labels
    from levelup.services.personal_model import personal_model
    from levelup.store.people import find_profile, list_stakeholders

    with engine.connect() as conn:
        profile = find_profile(conn)
        stakeholders = [person.name for person in list_stakeholders(conn)]
        model = personal_model(conn, env.settings.home)
    # parallel: big batches are classified on two cores (the worker starts before any thread)
    with suggest_labels(model, details=importer.classify_details, parallel=True,
                        classifier=env.settings.classifier, warn=env.warn) as label, \
            _progress(env, importer.name, shown=shown) as advance:
        ctx = ImportContext(since=period.start, until=period.end, today=env.today,
                            options=options, profile=profile, progress=advance,
                            stakeholders=stakeholders)
        return run_import(engine, importer, inputs, ctx, dry_run=dry_run, skip_bad=skip_bad,
                          label=label)


@contextmanager
def _progress(env: Env, name: str, *, shown: bool) -> Iterator[Callable[[int, int | None], None]]:
    """A progress bar on a terminal; elsewhere a no-op (and rich is not even imported)."""
    if not shown:
        yield lambda done, total: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    progress = Progress(
        "[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), transient=True, console=Console(file=env.stderr),
    )
    with progress:
        task = progress.add_task(f"import {name}", total=None)
        yield lambda done, total: progress.update(task, completed=done, total=total)


_ONE = {"entries": "entry"}


def _count(n: int, kind: str) -> str:
    """``1 entry``, ``2 entries``, ``1 conversation``."""
    return f"{n} {kind}" if n != 1 else f"1 {_ONE.get(kind, kind.removesuffix('s'))}"


def _print_summary(env: Env, name: str, summary: ImportSummary) -> None:
    counts = summary.counts
    verb = "would import" if summary.dry_run else "imported"
    kinds = ", ".join(_count(n, k) for k, n in sorted(summary.kinds.items())) or "nothing"
    removed = f"{counts['removed']} removed, " if counts["removed"] else ""
    env.say(f"{name}: {verb} {kinds}: {counts['new']} new, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged, {removed}{len(summary.skipped)} skipped")
    if counts["dismissed"]:
        env.say(f"  {_count(counts['dismissed'], 'entries')} you deleted not added again")
    if counts["duplicates"]:
        env.say(f"  {counts['duplicates']} already in the ledger from another source "
                "(the same pull request from git and GitHub is one entry)")
    for bad in summary.skipped:
        env.say(f"  skipped {bad.where}: {bad.reason}")
    for kept in summary.kept:
        env.say(f"  kept {kept.where}: {kept.reason}")
    for note in summary.notes:
        env.say(f"  note: {note}")
    for hint in summary.hints[:20]:
        env.say(f"  hint: {hint.date} {hint.title!r} with {hint.stakeholder}: "
                "tell them about your recent work (`levelup tell`)")
    for change in summary.changes[:SHOWN]:
        env.say(f"  {change.change:<8} {change.date}  {change.record:<12} {change.title}")
    if len(summary.changes) > SHOWN:
        env.say(f"  ... and {len(summary.changes) - SHOWN} more (--json lists them all)")
    if summary.dry_run:
        env.say("dry run: nothing was written")
