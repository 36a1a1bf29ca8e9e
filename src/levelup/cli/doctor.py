"""`levelup doctor`: check the setup and say what would fix each problem."""

from __future__ import annotations

import typer

from levelup.cli.common import JSON_OPTION, get_env
from levelup.cli.steps import command
from levelup.domain.steps import Step
from levelup.errors import ExitStatus


def register(app: typer.Typer) -> None:
    app.command("doctor", help=doctor.__doc__)(doctor)


def doctor(
    ctx: typer.Context,
    fix: bool = typer.Option(False, "--fix", help="Apply the safe fixes (make the home folder "
                             "and its files private) and say what was done."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Check the home folder's privacy, the ledger and its schema, the profile's ladder, PDF
    support, SMTP and the database driver, without changing the ledger. Exit 1 if any check
    fails."""
    from levelup.services.doctor import check_setup

    env = get_env(ctx)
    checkup = check_setup(env.ctx, fix=fix)
    if as_json:
        env.json(checkup.to_json())
    else:
        for action in checkup.fixed:
            env.say(f"fixed: {action}")
        for check in checkup.checks:
            env.say(f"{check.status:<4}  {check.name:<8}  {check.message}")
            if (check.fix or check.step) and check.status != "ok":
                env.say(f"{'':<16}fix: {fix_line(check.fix, check.step)}")
    if not checkup.ok:
        raise typer.Exit(int(ExitStatus.ERROR))


def fix_line(words: str, step: Step | None) -> str:
    """What to do: the words, then the command that does it in backquotes (or alone)."""
    if step is None:
        return words
    return f"{words} (`{command(step)}`)" if words else command(step)
