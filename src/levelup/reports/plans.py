"""Plans: entries of kind ``plan`` with a status, reviewed by the next weekly report."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from levelup.domain import vocab
from levelup.domain.models import Entry

if TYPE_CHECKING:
    from levelup.cli.common import Env


def add_plan(env: Env, *, title: str, day: date, project: str | None = None) -> Entry:
    from levelup.errors import LevelupError
    from levelup.store.entries import add_entry

    if not title.strip():
        raise LevelupError("the plan needs a title")
    entry = Entry(title=title.strip(), date=day, kind="plan", status="open", project=project)
    with env.begin() as conn:
        return add_entry(conn, entry=entry)


def list_plans(env: Env, *, everything: bool = False, start: date | None = None,
               end: date | None = None) -> list[Entry]:
    """Open plans (made up to ``end``), or every plan of the period."""
    from levelup.store import reporting

    with env.read() as conn:
        if everything:
            return reporting.period_entries(conn, start=start, end=end, kinds=["plan"])
        return reporting.open_plans(conn, until=end or env.today, limit=500)


def set_status(env: Env, *, ids: list[int], status: str) -> None:
    """Set the status of plans; all or nothing."""
    from levelup.store.reporting import set_plan_status

    checked = vocab.check(status, vocab.PLAN_STATUSES, "plan status")
    with env.begin() as conn:
        for entry_id in ids:
            set_plan_status(conn, entry_id=entry_id, status=checked)
