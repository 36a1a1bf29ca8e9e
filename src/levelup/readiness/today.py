"""What is due now (`levelup today`): the weekly report, the next 1:1, a feedback ask, a
check-in, stale expectations. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import median
from typing import Any

from levelup.domain.expectations import is_stale
from levelup.domain.steps import Step
from levelup.readiness.model import Thresholds

FRIDAY = 4
SOON_DAYS = 7  # a 1:1 this close is worth preparing now


@dataclass(slots=True, kw_only=True)
class TodayInput:
    today: date
    manager: str | None = None
    last_weekly_report: date | None = None  # last weekly-report visibility event
    one_on_ones: list[date] = field(default_factory=list)  # with the manager, past and future
    last_feedback_asked: date | None = None
    last_checkin: date | None = None
    last_expectation: date | None = None  # newest agreed role expectation
    thresholds: Thresholds = field(default_factory=Thresholds)


@dataclass(slots=True, kw_only=True)
class Due:
    id: str  # weekly_report, one_on_one, feedback, checkin, expectations
    text: str
    step: Step | None = None  # what to run about it, phrased by each adapter
    when: date | None = None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text,
                "step": self.step.to_json() if self.step else None,
                "when": self.when.isoformat() if self.when else None}


def due(data: TodayInput) -> list[Due]:
    """Everything due now, most pressing first."""
    found = [weekly_report(data), one_on_one(data), feedback_ask(data), checkin(data),
             expectations(data)]
    return [item for item in found if item is not None]


def weekly_report(data: TodayInput) -> Due | None:
    last, today = data.last_weekly_report, data.today
    monday = today - timedelta(days=today.weekday())
    if last is not None and last > today - timedelta(days=7):
        if today.weekday() != FRIDAY or last >= monday:
            return None
        return Due(id="weekly_report", text="Friday: send this week's report",
                   step=Step("report.weekly"), when=today)
    since = f"last sent {last}" if last else "never sent"
    label = "Friday: send" if today.weekday() == FRIDAY else "Overdue: send"
    return Due(id="weekly_report", text=f"{label} your weekly report ({since})",
               step=Step("report.weekly"), when=today)


def next_one_on_one(data: TodayInput) -> tuple[date | None, str]:
    """The next 1:1 with the manager: from the calendar when booked, else from the cadence."""
    days = sorted(set(data.one_on_ones))
    future = [d for d in days if d >= data.today]
    if future:
        return future[0], "booked"
    past = days[-7:]
    if not past:
        return None, "none"
    gaps = [(b - a).days for a, b in zip(past, past[1:], strict=False)]
    cadence = int(median(gaps)) if gaps else data.thresholds.one_on_one_days
    return past[-1] + timedelta(days=max(cadence, 1)), f"every {cadence} days"


def one_on_one(data: TodayInput) -> Due | None:
    who = data.manager or "your manager"
    when, how = next_one_on_one(data)
    if when is None:
        return Due(id="one_on_one", text=f"No 1:1 with {who} recorded: book one "
                   "(or import your calendar)", step=Step("talk.add", {"with": "NAME"}))
    if when > data.today + timedelta(days=SOON_DAYS):
        return None
    late = " (overdue by the cadence)" if when < data.today else ""
    where = "booked" if how == "booked" else f"expected, {how}"
    return Due(id="one_on_one", text=f"Prepare your 1:1 with {who} on {when} ({where}){late}",
               step=Step("report.agenda"), when=when)


def feedback_ask(data: TodayInput) -> Due | None:
    weeks = data.thresholds.feedback_weeks
    last = data.last_feedback_asked
    if last is not None and last >= data.today - timedelta(weeks=weeks):
        return None
    since = f"last on {last}" if last else "none recorded"
    return Due(id="feedback", text=f"Ask for feedback: none asked in {weeks} weeks ({since})",
               step=Step("feedback.add", {"_": "TEXT", "asked": "", "from": "NAME"}))


def checkin(data: TodayInput) -> Due | None:
    days = data.thresholds.checkin_days
    last = data.last_checkin
    if last is not None and last >= data.today - timedelta(days=days):
        return None
    since = f"last on {last}" if last else "none yet"
    return Due(id="checkin", text=f"Take your self check-in ({since})", step=Step("checkin"))


def expectations(data: TodayInput) -> Due | None:
    days = data.thresholds.expectations_days
    last = data.last_expectation
    if last is not None and not is_stale(last, today=data.today, days=days):
        return None
    since = f"last agreed on {last}" if last else "none recorded"
    who = data.manager or "your manager"
    return Due(id="expectations", text=f"Review your expectations with {who} ({since})",
               step=Step("expect.add"))
