"""`levelup opportunities` (Pareto of recurring pages) and `levelup opportunity add|list|done`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from levelup.cli.common import JSON_OPTION, SINCE_OPTION, UNTIL_OPTION, LevelupGroup, get_env

if TYPE_CHECKING:
    from levelup.cli.common import Env
    from levelup.domain.models import Opportunity
    from levelup.services.opportunities import Measured, OpportunityReport

backlog = typer.Typer(
    cls=LevelupGroup, no_args_is_help=True, rich_markup_mode=None,
    help="The opportunity backlog: improvements typed by kind (usability, support-cost, speed, "
    "reach, setup, scale, quality), each with a hypothesis of its impact, optionally linked "
    "to a recurring problem whose page rate then measures the fix.",
)


CHART_OPTION = typer.Option(
    None, "--chart", help="Write the Pareto chart (bars + cumulative line) to FILE.svg/.png."
)
TREND_CHART_OPTION = typer.Option(
    None, "--trend-chart", help="Write the pages-per-week chart to FILE.svg/.png."
)
WORK_HOURS_OPTION = typer.Option(
    "9-18", "--work-hours",
    help="Working hours START-END in each page's local time; pages outside them or at "
    "weekends are off-hours (append +weekends if weekends are working days).",
)
ME_OPTION = typer.Option(
    None, "--me", help="Name or email you are paged as (repeatable; default: profile name)."
)


def register(app: typer.Typer) -> None:
    """Add `opportunities` and the `opportunity` sub-app to the root app."""
    app.command("opportunities")(opportunities)
    app.add_typer(backlog, name="opportunity")


def opportunities(
    ctx: typer.Context,
    since: str = SINCE_OPTION,
    until: str = UNTIL_OPTION,
    by: str = typer.Option("problem", "--by", help="Group pages by problem (default) or service."),
    chart: Path = CHART_OPTION,
    trend_chart: Path = TREND_CHART_OPTION,
    work_hours: str = WORK_HOURS_OPTION,
    me: list[str] = ME_OPTION,
    limit: int = typer.Option(20, "--limit", help="Rows shown in the table (JSON has all)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """The Pareto of recurring problems from imported pages: count, share, cumulative share,
    off-hours pages and toil hours, the vital few that make 80% of the load, pages per week,
    and your own on-call load."""
    from levelup.services.opportunities import opportunity_report

    env = get_env(ctx)
    report = opportunity_report(env.ctx, since=since, until=until, by=by,
                                work_hours=work_hours, me=me or [])
    _write_charts(env, report, chart, trend_chart)
    if as_json:
        env.json(report.as_json())
    else:
        _print_report(env, report, limit)


def _write_charts(env: Env, report: OpportunityReport, chart: Path | None,
                  trend_chart: Path | None) -> None:
    from levelup.charts import pareto_svg, weekly_svg, write_chart

    if chart is not None:
        env.warn(f"wrote {write_chart(chart.expanduser(), pareto_svg(report.rows))}")
    if trend_chart is not None:
        env.warn(f"wrote {write_chart(trend_chart.expanduser(), weekly_svg(report.weeks))}")


def _print_report(env: Env, report: OpportunityReport, limit: int) -> None:
    from rich.table import Table

    if not report.rows:
        env.say("No incidents in this period. Import pages with `levelup import incidents FILE`.")
        return
    what = "problem" if report.by == "problem" else "service"
    table = Table(title=f"{report.total} pages by {what}", title_justify="left")
    for name in (what, "pages", "share", "cum.", "off-hours", "toil h"):
        table.add_column(name, justify="left" if name == what else "right")
    vital = {row.key for row in report.vital_few}
    for row in report.rows[:limit]:
        mark = "* " if row.key in vital else "  "
        table.add_row(mark + row.key, str(row.count), f"{row.share:.0%}",
                      f"{row.cumulative_share:.0%}", str(row.off_hours), f"{row.toil_hours:.1f}")
    env.console().print(table)
    env.say(f"* vital few: {len(vital)} of {len(report.rows)} {what}s make "
            f"{report.vital_few[-1].cumulative_share:.0%} of the pages")
    _print_weeks(env, report)
    if report.oncall is not None:
        load = report.oncall
        env.say(f"your on-call load ({load.person}): {load.pages} pages, "
                f"{load.pages_per_week:.1f}/week, {load.off_hours_share:.0%} off-hours, "
                f"{load.toil_hours:.1f} h to resolve")


def _print_weeks(env: Env, report: OpportunityReport) -> None:
    from levelup.domain.pareto import trend

    recent = report.weeks[-8:]
    if not recent:
        return
    cells = ", ".join(f"{w.week:%m-%d}: {w.count}" for w in recent)
    slope = trend(report.weeks)
    direction = "" if slope is None else f" (trend {slope:+.2f} pages/week per week)"
    env.say(f"pages per week, last {len(recent)}: {cells}{direction}")


@backlog.command("add")
def add(
    ctx: typer.Context,
    title: str = typer.Argument(..., help="What to improve, e.g. 'Auto-grow the db volumes'."),
    kind: str = typer.Option(
        ..., "--kind", help="usability, support-cost, speed, reach, setup, scale or quality."
    ),
    problem: str = typer.Option(
        None, "--problem", help="Problem key from `levelup opportunities` this would remove "
        "(or the title of one of its pages)."
    ),
    hypothesis: str = typer.Option(
        "", "--hypothesis", help="The impact you expect, e.g. 'pages drop from 6/week to 0'."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Add an opportunity to the backlog."""
    from levelup.services.opportunities import add_opportunity

    env = get_env(ctx)
    item = add_opportunity(env.ctx, title=title, kind=kind, problem=problem,
                           hypothesis=hypothesis)
    if as_json:
        env.json(_opportunity_json(item))
    else:
        env.say(f"added opportunity {item.id}: [{item.kind}] {item.title}")


