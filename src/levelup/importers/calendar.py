"""iCalendar files (Google Calendar, Outlook): 1:1s with the manager, meetings with stakeholders.

Recurring events are expanded with their RRULE, EXDATE, moved or cancelled instances
(RECURRENCE-ID) and time zones. A 1:1 is a meeting of two people or one titled "1:1",
"1-1", "one on one"; with the manager it becomes a conversation, identified by its UID
and the date it was scheduled for (so moving it does not duplicate it). Other meetings
with known stakeholders are offered as visibility hints.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from levelup.domain.models import Conversation
from levelup.importers.base import (
    Detected,
    ImportContext,
    Importer,
    ImportOption,
    Record,
    VisibilityHint,
)
from levelup.importers.common import BadInput, read_text, stable_id
from levelup.importers.people import Person, matches, person_of

ONE_ON_ONE = re.compile(r"\b1\s*(?::|-|on|o|/|x)\s*1\b|\bone[\s-]on[\s-]one\b", re.I)
DEFAULT_MONTHS_BACK = 6


@dataclass(slots=True)
class Meeting:
    uid: str
    title: str
    start: date
    scheduled: date  # the date of the original instance (RECURRENCE-ID), for a stable id
    people: list[Person]
    notes: str


class CalendarImporter(Importer):
    name = "calendar"
    summary = "Import 1:1s with your manager and meetings with stakeholders from .ics files."
    inputs = "FILE"
    options = (
        ImportOption(name="manager", help="Your manager's name or email (default: the profile's)."),
        ImportOption(name="me", multiple=True,
                     help="Your own name or email, to tell you apart from the others."),
        ImportOption(name="stakeholder", multiple=True,
                     help="A stakeholder's name or email whose meetings are visibility hints."),
        ImportOption(name="timezone", help="Read times in this zone, e.g. Europe/Paris."),
    )

    def read(self, inputs: list[str], ctx: ImportContext) -> Iterator[Record]:
        manager = ctx.options.get("manager") or (ctx.profile.manager if ctx.profile else None)
        me = list(ctx.options.get("me") or ()) + ([ctx.profile.name] if ctx.profile else [])
        stakeholders = [*(ctx.options.get("stakeholder") or ()), *ctx.stakeholders]
        if not manager and not stakeholders:
            raise BadInput("no manager to find 1:1s with: pass --manager NAME or set it with "
                           "`levelup init --manager NAME` (and --stakeholder for hints)")
        zone = _zone(ctx.options.get("timezone"))
        start = ctx.since or _months_back(ctx.today, DEFAULT_MONTHS_BACK)
        end = ctx.until or ctx.today
        for path in inputs:
            text = read_text(path)
            calendar = _parse(path, text)
            yield Detected(format=_flavour(calendar))
            found = meetings(path, text, calendar, start, end, zone)
            for done, meeting in enumerate(found, 1):
                if done % 200 == 0:
                    ctx.progress(done, None)
                yield from _records(meeting, manager=manager, me=me, stakeholders=stakeholders)


def _months_back(today: date, months: int) -> date:
    index = today.year * 12 + today.month - 1 - months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(today.day, 28))


def _zone(name: str | None) -> tzinfo | None:
    if not name:
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise BadInput(f"--timezone: unknown time zone {name!r} (e.g. Europe/Paris)") from None


def _parse(path: str, text: str) -> Any:
    import icalendar

    if not text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        raise BadInput(f"{path}:1: not an iCalendar file: expected BEGIN:VCALENDAR")
    try:
        return icalendar.Calendar.from_ical(text)
    except (ValueError, KeyError, IndexError) as exc:
        raise BadInput(f"{path}:{_line_of(text, str(exc))}: not a valid iCalendar file: "
                       f"{_short(exc)}") from None


def _line_of(text: str, message: str) -> int:
    """The line whose value an icalendar error quotes (e.g. a broken DTSTART), or 1."""
    for number, line in enumerate(text.splitlines(), 1):
        value = line.split(":", 1)[-1].strip()
        if (len(line) > 8 and line in message) or (len(value) >= 4 and value in message):
            return number
    return 1


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__


def _flavour(calendar: Any) -> str:
    prodid = str(calendar.get("PRODID", "")).lower()
    for name in ("google", "outlook", "microsoft", "apple"):
        if name in prodid:
            return "icalendar-" + ("outlook" if name == "microsoft" else name)
    return "icalendar"


def meetings(path: str, text: str, calendar: Any, start: date, end: date,
             zone: tzinfo | None) -> Iterator[Meeting]:
    """Every confirmed occurrence between ``start`` and ``end`` (inclusive), expanded."""
    import recurring_ical_events  # type: ignore[import-untyped]

    try:
        occurrences = recurring_ical_events.of(calendar).between(start, end + timedelta(days=1))
        found = [_meeting(event, zone) for event in occurrences
                 if str(event.get("STATUS", "")).upper() != "CANCELLED"]
    except (ValueError, TypeError, AttributeError) as exc:
        raise BadInput(f"{path}:{_line_of(text, str(exc))}: cannot read the calendar's "
                       f"events: {_short(exc)}") from None
    for meeting in found:
        if meeting is not None and start <= meeting.start <= end:
            yield meeting


def _meeting(event: Any, zone: tzinfo | None) -> Meeting | None:
    dtstart = event.get("DTSTART")
    if dtstart is None:
        return None
    recurrence = event.get("RECURRENCE-ID")
    people = [person_of(a) for a in _as_list(event.get("ATTENDEE"))]
    organizer = event.get("ORGANIZER")
    if organizer is not None:
        people.append(person_of(organizer))
    return Meeting(
        uid=str(event.get("UID", "")),
        title=str(event.get("SUMMARY", "")).strip(),
        start=_day(dtstart.dt, zone),
        scheduled=_day(recurrence.dt if recurrence is not None else dtstart.dt, zone),
        people=_distinct(people),
        notes=str(event.get("DESCRIPTION", "")).strip(),
    )


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _day(value: date | datetime, zone: tzinfo | None) -> date:
    if isinstance(value, datetime):
        if zone is not None and value.tzinfo is not None:
            value = value.astimezone(zone)
        return value.date()
    return value


def _distinct(people: list[Person]) -> list[Person]:
    found: list[Person] = []
    for person in people:
        if not any(person.same_as(other) for other in found):
            found.append(person)
    return found


def is_one_on_one(meeting: Meeting) -> bool:
    return len(meeting.people) == 2 or bool(ONE_ON_ONE.search(meeting.title))


def _records(meeting: Meeting, *, manager: str | None, me: list[str],
             stakeholders: list[str]) -> Iterator[Record]:
    others = [p for p in meeting.people if not any(matches(p, name) for name in me)]
    if manager and is_one_on_one(meeting) and _involves(meeting, others, manager):
        yield Conversation(
            date=meeting.start, with_=manager, kind="1:1",
            source="calendar", source_id=_source_id(meeting),
        )
        return
    for name in stakeholders:
        if _involves(meeting, others, name):
            yield VisibilityHint(stakeholder=name, date=meeting.start, title=meeting.title)


def _involves(meeting: Meeting, others: list[Person], name: str) -> bool:
    """Whether ``name`` is among the attendees, or (no attendees listed) in the title."""
    if others:
        return any(matches(p, name) for p in others)
    return not meeting.people and matches(Person(name=meeting.title, email=""), name)


def _source_id(meeting: Meeting) -> str:
    """UID and scheduled date; an overlong UID (some servers make them) is hashed to fit."""
    uid = meeting.uid if len(meeting.uid) <= 200 else stable_id(meeting.uid)
    return f"{uid}/{meeting.scheduled.isoformat()}"
