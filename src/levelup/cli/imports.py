"""`levelup import SOURCE …`: one subcommand per importer plugin, built from its options.

Plugins are looked up only when `import` itself runs, so other commands never pay for them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

from levelup.cli.common import Env, LevelupGroup, bounded, clean, get_env, readable
from levelup.errors import LevelupError

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from levelup.importers.base import Importer
    from levelup.services.import_runner import ImportSummary
    from levelup.services.importing import ImportProgress

SHOWN = 30  # changes a dry run lists on the terminal


class ImportGroup(LevelupGroup):
    def list_commands(self, ctx: click.Context) -> list[str]:
        from levelup.importers.registry import importer_entry_points

        return sorted({*importer_entry_points(), *super().list_commands(ctx)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        builtin = super().get_command(ctx, cmd_name)
        if builtin is not None:
            return builtin
        from levelup.importers.registry import importer_entry_points, load_importer

        if cmd_name not in importer_entry_points():
            return None
        try:
            importer_cls = load_importer(cmd_name)
        except LevelupError as exc:
            return broken_command(cmd_name, exc)  # the other plugins still list and run
        return bounded(importer_command(cmd_name, importer_cls))


def broken_command(name: str, error: LevelupError) -> click.Command:
    """A plugin that cannot be loaded: listed as such; running it prints why."""

    def fail(**_: Any) -> None:
        raise error

    return click.Command(
        name, callback=fail, help=str(error), short_help="(cannot be loaded: see its --help)",
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
        params=[click.Argument(["args"], nargs=-1, required=False)],
    )


def importer_command(name: str, importer_cls: Any) -> click.Command:
    """A click command for one importer: its inputs, its options and the common ones."""
    params: list[click.Parameter] = []
    if importer_cls.inputs:
        required = getattr(importer_cls, "inputs_required", True)
        params.append(click.Argument(["inputs"], nargs=-1, required=required,
                                     metavar=f"{importer_cls.inputs}..."))
    for opt in importer_cls.options:
        flag = "--" + opt.name.replace("_", "-")
        if opt.is_flag:
            params.append(click.Option([flag, opt.name], is_flag=True, help=opt.help))
        else:
            params.append(click.Option([flag, opt.name], multiple=opt.multiple,
                                       default=opt.default, help=opt.help))
    params += [
        click.Option(["--since"], help="Only work since this date or period: 2026-03-01, "
                     "last week, 2026-Q3, since March, A..B."),
        click.Option(["--until"], help="Only work until this date or period (same forms)."),
        click.Option(["--dry-run", "dry_run"], is_flag=True,
                     help="Show what would be imported; write nothing."),
        click.Option(["--skip-bad", "skip_bad"], is_flag=True,
                     help="Import the good records and list the bad ones."),
        click.Option(["--json", "as_json"], is_flag=True, help="Print the summary as JSON."),
    ]

    @click.pass_context
    def callback(ctx: click.Context, /, **kwargs: Any) -> None:
        env = get_env(ctx)
        common = {k: kwargs.pop(k) for k in ("since", "until", "dry_run", "skip_bad", "as_json")}
        inputs = list(kwargs.pop("inputs", ()) or ())
        run_importer(env, importer_cls(), inputs, options=kwargs, **common)

    return click.Command(name, params=params, callback=callback,
                         help=importer_cls.summary, short_help=importer_cls.summary)


def run_importer(
    env: Env, importer: Importer, inputs: list[str], *, options: dict[str, Any],
    since: str | None, until: str | None, dry_run: bool, skip_bad: bool, as_json: bool,
) -> ImportSummary:
    """Import with a progress bar on a terminal, then print the summary (or its JSON)."""
    from levelup.services.importing import import_sources

    with _progress(env, importer.name, shown=not as_json and env.stderr.isatty()) as progress:
        summary = import_sources(env.ctx, importer=importer, inputs=inputs, options=options,
                                 since=since, until=until, dry_run=dry_run,
                                 skip_bad=skip_bad, progress=progress, warn=env.warn)
    if as_json:
        env.json(summary.as_json())
    else:
        _print_summary(env, importer.name, summary)
    return summary


@contextmanager
def _progress(
    env: Env, name: str, *, shown: bool
) -> Iterator[Callable[[ImportProgress], None] | None]:
    """A progress bar on a terminal, started by the first event (before it the classifier
    forks its worker, which a thread would prevent); elsewhere none (rich is not imported)."""
    if not shown:
        yield None
        return
    bar: list[tuple[Progress, TaskID]] = []

    def show(event: ImportProgress) -> None:
        if not bar:
            bar.append(_start_bar(env, name))
        progress, task = bar[0]
        progress.update(task, completed=event.done, total=event.total)

    try:
        yield show
    finally:
        if bar:
            bar[0][0].stop()


def _start_bar(env: Env, name: str) -> tuple[Progress, TaskID]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    progress = Progress(
        "[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), transient=True, console=Console(file=env.stderr),
    )
    progress.start()
    return progress, progress.add_task(f"import {name}", total=None)


_ONE = {"entries": "entry"}


def _count(n: int, kind: str) -> str:
    """``1 entry``, ``2 entries``, ``1 conversation``."""
    return f"{n} {kind}" if n != 1 else f"1 {_ONE.get(kind, kind.removesuffix('s'))}"


def _print_summary(env: Env, name: str, summary: ImportSummary) -> None:
    def say(text: str) -> None:  # a 300 KB cell in a reason shows by its start and length
        env.say(readable(clean(text)))

    counts = summary.counts
    verb = "would import" if summary.dry_run else "imported"
    kinds = ", ".join(_count(n, k) for k, n in sorted(summary.kinds.items())) or "nothing"
    removed = f"{counts['removed']} removed, " if counts["removed"] else ""
    say(f"{name}: {verb} {kinds}: {counts['new']} new, {counts['updated']} updated, "
        f"{counts['unchanged']} unchanged, {removed}{len(summary.skipped)} skipped")
    if counts["dismissed"]:
        say(f"  {_count(counts['dismissed'], 'entries')} you deleted not added again")
    if counts["duplicates"]:
        say(f"  {counts['duplicates']} already in the ledger from another source "
            "(the same pull request from git and GitHub is one entry)")
    for bad in summary.skipped:
        say(f"  skipped {bad.where}: {bad.reason}")
    for kept in summary.kept:
        say(f"  kept {kept.where}: {kept.reason}")
    for note in summary.notes:
        say(f"  note: {note}")
    for hint in summary.hints[:20]:
        say(f"  hint: {hint.date} {hint.title!r} with {hint.stakeholder}: "
            "tell them about your recent work (`levelup tell`)")
    for change in summary.changes[:SHOWN]:
        say(f"  {change.change:<8} {change.date}  {change.record:<12} {change.title}")
    if len(summary.changes) > SHOWN:
        say(f"  ... and {len(summary.changes) - SHOWN} more (--json lists them all)")
    if summary.dry_run:
        say("dry run: nothing was written")


def add_builtin_imports(group: click.Group) -> None:
    """Imports that are not plugins: restoring a levelup export."""
    group.add_command(import_json)


@click.command("json", help="Restore or merge a levelup export (from `levelup export`). "
               "Records already in the ledger are kept; importing twice adds nothing.")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print what was added as JSON.")
@click.pass_context
def import_json(ctx: click.Context, file: str, as_json: bool) -> None:
    from levelup.services.portable import import_ledger

    env = get_env(ctx)
    added = import_ledger(env.ctx, file=file)
    if as_json:
        env.json(dict(added))
        return
    summary = ", ".join(f"{n} {k}" for k, n in sorted(added.items())) or "nothing new"
    env.say(f"imported from {file}: {summary}")
