"""Feedback, projects, conversations (1:1s), check-ins and `tell` (visibility)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import typer

from levelup.cli.common import JSON_OPTION, SINCE_OPTION, UNTIL_OPTION, Env, get_env
from levelup.errors import LevelupError

if TYPE_CHECKING:
    from levelup.domain.models import CheckIn, Conversation, Feedback

feedback_app = typer.Typer(help="Feedback you received or asked for, and what you did with it.",
                           no_args_is_help=True)
project_app = typer.Typer(help="Projects: goal, role, stretch, stakeholders, post-mortem.",
                          no_args_is_help=True)
talk_app = typer.Typer(help="1:1s and career conversations, with questions and answers.",
                       no_args_is_help=True)
checkin_app = typer.Typer(help="Self check-in on teamwork and attitude (1-5), and its trend.",
                          invoke_without_command=True)


def register(app: typer.Typer) -> None:
    app.add_typer(feedback_app, name="feedback")
    app.add_typer(project_app, name="project")
    app.add_typer(talk_app, name="talk")
    app.add_typer(checkin_app, name="checkin")
    app.command("tell", help=tell.__doc__)(tell)


def _one(env: Env, item: Any, as_json: bool, line: Callable[[Any], str]) -> None:
    """One record as a JSON object, or its line."""
    if as_json:
        from levelup.domain.serialize import to_json

        env.json(to_json(item))
    else:
        env.say(line(item))


def tell(
    ctx: typer.Context,
    stakeholder: str = typer.Argument(..., help="Who heard about it."),
    entry_ids: list[int] = typer.Argument(..., help="Entry ids they heard about."),
    channel: str = typer.Option("1:1", "--via", help="1:1, weekly-report, demo, design-review, "
                                "email, chat, meeting, presentation, document, other."),
    date: str = typer.Option(None, "--date", "-d", help="When (default today)."),
    note: str = typer.Option("", help="What was said or asked."),
) -> None:
    """Record that a stakeholder heard about some entries (visibility)."""
    from levelup.services import records

    env = get_env(ctx)
    event = records.tell(env.ctx, stakeholder=stakeholder, entry_ids=entry_ids, channel=channel,
                         date=date, note=note)
    env.say(f"{stakeholder} heard about {', '.join(f'#{i}' for i in entry_ids)} "
            f"via {event.channel} on {event.date}")


@feedback_app.command("add")
def feedback_add(
    ctx: typer.Context,
    text: str = typer.Argument(..., help="The feedback, as close to their words as you can."),
    giver: str = typer.Option(..., "--from", help="Who gave it."),
    constructive: bool = typer.Option(False, "--constructive", help="Something to improve."),
    competency: str = typer.Option(None, "--competency", "-c", help="Competency it is about."),
    asked: bool = typer.Option(False, "--asked", help="You asked for it."),
    follow_up: str = typer.Option("", "--follow-up", help="What you will do about it."),
    date: str = typer.Option(None, "--date", "-d", help="When (default today)."),
    quotable: bool = typer.Option(False, "--quotable",
                                  help="The promotion packet may quote it."),
) -> None:
    """Record feedback (positive by default; --constructive for things to improve)."""
    from levelup.services.records import add_feedback

    env = get_env(ctx)
    item = add_feedback(env.ctx, text=text, giver=giver, constructive=constructive,
                        competency=competency, asked=asked, follow_up=follow_up, date=date,
                        quotable=quotable)
    env.say(f"feedback #{item.id} from {giver} ({item.polarity})")


@feedback_app.command("list")
def feedback_list(
    ctx: typer.Context, since: str = SINCE_OPTION, until: str = UNTIL_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """List feedback with follow-up status."""
    from levelup.services.records import list_feedback

    env = get_env(ctx)
    env.listing(list_feedback(env.ctx, since=since, until=until), as_json, _feedback_line)


def _feedback_line(f: Feedback) -> str:
    follow = f" -> {f.follow_up} [{f.status}]" if f.follow_up else ""
    shown = f" (shown by {', '.join(f'#{i}' for i in f.entry_ids)})" if f.entry_ids else ""
    return f"#{f.id:<4} {f.date} {f.polarity:<12} {f.giver}: {f.text}{follow}{shown}"


@feedback_app.command("update")
def feedback_update(
    ctx: typer.Context,
    feedback_id: int = typer.Argument(...),
    status: str = typer.Option(None, help="open, in-progress, done or dropped."),
    follow_up: str = typer.Option(None, "--follow-up", help="The follow-up action."),
    shown_by: list[int] = typer.Option([], "--shown-by", help="Entry showing you acted on it."),
    quotable: bool = typer.Option(None, "--quotable/--not-quotable",
                                  help="Whether the promotion packet may quote it."),
    text: str = typer.Option(None, "--text", help="The feedback, corrected."),
    giver: str = typer.Option(None, "--from", help="Who gave it."),
    date: str = typer.Option(None, "--date", "-d", help="When it was given."),
    constructive: bool = typer.Option(None, "--constructive/--positive",
                                      help="Something to improve, or praise."),
    competency: str = typer.Option(None, "--competency", "-c",
                                   help='Competency it is about ("" clears it).'),
    asked: bool = typer.Option(None, "--asked/--not-asked", help="You asked for it."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Update a follow-up, link the entries that show you acted on the feedback, or correct
    it: only the options given change."""
    from levelup.services.records import update_feedback

    env = get_env(ctx)
    item = update_feedback(env.ctx, feedback_id=feedback_id, status=status,
                           follow_up=follow_up, shown_by=shown_by, quotable=quotable,
                           text=text, giver=giver, date=date, constructive=constructive,
                           competency=competency, asked=asked)
    _one(env, item, as_json, lambda f: f"feedback #{f.id}: {f.status}")


