"""Readiness from its input: competencies, the eleven factors, and ranked next actions."""

from __future__ import annotations

from levelup.readiness import records, work
from levelup.readiness.context import Context, Rule
from levelup.readiness.evidence import CoachScores, Scorer, competency_results
from levelup.readiness.model import FACTORS, Action, Readiness, ReadinessInput

RULES = {
    "sustained": work.sustained, "visibility": work.visibility,
    "business_need": records.business_need, "successor": work.successor,
    "aspiration": records.aspiration, "prevention": work.prevention,
    "mentoring": work.mentoring, "bus_factor": records.bus_factor,
    "feedback": records.feedback, "expectations": records.expectations,
    "checkin": records.checkin,
}
assert tuple(RULES) == FACTORS


def assess(data: ReadinessInput, score: Scorer | None = None) -> Readiness:
    """Measure every factor from ``data``; ``score`` defaults to the impact coach."""
    th = data.thresholds
    scorer = score or CoachScores()
    competencies = competency_results(
        data.entries, data.competencies, today=data.today, months=th.window_months,
        sustained=th.sustained_months, weak_score=th.weak_score, score=scorer)
    ctx = Context(data=data, competencies=competencies, score=scorer)
    found: list[Rule] = [RULES[factor_id](ctx) for factor_id in FACTORS]
    return Readiness(target_level=data.target_level, competencies=competencies,
                     factors=[factor for factor, _ in found],
                     actions=rank([a for _, actions in found for a in actions]))


def rank(actions: list[Action]) -> list[Action]:
    """Biggest gap closed first; ties keep the factors' order."""
    order = {factor: i for i, factor in enumerate(FACTORS)}
    return sorted(actions, key=lambda a: (-a.weight, order[a.factor]))
