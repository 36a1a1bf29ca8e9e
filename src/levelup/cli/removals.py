"""`remove` for what a user can add: feedback, talk, project, checkin and opportunity."""

from __future__ import annotations

import typer

from levelup.cli.common import get_env


def register(app: typer.Typer) -> None:  # noqa: ARG001 - the sub-apps are registered already
    from levelup.cli.opportunities import backlog
    from levelup.cli.records import checkin_app, feedback_app, project_app, talk_app

    for sub, command in ((feedback_app, feedback_remove), (talk_app, talk_remove),
                         (project_app, project_remove), (checkin_app, checkin_remove),
                         (backlog, opportunity_remove)):
        sub.command("remove", help=command.__doc__)(command)


def feedback_remove(
    ctx: typer.Context,
    feedback_id: int = typer.Argument(..., metavar="ID", help="Feedback id "
                                      "(see `levelup feedback list`)."),
) -> None:
    """Remove a piece of feedback recorded by mistake."""
    from levelup.services.removals import remove_feedback

    env = get_env(ctx)
    remove_feedback(env.ctx, feedback_id=feedback_id)
    env.say(f"removed feedback #{feedback_id}")


def talk_remove(
    ctx: typer.Context,
    talk_id: int = typer.Argument(..., metavar="ID", help="Conversation id "
                                  "(see `levelup talk list`)."),
) -> None:
    """Remove a conversation (an imported one is not imported again)."""
    from levelup.services.removals import remove_talk

    env = get_env(ctx)
    remove_talk(env.ctx, talk_id=talk_id)
    env.say(f"removed conversation #{talk_id}")


def project_remove(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Project name (see `levelup project list`)."),
) -> None:
    """Remove a project; its entries stay, without a project."""
    from levelup.services.removals import remove_project

    env = get_env(ctx)
    count = remove_project(env.ctx, name=name)
    noun = "entry" if count == 1 else "entries"
    kept = f"; its {count} {noun} kept without a project" if count else ""
    env.say(f"removed project {name}{kept}")


def checkin_remove(
    ctx: typer.Context,
    checkin_id: int = typer.Argument(..., metavar="ID", help="Check-in id "
                                     "(see `levelup checkin list`)."),
) -> None:
    """Remove a check-in taken by mistake."""
    from levelup.services.removals import remove_checkin

    env = get_env(ctx)
    remove_checkin(env.ctx, checkin_id=checkin_id)
    env.say(f"removed check-in #{checkin_id}")


def opportunity_remove(
    ctx: typer.Context,
    opportunity_id: int = typer.Argument(..., metavar="ID", help="Opportunity id "
                                         "(see `levelup opportunity list`)."),
) -> None:
    """Remove an opportunity from the backlog."""
    from levelup.services.removals import remove_opportunity

    env = get_env(ctx)
    remove_opportunity(env.ctx, opportunity_id=opportunity_id)
    env.say(f"removed opportunity #{opportunity_id}")
