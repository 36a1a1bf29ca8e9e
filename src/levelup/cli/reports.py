"""`levelup report KIND` (weekly, agenda, review, packet, brag), `report templates` and `plan`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
import typer
from typer.core import TyperGroup

from levelup.cli.common import JSON_OPTION, SINCE_OPTION, UNTIL_OPTION, Env, get_env
from levelup.errors import LevelupError

if TYPE_CHECKING:
    from levelup.reports.model import Report

report_app = typer.Typer(help="Write the weekly update, 1:1 agenda, self-review, promotion "
                         "packet or brag document (md, html, pdf, eml), and send it.",
                         no_args_is_help=True)


class PlanGroup(TyperGroup):
    """`levelup plan "…"` is short for `levelup plan add "…"`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["add", *args]
        return super().parse_args(ctx, args)


plan_app = typer.Typer(cls=PlanGroup, no_args_is_help=True,
                       help='Plans for next week: `levelup plan "…"` records one; the next '
                       "weekly report says what became of it.")

HELP = {
    "weekly": "This week's wins with metrics, invisible work, risks, plans and asks.",
    "agenda": "The next 1:1: stories of the strongest work since the last one, follow-ups, "
              "a question, a feedback ask.",
    "review": "A self-review by competency and by outcome, with metrics and testimonials.",
    "packet": "The promotion case for your target level.",
    "brag": "A brag document by month or quarter and by kind of work.",
}
OUTPUT_OPTION = typer.Option(None, "--output", "-o", help="Write to this file.")
ASK_OPTION = typer.Option([], "--ask", help="Something you need (repeatable).")
IDS_ARGUMENT = typer.Argument(..., help="Plan ids.")


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")
    app.add_typer(plan_app, name="plan")


def _report_command(kind: str) -> Any:
    def command(
        ctx: typer.Context,
        since: str = SINCE_OPTION,
        until: str = UNTIL_OPTION,
        audience: str = typer.Option(None, "--for", help="The stakeholder it is for."),
        fmt: str = typer.Option("md", "--format", "-f", help="md, html, pdf or eml."),
        output: Path = OUTPUT_OPTION,
        send: bool = typer.Option(False, "--send", help="E-mail it to --for (their address, "
                                  "or --to) and record that they heard of every entry in it; "
                                  "-f pdf attaches the PDF."),
        to: str = typer.Option("", "--to", help="E-mail address(es) for --send or eml "
                               "(default: the stakeholder's)."),
        ask: list[str] = ASK_OPTION,
        by: str = typer.Option("quarter", "--by", help="Brag periods: month or quarter."),
        preview: bool = typer.Option(None, "--preview/--no-preview", help="Add the coach's "
                                     "private notes (default: on a terminal). Never sent."),
        week: str = typer.Option(None, "--week", hidden=kind != "weekly", help="last, this or "
                                 "2026-W49 (default: last week until Wednesday, then this "
                                 "one)."),
        feedback: bool = typer.Option(False, "--feedback", hidden=kind != "weekly",
                                      help="Add open constructive feedback from the person "
                                      "it is for (--for, else your manager)."),
        as_json: bool = JSON_OPTION,
    ) -> None:
        from levelup.services.reports import build_report

        env = get_env(ctx)
        report = build_report(env.ctx, kind=kind, since=since, until=until, audience=audience,
                              asks=ask, by=by, week=week, feedback=feedback)
        if as_json:
            from levelup.domain.serialize import to_json

            env.json(to_json(report))
        elif send:
            _send(env, report, audience, to, fmt)
        else:
            _output(env, report, fmt, output, to,
                    env.stdout.isatty() if preview is None else preview)

    command.__doc__ = HELP[kind]
    return command


def _send(env: Env, report: Report, audience: str | None, to: str, fmt: str) -> None:
    from levelup.services.reports import send_report

    if not audience:
        raise LevelupError("--send needs --for STAKEHOLDER (their e-mail address, or --to "
                           "ADDRESS)")
    sent = send_report(env.ctx, report=report, stakeholder=audience, to=to, fmt=fmt)
    event = sent.event
    env.say(f"sent '{report.title}' to {sent.to}; {event.stakeholder} heard about "
            f"{len(event.entry_ids)} entries via {event.channel}")


