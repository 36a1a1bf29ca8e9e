"""Backups: `levelup backup` takes one now, `levelup restore [BACKUP]` lists or brings one back."""

from __future__ import annotations

import typer

from levelup.cli.common import JSON_OPTION, get_env


def register(app: typer.Typer) -> None:
    app.command("backup", help=backup.__doc__)(backup)
    app.command("restore", help=restore.__doc__)(restore)


def backup(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """Back the ledger up now into HOME/backups (levelup also keeps one a day and one before
    every upgrade; setting backups_kept says how many)."""
    from levelup.services.backups import backup_ledger

    env = get_env(ctx)
    taken = backup_ledger(env.ctx)
    if as_json:
        env.json({"path": str(taken.path), "taken": taken.taken.isoformat(), "size": taken.size})
        return
    env.say(f"backed up the ledger to {taken.path}")


def restore(
    ctx: typer.Context,
    name: str = typer.Argument(None, metavar="[BACKUP]", help="A backup's name (from the "
                               "list) or a file; without it, list the backups."),
    as_json: bool = JSON_OPTION,
) -> None:
    """List the ledger's backups, newest first, or restore one (the current ledger is backed up
    first, and the restore is all or nothing)."""
    from levelup.services.backups import list_ledger_backups, restore_ledger

    env = get_env(ctx)
    if name is None:
        found = list_ledger_backups(env.ctx)
        if as_json:
            env.json([{"name": b.path.name, "path": str(b.path), "taken": b.taken.isoformat(),
                       "reason": b.reason, "size": b.size} for b in found])
        elif not found:
            env.say("no backups yet (`levelup backup` takes one)")
        for b in [] if as_json else found:
            env.say(f"{b.path.name}  {b.taken:%Y-%m-%d %H:%M}  {b.reason:<16} "
                    f"{b.size // 1024:>7} KB")
        return
    done = restore_ledger(env.ctx, backup=name)
    if as_json:
        env.json({"restored": str(done.backup), "saved": str(done.saved or "")})
        return
    kept = f"; the ledger as it was is saved as {done.saved}" if done.saved else ""
    env.say(f"restored the ledger from {done.backup}{kept}")
