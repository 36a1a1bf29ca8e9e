"""Readiness for the next level: pure rules over plain data (no database, no clock).

``assess(ReadinessInput) -> Readiness``; ``due(TodayInput) -> list[Due]`` for `levelup today`.
"""

from __future__ import annotations

from levelup.readiness.model import (
    FACTORS,
    Action,
    CheckInScores,
    CompetencyLabel,
    CompetencyResult,
    EntryFacts,
    Factor,
    Person,
    Readiness,
    ReadinessInput,
    Record,
    Thresholds,
)
from levelup.readiness.rules import assess

__all__ = [
    "FACTORS", "Action", "CheckInScores", "CompetencyLabel", "CompetencyResult", "EntryFacts",
    "Factor", "Person", "Readiness", "ReadinessInput", "Record", "Thresholds", "assess",
]
