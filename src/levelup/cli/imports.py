"""`levelup import SOURCE …`: one subcommand per importer plugin, built from its options.

Plugins are looked up only when `import` itself runs, so other commands never pay for them.
"""

from __future__ import annotations

from typing import Any

import click

from levelup.cli.common import LevelupGroup, get_env
from levelup.errors import LevelupError


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
        return importer_command(cmd_name, importer_cls)


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
        from levelup.services.importing import import_with_progress

        env = get_env(ctx)
        common = {k: kwargs.pop(k) for k in ("since", "until", "dry_run", "skip_bad", "as_json")}
        inputs = list(kwargs.pop("inputs", ()) or ())
        import_with_progress(env, importer_cls(), inputs, options=kwargs, **common)

    return click.Command(name, params=params, callback=callback,
                         help=importer_cls.summary, short_help=importer_cls.summary)


def add_builtin_imports(group: click.Group) -> None:
    """Imports that are not plugins: restoring a levelup export."""
    group.add_command(import_json)


@click.command("json", help="Restore or merge a levelup export (from `levelup export`). "
               "Records already in the ledger are kept; importing twice adds nothing.")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print what was added as JSON.")
@click.pass_context
def import_json(ctx: click.Context, file: str, as_json: bool) -> None:
    from levelup.services.portable import import_document, read_document

    env = get_env(ctx)
    doc = read_document(file)
    with env.begin() as conn:
        added = import_document(conn, doc, path=file)
    if as_json:
        env.json(dict(added))
        return
    summary = ", ".join(f"{n} {k}" for k, n in sorted(added.items())) or "nothing new"
    env.say(f"imported from {file}: {summary}")