@backlog.command("list")
def list_(
    ctx: typer.Context,
    status: str = typer.Option(None, "--status", help="Only open or done opportunities."),
    as_json: bool = JSON_OPTION,
) -> None:
    """List the backlog, open opportunities first."""
    from levelup.services.opportunities import list_opportunities

    env = get_env(ctx)
    items = list_opportunities(env.ctx, status=status)
    if as_json:
        env.json([_opportunity_json(item) for item in items])
        return
    if not items:
        env.say("The backlog is empty. Add one with `levelup opportunity add TITLE --kind KIND`.")
    for item in items:
        linked = f" (problem: {item.problem_key})" if item.problem_key else ""
        done = f" done by entry {item.done_entry_id}" if item.status == "done" else ""
        env.say(f"{item.id:>4}  {item.status:<5} [{item.kind}] {item.title}{linked}{done}")
        if item.hypothesis:
            env.say(f"      hypothesis: {item.hypothesis}")


@backlog.command("update")
def update(
    ctx: typer.Context,
    opportunity_id: int = typer.Argument(..., metavar="ID", help="Opportunity id."),
    title: str = typer.Option(None, "--title", help="What to improve, corrected."),
    kind: str = typer.Option(
        None, "--kind", help="usability, support-cost, speed, reach, setup, scale or quality."
    ),
    problem: str = typer.Option(None, "--problem", help='Problem key it would remove ("" '
                                "unlinks it)."),
    hypothesis: str = typer.Option(None, "--hypothesis", help="The impact you expect."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Correct an opportunity: only the options given change."""
    from levelup.services.opportunities import update_opportunity

    env = get_env(ctx)
    item = update_opportunity(env.ctx, opportunity_id=opportunity_id, title=title, kind=kind,
                              problem=problem, hypothesis=hypothesis)
    if as_json:
        env.json(_opportunity_json(item))
    else:
        env.say(f"opportunity {item.id}: [{item.kind}] {item.title}")


@backlog.command("done")
def done(
    ctx: typer.Context,
    opportunity_id: int = typer.Argument(..., metavar="ID", help="Opportunity id."),
    entry: int = typer.Option(
        ..., "--entry", help="Id of the entry recording the fix (its date is the fix day)."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Mark an opportunity done by an entry; for a linked problem, the page rate before and
    after the fix is attached to the entry as a metric (refreshed by later imports)."""
    from levelup.services.opportunities import complete_opportunity

    env = get_env(ctx)
    completed = complete_opportunity(env.ctx, opportunity_id=opportunity_id, entry=entry)
    item, measured = completed.opportunity, completed.measured
    if as_json:
        env.json({**_opportunity_json(item), "measured": _measured_json(measured)})
        return
    env.say(f"opportunity {item.id} done by entry {entry}")
    if measured is not None:
        _say_measured(env, measured)


def _say_measured(env: Env, measured: Measured) -> None:
    from levelup.domain.metrics import format_metric

    if measured.metric is None:
        env.say(f"no page-rate metric yet: {_note(measured)}")
    else:
        env.say(f"metric added: {format_metric(measured.metric)} ({measured.note})")


def _measured_json(measured: Measured | None) -> dict[str, object] | None:
    if measured is None:
        return None
    metric = measured.metric
    return {
        "metric": None if metric is None else {"name": metric.name, "baseline": metric.baseline,
                                               "result": metric.result, "unit": metric.unit},
        "weeks": measured.windows.weeks if measured.windows else None,
        "note": _note(measured),
    }


def _note(measured: Measured) -> str:
    from levelup.cli.readiness import phrased

    return phrased(measured.note, measured.step)


def _opportunity_json(item: Opportunity) -> dict[str, object]:
    return {
        "id": item.id, "kind": item.kind, "title": item.title, "hypothesis": item.hypothesis,
        "problem_key": item.problem_key, "status": item.status,
        "done_entry_id": item.done_entry_id, "created": item.created, "done_on": item.done_on,
    }
