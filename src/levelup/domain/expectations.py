"""When an agreed expectation is stale: the one rule `expect list`, readiness and `today` share."""

from __future__ import annotations

from datetime import date


def age_days(agreed_on: date, *, today: date) -> int:
    """Whole days from ``agreed_on`` to ``today``."""
    return (today - agreed_on).days


def is_stale(agreed_on: date, *, today: date, days: int) -> bool:
    """True when it was agreed more than ``days`` days before ``today``: time to re-confirm it."""
    return age_days(agreed_on, today=today) > days
