"""Competency evidence at the target level, month by month, and the strongest entries.

An entry is evidence for competency C at the target level when, inside the window, it carries
C and is not a plan. Its weight is the product of:
- the label: 1 when confirmed, the classifier's score when only suggested (0.5 without one),
  halved when C is not the entry's primary (first) competency;
- the wording: 1 when the impact coach scores it at least ``weak_score``, else 0.5.
A month has evidence for C when its entries weigh at least 1: one solid entry, or several
weaker ones. The coach's score is stored with each entry when it is written; for an entry
without one the coach runs lazily, strongest entries first.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from operator import attrgetter

from levelup.readiness.model import CompetencyLabel, CompetencyResult, EntryFacts, Status

MONTH_WEIGHT = 1.0  # one solid entry makes a month
_RECORDED = attrgetter("recorded_strength", "date", "id")
Scorer = Callable[[EntryFacts], int]


class CoachScores:
    """The impact coach's score per entry: the one stored with it, else computed once and only
    when asked."""

    def __init__(self) -> None:
        self._cache: dict[int, int] = {}

    def __call__(self, entry: EntryFacts) -> int:
        if entry.coach_score is not None:
            return entry.coach_score
        found = self._cache.get(entry.id)
        if found is None:
            from levelup.coach import coach

            found = self._cache[entry.id] = coach(entry.text).score
        return found


def window_months(today: date, months: int) -> list[str]:
    """The last ``months`` calendar months up to today's, oldest first, as YYYY-MM."""
    index = today.year * 12 + today.month - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - months + 1, index + 1)]


def window_start(today: date, months: int) -> date:
    first = window_months(today, months)[0]
    return date(int(first[:4]), int(first[5:]), 1)


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def label_weight(label: CompetencyLabel) -> float:
    base = 1.0 if label.confirmed else (label.score if label.score is not None else 0.5)
    return base * (1.0 if label.primary else 0.5)


def _buckets(entries: list[EntryFacts], wanted: set[str],
             months: set[str]) -> dict[tuple[str, str], list[tuple[float, EntryFacts]]]:
    found: dict[tuple[str, str], list[tuple[float, EntryFacts]]] = defaultdict(list)
    month_on: dict[date, str] = {}  # a window of 100k entries has about 180 days
    for entry in entries:
        month = month_on.get(entry.date)
        if month is None:
            month = month_on[entry.date] = month_of(entry.date)
        if month not in months:
            continue
        for label in entry.competencies:
            if label.id in wanted:
                found[(label.id, month)].append((label_weight(label), entry))
    for bucket in found.values():
        bucket.sort(key=lambda pair: (pair[0], pair[1].recorded_strength, pair[1].date,
                                      pair[1].id), reverse=True)
    return found


def _month_evidence(bucket: list[tuple[float, EntryFacts]], score: Scorer,
                    weak_score: int) -> tuple[bool, list[int]]:
    """Whether the month weighs enough, and the entries looked at to decide it."""
    total, used = 0.0, []
    for weight, entry in bucket:
        if weight <= 0:
            continue
        total += weight * (1.0 if score(entry) >= weak_score else 0.5)
        used.append(entry.id)
        if total >= MONTH_WEIGHT:
            return True, used
    return False, used


def competency_results(entries: list[EntryFacts], competencies: list[str], *, today: date,
                       months: int, sustained: int, weak_score: int,
                       score: Scorer) -> list[CompetencyResult]:
    """Per competency of the target level: status, evidence and months with evidence."""
    window = window_months(today, months)
    buckets = _buckets(entries, set(competencies), set(window))
    results = []
    for competency in competencies:
        counted, evidence = [], []
        for month in window:
            enough, used = _month_evidence(buckets.get((competency, month), []), score,
                                           weak_score)
            evidence += used
            if enough:
                counted.append(month)
        status: Status = ("met" if len(counted) >= sustained
                          else "partial" if evidence else "missing")
        results.append(CompetencyResult(id=competency, status=status, evidence=sorted(evidence),
                                        months_with_evidence=len(counted), months=counted))
    return results


def candidates(entries: list[EntryFacts], limit: int) -> list[EntryFacts]:
    """Who may be among the ``limit`` strongest: the most recorded evidence, newest first."""
    return heapq.nlargest(limit * 3, entries, key=_RECORDED)


def strongest(entries: list[EntryFacts], limit: int, score: Scorer) -> list[EntryFacts]:
    """The ``limit`` strongest entries: recorded evidence first, the coach among candidates."""
    return sorted(candidates(entries, limit),
                  key=lambda e: (e.recorded_strength, score(e), e.date, e.id),
                  reverse=True)[:limit]
