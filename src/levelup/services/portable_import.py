"""Merging an export document into the ledger, read as it streams.

The file is parsed incrementally (ijson): each top-level section is merged as it arrives and
the entries a batch at a time, so memory stays flat in the size of the document. Sections are
merged in one fixed order (``ORDER``: the people before the profile and the projects that name
them, the projects before the entries that create missing ones, the entries before the records
that point at them); a section that arrives before those it follows is held until they have
been merged or the document ends. A document from ``levelup export`` needs no holding but of
its few small records.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any

from levelup.domain import models as m
from levelup.domain.names import clean_name, name_key
from levelup.domain.serialize import FormatError, from_json
from levelup.errors import LevelupError
from levelup.services.portable_export import FORMAT, VERSION

if TYPE_CHECKING:
    from sqlalchemy import Connection

ORDER = ("stakeholders", "profile", "projects", "entries", "expectations", "conversations",
         "checkins", "opportunities", "visibility", "feedback", "incidents", "dismissed")
HOME_SECTIONS = ("ladders", "templates")  # restored into the home, not the database
BATCH = 1000
_LINKED = {"visibility": m.VisibilityEvent, "feedback": m.Feedback}
_PLAIN = {"expectations": m.Expectation, "conversations": m.Conversation,
          "checkins": m.CheckIn, "opportunities": m.Opportunity}


class Merge:
    """One document merged into the ledger of ``conn``; ``added`` counts what was new."""

    def __init__(self, conn: Connection, *, path: str = "export", header: bool = True) -> None:
        self.conn, self.path = conn, path
        self.checked = not header  # whether the format and version were found right
        self.added: Counter[str] = Counter()
        self.home: dict[str, Any] = {}
        self.header: dict[str, Any] = {}
        self.same: dict[str, int] = {}  # uid of a skipped duplicate → id of the one stored
        self.done: set[str] = set()
        self.held: dict[str, list[Any]] = {}

    def section(self, key: str, value: Any, streamed: bool = False) -> None:
        """Merge (or hold) the section ``key``; ``streamed``: ``value`` yields its items."""
        if streamed and (key not in ORDER or key == "profile"):  # small, or to be read past
            value, streamed = list(value), False
        if key in ("format", "version"):
            self.header[key] = value
            self._release()
        elif key in HOME_SECTIONS:
            self.home[key] = value
        elif key in ORDER and key not in self.done:
            if not self._ready(key):
                self.held[key] = list(value) if streamed else value
                return
            self._merge(key, value)
            self._release()
        elif streamed:  # a section given twice: the first one counts (and this one is read)
            for _ in value:
                pass

    def finish(self) -> None:
        """The document has ended: check its header, merge what was held, in order."""
        if not self.checked:
            check_header(self.header, self.path)
        for key in ORDER:
            if key in self.held:
                self._merge(key, self.held.pop(key))

    def _ready(self, key: str) -> bool:
        if not self.checked:
            if "format" not in self.header or "version" not in self.header:
                return False
            check_header(self.header, self.path)
            self.checked = True
        return all(before in self.done for before in ORDER[:ORDER.index(key)])

    def _release(self) -> None:
        """Merge held sections whose turn has come."""
        for key in ORDER:
            if key in self.held and self._ready(key):
                self._merge(key, self.held.pop(key))

    def _merge(self, key: str, value: Any) -> None:
        self.done.add(key)
        if key == "profile":
            self._profile(value)
            return
        items = _items(key, value)
        merge: dict[str, Callable[[Iterable[Any]], None]] = {
            "stakeholders": self._stakeholders, "projects": self._projects,
            "entries": self._entries, "incidents": self._incidents,
            "dismissed": self._dismissed}
        if key in merge:
            merge[key](items)
        else:
            for batch in _batches(items):
                self._records(key, batch)

    def _profile(self, raw: Any) -> None:
        from levelup.store import people

        if raw and people.find_profile(self.conn) is None:
            people.save_profile(self.conn, profile=from_json(m.Profile, raw, "profile"))
            self.added["profile"] += 1

    def _stakeholders(self, items: Iterable[tuple[int, Any]]) -> None:
        from levelup.store import people

        known = {name_key(s.name) for s in people.list_stakeholders(self.conn)}
        for i, raw in items:
            person = from_json(m.Stakeholder, raw, f"stakeholders[{i}]")
            person.name = clean_name(person.name)
            if person.name and name_key(person.name) not in known:
                people.add_stakeholder(self.conn, stakeholder=person)
                known.add(name_key(person.name))
                self.added["stakeholders"] += 1

    def _projects(self, items: Iterable[tuple[int, Any]]) -> None:
        from levelup.store import projects

        known = {p.name for p in projects.list_projects(self.conn)}
        for i, raw in items:
            project = from_json(m.Project, raw, f"projects[{i}]")
            project.name = clean_name(project.name)
            project.stakeholders = [clean_name(name) for name in project.stakeholders]
            if project.name and project.name not in known:
                known.add(project.name)
                projects.save_project(self.conn, project=project)
                self.added["projects"] += 1

    def _entries(self, items: Iterable[tuple[int, Any]]) -> None:
        batch: list[m.Entry] = []
        for i, raw in items:
            batch.append(_entry(i, raw))
            if len(batch) == BATCH:
                self._add_entries(batch)
                batch = []
        self._add_entries(batch)

    def _add_entries(self, batch: list[m.Entry]) -> None:
        """Add the entries of ``batch`` not yet in the ledger (nor earlier in the batch)."""
        from levelup.store import portable

        if not batch:
            return
        uids = portable.stored_uids(self.conn, kind="entries", uids=[e.uid for e in batch])
        keys = portable.stored_source_keys(
            self.conn, keys=[(e.source, e.source_id) for e in batch if e.source_id])
        fresh: list[m.Entry] = []
        twins: list[tuple[str, m.Entry]] = []  # a duplicate of an entry added in this batch
        added_keys: dict[tuple[str, str], m.Entry] = {}
        for entry in batch:
            if entry.uid in uids:
                continue
            key = (entry.source, entry.source_id) if entry.source_id else None
            if key is not None and key in keys:  # the same import, made on another machine:
                self.same[entry.uid] = keys[key]  # records pointing at it point at the stored one
                continue
            if key is not None and key in added_keys:
                twins.append((entry.uid, added_keys[key]))
                continue
            fresh.append(entry)
            uids.add(entry.uid)
            if key is not None:
                added_keys[key] = entry
        portable.add_entries(self.conn, entries=fresh)
        for uid, stored in twins:
            self.same[uid] = int(stored.id or 0)
        self.added["entries"] += len(fresh)

    def _records(self, key: str, batch: list[tuple[int, Any]]) -> None:
        """Add the records not yet there; one pointing at an entry neither the export nor the
        ledger holds is left out and counted as ``<kind> not applied``."""
        from levelup.store import portable

        pointed = {u for _, raw in batch if isinstance(raw, dict)
                   for u in _pointed(key, raw) if isinstance(u, str)}
        id_of = {**{u: self.same[u] for u in pointed if u in self.same},
                 **portable.ids_by_uid(self.conn, uids=pointed)}
        items: list[Any] = []
        for i, raw in batch:
            if isinstance(raw, dict):
                raw = dict(raw)
                if any(not isinstance(u, str) or u not in id_of for u in _pointed(key, raw)):
                    self.added[f"{key} not applied"] += 1
                    continue
                if key in _LINKED:
                    raw["entry_ids"] = [id_of[u] for u in raw.get("entry_ids") or []]
                if key == "opportunities" and raw.get("done_entry_id"):
                    raw["done_entry_id"] = id_of[raw["done_entry_id"]]
            items.append(from_json({**_PLAIN, **_LINKED}[key], raw, f"{key}[{i}]"))
        known = portable.stored_uids(self.conn, kind=key, uids=[x.uid for x in items])
        for item in items:
            if item.uid not in known:
                known.add(item.uid)
                _adder(self.conn, key)(item)
                self.added[key] += 1

    def _incidents(self, items: Iterable[tuple[int, Any]]) -> None:
        from levelup.store.incidents import upsert_incidents

        for batch in _batches(items):
            found = [from_json(m.Incident, raw, f"incidents[{i}]") for i, raw in batch]
            if new := upsert_incidents(self.conn, incidents=found).get("new", 0):
                self.added["incidents"] += new

    def _dismissed(self, items: Iterable[tuple[int, Any]]) -> None:
        from levelup.store.portable import add_dismissed

        rows = []
        for i, raw in items:
            try:
                rows.append({"source": str(raw["source"]), "source_id": str(raw["source_id"]),
                             "fingerprint": str(raw["fingerprint"]),
                             "deleted_at": datetime.fromisoformat(str(raw["deleted_at"]))})
            except (KeyError, TypeError, ValueError) as exc:
                raise FormatError(f"dismissed[{i}]: not a deleted entry's key ({exc})") from None
        if new := add_dismissed(self.conn, rows=rows):
            self.added["dismissed"] += new


def check_header(header: dict[str, Any], path: str) -> None:
    """Refuse a document that is not a levelup export of a version this levelup reads."""
    where = f"{path}: " if path else ""
    if header.get("format") != FORMAT:
        raise LevelupError(f"{where}not a levelup export (no \"format\": \"{FORMAT}\")")
    if header.get("version") != VERSION:
        raise LevelupError(f"{where}export version {header.get('version')!r} is not supported "
                           f"(this levelup reads version {VERSION})")


def _entry(i: int, raw: Any) -> m.Entry:
    entry = from_json(m.Entry, raw, f"entries[{i}]")
    if entry.project:  # named as its project is (``_projects``), or a second one appears
        entry.project = clean_name(entry.project) or None
    for j, metric in enumerate(entry.metrics):  # the story fields (0008) are optional
        if metric.better not in (None, "lower", "higher"):
            raise FormatError(f"entries[{i}].metrics[{j}].better: '{metric.better}' is "
                              "not lower or higher")
    return entry


def _items(key: str, value: Any) -> Iterator[tuple[int, Any]]:
    """The numbered items of a list section (null is an empty one)."""
    if not isinstance(value, Iterator) and not value:  # null, or an empty value
        return iter(())
    if not isinstance(value, list | Iterator):
        raise FormatError(f"{key}: expected a list")
    return enumerate(value)


def _batches(items: Iterable[tuple[int, Any]]) -> Iterator[list[tuple[int, Any]]]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _pointed(key: str, raw: dict[str, Any]) -> list[Any]:
    """The entry uids the record ``raw`` of kind ``key`` points at."""
    if key in _LINKED:
        ids = raw.get("entry_ids") or []
        return list(ids) if isinstance(ids, list) else [ids]
    if key == "opportunities" and raw.get("done_entry_id"):
        return [raw["done_entry_id"]]
    return []


def _adder(conn: Connection, key: str) -> Callable[[Any], Any]:
    from levelup.store import opportunities, records

    return {
        "expectations": lambda x: records.add_expectation(conn, expectation=x),
        "conversations": lambda x: records.add_conversation(conn, conversation=x),
        "checkins": lambda x: records.add_checkin(conn, checkin=x),
        "visibility": lambda x: records.add_visibility(conn, event=x),
        "feedback": lambda x: records.add_feedback(conn, feedback=x),
        "opportunities": lambda x: opportunities.add_opportunity(conn, opportunity=x,
                                                                 today=x.created),
    }[key]


def merge_stream(merge: Merge, fh: IO[bytes], path: str) -> None:
    """Parse the open export ``fh`` incrementally, handing each section to ``merge``."""
    import ijson

    events = ijson.parse(fh, use_float=True)
    try:
        first = next(events, None)
        if first is None or first[1] != "start_map":
            raise LevelupError(f"{path}: not a levelup export (no \"format\": \"{FORMAT}\")")
        for _, event, value in events:
            if event == "end_map":
                break
            _, start, first_value = next(events)
            if start == "start_array":
                merge.section(value, _array_items(events), streamed=True)
            else:
                merge.section(value, _build(events, start, first_value))
        for _ in events:  # trailing garbage is an error too
            pass
    except ijson.JSONError as exc:
        raise LevelupError(f"{path}:{_error_line(path)}: not JSON "
                           f"({_first_line(exc)})") from None


def _array_items(events: Iterator[tuple[str, str, Any]]) -> Iterator[Any]:
    """The items of the array just opened in ``events``, each built whole."""
    for _, event, value in events:
        if event == "end_array":
            return
        yield _build(events, event, value)


_OPEN = {"start_map": dict, "start_array": list}
_CLOSE = ("end_map", "end_array")


def _build(events: Iterator[tuple[str, str, Any]], event: str, value: Any) -> Any:
    """The value that starts with ``event`` (scalar, object or array), read whole."""
    if event not in _OPEN:
        return value
    root: Any = _OPEN[event]()
    stack: list[Any] = [root]
    key: Any = None
    for _, event, value in events:
        if event == "map_key":
            key = value
            continue
        if event in _CLOSE:
            stack.pop()
            if not stack:
                return root
            continue
        item = _OPEN[event]() if event in _OPEN else value
        top = stack[-1]
        if isinstance(top, list):
            top.append(item)
        else:
            top[key] = item
        if event in _OPEN:
            stack.append(item)
    return root


def _first_line(exc: Exception) -> str:
    text = exc.args[0] if exc.args else str(exc)
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return str(text).strip().splitlines()[0] if str(text).strip() else "incomplete"


def _error_line(path: str) -> int:
    """The line of the first error in ``path`` (read again, slowly: only after one)."""
    import ijson

    parse = ijson.get_backend("python").parse
    position = None
    try:
        with open(path, "rb") as fh:
            for _ in parse(fh):
                pass
    except ijson.JSONError as exc:
        found = str(exc).rsplit(" at ", 1)
        position = int(found[1]) if len(found) == 2 and found[1].isdigit() else None
    lines = 1
    with open(path, encoding="utf-8", errors="replace") as text:
        read = 0
        while chunk := text.read(1 << 16):
            if position is not None and read + len(chunk) > position:
                return lines + chunk.count("\n", 0, position - read)
            lines += chunk.count("\n")
            read += len(chunk)
    return lines
