"""Column layouts of incident CSV exports and how a row becomes an ``Incident``.

Headers are compared loosely (case, spaces, ``_`` and ``-`` ignored), so ``created_on``,
``Created On`` and ``CreatedOn`` are one column.

- PagerDuty's incidents CSV (Analytics → Download CSV): ``id, incident_number, description,
  service_id, service_name, escalation_policy_id, escalation_policy_name, created_on,
  resolved_on, seconds_to_first_ack, seconds_to_resolve, auto_resolved, escalation_count,
  …, acknowledged_by_user_names, assigned_to_user_names, resolved_by_user_name, urgency``.
- Opsgenie's alert export: ``TinyId, Alias, Message, Status, Acknowledged, CreatedAt,
  UpdatedAt, Count, Owner, Teams, Tags, Entity, Source, Priority, AckTime, CloseTime``
  (times ISO or epoch millis; ``CloseTime`` is milliseconds after creation).

A page is known by its tool's own id (PagerDuty's ``id``, Opsgenie's ``TinyId``). Any other id
(Opsgenie's ``Alias``, which every new alert of a recurring problem reuses, or a mapped CSV's,
which another tool may reuse) is keyed together with the page's created time.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from levelup.domain.models import Incident
from levelup.importers.oncall.times import DEFAULT_RULES, TimeRules, after

FIELDS = ("id", "created", "resolved", "service", "title", "urgency", "assignee")
_NAME_SPLIT = re.compile(r"[;|,]")  # each piece stripped: no regex backtracks on long spaces


def header_key(name: str) -> str:
    return re.sub(r"[\s_\-./]+", "", name.strip().lstrip("\ufeff").lower())


@dataclass(frozen=True, slots=True)
class Layout:
    """Where each field of an incident is found; lists are tried in order."""

    name: str
    source: str
    columns: dict[str, tuple[str, ...]]
    resolved_after: tuple[str, ...] = ()  # duration columns when no resolved time is given
    resolved_in_millis: bool = False
    extra_people: tuple[str, ...] = ()  # more columns naming who was paged or acknowledged
    own_ids: tuple[str, ...] = ()  # id columns the tool keeps unique, one value per page


PAGERDUTY_CSV = Layout(
    name="pagerduty-csv",
    source="pagerduty",
    columns={
        "id": ("id", "incident_number"),
        "created": ("created_on", "created_at"),
        "resolved": ("resolved_on", "resolved_at"),
        "service": ("service_name",),
        "title": ("description", "title", "summary"),
        "urgency": ("urgency", "priority"),
        "assignee": ("assigned_to_user_names",),
    },
    resolved_after=("seconds_to_resolve",),
    extra_people=("acknowledged_by_user_names", "resolved_by_user_name"),
    own_ids=("id", "incident_number"),
)

OPSGENIE_CSV = Layout(
    name="opsgenie-csv",
    source="opsgenie",
    columns={
        "id": ("id", "tinyid", "alias"),
        "created": ("createdat", "created"),
        "resolved": ("closedat", "closed"),
        "service": ("entity", "teams", "source"),
        "title": ("message",),
        "urgency": ("priority",),
        "assignee": ("owner",),
    },
    resolved_after=("closetime",),
    resolved_in_millis=True,
    extra_people=("acknowledgedby", "closedby"),
    own_ids=("id", "tinyid"),
)

GENERIC_CSV = Layout(
    name="mapped-csv",
    source="csv",
    columns={
        "id": ("id", "incidentid", "key"),
        "created": ("created", "createdat", "createdon", "opened", "start", "triggered"),
        "resolved": ("resolved", "resolvedat", "resolvedon", "closed", "closedat", "end"),
        "service": ("service", "servicename", "component", "team"),
        "title": ("title", "summary", "description", "message", "name"),
        "urgency": ("urgency", "priority", "severity"),
        "assignee": ("assignee", "assignedto", "owner", "oncall", "responder"),
    },
)

LAYOUTS = {layout.name: layout for layout in (PAGERDUTY_CSV, OPSGENIE_CSV, GENERIC_CSV)}


def detect(headers: Sequence[str]) -> Layout | None:
    """The export a header row belongs to, or None when it is no known layout."""
    keys = {header_key(h) for h in headers}
    if "incidentnumber" in keys or {"createdon", "servicename"} <= keys:
        return PAGERDUTY_CSV
    if "tinyid" in keys or {"message", "createdat", "priority"} <= keys:
        return OPSGENIE_CSV
    return None


def with_mapping(layout: Layout, mapping: dict[str, str]) -> Layout:
    """``layout`` with the user's ``field=Column`` choices tried first."""
    columns = dict(layout.columns)
    for name, column in mapping.items():
        columns[name] = (column, *columns.get(name, ()))
    return Layout(
        name=layout.name, source=layout.source, columns=columns,
        resolved_after=layout.resolved_after, resolved_in_millis=layout.resolved_in_millis,
        extra_people=layout.extra_people, own_ids=layout.own_ids,
    )


