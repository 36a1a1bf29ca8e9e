"""The before/after page rate of a fix: the measurable impact of removing a recurring page.

The windows are of equal length N weeks, N = min(8, whole weeks of incident data before
the fix day, whole weeks after it); the fix day itself belongs to neither window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from levelup.domain.models import Metric

MAX_WEEKS = 8
METRIC_PREFIX = "pages/week for '"


@dataclass(frozen=True, slots=True)
class RateWindows:
    weeks: int
    before_start: datetime
    before_end: datetime  # exclusive: the start of the fix day
    after_start: datetime  # the day after the fix day
    after_end: datetime  # exclusive

    def describe(self) -> str:
        return (
            f"{self.weeks} week(s) before the fix ({self.before_start:%Y-%m-%d}.."
            f"{self.before_end - timedelta(days=1):%Y-%m-%d}) vs {self.weeks} week(s) after "
            f"({self.after_start:%Y-%m-%d}..{self.after_end - timedelta(days=1):%Y-%m-%d})"
        )


def rate_windows(
    fix_day: date, first: datetime, last: datetime, max_weeks: int = MAX_WEEKS
) -> RateWindows | None:
    """Equal windows around ``fix_day`` inside the data span [first, last]; None if < 1 week."""
    before = (fix_day - first.date()).days // 7
    after = (last.date() - fix_day).days // 7
    weeks = min(max_weeks, before, after)
    if weeks < 1:
        return None
    start_of_fix = datetime.combine(fix_day, time())
    after_start = start_of_fix + timedelta(days=1)
    span = timedelta(weeks=weeks)
    return RateWindows(weeks, start_of_fix - span, start_of_fix, after_start, after_start + span)


def metric_name(problem_key: str) -> str:
    # A colon would end the name when the metric is read back as "NAME: A -> B".
    return f"{METRIC_PREFIX}{problem_key.replace(':', ' ')}'"


def page_rate_metric(problem_key: str, before: int, after: int, weeks: int) -> Metric:
    """``pages/week for 'KEY': before/weeks -> after/weeks``, rounded to 0.1."""
    return Metric(
        name=metric_name(problem_key),
        baseline=round(before / weeks, 1),
        result=round(after / weeks, 1),
        unit="",
        better="lower",  # fewer pages is the point of a fix
    )
