"""Stakeholders and expectations: who matters, and what they expect of you."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from levelup.cli.common import JSON_OPTION, Env, get_env

if TYPE_CHECKING:
    from levelup.domain.models import Stakeholder
    from levelup.services.people import ExpectationView

stakeholder_app = typer.Typer(help="The people who should know about your work.",
                              no_args_is_help=True)
expect_app = typer.Typer(help="What is expected of you: role, deliverables, the 3 critical "
                         "tasks, your manager's definition of success.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(stakeholder_app, name="stakeholder")
    app.add_typer(expect_app, name="expect")


RELATION_HELP = ("manager, skip-level, peer, partner, customer, promotion-committee, mentee, "
                 "report, other.")


@stakeholder_app.command("add")
def stakeholder_add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Their name."),
    relation: str = typer.Option(None, "--relation", "-r",
                                 help=RELATION_HELP + " New ones default to peer."),
    decision_maker: bool = typer.Option(None, "--decision-maker/--no-decision-maker", "-D",
                                        help="They have a say in your promotion."),
    notes: str = typer.Option(None, help="Anything worth remembering about them."),
    email: str = typer.Option(None, "--email", help="Their e-mail address: `report --send "
                              "--for NAME` mails them there."),
) -> None:
    """Add a stakeholder (or update one with the same name: only the options given change)."""
    from levelup.services.people import add_stakeholder

    env = get_env(ctx)
    _say_stakeholder(env, add_stakeholder(env.ctx, name=name, relation=relation,
                                          decision_maker=decision_maker, notes=notes,
                                          email=email))


@stakeholder_app.command("set")
def stakeholder_set(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Their name (see `levelup stakeholder list`)."),
    relation: str = typer.Option(None, "--relation", "-r", help=RELATION_HELP),
    decision_maker: bool = typer.Option(None, "--decision-maker/--no-decision-maker", "-D",
                                        help="They have a say in your promotion (or not)."),
    notes: str = typer.Option(None, help="Anything worth remembering about them."),
    email: str = typer.Option(None, "--email", help="Their e-mail address."),
    rename: str = typer.Option(None, "--rename", help="Their name, corrected."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Correct an existing stakeholder: only the options given change."""
    from levelup.services.people import set_stakeholder

    env = get_env(ctx)
    person = set_stakeholder(env.ctx, name=name, relation=relation,
                             decision_maker=decision_maker, notes=notes, email=email,
                             rename=rename)
    if as_json:
        from levelup.domain.serialize import to_json

        env.json(to_json(person))
        return
    _say_stakeholder(env, person)


def _say_stakeholder(env: Env, person: Stakeholder) -> None:
    role = " (decision maker)" if person.decision_maker else ""
    address = f" <{person.email}>" if person.email else ""
    env.say(f"stakeholder {person.name}{address}: {person.relation}{role}")


@stakeholder_app.command("list")
def stakeholder_list(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """List stakeholders; * marks decision makers."""
    from levelup.services.people import list_stakeholders

    env = get_env(ctx)
    env.listing(list_stakeholders(env.ctx), as_json,
                lambda p: f"{p.name:<24} {p.relation:<20} {'*' if p.decision_maker else ' '} "
                f"{p.email}".rstrip())


@stakeholder_app.command("remove")
def stakeholder_remove(ctx: typer.Context, name: str = typer.Argument(..., help="Name.")) -> None:
    """Remove a stakeholder and what they heard."""
    from levelup.services.people import remove_stakeholder

    env = get_env(ctx)
    remove_stakeholder(env.ctx, name=name)
    env.say(f"removed {name}")


@expect_app.command("add")
def expect_add(
    ctx: typer.Context,
    text: str = typer.Argument(..., help="The expectation in your own words."),
    kind: str = typer.Option("responsibility", "--kind", "-k", help="responsibility, "
                             "deliverable, critical-task, success-definition, kpi, business-need."),
    said_by: str = typer.Option(None, "--by", help="Who said it (usually your manager)."),
    agreed: str = typer.Option(None, "--date", "-d", help="When it was agreed (default today)."),
) -> None:
    """Record an expectation, dated and sourced."""
    from levelup.services.people import add_expectation

    env = get_env(ctx)
    item = add_expectation(env.ctx, text=text, kind=kind, said_by=said_by, agreed=agreed)
    env.say(f"expectation #{item.id} ({item.kind}, {item.agreed_on}): {item.text}")


@expect_app.command("list")
def expect_list(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """List expectations, newest first, flagging stale ones."""
    from levelup.services.people import list_expectations

    env = get_env(ctx)
    views = list_expectations(env.ctx)
    if as_json:
        env.json([view.to_json() for view in views])
        return
    for view in views:
        env.say(_expectation_line(view))


def _expectation_line(view: ExpectationView) -> str:
    e = view.expectation
    flag = f"  (stale: {view.age_days} days old)" if view.stale else ""
    by = f" — {e.said_by}" if e.said_by else ""
    went = f"\n      how it went ({e.outcome_on}): {e.outcome}" if e.outcome else ""
    return f"#{e.id:<4} {e.agreed_on}  {e.kind:<18} {e.text}{by}{flag}{went}"


@expect_app.command("update")
def expect_update(
    ctx: typer.Context,
    expectation_id: int = typer.Argument(..., help="Its id (see `levelup expect list`)."),
    outcome: str = typer.Option(None, "--outcome", help="How it went, in your words "
                                '("" clears it).'),
    outcome_on: str = typer.Option(None, "--on", help="When you recorded how it went "
                                   "(default today)."),
    text: str = typer.Option(None, "--text", help="The expectation, corrected."),
    kind: str = typer.Option(None, "--kind", "-k", help="responsibility, deliverable, "
                             "critical-task, success-definition, kpi, business-need."),
    said_by: str = typer.Option(None, "--by", help="Who said it."),
    agreed: str = typer.Option(None, "--date", "-d", help="When it was agreed."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Record how an expectation went, or correct it: only the options given change."""
    from levelup.domain.serialize import to_json
    from levelup.services.people import update_expectation

    env = get_env(ctx)
    item = update_expectation(env.ctx, expectation_id=expectation_id, text=text, kind=kind,
                              said_by=said_by, agreed=agreed, outcome=outcome,
                              outcome_on=outcome_on)
    if as_json:
        env.json(to_json(item))
        return
    went = f"; how it went ({item.outcome_on}): {item.outcome}" if item.outcome else ""
    env.say(f"expectation #{item.id} ({item.kind}, {item.agreed_on}): {item.text}{went}")


@expect_app.command("remove")
def expect_remove(ctx: typer.Context, expectation_id: int = typer.Argument(...)) -> None:
    """Remove an expectation that no longer holds."""
    from levelup.services.people import remove_expectation

    env = get_env(ctx)
    remove_expectation(env.ctx, expectation_id=expectation_id)
    env.say(f"removed expectation #{expectation_id}")
