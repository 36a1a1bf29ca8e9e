"""Readiness at a glance: the target level's competencies month by month over the readiness
window (where evidence was sustained, with how many entries carried each competency), and
each factor beside its next action. Built from the one read readiness itself makes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from levelup.context import Context
    from levelup.readiness import Readiness
    from levelup.readiness.model import Action, Factor, Status


@dataclass(frozen=True, slots=True)
class Cell:
    """One competency in one month: the entries carrying it, and whether they weighed enough
    to count as evidence at the target level that month."""

    month: str  # YYYY-MM
    entries: int
    sustained: bool


@dataclass(frozen=True, slots=True)
class Row:
    competency: str
    status: Status
    cells: list[Cell]


@dataclass(frozen=True, slots=True)
class FactorLine:
    factor: Factor
    action: Action | None  # the first next action for this factor, if any


@dataclass(frozen=True, slots=True)
class Glance:
    readiness: Readiness
    months: list[str]  # the window's months, oldest first
    rows: list[Row]
    factors: list[FactorLine]


def readiness_glance(ctx: Context) -> Glance:
    """Readiness for the profile's target level, with its competency x month grid (kept
    between requests of the server until the ledger changes: ``services.cache``)."""
    from levelup.services.cache import remembered

    return remembered(ctx, "readiness_glance", lambda: _glance(ctx))


def _glance(ctx: Context) -> Glance:
    from levelup.readiness import assess
    from levelup.readiness.evidence import month_of, window_months
    from levelup.services.readiness import gather

    with ctx.read() as conn:
        data = gather(conn, settings=ctx.settings, today=ctx.today)
    found = assess(data)
    months = window_months(ctx.today, data.thresholds.window_months)
    carried = Counter((label.id, month_of(entry.date))
                      for entry in data.entries for label in entry.competencies)
    rows = [Row(c.id, c.status, [Cell(m, carried[(c.id, m)], m in c.months) for m in months])
            for c in found.competencies]
    lines = [FactorLine(f, next((a for a in found.actions if a.factor == f.id), None))
             for f in found.factors]
    return Glance(found, months, rows, lines)
