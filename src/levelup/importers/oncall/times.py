"""Timestamps of on-call exports: ISO 8601 with or without offset, epoch seconds or millis.

Times are kept as naive *local wall time* of the export (the offset is dropped after
aligning ``resolved`` to ``created``'s offset), because off-hours pages are judged by the
clock the engineer was paged on.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class BadTime(ValueError):
    """A value that is not a timestamp."""


def parse_time(text: str) -> datetime:
    """A timestamp, aware when the text carried an offset (``Z`` counts as UTC)."""
    value = text.strip()
    if not value:
        raise BadTime("empty timestamp")
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        pass
    if value.replace(".", "", 1).isdigit():
        number = float(value)
        seconds = number / 1000 if number > 1e11 else number  # epoch millis or seconds
        return datetime.fromtimestamp(seconds, UTC)
    return _loose(value)


def _loose(value: str) -> datetime:
    from dateutil import parser

    try:
        return parser.parse(value)
    except (ValueError, OverflowError):
        raise BadTime(f"'{value}' is not a date and time") from None


def local_pair(created: datetime, resolved: datetime | None) -> tuple[datetime, datetime | None]:
    """Both times as naive wall time in ``created``'s zone; ``resolved`` never before it."""
    if resolved is not None and created.tzinfo is not None and resolved.tzinfo is not None:
        resolved = resolved.astimezone(created.tzinfo)
    naive = created.replace(tzinfo=None)
    if resolved is None:
        return naive, None
    resolved = resolved.replace(tzinfo=None)
    return naive, resolved if resolved >= naive else None


def after(created: datetime, seconds_text: str, *, millis: bool = False) -> datetime | None:
    """``created`` plus a duration column (seconds, or milliseconds); None when empty."""
    value = seconds_text.strip()
    if not value:
        return None
    try:
        amount = float(value)
    except ValueError:
        raise BadTime(f"'{value}' is not a duration") from None
    return created + timedelta(seconds=amount / 1000 if millis else amount)
