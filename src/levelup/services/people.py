"""Stakeholders and expectations: who matters, and what they expect of you."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from levelup.context import Context
from levelup.domain import vocab
from levelup.domain.expectations import age_days, is_stale
from levelup.domain.models import Expectation, Stakeholder
from levelup.domain.names import clean_name
from levelup.domain.serialize import to_json
from levelup.store import people as people_store
from levelup.store import records as records_store

if TYPE_CHECKING:
    from sqlalchemy import Connection


@dataclass(slots=True, frozen=True)
class ExpectationView:
    """An expectation, how old it is, and whether it is old enough to re-confirm."""

    expectation: Expectation
    age_days: int
    stale: bool

    def to_json(self) -> dict[str, Any]:
        """The expectation's own JSON form (`expect list --json`): staleness is for display."""
        data: dict[str, Any] = to_json(self.expectation)
        return data


def add_stakeholder(ctx: Context, *, name: str, relation: str | None = None,
                    decision_maker: bool | None = None, notes: str | None = None,
                    email: str | None = None) -> Stakeholder:
    """Add a stakeholder, or update the one with the same name: only the fields given (not
    None) change; a new one is a peer who is no decision maker unless told otherwise."""
    return _save_stakeholder(ctx, name=name, must_exist=False, relation=relation,
                             decision_maker=decision_maker, notes=notes, email=email)


def set_stakeholder(ctx: Context, *, name: str, relation: str | None = None,
                    decision_maker: bool | None = None, notes: str | None = None,
                    email: str | None = None, rename: str | None = None) -> Stakeholder:
    """Change the fields given (not None) of an existing stakeholder, ``rename`` included;
    NotFound otherwise, FieldError when the new name is another's (ignoring case)."""
    return _save_stakeholder(ctx, name=name, must_exist=True, relation=relation,
                             decision_maker=decision_maker, notes=notes, email=email,
                             rename=rename)


def _save_stakeholder(ctx: Context, *, name: str, must_exist: bool, relation: str | None,
                      decision_maker: bool | None, notes: str | None,
                      email: str | None, rename: str | None = None) -> Stakeholder:
    from levelup.errors import FieldError, NotFound
    from levelup.reports.send import check_addresses

    name = clean_name(name)
    if not name:
        raise FieldError("name", "must not be empty")
    checked = vocab.check(relation, vocab.RELATIONS, "relation") if relation is not None else None
    address = ", ".join(check_addresses(email, field="email")) if email else email
    with ctx.begin() as conn:
        try:
            person = people_store.get_stakeholder(conn, name=name)
        except NotFound:
            if must_exist:
                raise
            person = Stakeholder(name=name)
        if checked is not None:
            person.relation = checked
        if decision_maker is not None:
            person.decision_maker = decision_maker
        if notes is not None:
            person.notes = notes
        if address is not None:
            person.email = address
        if rename is not None:
            person.name = _free_name(conn, person, rename)
        return people_store.add_stakeholder(conn, stakeholder=person)


def _free_name(conn: Connection, person: Stakeholder, rename: str) -> str:
    """``rename`` cleaned, when no other stakeholder has it ignoring case; FieldError if not."""
    from levelup.errors import FieldError, NotFound

    new = clean_name(rename)
    if not new:
        raise FieldError("rename", "must not be empty")
    try:
        other = people_store.get_stakeholder(conn, name=new)
    except NotFound:
        return new
    if other.id != person.id:
        raise FieldError("rename", f"'{new}' is the name of another stakeholder "
                         f"('{other.name}')")
    return new


def list_stakeholders(ctx: Context) -> list[Stakeholder]:
    """Every stakeholder, by name."""
    with ctx.read() as conn:
        return people_store.list_stakeholders(conn)


def remove_stakeholder(ctx: Context, *, name: str) -> None:
    """Remove a stakeholder (and what they heard); NotFound names the nearest name."""
    with ctx.begin() as conn:
        people_store.remove_stakeholder(conn, name=name)


def add_expectation(ctx: Context, *, text: str, kind: str = "responsibility",
                    said_by: str | None = None, agreed: str | None = None) -> Expectation:
    """Record an expectation, dated (``agreed``, default today) and sourced."""
    item = Expectation(kind=vocab.check(kind, vocab.EXPECTATION_KINDS, "expectation kind"),
                       text=text, said_by=said_by, agreed_on=ctx.day(agreed))
    with ctx.begin() as conn:
        return records_store.add_expectation(conn, expectation=item)


def list_expectations(ctx: Context) -> list[ExpectationView]:
    """Expectations, newest first, each flagged stale after ``settings.expectations_days``."""
    with ctx.read() as conn:
        items = records_store.list_expectations(conn)
    days = ctx.settings.expectations_days
    return [ExpectationView(expectation=e, age_days=age_days(e.agreed_on, today=ctx.today),
                            stale=is_stale(e.agreed_on, today=ctx.today, days=days))
            for e in items]


def update_expectation(ctx: Context, *, expectation_id: int, text: str | None = None,
                       kind: str | None = None, said_by: str | None = None,
                       agreed: str | None = None, outcome: str | None = None,
                       outcome_on: str | None = None) -> Expectation:
    """Correct an expectation or record how it went: only the fields given (not None) change.

    ``outcome`` is how it went in the user's words, dated ``outcome_on`` (default today, never
    before it was agreed); an empty ``outcome`` clears it and its date.
    """
    from levelup.errors import FieldError

    if text is not None and not text.strip():
        raise FieldError("text", "must not be empty")
    checked = vocab.check(kind, vocab.EXPECTATION_KINDS, "expectation kind") if kind else None
    with ctx.begin() as conn:
        item = records_store.get_expectation(conn, expectation_id=expectation_id)
        item.text = text.strip() if text is not None else item.text
        item.kind = checked or item.kind
        item.said_by = (said_by.strip() or None) if said_by is not None else item.said_by
        item.agreed_on = ctx.day(agreed) if agreed else item.agreed_on
        _went(ctx, item, outcome, outcome_on)
        return records_store.update_expectation(conn, expectation=item)


def _went(ctx: Context, item: Expectation, outcome: str | None, on: str | None) -> None:
    """Set how ``item`` went and when that was recorded; FieldError on ``outcome_on``."""
    from levelup.errors import FieldError

    if outcome is not None:
        item.outcome = outcome.strip()
        item.outcome_on = (ctx.day(on) if on else ctx.today) if item.outcome else None
    elif on:
        if not item.outcome:
            raise FieldError("outcome_on", "needs an outcome: say how it went")
        item.outcome_on = ctx.day(on)
    if item.outcome_on is not None and item.outcome_on < item.agreed_on:
        raise FieldError("outcome_on", f"{item.outcome_on} is before it was agreed on "
                         f"{item.agreed_on}")


def remove_expectation(ctx: Context, *, expectation_id: int) -> None:
    """Remove an expectation that no longer holds; NotFound when there is no such id."""
    with ctx.begin() as conn:
        records_store.delete_expectation(conn, expectation_id=expectation_id)
