"""Telling people apart in imported data: a calendar attendee against a name or an email."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
ROOM_TYPES = frozenset({"RESOURCE", "ROOM"})  # CUTYPEs of a calendar attendee that is no person
ROOM_DOMAIN = "resource.calendar.google.com"  # Google's rooms, whatever their CUTYPE


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    email: str
    declined: bool = False  # an attendee who said they will not come (PARTSTAT=DECLINED)

    def same_as(self, other: Person) -> bool:
        if self.email and other.email:
            return self.email == other.email
        return bool(self.name) and self.name.lower() == other.name.lower()


def person_of(address: Any) -> Person:
    """A Person from an iCalendar ATTENDEE or ORGANIZER (``CN=...:mailto:...``)."""
    raw = str(address)
    email = raw.split(":", 1)[1] if raw.lower().startswith("mailto:") else ""
    params = getattr(address, "params", {}) or {}
    return Person(name=str(params.get("CN", "")).strip(), email=email.strip().lower(),
                  declined=str(params.get("PARTSTAT", "")).upper() == "DECLINED")


def is_room(address: Any) -> bool:
    """Whether an iCalendar ATTENDEE is a room or another resource rather than a person."""
    params = getattr(address, "params", {}) or {}
    return (str(params.get("CUTYPE", "")).upper() in ROOM_TYPES
            or str(address).strip().lower().endswith("@" + ROOM_DOMAIN))


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def matches(person: Person, name: str) -> bool:
    """Whether ``name`` (a full or first name, or an email) designates ``person``."""
    name = name.strip().lower()
    if not name:
        return False
    if "@" in name:
        return name == person.email
    wanted = _words(name)
    if not wanted:
        return False
    local = person.email.split("@", 1)[0]
    return wanted <= _words(person.name) or wanted <= _words(local.replace(".", " "))


def named_in(text: str, name: str) -> bool:
    """Whether ``text`` (a meeting title) names ``name``: all of its words, or its first name.

    Whole words only, in any letter case: "1:1 with Grace" names Grace Hopper, "Graceful" does
    not. An email stands for the name of its local part (grace.hopper@...).
    """
    wanted = _WORD.findall(name.strip().lower().split("@", 1)[0].replace(".", " "))
    found = _words(text)
    return bool(wanted) and (set(wanted) <= found or wanted[0] in found)
