"""What changes from one level to another, competency by competency. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from levelup.domain.vocab import COMPETENCIES
from levelup.ladders.model import Ladder, LadderError


@dataclass(slots=True, frozen=True)
class CompetencyStep:
    """For one competency: what the target asks that the current level does not."""

    competency: str
    current: tuple[str, ...]
    target: tuple[str, ...]
    new: tuple[str, ...]
    signals: tuple[str, ...]

    def to_dict(self) -> dict[str, object]:
        return {"competency": self.competency, "current": list(self.current),
                "target": list(self.target), "new": list(self.new),
                "signals": list(self.signals)}


def next_level(ladder: Ladder, current: str, target: str) -> list[CompetencyStep]:
    """Per competency (in vocabulary order), the target's expectations and what is new."""
    now, then = ladder.check_level(current), ladder.check_level(target)
    if now.id == then.id:
        raise LadderError(f"current and target level are both '{now.id}'")
    steps = []
    for cid in COMPETENCIES:
        before = now.competencies.get(cid)
        after = then.competencies.get(cid)
        if after is None:
            continue
        known = set(before.expectations) if before else set()
        steps.append(CompetencyStep(
            competency=cid,
            current=before.expectations if before else (),
            target=after.expectations,
            new=tuple(e for e in after.expectations if e not in known),
            signals=after.signals,
        ))
    return steps
