"""Plans: entries of kind ``plan`` with a status, reviewed by the next weekly report."""

from __future__ import annotations

from collections.abc import Sequence

from levelup.context import Context
from levelup.domain import vocab
from levelup.domain.models import Entry
from levelup.errors import LevelupError


def add_plan(ctx: Context, *, title: str, date: str | None = None,
             project: str | None = None) -> Entry:
    """Record an open plan, made on ``date`` (natural language; default today)."""
    from levelup.store.entries import add_entry

    if not title.strip():
        raise LevelupError("the plan needs a title")
    entry = Entry(title=title.strip(), date=ctx.day(date), kind="plan", status="open",
                  project=project)
    with ctx.begin() as conn:
        return add_entry(conn, entry=entry)


def list_plans(ctx: Context, *, everything: bool = False, since: str | None = None,
               until: str | None = None) -> list[Entry]:
    """Open plans (made up to the period's end), or every plan of the period."""
    from levelup.store import reporting

    period = ctx.window(since, until)
    with ctx.read() as conn:
        if everything:
            return reporting.period_entries(conn, start=period.start, end=period.end,
                                            kinds=["plan"])
        return reporting.open_plans(conn, until=period.end or ctx.today, limit=500)


def set_plan_status(ctx: Context, *, ids: Sequence[int], status: str) -> list[int]:
    """Set the status of plans; all or nothing. Returns the ids changed."""
    from levelup.store.reporting import set_plan_status as store_status

    checked = vocab.check(status, vocab.PLAN_STATUSES, "plan status")
    with ctx.begin() as conn:
        for entry_id in ids:
            store_status(conn, entry_id=entry_id, status=checked)
    return list(ids)