@project_app.command("set")
def project_set(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Project name (created if new)."),
    goal: str = typer.Option(None, help="What it is meant to achieve."),
    outcome: str = typer.Option(None, help="What it achieved."),
    role: str = typer.Option(None, help="Your role in it."),
    stretch: bool = typer.Option(None, "--stretch/--no-stretch", help="A stretch assignment."),
    stakeholder: list[str] = typer.Option([], "--stakeholder", "-s", help="Repeatable."),
    start: str = typer.Option(None, help="Start date."),
    end: str = typer.Option(None, help="End date."),
    status: str = typer.Option(None, help="planned, active, done or cancelled."),
    went_well: str = typer.Option(None, "--went-well", help="Post-mortem: what went well."),
    to_improve: str = typer.Option(None, "--to-improve", help="Post-mortem: what to improve."),
    lessons: str = typer.Option(None, help="Post-mortem: lessons."),
    rename: str = typer.Option(None, "--rename", help="A new name for an existing project."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Create a project or change some of its fields (only the options given change)."""
    from levelup.services.projects import set_project

    env = get_env(ctx)
    project = set_project(env.ctx, name=name, goal=goal, outcome=outcome, role=role,
                          stretch=stretch, stakeholder=stakeholder, start=start, end=end,
                          status=status, went_well=went_well, to_improve=to_improve,
                          lessons=lessons, rename=rename)
    _one(env, project, as_json,
         lambda p: f"project {p.name}: {p.status}{' (stretch)' if p.stretch else ''}")


@project_app.command("list")
def project_list(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """List projects."""
    from levelup.services.projects import list_projects

    env = get_env(ctx)
    env.listing(list_projects(env.ctx), as_json,
                lambda p: f"{p.name:<24} {p.status:<10} {'stretch ' if p.stretch else ''}{p.goal}")


@project_app.command("show")
def project_show(ctx: typer.Context, name: str = typer.Argument(...),
                 as_json: bool = JSON_OPTION) -> None:
    """Show a project with its post-mortem."""
    from levelup.domain.serialize import to_json
    from levelup.services.projects import get_project

    env = get_env(ctx)
    data = to_json(get_project(env.ctx, name=name))
    if as_json:
        env.json(data)
        return
    for key, value in data.items():
        if value not in (None, "", [], False) and key not in ("uid", "id"):
            env.say(f"{key + ':':<14} {', '.join(value) if isinstance(value, list) else value}")


@talk_app.command("add")
def talk_add(
    ctx: typer.Context,
    with_: str = typer.Option(..., "--with", help="Who you talked with."),
    kind: str = typer.Option("1:1", "--kind", help="1:1, career, skip-level, review, other."),
    notes: str = typer.Option("", help="What was discussed."),
    qa: list[str] = typer.Option([], "--qa", help='Repeatable: "QUESTION? ANSWER".'),
    aspiration: bool = typer.Option(False, "--aspiration",
                                    help="You stated your promotion aspiration."),
    date: str = typer.Option(None, "--date", "-d", help="When (default today)."),
) -> None:
    """Record a 1:1 or career conversation."""
    from levelup.services.records import add_talk

    env = get_env(ctx)
    talk = add_talk(env.ctx, with_=with_, kind=kind, notes=notes, qa=qa, aspiration=aspiration,
                    date=date)
    env.say(f"conversation #{talk.id} with {with_} on {talk.date}")


@talk_app.command("list")
def talk_list(ctx: typer.Context, since: str = SINCE_OPTION, until: str = UNTIL_OPTION,
              as_json: bool = JSON_OPTION) -> None:
    """List conversations."""
    from levelup.services.records import list_talks

    env = get_env(ctx)
    env.listing(list_talks(env.ctx, since=since, until=until), as_json, _talk_lines)


@talk_app.command("update")
def talk_update(
    ctx: typer.Context,
    talk_id: int = typer.Argument(..., help="Its id (see `levelup talk list`)."),
    with_: str = typer.Option(None, "--with", help="Who you talked with."),
    kind: str = typer.Option(None, "--kind", help="1:1, career, skip-level, review, other."),
    notes: str = typer.Option(None, help="What was discussed."),
    qa: list[str] = typer.Option(None, "--qa", help='Repeatable: "QUESTION? ANSWER"; '
                                 "replaces the questions recorded."),
    aspiration: bool = typer.Option(None, "--aspiration/--no-aspiration",
                                    help="You stated your promotion aspiration (or not)."),
    date: str = typer.Option(None, "--date", "-d", help="When."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Correct a conversation: only the options given change."""
    from levelup.services.records import update_talk

    env = get_env(ctx)
    talk = update_talk(env.ctx, talk_id=talk_id, with_=with_, kind=kind, notes=notes,
                       qa=qa or None, aspiration=aspiration, date=date)
    _one(env, talk, as_json, _talk_lines)


def _talk_lines(c: Conversation) -> str:
    flag = " (aspiration stated)" if c.aspiration_stated else ""
    head = f"#{c.id:<4} {c.date} {c.kind:<10} {c.with_}{flag}: {c.notes}"[:200]
    return "\n".join([head, *(f"        Q: {q.question}  A: {q.answer}" for q in c.questions)])


@checkin_app.callback()
def checkin(
    ctx: typer.Context,
    score: list[str] = typer.Option([], "--score", "-s", help="Repeatable: QUESTION=1..5 "
                                    "(listening, openness, influence, helping, attitude, "
                                    "ownership). Asks on a terminal when omitted."),
    notes: str = typer.Option("", help="Anything to remember."),
    date: str = typer.Option(None, "--date", "-d", help="When (default today)."),
) -> None:
    """Score yourself 1-5 on the teamwork questions (`checkin list` shows the trend)."""
    if ctx.invoked_subcommand is not None:
        return
    from levelup.services.records import add_checkin, parse_scores

    env = get_env(ctx)
    scores = parse_scores(score) if score else ask_checkin(env)
    item = add_checkin(env.ctx, scores=scores, notes=notes, date=date)
    env.say(f"check-in #{item.id}: " + ", ".join(f"{k} {v}" for k, v in item.scores.items()))


def ask_checkin(env: Env) -> dict[str, int]:
    """Ask each check-in question on the terminal."""
    import click

    from levelup.domain.vocab import CHECKIN_QUESTIONS

    if not env.stdout.isatty():
        raise LevelupError("checkin needs --score QUESTION=1..5 when not run on a terminal")
    scores: dict[str, int] = {}
    for key, question in CHECKIN_QUESTIONS.items():
        answer = typer.prompt(f"{question} (1-5)", type=click.IntRange(1, 5))
        scores[key] = int(answer)
    return scores


@checkin_app.command("list")
def checkin_list(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """List check-ins with the average score of each."""
    from levelup.services.records import list_checkins

    env = get_env(ctx)
    env.listing(list_checkins(env.ctx), as_json, _checkin_line)


@checkin_app.command("update")
def checkin_update(
    ctx: typer.Context,
    checkin_id: int = typer.Argument(..., help="Its id (see `levelup checkin list`)."),
    score: list[str] = typer.Option([], "--score", "-s", help="Repeatable: QUESTION=1..5; "
                                    "the questions not given keep their score."),
    notes: str = typer.Option(None, help="Anything to remember."),
    date: str = typer.Option(None, "--date", "-d", help="When."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Correct a check-in: only the options given change."""
    from levelup.services.records import parse_scores, update_checkin

    env = get_env(ctx)
    item = update_checkin(env.ctx, checkin_id=checkin_id, scores=parse_scores(score),
                          notes=notes, date=date)
    _one(env, item, as_json, _checkin_line)


def _checkin_line(c: CheckIn) -> str:
    mean = sum(c.scores.values()) / len(c.scores) if c.scores else 0
    scores = " ".join(f"{k}={v}" for k, v in c.scores.items())
    return f"#{c.id:<4} {c.date}  mean {mean:.1f}  {scores}"
