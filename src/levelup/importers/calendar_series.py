"""Expanding a calendar's recurring events into occurrences, skipping a series that cannot be.

The whole calendar is expanded at once; when that fails, each series (the events of one UID)
is expanded on its own to find the ones at fault, which leave the calendar with one Skipped
record each, at the line of their BEGIN:VEVENT, so that one unreadable rule costs one event,
not the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from levelup.importers.base import Skipped
from levelup.importers.common import BadInput

T = TypeVar("T")

MAX_OCCURRENCES = 10_000  # a rule such as FREQ=MINUTELY would otherwise expand without end
# What the expansion libraries raise on a rule or time they cannot read.
EXPANSION_ERRORS = (ValueError, TypeError, AttributeError, KeyError, IndexError)
_BEGIN = re.compile(r"^BEGIN:VEVENT\s*$", re.I)


def expand(
    path: str, text: str, calendar: Any, start: date, end: date, convert: Callable[[Any], T]
) -> tuple[list[T], list[Skipped]]:
    """``convert`` of every occurrence from ``start`` to ``end``, and the series skipped."""
    import icalendar

    events = calendar.walk("VEVENT")
    begins = [n for n, line in enumerate(text.splitlines(), 1) if _BEGIN.match(line.strip())]
    lines = {id(e): n for e, n in zip(events, begins, strict=True)} if len(begins) == len(
        events) else {}
    skipped = list(_drop(path, lines, calendar, _endless))
    try:
        return [convert(event) for event in occurrences(path, calendar, start, end)], skipped
    except EXPANSION_ERRORS:
        pass

    def fails(series: list[Any]) -> str | None:
        alone = icalendar.Calendar()
        alone.subcomponents = [*others, *series]
        try:
            for event in occurrences(path, alone, start, end):
                convert(event)
        except EXPANSION_ERRORS as exc:
            return _why(exc, series)
        return None

    others = [c for c in calendar.subcomponents if c.name != "VEVENT"]  # time zones
    skipped += _drop(path, lines, calendar, fails)
    return [convert(event) for event in occurrences(path, calendar, start, end)], skipped


def occurrences(path: str, calendar: Any, start: date, end: date) -> Iterator[Any]:
    """The events starting from ``start`` to ``end``, in order, at most MAX_OCCURRENCES."""
    import recurring_ical_events  # type: ignore[import-untyped]

    query = recurring_ical_events.of(calendar)
    # after() loses the occurrences of a "this and following" edit that share its
    # RECURRENCE-ID, between() does not: week by week, so that the cap still holds
    events = _by_week(query, start, end) if future_shifts(calendar) else query.after(start)
    for count, event in enumerate(events):
        if _day(event) >= end:
            return
        if count >= MAX_OCCURRENCES:
            raise BadInput(f"{path}: more than {MAX_OCCURRENCES:,} meetings between {start} and "
                           f"{end} (a rule repeating every minute or hour?); import a shorter "
                           "period with --since and --until")
        yield event


def _by_week(query: Any, start: date, end: date) -> Iterator[Any]:
    day = start
    while day < end:
        stop = min(day + timedelta(days=7), end)
        yield from (event for event in query.between(day, stop) if day <= _day(event) < stop)
        day = stop


def _day(event: Any) -> date:
    begins = event["DTSTART"].dt
    return begins.date() if isinstance(begins, datetime) else begins


def held_before(calendar: Any, before: date) -> int:
    """How many occurrences, not cancelled, begin before ``before``."""
    import recurring_ical_events

    earlier = recurring_ical_events.of(calendar).between(recurring_ical_events.DATE_MIN, before)
    return sum(1 for event in earlier if str(event.get("STATUS", "")).upper() != "CANCELLED")


_RULE_LINE = re.compile(r"^(?:RRULE|EXRULE)[;:][^\r\n]*", re.I | re.M)
_LIST_SPACE = re.compile(r"[ \t]*([,;=])[ \t]*")


def tolerant_rules(text: str) -> str:
    """Recurrence rules without the spaces some servers put in lists (Exchange writes
    ``BYDAY=MO, TU, WE``), which iCalendar does not allow; the lines stay where they are."""
    return _RULE_LINE.sub(lambda rule: _LIST_SPACE.sub(r"\1", rule[0].rstrip(" \t")), text)


def _drop(
    path: str, lines: dict[int, int], calendar: Any, fails: Callable[[list[Any]], str | None]
) -> Iterator[Skipped]:
    """Take out of ``calendar`` each series (the events of one UID) that ``fails``, with a
    Skipped record at the line of its first BEGIN:VEVENT (``lines``: by the event's id)."""
    events = calendar.walk("VEVENT")
    series: dict[str, list[int]] = {}
    for index, event in enumerate(events):
        uid = str(event.get("UID", "")) or f"\0{index}"  # without a UID, an event of its own
        series.setdefault(uid, []).append(index)
    bad: list[Any] = []
    for indexes in series.values():
        why = fails([events[i] for i in indexes])
        if why is None:
            continue
        bad += [events[i] for i in indexes]
        line = lines.get(id(events[indexes[0]]), 1)
        yield Skipped(where=f"{path}:{line}", reason=f"cannot repeat this event: {why}")
    if bad:
        calendar.subcomponents = [c for c in calendar.subcomponents
                                  if not any(c is event for event in bad)]


def _endless(series: list[Any]) -> str | None:
    """A rule that would never move on (INTERVAL=0): the expansion would not end."""
    for event in series:
        rules = event.get("RRULE")
        for rule in rules if isinstance(rules, list) else [rules]:
            interval = rule.get("INTERVAL") if rule is not None else None
            values = interval if isinstance(interval, list) else [interval]
            if any(str(value).strip() in ("0", "-0") for value in values):
                return f"its rule {_rule_text(rule)} repeats every 0 periods"
    return None


def _rule_text(rule: Any) -> str:
    return "RRULE:" + str(rule.to_ical().decode(errors="replace"))


def _why(exc: Exception, series: list[Any]) -> str:
    """A reader's reason: the rule that cannot be read, not a Python internal."""
    rules = [event.get("RRULE") for event in series]
    rules = [rule for rule in rules if rule is not None and not isinstance(rule, list)]
    if isinstance(exc, (ValueError, IndexError)) and rules:
        return f"its rule {_rule_text(rules[0])} cannot be read"
    if isinstance(exc, ValueError) and str(exc):
        return str(exc).replace("\\", "").splitlines()[0][:160]
    return ("a property that places it in time (DTSTART, RRULE, RDATE, EXDATE, RECURRENCE-ID) "
            "is repeated or has an unexpected form")


def future_shifts(calendar: Any) -> dict[tuple[str, date | datetime], timedelta]:
    """How far each "this and following occurrences" edit moved its series: by UID and
    RECURRENCE-ID, the edit's DTSTART minus the occurrence it replaced."""
    shifts: dict[tuple[str, date | datetime], timedelta] = {}
    for event in calendar.walk("VEVENT"):
        recurrence = event.get("RECURRENCE-ID")
        if recurrence is None or isinstance(recurrence, list):
            continue
        if str(recurrence.params.get("RANGE", "")).upper() != "THISANDFUTURE":
            continue
        begins = event.get("DTSTART")
        if begins is None or isinstance(begins, list):
            continue
        try:
            shifts[(str(event.get("UID", "")), recurrence.dt)] = begins.dt - recurrence.dt
        except TypeError:  # a date against a time: no shift to tell
            continue
    return shifts