def _output(env: Env, report: Report, fmt: str, output: Path | None, to: str,
            preview: bool) -> None:
    from levelup.reports.renderers import renderer
    from levelup.services.reports import render_report, write_report

    if output is None and renderer(fmt).binary:  # a terminal shows text, never a file's bytes
        raise LevelupError(f"a {fmt.upper()} needs --output FILE")
    rendered = render_report(env.ctx, report=report, fmt=fmt,
                             preview=preview and output is None, to=to)
    if output is None:
        env.write(str(rendered.data))
        return
    write_report(rendered=rendered, path=output.expanduser())
    env.say(f"wrote {output}")
    if report.entry_ids:
        from levelup.reports.model import CHANNEL

        ids = " ".join(str(i) for i in report.entry_ids)
        who = report.audience or "STAKEHOLDER"
        env.warn(f"once shared: levelup tell {who!r} {ids} --via "
                 f"{CHANNEL.get(report.kind, 'document')}")


for _kind in HELP:
    report_app.command(_kind, help=HELP[_kind])(_report_command(_kind))


@report_app.command("templates")
def templates(
    ctx: typer.Context,
    kind: str = typer.Option(None, "--copy", help="Copy this kind's templates to your home "
                             "folder to change them."),
) -> None:
    """List the report templates, and where a copy of yours overrides them."""
    from levelup.services.reports import copy_report_templates, report_templates

    env = get_env(ctx)
    if kind:
        for path in copy_report_templates(env.ctx, kind=kind):
            env.say(f"copied {path}")
    found = report_templates(env.ctx)
    env.say(f"Your templates: {found.folder} (a file there wins over the built-in one)")
    for name, packaged, mine in found.templates:
        env.say(f"  {name:<20} {mine or packaged}{'  (yours)' if mine else ''}")


@plan_app.command("add")
def plan(
    ctx: typer.Context,
    title: str = typer.Argument(..., help="What you plan to do next week."),
    date: str = typer.Option(None, "--date", "-d", help="When it was planned (default today)."),
    project: str = typer.Option(None, "--project", "-p", help="Project name."),
) -> None:
    """Record a plan for next week (`plan list`, `plan done ID`, `plan drop ID`, `plan move ID`)."""
    from levelup.services.plans import add_plan

    env = get_env(ctx)
    entry = add_plan(env.ctx, title=title, date=date, project=project)
    env.say(f"plan #{entry.id}: {entry.title}")


@plan_app.command("list")
def plan_list(ctx: typer.Context, everything: bool = typer.Option(False, "--all", help="Include "
              "done, dropped and moved plans."), since: str = SINCE_OPTION,
              until: str = UNTIL_OPTION, as_json: bool = JSON_OPTION) -> None:
    """List open plans (all plans of the period with --all)."""
    from levelup.services.plans import list_plans

    env = get_env(ctx)
    items = list_plans(env.ctx, everything=everything, since=since, until=until)
    if as_json:
        from levelup.domain.serialize import to_json

        env.json(to_json(items))
        return
    for p in items:
        env.say(f"#{p.id:<6} {p.date}  {p.status or 'open':<8} {p.title}")


def _status_command(status: str, doc: str) -> Any:
    def command(ctx: typer.Context, ids: list[int] = IDS_ARGUMENT) -> None:
        from levelup.services.plans import set_plan_status

        env = get_env(ctx)
        set_plan_status(env.ctx, ids=ids, status=status)
        env.say(f"{', '.join(f'#{i}' for i in ids)}: {status}")

    command.__doc__ = doc
    return command


for _name, _status, _doc in (("done", "done", "Mark plans done."),
                             ("drop", "dropped", "Mark plans dropped."),
                             ("move", "moved", "Mark plans moved to later."),
                             ("reopen", "open", "Mark plans open again.")):
    plan_app.command(_name, help=_doc)(_status_command(_status, _doc))
