"""The Pareto analysis of operational load: which few problems cause most of the pages.

Pure functions over per-problem aggregates (the store computes them with ``GROUP BY``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

VITAL_SHARE = 0.8  # the "vital few" are the largest problems that together make 80%


@dataclass(frozen=True, slots=True)
class WorkHours:
    """Working hours: pages outside them (and at weekends) are off-hours pages.

    Judged in the local time of each page's timestamp, as the export gave it.
    """

    start: int = 9  # first working hour, 0-23
    end: int = 18  # first hour after work, 1-24
    weekends_off: bool = True

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end <= 24:
            raise ValueError(f"hours {self.start}-{self.end} are not 0 <= start < end <= 24")

    def is_off_hours(self, when: datetime) -> bool:
        """True for a page at a weekend (if weekends are off) or outside [start, end)."""
        if self.weekends_off and when.weekday() >= 5:
            return True
        return not self.start <= when.hour < self.end


OFFICE_HOURS = WorkHours()


@dataclass(frozen=True, slots=True)
class ProblemLoad:
    """What one problem (or service) cost in a period."""

    key: str
    example_title: str
    count: int
    off_hours: int = 0
    toil_hours: float = 0.0


@dataclass(frozen=True, slots=True)
class ParetoRow:
    key: str
    example_title: str
    count: int
    share: float
    cumulative_share: float
    off_hours: int
    toil_hours: float

    def as_json(self) -> dict[str, object]:
        return {
            "key": self.key,
            "example_title": self.example_title,
            "count": self.count,
            "share": round(self.share, 4),
            "cumulative_share": round(self.cumulative_share, 4),
            "off_hours": self.off_hours,
            "toil_hours": round(self.toil_hours, 2),
        }


def pareto(loads: Iterable[ProblemLoad]) -> list[ParetoRow]:
    """Problems largest first (ties by key), each with its share and the running total."""
    ordered = sorted(loads, key=lambda load: (-load.count, load.key))
    total = sum(load.count for load in ordered)
    rows: list[ParetoRow] = []
    running = 0
    for load in ordered:
        running += load.count
        rows.append(
            ParetoRow(
                key=load.key, example_title=load.example_title, count=load.count,
                share=load.count / total if total else 0.0,
                cumulative_share=running / total if total else 0.0,
                off_hours=load.off_hours, toil_hours=load.toil_hours,
            )
        )
    return rows


def vital_few(rows: list[ParetoRow], share: float = VITAL_SHARE) -> list[ParetoRow]:
    """The shortest head of ``rows`` (largest first) whose cumulative share reaches ``share``."""
    for index, row in enumerate(rows):
        if row.cumulative_share >= share - 1e-9:
            return rows[: index + 1]
    return list(rows)


@dataclass(frozen=True, slots=True)
class WeekCount:
    week: date  # the Monday
    count: int


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly(counts: Mapping[date, int], start: date | None = None,
           end: date | None = None) -> list[WeekCount]:
    """Pages per week from the first to the last week, weeks without pages as 0."""
    if not counts and (start is None or end is None):
        return []
    weeks = [monday(day) for day in counts]
    first = monday(start) if start is not None else min(weeks)
    last = monday(end) if end is not None else max(weeks)
    merged: dict[date, int] = {}
    for day, count in counts.items():
        merged[monday(day)] = merged.get(monday(day), 0) + count
    series = []
    week = first
    while week <= last:
        series.append(WeekCount(week=week, count=merged.get(week, 0)))
        week += timedelta(weeks=1)
    return series


def trend(series: list[WeekCount]) -> float | None:
    """Least-squares slope of pages per week (pages/week per week); None under 2 weeks."""
    n = len(series)
    if n < 2:
        return None
    mean_x = (n - 1) / 2
    mean_y = sum(w.count for w in series) / n
    num = sum((i - mean_x) * (w.count - mean_y) for i, w in enumerate(series))
    den = sum((i - mean_x) ** 2 for i in range(n))
    return num / den
