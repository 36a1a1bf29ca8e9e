"""What every readiness rule reads: the input, the competency results and the coach scores."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from levelup.domain.steps import Step
from levelup.readiness.evidence import Scorer, window_start
from levelup.readiness.model import (
    Action,
    CompetencyResult,
    Factor,
    Person,
    ReadinessInput,
    Status,
    Thresholds,
)

# How much each factor weighs in a promotion (the essays' order), used to rank actions.
IMPORTANCE: dict[str, float] = {
    "sustained": 1.0, "visibility": 0.95, "aspiration": 0.9, "business_need": 0.85,
    "successor": 0.7, "bus_factor": 0.65, "mentoring": 0.6, "prevention": 0.55,
    "expectations": 0.5, "feedback": 0.45, "checkin": 0.3,
}
GAP: dict[str, float] = {"missing": 1.0, "partial": 0.5, "met": 0.0}

Rule = tuple[Factor, list[Action]]


@dataclass(slots=True)
class Context:
    data: ReadinessInput
    competencies: list[CompetencyResult]
    score: Scorer

    @property
    def th(self) -> Thresholds:
        return self.data.thresholds

    @property
    def today(self) -> date:
        return self.data.today

    @property
    def start(self) -> date:
        return window_start(self.today, self.th.window_months)

    def days_ago(self, days: int) -> date:
        return self.today - timedelta(days=days)

    @property
    def manager(self) -> str:
        return self.data.manager or "your manager"

    def is_manager(self, name: str) -> bool:
        return bool(self.data.manager) and name.strip().lower() == str(
            self.data.manager).strip().lower()

    def deciders(self) -> list[Person]:
        """Decision makers other than the manager."""
        return [p for p in self.data.people if p.decision_maker and not self.is_manager(p.name)]

    def people(self, *relations: str) -> list[Person]:
        return [p for p in self.data.people if p.relation in relations]


def action(factor: str, status: Status, text: str, entries: list[int] | None = None,
           rank: int = 0, step: Step | None = None) -> Action:
    """An action for a factor; later ones (``rank``) of the same factor weigh half as much each,
    so the top of the list spans several factors. ``step`` names the next step, if any."""
    weight = IMPORTANCE[factor] * GAP[status] * (0.5 ** rank)
    return Action(text=text, factor=factor, entries=entries or [], weight=weight, step=step)


def ids(items: list[int], limit: int = 5) -> str:
    shown = ", ".join(f"#{i}" for i in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


def names(people: list[Person], limit: int = 3) -> str:
    return ", ".join(p.name for p in people[:limit])


def grade(value: float, met: float, partial: float) -> Status:
    return "met" if value >= met else "partial" if value >= partial else "missing"