@dataclass(slots=True)
class RowReader:
    """Column positions of one file's header for a layout; ``read`` turns a row to an Incident."""

    layout: Layout
    times: TimeRules = DEFAULT_RULES
    own_id: bool = False  # the id column is the tool's own: no created time in the key
    positions: dict[str, int] = field(default_factory=dict)
    durations: list[int] = field(default_factory=list)
    people: list[int] = field(default_factory=list)  # assignee column first
    _names: dict[tuple[str, ...], str] = field(default_factory=dict)

    @classmethod
    def for_header(cls, layout: Layout, headers: Sequence[str],
                   times: TimeRules = DEFAULT_RULES) -> RowReader:
        index: dict[str, int] = {}
        for position, name in enumerate(headers):
            index.setdefault(header_key(name), position)
        reader = cls(layout, times)
        for name, candidates in layout.columns.items():
            found = [c for c in candidates if header_key(c) in index]
            if found:
                reader.positions[name] = index[header_key(found[0])]
                if name == "id":
                    reader.own_id = header_key(found[0]) in map(header_key, layout.own_ids)
        reader.durations = [index[k] for k in map(header_key, layout.resolved_after) if k in index]
        reader.people = [index[k] for k in map(header_key, layout.extra_people) if k in index]
        if "assignee" in reader.positions:
            reader.people.insert(0, reader.positions["assignee"])
        return reader

    def missing(self) -> list[str]:
        """Required fields with no column (an id is derived when absent)."""
        return [name for name in ("created", "title") if name not in self.positions]

    def date_columns(self) -> list[tuple[str, int]]:
        """(field, position) of the columns holding dates: what settles the day order."""
        return [(name, self.positions[name]) for name in ("created", "resolved")
                if name in self.positions]

    def read(self, row: Sequence[str]) -> Incident:
        """The incident of one row; raises ValueError (or IndexError) for a bad row, and
        UnsettledDayOrder when a numeric date needs the file's day order first."""
        size = len(row)
        at = self.positions.get
        id_, created_text, resolved_text, service, title, urgency = (
            row[p].strip() if (p := at(name, size)) < size else ""  # absent: p = size
            for name in ("id", "created", "resolved", "service", "title", "urgency")
        )
        if not title:
            raise ValueError("no title")
        written = self.times.parse(created_text)
        resolved = self.times.parse(resolved_text) if resolved_text else self._after(row, written)
        created, resolved = self.times.pair(written, resolved)
        return Incident(
            source=self.layout.source, source_id=self._key(id_, written, service, title),
            created=created, resolved=resolved, service=service[:200], title=title,
            urgency=urgency[:40], assignee=self._people(row),
        )

    def _key(self, id_: str, written: datetime, service: str, title: str) -> str:
        """The page's source id: its own id alone, else with the created time as written."""
        if not id_:
            return _derived_id(written.replace(tzinfo=None), service, title)
        return id_ if self.own_id else f"{id_}@{written.isoformat()}"[:300]

    def _after(self, row: Sequence[str], created: datetime) -> datetime | None:
        for position in self.durations:
            if position < len(row) and row[position].strip():
                return after(created, row[position], millis=self.layout.resolved_in_millis)
        return None

    def _people(self, row: Sequence[str]) -> str:
        size = len(row)
        cells = tuple(row[p] for p in self.people if p < size)
        found = self._names.get(cells)
        if found is None:
            found = _join_people(cells)
            if len(self._names) < 100_000:  # the same few people page again and again
                self._names[cells] = found
        return found


def _join_people(cells: Sequence[str]) -> str:
    """The distinct names of the cells, in order, joined; at most 200 characters (so a cell of
    thousands of names costs no more than a short one)."""
    names: dict[str, None] = {}
    length = 0
    for cell in cells:
        for piece in _NAME_SPLIT.split(cell):
            name = piece.strip()
            if name and name not in names:
                names[name] = None
                length += len(name) + 2
                if length > 200:
                    return "; ".join(names)[:200]
    return "; ".join(names)[:200]


def _derived_id(created: datetime, service: str, title: str) -> str:
    """A stable id for exports without one, so re-importing the file adds nothing."""
    digest = hashlib.sha1(f"{created.isoformat()}|{service}|{title}".encode()).hexdigest()
    return digest[:20]
