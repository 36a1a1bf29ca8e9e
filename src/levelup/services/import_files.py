"""Importing one source by name, for a door that offers a choice of importers (the web's
Import page): every registered importer plugin, and ``json`` for a levelup export.

Plugins run with their options' defaults, as ``levelup import NAME INPUT`` does. A levelup
export's dry run merges inside a transaction that is rolled back, so it writes nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from levelup.errors import FieldError
from levelup.services.import_runner import ImportSummary

if TYPE_CHECKING:
    from levelup.context import Context
    from levelup.importers.base import Importer
    from levelup.services.importing import Progress

EXPORT = "json"  # the built-in import of a levelup export (`levelup import json FILE`)


@dataclass(frozen=True, slots=True)
class ImportChoice:
    """One importer a user may pick: its name, what it reads, and whether it takes a folder
    (a git repository) rather than a file."""

    name: str
    summary: str
    folder: bool


def import_choices() -> list[ImportChoice]:
    """The importers that read a file or a local folder, by name, then a levelup export."""
    from levelup.errors import LevelupError
    from levelup.importers.registry import importer_entry_points, load_importer

    found = []
    for name in sorted(importer_entry_points()):
        try:
            cls = load_importer(name)
        except LevelupError:
            continue  # a broken plugin is listed by `levelup import --help`, not offered here
        if cls.inputs and cls.inputs_required:
            found.append(ImportChoice(name, cls.summary, folder=cls.inputs == "REPO"))
    found.append(ImportChoice(EXPORT, "a levelup export (from `levelup export`)", False))
    return found


def import_file(
    ctx: Context, *, source: str, inputs: list[str], since: str | None = None,
    until: str | None = None, dry_run: bool = False, progress: Progress | None = None,
) -> ImportSummary:
    """Import ``inputs`` with the importer named ``source`` (``json``: a levelup export), or,
    with ``dry_run``, say what it would do and write nothing."""
    if source == EXPORT:
        return _export(ctx, inputs, dry_run=dry_run)
    from levelup.services.importing import import_sources

    importer = _importer(source)
    return import_sources(ctx, importer=importer, inputs=inputs, options=_defaults(importer),
                          since=since or None, until=until or None, dry_run=dry_run,
                          progress=progress)


def _importer(source: str) -> Importer:
    from levelup.errors import LevelupError
    from levelup.importers.registry import load_importer

    if source not in {choice.name for choice in import_choices()}:
        try:
            load_importer(source)
        except LevelupError as exc:
            raise FieldError("source", exc.message) from None
        raise FieldError("source", f"'{source}' does not read a file or a local folder")
    return load_importer(source)()


def _defaults(importer: Importer) -> dict[str, Any]:
    """Every option as the command line leaves it when not given."""
    return {opt.name: () if opt.multiple else (False if opt.is_flag else opt.default)
            for opt in importer.options}


def _export(ctx: Context, inputs: list[str], *, dry_run: bool) -> ImportSummary:
    from levelup.services.portable import import_ledger, merge_file

    if len(inputs) != 1:
        raise FieldError("file", "a levelup export is one file")
    if dry_run:
        with ctx.read() as conn, conn.begin() as transaction:
            added = merge_file(conn, path=inputs[0])  # read as it streams, then undone
            transaction.rollback()
    else:
        added = import_ledger(ctx, file=inputs[0])
    new = sum(n for kind, n in added.items() if not kind.endswith(" not applied"))
    summary = ImportSummary(counts=Counter(new=new), kinds=Counter(added),
                            dry_run=dry_run, formats=["levelup-export"])
    summary.read = summary.counts["new"]
    return summary
