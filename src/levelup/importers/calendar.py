"""iCalendar files (Google Calendar, Outlook): 1:1s with the manager, meetings with stakeholders.

A file is an .ics, or the .zip Google Calendar exports (every .ics in it is read; a meeting
in several of them counts once).

Recurring events are expanded with their RRULE, EXDATE, moved or cancelled instances
(RECURRENCE-ID) and time zones. A 1:1 is a meeting of two people (rooms are no people) or one
titled "1:1", "1-1", "one on one"; with the manager, held by today, it becomes a conversation,
identified by its UID and the date it was scheduled for, as the file writes it (so neither
moving it nor importing in another time zone duplicates it). An occurrence the file cancels
(EXDATE, STATUS:CANCELLED), that the user or the 1:1's other side declined, or that is still
to come, retracts the conversation an earlier import made of it. Other meetings with known
stakeholders who did not decline are offered as visibility hints.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from levelup.domain.models import Conversation
from levelup.importers.base import (
    Detected,
    ImportContext,
    Importer,
    ImportOption,
    Record,
    Retract,
    Skipped,
    VisibilityHint,
)
from levelup.importers.calendar_series import (
    EXPANSION_ERRORS,
    expand,
    future_shifts,
    held_before,
    tolerant_rules,
)
from levelup.importers.calendar_zones import as_list, assign_zones
from levelup.importers.common import (
    BadInput,
    decode_text,
    read_text,
    stable_id,
    timezone_option,
)
from levelup.importers.people import Person, is_room, matches, named_in, person_of

ONE_ON_ONE = re.compile(r"\b1\s*(?::|-|on|o|/|x)\s*1\b|\bone[\s-]on[\s-]one\b", re.I)
DEFAULT_MONTHS_BACK = 6
# Properties that place an event in time: an event with one unreadable cannot be imported.
TIME_PROPERTIES = ("DTSTART", "DTEND", "DURATION", "RECURRENCE-ID", "RRULE", "RDATE", "EXDATE")
NOTES_LENGTH = 300  # of the description kept as a conversation's notes
_PARAGRAPH_END = re.compile(r"\n\s*\n|\n\s*[-_=*~]{4,}")
@dataclass(slots=True)
class Meeting:
    uid: str
    title: str
    start: date  # the user's date: in --timezone, else this machine's zone
    scheduled: date  # the original instance's date as written (RECURRENCE-ID): a stable id
    people: list[Person]
    notes: str
    cancelled: bool = False


@dataclass(frozen=True, slots=True)
class Window:
    """The dates to import, and the zone they are the user's dates in (None: this machine's);
    a 1:1 after ``today`` is planned, not held."""

    start: date
    end: date
    zone: tzinfo | None
    today: date

    def holds(self, meeting: Meeting) -> bool:
        return self.start <= meeting.start <= self.end


@dataclass(frozen=True, slots=True)
class People:
    manager: str | None
    me: list[str]
    stakeholders: list[str]

    def is_me(self, person: Person) -> bool:
        return any(matches(person, name) for name in self.me)


@dataclass(slots=True)
class Run:
    """One import of all its calendars: what it looks for, and what it yielded so far (a
    meeting in two calendars of a Google export counts once)."""

    window: Window
    people: People
    progress: Callable[[int, int | None], None]
    yielded: set[tuple[str, ...]] = field(default_factory=set)
    cancelled: dict[str, Retract] = field(default_factory=dict)

    def first(self, record: Record) -> bool:
        """Whether this conversation or hint is new to the import (other records always are)."""
        if isinstance(record, Conversation):
            key: tuple[str, ...] = ("conversation", record.source_id or "")
        elif isinstance(record, VisibilityHint):
            key = ("hint", record.stakeholder, record.date.isoformat(), record.title)
        else:
            return True
        if key in self.yielded:
            return False
        self.yielded.add(key)
        return True

    def cancel(self, meetings: list[Meeting], notes: dict[str, str]) -> None:
        """Retract the conversations an earlier import made of these meetings, at the end."""
        for meeting in meetings:
            source_id = _source_id(meeting)
            self.cancelled.setdefault(source_id, Retract(
                kind="conversations", source="calendar", source_id=source_id,
                notes=notes.get(meeting.uid, meeting.notes)))

    def retractions(self) -> Iterator[Retract]:
        """The cancelled conversations that no calendar of the import still holds."""
        return (retract for source_id, retract in self.cancelled.items()
                if ("conversation", source_id) not in self.yielded)


class CalendarImporter(Importer):
    name = "calendar"
    summary = ("Import 1:1s with your manager and meetings with stakeholders from .ics files "
               "or the .zip Google Calendar exports "
               f"(by default those of the last {DEFAULT_MONTHS_BACK} months: "
               "--since for older ones; 1:1s after today are left out, not yet held).")
    inputs = "FILE"
    options = (
        ImportOption(name="manager", help="Your manager's name or email (default: the profile's)."),
        ImportOption(name="me", multiple=True,
                     help="Your own name or email, to tell you apart from the others."),
        ImportOption(name="stakeholder", multiple=True,
                     help="A stakeholder's name or email whose meetings are visibility hints."),
        ImportOption(name="timezone", help="Date meetings in this zone, e.g. Europe/Paris "
                                           "(default: this machine's zone)."),
    )

    def read(self, inputs: list[str], ctx: ImportContext) -> Iterator[Record]:
        window = Window(start=ctx.since or _months_back(ctx.today, DEFAULT_MONTHS_BACK),
                        end=ctx.until or ctx.today, today=ctx.today,
                        zone=timezone_option(ctx.options.get("timezone")))
        run = Run(window=window, people=_people(ctx), progress=ctx.progress)
        for path, text in _calendars(inputs):
            calendar = _parse(path, text)
            yield Detected(format=_flavour(calendar))
            yield from drop_bad_events(path, text, calendar)
            yield from assign_zones(path, text, calendar)
            yield from _calendar_records(path, text, calendar, run)
        yield from run.retractions()


def _calendars(inputs: list[str]) -> Iterator[tuple[str, str]]:
    """(name, text) of each calendar: a file, or each .ics of a zip file (Google Calendar
    exports a zip), named ``FILE.zip/MEMBER.ics``."""
    for path in inputs:
        if not path.lower().endswith(".zip"):
            yield path, read_text(path)
            continue
        import zipfile
        import zlib

        try:
            with zipfile.ZipFile(Path(path).expanduser()) as archive:
                members = [m for m in archive.namelist() if m.lower().endswith(".ics")]
                if not members:
                    raise BadInput(f"{path}:1: a zip file without any .ics calendar in it")
                texts = list(_members(path, archive, members))
        except OSError as exc:
            raise BadInput(f"{path}:1: cannot read: {exc.strerror or exc}") from None
        except zipfile.BadZipFile:
            raise BadInput(f"{path}:1: not a zip file, though its name ends in .zip") from None
        except (zlib.error, EOFError):
            raise BadInput(f"{path}:1: not a readable zip file (damaged?)") from None
        except (RuntimeError, NotImplementedError):  # encrypted, or an unknown compression
            raise BadInput(f"{path}:1: an encrypted or unsupported zip file: export the "
                           "calendar again without a password") from None
        yield from texts


MAX_MEMBERS, MAX_MEMBER, MAX_TOTAL = 1_000, 50 * 2**20, 200 * 2**20


def _members(path: str, archive: Any, members: list[str]) -> Iterator[tuple[str, str]]:
    """(name, text) of each member, refusing archives that expand beyond the caps."""
    if len(members) > MAX_MEMBERS:
        raise BadInput(f"{path}:1: more than {MAX_MEMBERS:,} calendars in the zip file")
    total = 0
    for member in members:
        with archive.open(member) as stream:
            raw = stream.read(MAX_MEMBER + 1)  # what it says its size is may be a lie
        total += len(raw)
        if len(raw) > MAX_MEMBER or total > MAX_TOTAL:
            raise BadInput(f"{path}/{member}: too large once unzipped (at most "
                           f"{MAX_MEMBER >> 20} MB a calendar, {MAX_TOTAL >> 20} MB in all)")
        yield f"{path}/{member}", decode_text(f"{path}/{member}", raw)


def _people(ctx: ImportContext) -> People:
    manager = ctx.options.get("manager") or (ctx.profile.manager if ctx.profile else None)
    me = list(ctx.options.get("me") or ()) + ([ctx.profile.name] if ctx.profile else [])
    stakeholders = [*(ctx.options.get("stakeholder") or ()), *ctx.stakeholders]
    if not manager and not stakeholders:
        raise BadInput("no manager to find 1:1s with: pass --manager NAME or set it with "
                       "`levelup init --manager NAME` (and --stakeholder for hints)")
    return People(manager=manager, me=me, stakeholders=stakeholders)


def _calendar_records(path: str, text: str, calendar: Any, run: Run) -> Iterator[Record]:
    standard = _standard(path, text, calendar)
    occurring, skipped = meetings(path, text, standard, run.window)
    yield from skipped
    found = [_called_off(m, run.people) for m in occurring]
    held = [meeting for meeting in found if not meeting.cancelled]
    later: list[Meeting] = []
    for done, meeting in enumerate(held, 1):
        if done % 200 == 0:
            run.progress(done, None)
        for record in _records(meeting, run.people):
            if isinstance(record, Conversation) and record.date > run.window.today:
                later.append(meeting)  # planned, not held
            elif run.first(record):
                yield record
    cancelled = [m for m in found if m.cancelled] + later + list(excluded(standard, run.window))
    run.cancel(cancelled, _series_notes(standard))
    if later:
        yield Skipped(where=path, bad=False, reason=f"{len(later)} 1:1s after today "
                      f"({run.window.today}) left out: they have not taken place yet")
    if not held:
        yield from _outside(path, text, standard, run.window)


def _months_back(today: date, months: int) -> date:
    index = today.year * 12 + today.month - 1 - months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(today.day, 28))


def _parse(path: str, text: str) -> Any:
    import icalendar

    if not text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        raise BadInput(f"{path}:1: not an iCalendar file: expected BEGIN:VCALENDAR")
    if not re.search(r"^END:VCALENDAR\s*$", text, re.I | re.M):
        raise BadInput(f"{path}:{len(text.splitlines())}: the calendar ends without "
                       "END:VCALENDAR: the file was cut short")
    text = tolerant_rules(text)
    try:
        calendars = icalendar.Calendar.from_ical(text, multiple=True)
    except (ValueError, KeyError, IndexError, OSError) as exc:  # OSError: an unopenable zone
        raise BadInput(f"{path}:{_line_of(text, str(exc))}: not a valid iCalendar file: "
                       f"{_short(exc)}") from None
    if not calendars:
        raise BadInput(f"{path}:1: not a valid iCalendar file: it holds no calendar")
    first = calendars[0]
    for more in calendars[1:]:  # several VCALENDARs one after another: one calendar
        first.subcomponents += more.subcomponents
    return first


def _standard(path: str, text: str, calendar: Any) -> Any:
    """``calendar`` with UTC times moved to its X-WR-TIMEZONE (Google's calendar zone)."""
    import x_wr_timezone  # type: ignore[import-untyped]

    try:
        return x_wr_timezone.to_standard(calendar)
    except (ValueError, KeyError) as exc:  # an unknown zone name
        raise BadInput(f"{path}:{_line_of(text, str(exc))}: cannot read the calendar's "
                       f"time zone: {_short(exc)}") from None


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


def drop_bad_events(path: str, text: str, calendar: Any) -> Iterator[Skipped]:
    """A Skipped record for each event whose times cannot be read; it leaves ``calendar``."""
    events = calendar.walk("VEVENT")
    begins = [n for n, line in enumerate(text.splitlines(), 1)
              if line.strip().upper() == "BEGIN:VEVENT"]
    bad: list[Any] = []
    for index, event in enumerate(events):
        problem = _time_problem(event)
        if problem is None:
            continue
        name, why = problem
        line = (_property_line(text, begins[index], name) if len(begins) == len(events)
                else _line_of(text, why))
        bad.append(event)
        yield Skipped(where=f"{path}:{line}", reason=f"cannot read this event's {name}: {why}")
    if bad:
        calendar.subcomponents = [c for c in calendar.subcomponents
                                  if not any(c is event for event in bad)]


def _time_problem(event: Any) -> tuple[str, str] | None:
    for name, message in getattr(event, "errors", ()):
        if str(name).upper() in TIME_PROPERTIES:
            return str(name).upper(), str(message).splitlines()[0][:160]
    if event.get("DTSTART") is None:
        return "DTSTART", "missing"
    return None


def _property_line(text: str, begin: int, name: str) -> int:
    """The line of property ``name`` in the event that starts on line ``begin`` (else begin)."""
    for number, line in enumerate(text.splitlines()[begin:], begin + 1):
        key = re.split(r"[;:]", line, maxsplit=1)[0].strip().upper()
        if key == name:
            return number
        if key == "END" and line.strip().upper() == "END:VEVENT":
            break
    return begin


def meetings(
    path: str, text: str, calendar: Any, window: Window
) -> tuple[list[Meeting], list[Skipped]]:
    """Every occurrence in ``window``, expanded (cancelled ones are marked so), and the
    series that could not be expanded, which leave ``calendar``."""
    # a day more on each side: an event's own date may be the user's day before or after
    start, end = window.start - timedelta(days=1), window.end + timedelta(days=2)
    shifts = future_shifts(calendar)
    try:
        found, skipped = expand(path, text, calendar, start, end,
                                lambda event: _meeting(event, window.zone, shifts))
    except EXPANSION_ERRORS as exc:
        raise BadInput(f"{path}:{_line_of(text, str(exc))}: cannot read the calendar's "
                       f"events: {_short(exc)}") from None
    return [meeting for meeting in found if window.holds(meeting)], skipped


Shifts = dict[tuple[str, date | datetime], timedelta]


def _meeting(event: Any, zone: tzinfo | None, shifts: Shifts | None = None) -> Meeting:
    start = event["DTSTART"].dt
    recurrence = event.get("RECURRENCE-ID")
    uid = str(event.get("UID", ""))
    scheduled = recurrence.dt if recurrence is not None else start
    shift = (shifts or {}).get((uid, scheduled))
    if shift is not None:  # an occurrence of a "this and following" edit: its own date
        scheduled = start - shift
    title = str(event.get("SUMMARY", "")).strip()
    people = [person_of(a) for a in as_list(event.get("ATTENDEE")) if not is_room(a)]
    organizer = event.get("ORGANIZER")
    if organizer is not None:
        people.append(person_of(organizer))
    return Meeting(
        uid=uid or f"no-uid-{stable_id(title, start, organizer)}",  # events apart stay apart
        title=title,
        start=user_day(start, zone),
        scheduled=_as_written(scheduled),
        people=_distinct(people),
        notes=notes_of(str(event.get("DESCRIPTION", ""))),
        cancelled=str(event.get("STATUS", "")).upper() == "CANCELLED",
    )


def excluded(calendar: Any, window: Window) -> Iterator[Meeting]:
    """The occurrences of recurring series that an EXDATE removes, within ``window``."""
    for event in _series(calendar):
        series = _meeting(event, window.zone)
        for value in _exdates(event):
            meeting = replace(series, start=user_day(value, window.zone),
                              scheduled=_as_written(value), cancelled=True)
            if window.holds(meeting):
                yield meeting


def _series(calendar: Any) -> Iterator[Any]:
    for event in calendar.walk("VEVENT"):
        if event.get("RECURRENCE-ID") is None and ("RRULE" in event or "RDATE" in event):
            yield event


def _exdates(event: Any) -> Iterator[date | datetime]:
    for exdate in as_list(event.get("EXDATE")):
        for value in exdate.dts:
            yield value.dt


def _series_notes(calendar: Any) -> dict[str, str]:
    """The notes of each series by UID: those a cancelled instance's conversation was given."""
    return {str(event.get("UID", "")): notes_of(str(event.get("DESCRIPTION", "")))
            for event in _series(calendar)}


def _outside(path: str, text: str, calendar: Any, window: Window) -> Iterator[Skipped]:
    """Say so when the file's meetings all fell before the window (older than the default)."""
    try:
        count = held_before(calendar, window.start)
    except (ValueError, TypeError, AttributeError, KeyError, IndexError) as exc:
        raise BadInput(f"{path}:{_line_of(text, str(exc))}: cannot read the calendar's "
                       f"events: {_short(exc)}") from None
    if count:
        yield Skipped(where=path, bad=False,
                      reason=f"{count} meetings before {window.start}: "
                             "pass --since to import older ones")


def user_day(value: date | datetime, zone: tzinfo | None) -> date:
    """The user's date of a time: in ``zone``, else this machine's zone; floating and all-day
    times keep the date they are written with."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(zone)  # None: the local zone
        return value.date()
    return value


def _as_written(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def notes_of(description: str) -> str:
    """The first paragraph of an event's description, on one line, cut to a readable length."""
    first = _PARAGRAPH_END.split(description.strip(), maxsplit=1)[0]
    text = " ".join(first.split())
    if len(text) <= NOTES_LENGTH:
        return text
    return text[: NOTES_LENGTH - 1].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"


def _distinct(people: list[Person]) -> list[Person]:
    found: list[Person] = []
    for person in people:
        if not any(person.same_as(other) for other in found):
            found.append(person)
    return found


def is_one_on_one(meeting: Meeting) -> bool:
    return len(meeting.people) == 2 or bool(ONE_ON_ONE.search(meeting.title))


def _called_off(meeting: Meeting, people: People) -> Meeting:
    """``meeting``, cancelled when the user declined it, or a 1:1's other side did."""
    declined = [p for p in meeting.people if p.declined]
    manager = people.manager or ""
    other_side = is_one_on_one(meeting) and (
        len(meeting.people) == 2 or any(matches(p, manager) for p in declined))
    if declined and (other_side or any(people.is_me(p) for p in declined)):
        return replace(meeting, cancelled=True)
    return meeting


def _records(meeting: Meeting, people: People) -> Iterator[Record]:
    others = [p for p in meeting.people if not people.is_me(p)]
    manager = people.manager
    if manager and is_one_on_one(meeting) and _involves(meeting, others, manager):
        yield Conversation(
            date=meeting.start, with_=manager, kind="1:1", notes=meeting.notes,
            source="calendar", source_id=_source_id(meeting),
        )
        return
    coming = [p for p in others if not p.declined]  # who declined heard nothing there
    for name in people.stakeholders:
        if _involves(meeting, coming, name):
            yield VisibilityHint(stakeholder=name, date=meeting.start, title=meeting.title)


def _involves(meeting: Meeting, others: list[Person], name: str) -> bool:
    """Whether ``name`` is among the attendees, or (no attendees listed) in the title."""
    if others:
        return any(matches(p, name) for p in others)
    return not meeting.people and named_in(meeting.title, name)


def _source_id(meeting: Meeting) -> str:
    """UID and scheduled date; an overlong UID (some servers make them) is hashed to fit."""
    uid = meeting.uid if len(meeting.uid) <= 200 else stable_id(meeting.uid)
    return f"{uid}/{meeting.scheduled.isoformat()}"
