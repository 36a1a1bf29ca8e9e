"""Time zones an iCalendar file names but does not define: the Windows display names older
Exchange writes as a TZID ("(UTC+01:00) Amsterdam, Berlin, ..."), placed in the zone they name."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone, tzinfo
from functools import cache
from typing import Any

from levelup.importers.base import Note

# A Windows display name, as older Exchange writes a TZID: "(UTC+01:00) Amsterdam, Berlin, ..."
_DISPLAY_NAME = re.compile(r"\(\s*(?:UTC|GMT)\s*(?:([+-])\s*(\d{1,2})[:.](\d{2}))?\s*\)\s*(.*)",
                           re.I)
_REGIONS = ("Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia",
            "Europe", "Indian", "Pacific")  # of zone names that end in a place (not US/Central)


def assign_zones(path: str, text: str, calendar: Any) -> Iterator[Note]:
    """Place the times whose TZID neither a VTIMEZONE nor icalendar knows in the zone that a
    Windows display name ("(UTC+01:00) Amsterdam, Berlin, ...") names; a note for each TZID
    whose zone is only assumed."""
    zones: dict[str, tzinfo | None] = {}
    for tzid, value in _unzoned(calendar):
        if tzid not in zones:
            zones[tzid], assumed = _zone_of(tzid, value.dt.year, calendar.get("X-WR-TIMEZONE"))
            if assumed:
                line = next((n for n, line in enumerate(text.splitlines(), 1) if tzid in line), 1)
                yield Note(text=f"{path}:{line}: unknown time zone {tzid!r}: {assumed}")
        if zones[tzid] is not None:
            value.dt = value.dt.replace(tzinfo=zones[tzid])


def _unzoned(calendar: Any) -> Iterator[tuple[str, Any]]:
    """(TZID, value) of each event time whose TZID was not understood: it reads as floating."""
    for event in calendar.walk("VEVENT"):
        for name in ("DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE", "RDATE"):
            for prop in as_list(event.get(name)):
                tzid = getattr(prop, "params", {}).get("TZID")
                for value in getattr(prop, "dts", [prop]):
                    moment = getattr(value, "dt", None)
                    if tzid and isinstance(moment, datetime) and moment.tzinfo is None:
                        yield str(tzid), value


def _zone_of(tzid: str, year: int, calendar_zone: Any) -> tuple[tzinfo | None, str]:
    """The zone an unknown TZID stands for, and, unless it names one for sure, what was
    assumed instead (None: floating, the date as written)."""
    from zoneinfo import ZoneInfo

    found = _DISPLAY_NAME.fullmatch(tzid.strip())
    offset = _offset(*found.groups()[:3]) if found else None
    if found is None or offset is None:
        return None, (f"dated in the calendar's zone {calendar_zone}" if calendar_zone
                      else "dated as written, in your own time zone")
    for name in _zone_names(found[4]):
        try:
            zone = ZoneInfo(name)
        except (OSError, ValueError):  # a name no zone database knows (or not a name at all)
            continue
        if offset in {zone.utcoffset(datetime(year, month, 15)) for month in (1, 7)}:
            return zone, ""
    fixed = timezone(offset)  # named "UTC+05:30"
    return fixed, f"dated at {fixed.tzname(None)} all year (no daylight saving time)"


def _offset(sign: str | None, hours: str | None, minutes: str | None) -> timedelta | None:
    """The offset a display name's "(UTC+01:00)" gives, if one can be."""
    offset = (-1 if sign == "-" else 1) * timedelta(hours=int(hours or 0),
                                                      minutes=int(minutes or 0))
    return offset if abs(offset) < timedelta(hours=24) else None


def _zone_names(place: str) -> Iterator[str]:
    """Zones a display name's places may be: "Amsterdam, Berlin" or "Eastern Time (US & Canada)"
    (Windows' "Eastern Standard Time")."""
    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    bare = re.sub(r"\(.*?\)", "", place).strip()
    for part in re.split(r"[,/;]|\band\b", bare):
        if part.strip().lower() in _zones_by_place():
            yield _zones_by_place()[part.strip().lower()]
    if bare.lower() in ("", "coordinated universal time"):
        yield "UTC"
    windows = re.sub(r"\bTime$", "Standard Time", bare)
    if windows in WINDOWS_TO_OLSON:
        yield WINDOWS_TO_OLSON[windows]


@cache
def _zones_by_place() -> dict[str, str]:
    """Zone names by their place, in lower case: "amsterdam" is Europe/Amsterdam."""
    from zoneinfo import available_timezones

    return {name.rsplit("/", 1)[-1].replace("_", " ").lower(): name
            for name in sorted(available_timezones(), reverse=True)  # the first name wins
            if name.split("/", 1)[0] in _REGIONS}


def as_list(value: Any) -> list[Any]:
    """An iCalendar property that may repeat, as a list."""
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]
