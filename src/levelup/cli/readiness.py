"""`levelup readiness` and `levelup today` (alias `status`): thin adapters over the service."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from levelup.cli.common import JSON_OPTION, get_env

if TYPE_CHECKING:
    from collections.abc import Callable

    from levelup.cli.common import Env
    from levelup.domain.steps import Step
    from levelup.readiness import Action, Readiness
    from levelup.readiness.today import Due

SYMBOL = {"met": "✓", "partial": "~", "missing": "✗"}
SHOWN_ACTIONS = 5

READINESS_HELP = """Are you ready for the next level, what is missing, and what to do this week.

Per competency of your target level: met, partial or missing, the entries that are evidence
and the months with evidence. An entry is evidence for a competency when it carries it
(confirmed, or suggested by the classifier and weighed by its score; half weight when it is
not the entry's first competency) and is not a plan; a vague entry (impact coach score under
WEAK_SCORE) counts half. A month counts when its evidence weighs one solid entry.

Factors: sustained, visibility, business_need, successor, aspiration, prevention, mentoring,
bus_factor, feedback, expectations, checkin; then the next actions, biggest gap first.

Thresholds (settings; override with LEVELUP_<NAME>): WINDOW_MONTHS=6 months looked back;
SUSTAINED_MONTHS=4 months with evidence for met; VISIBILITY_SHARE=0.5 of the
STRONGEST_ENTRIES=10 strongest entries a decision maker other than your manager heard about;
EXPECTATIONS_DAYS=90 days before expectations and the business need are stale, with
CRITICAL_TASKS=3 critical tasks recorded; FEEDBACK_WEEKS=6 weeks to have asked for feedback;
PREVENTION_RATIO=1.0 fires prevented per fire fought; MENTORING_ENTRIES=3 entries growing
others; BUS_FACTOR_MONTHS=12 months of git history, with GIT_EMAILS your author emails and
BUS_FACTOR_DEPTH=2 folder levels; CHECKIN_DAYS=14 days before a check-in is due again.

JSON: evidence lists entry ids, except for business_need and expectations (expectation
ids), aspiration (conversation ids), feedback (feedback ids) and checkin (check-in ids)."""

TODAY_HELP = """What is due now: the weekly report (Fridays, or when none was sent in 7 days),
preparing the next 1:1 with your manager (booked in an imported calendar, else expected from
your 1:1 cadence, ONE_ON_ONE_DAYS=14 when unknown), a feedback ask (none for FEEDBACK_WEEKS),
a self check-in (none for CHECKIN_DAYS) and stale expectations (older than EXPECTATIONS_DAYS)."""


def register(app: typer.Typer) -> None:
    app.command("readiness", help=READINESS_HELP)(readiness)
    app.command("today", help=TODAY_HELP)(today)
    app.command("status", help="Alias of `levelup today`.")(today)


def readiness(
    ctx: typer.Context,
    level: str = typer.Option(None, "--level", "-l", help="Level to assess (default: target)."),
    as_json: bool = JSON_OPTION,
) -> None:
    from levelup.services.readiness import readiness_for

    env = get_env(ctx)
    found = readiness_for(env.ctx, level=level)
    if as_json:
        env.json(readiness_json(found))
        return
    _show(env, found)


def readiness_json(found: Readiness) -> dict[str, Any]:
    """`readiness --json`: each action's text ends with its command, also under "command"."""
    data = found.to_json()
    data["actions"] = [_action_json(a) for a in found.actions]
    return data


def _action_json(action: Action) -> dict[str, Any]:
    return {**action.to_json(), "text": phrased(action.text, action.step),
            "command": _command(action.step)}


def phrased(text: str, step: Step | None) -> str:
    """The text with the command of its step: ``Take the check-in (`levelup checkin`)``."""
    return f"{text} (`{_command(step)}`)" if step else text


def _command(step: Step | None) -> str:
    from levelup.cli.steps import command

    return command(step) if step else ""


def _show(env: Env, found: Readiness) -> None:
    from rich.table import Table

    console = env.console()
    console.print(f"[bold]Readiness for {found.target_level}[/bold]")
    table = Table(box=None, pad_edge=False, show_header=True, header_style="bold")
    for name in ("", "competency", "months", "evidence"):
        table.add_column(name)
    for c in found.competencies:
        shown = " ".join(f"#{i}" for i in c.evidence[:6]) + (" …" if len(c.evidence) > 6 else "")
        table.add_row(SYMBOL[c.status], c.id, str(c.months_with_evidence), shown)
    console.print(table)
    console.print("[bold]Factors[/bold]")
    for f in found.factors:
        console.print(f"{SYMBOL[f.status]} {f.id:<13} {f.detail}", overflow="ellipsis",
                      no_wrap=True, markup=False)
    console.print("[bold]Next actions[/bold]")
    for n, a in enumerate(found.actions[:SHOWN_ACTIONS], start=1):
        console.print(f"{n}. {phrased(a.text, a.step)}", markup=False)
    if not found.actions:
        console.print("Nothing missing: ask your manager to start the promotion case.")


def today(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    from levelup.services.readiness import today_for

    env = get_env(ctx)
    items = today_for(env.ctx)
    if as_json:
        env.json({"today": env.ctx.today.isoformat(), "due": [_due_json(i) for i in items]})
        return
    _show_due(env.say, items)


def _due_json(item: Due) -> dict[str, Any]:
    data = item.to_json()
    return {"id": data["id"], "text": data["text"], "command": _command(item.step),
            "when": data["when"], "step": data["step"]}


def _show_due(say: Callable[[str], None], items: list[Due]) -> None:
    if not items:
        say("Nothing due today.")
    for item in items:
        say(f"• {item.text}" + (f"  → {_command(item.step)}" if item.step else ""))
