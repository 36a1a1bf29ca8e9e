"""Which input of a form a bad value came from, with the message the CLI prints for it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from levelup.domain.dates import DateError, parse_day
from levelup.domain.metrics import MetricError
from levelup.domain.vocab import UnknownValue
from levelup.errors import FieldError, LevelupError

INPUT_ERRORS = (LevelupError, DateError, MetricError, UnknownValue)
# The vocabulary a message names -> the service keyword (and form input) that carries it.
_VOCAB_FIELD = {"kind": "kind", "outcome": "outcomes", "competency": "competencies",
                "channel": "channel"}
_UNKNOWN = re.compile(r"unknown ([a-z ]+) '")
_DAY_FIELDS = ("date", "until")


def field_of(exc: Exception, given: Mapping[str, object], today: date) -> str | None:
    """The input ``exc`` is about: a FieldError's field, the date that does not parse, the
    vocabulary an unknown value belongs to; None when it is about no single input."""
    if isinstance(exc, FieldError):
        return exc.field
    if isinstance(exc, MetricError):
        return "metrics"
    if isinstance(exc, UnknownValue):
        found = _UNKNOWN.match(str(exc))
        return _VOCAB_FIELD.get(found.group(1)) if found else None
    if isinstance(exc, DateError):
        return next((name for name in _DAY_FIELDS if _bad_day(given.get(name), today)), None)
    if isinstance(exc, LevelupError) and "title" in exc.message:
        return "title"
    return None


def message_of(exc: Exception) -> str:
    """The line the CLI prints after ``levelup: error:`` (a FieldError names its field)."""
    return exc.message if isinstance(exc, LevelupError) else str(exc)


def _bad_day(text: object, today: date) -> bool:
    if not isinstance(text, str) or not text.strip():
        return False
    try:
        parse_day(text, today)
    except DateError:
        return True
    return False
