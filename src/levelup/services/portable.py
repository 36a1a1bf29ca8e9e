"""The whole ledger as one versioned JSON document, and back.

Import merges: records already present (same uid, or same source and source id for imported
entries; same name for stakeholders and projects) are left as they are, so importing twice
adds nothing. Entry references travel as uids, since local ids differ between ledgers. Fields
added since version 1 (an entry's story, a metric's ``better``, a stakeholder's email) are
optional, so a version 1 document from an older levelup reads as it did.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from levelup.domain import models as m
from levelup.domain.names import clean_name, name_key
from levelup.domain.serialize import FormatError, from_json, to_json
from levelup.errors import LevelupError

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from levelup.context import Context

FORMAT = "levelup-export"
VERSION = 1
_LINKED = {"visibility": m.VisibilityEvent, "feedback": m.Feedback}
_PLAIN = {"expectations": m.Expectation, "conversations": m.Conversation,
          "checkins": m.CheckIn, "opportunities": m.Opportunity}


def export_ledger(ctx: Context, *, now: datetime | None = None) -> dict[str, Any]:
    """Everything in the ledger as a JSON-ready document, dated ``now``."""
    from levelup.services.home_files import export_home_files

    with ctx.read() as conn:
        doc = export_document(conn, now=now)
    doc.update(export_home_files(ctx.settings.home))
    return doc


def import_ledger(ctx: Context, *, file: str) -> Counter[str]:
    """Merge the export ``file`` into the ledger, all or nothing; how many records of each
    kind were added (none when they were all there already). The imported ladders and
    templates it carries are restored first (those already in the home are kept)."""
    from levelup.services.home_files import read_home_files, restore_home_files, undo

    doc = read_document(file)
    files = read_home_files(doc, path=file)  # imported ladders and templates, checked first
    restored, written = restore_home_files(files, ctx.settings.home)
    try:
        with ctx.begin() as conn:
            added = import_document(conn, doc, path=file)
    except BaseException:
        undo(written)
        raise
    return added + restored


def export_document(conn: Connection, *, now: datetime | None = None) -> dict[str, Any]:
    """Everything ``conn`` reads of the ledger as a JSON-ready document."""
    from levelup.store import entries, people, projects, records

    all_entries = entries.list_entries(conn, newest_first=False)
    uid_of = {e.id: e.uid for e in all_entries}
    doc: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": (now or datetime.now()).replace(microsecond=0).isoformat(),
        "profile": to_json(people.find_profile(conn)),
        "stakeholders": [_drop_id(s) for s in to_json(people.list_stakeholders(conn))],
        "projects": [_drop_id(p) for p in to_json(projects.list_projects(conn))],
        "entries": [_drop_id(e) for e in to_json(all_entries)],
        "expectations": [_drop_id(x) for x in to_json(records.list_expectations(conn))],
        "visibility": _with_uids(records.list_visibility(conn), uid_of),
        "feedback": _with_uids(records.list_feedback(conn), uid_of),
        "conversations": [_drop_id(c) for c in to_json(records.list_conversations(conn))],
        "checkins": [_drop_id(c) for c in to_json(records.list_checkins(conn))],
    }
    doc.update(_optional_sections(conn, uid_of))
    return doc


def _optional_sections(conn: Connection, uid_of: dict[Any, str]) -> dict[str, Any]:
    """Incidents and opportunities, stored by the opportunity finder, and the imported
    entries the user deleted (so that importing again does not bring them back)."""
    from levelup.store import opportunities, portable

    incident_rows = [_drop_id(i) for i in to_json(portable.all_incidents(conn))]
    opps = []
    for item in opportunities.list_opportunities(conn):
        data = _drop_id(to_json(item))
        data["done_entry_id"] = uid_of.get(item.done_entry_id) if item.done_entry_id else None
        opps.append(data)
    return {"incidents": incident_rows, "opportunities": opps,
            "dismissed": portable.dismissed_imports(conn)}


def _drop_id(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "id"}


def _with_uids(items: list[Any], uid_of: dict[Any, str]) -> list[dict[str, Any]]:
    out = []
    for item in items:
        data = _drop_id(to_json(item))
        data["entry_ids"] = sorted(uid_of[i] for i in data["entry_ids"])
        out.append(data)
    return out


def read_document(path: str) -> dict[str, Any]:
    """Parse an export file; one clear error for a file that is not a levelup export."""
    try:
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
    except OSError as exc:
        raise LevelupError(f"{path}: cannot read ({exc.strerror})") from None
    except json.JSONDecodeError as exc:
        raise LevelupError(f"{path}:{exc.lineno}: not JSON ({exc.msg})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise LevelupError(f"{path}: not a levelup export (no \"format\": \"{FORMAT}\")")
    if doc.get("version") != VERSION:
        raise LevelupError(f"{path}: export version {doc.get('version')!r} is not supported "
                           f"(this levelup reads version {VERSION})")
    return doc


def import_document(conn: Connection, doc: dict[str, Any], *, path: str = "export") -> Counter[str]:
    """Merge ``doc`` into the ledger; returns how many records of each kind were added."""
    try:
        return _merge(conn, doc)
    except FormatError as exc:
        raise LevelupError(f"{path}: {exc}") from None


def _section(doc: dict[str, Any], key: str) -> list[Any]:
    items = doc.get(key) or []
    if not isinstance(items, list):
        raise FormatError(f"{key}: expected a list")
    return items


def _merge(conn: Connection, doc: dict[str, Any]) -> Counter[str]:
    from levelup.store import entries, people, portable, projects

    added: Counter[str] = Counter()
    known = {name_key(s.name) for s in people.list_stakeholders(conn)}
    for i, raw in enumerate(_section(doc, "stakeholders")):
        person = from_json(m.Stakeholder, raw, f"stakeholders[{i}]")
        person.name = clean_name(person.name)
        if person.name and name_key(person.name) not in known:
            people.add_stakeholder(conn, stakeholder=person)
            known.add(name_key(person.name))
            added["stakeholders"] += 1
    if doc.get("profile") and people.find_profile(conn) is None:
        people.save_profile(conn, profile=from_json(m.Profile, doc["profile"], "profile"))
        added["profile"] += 1
    known = {p.name for p in projects.list_projects(conn)}
    for i, raw in enumerate(_section(doc, "projects")):
        project = from_json(m.Project, raw, f"projects[{i}]")
        project.name = clean_name(project.name)
        project.stakeholders = [clean_name(name) for name in project.stakeholders]
        if project.name and project.name not in known:
            known.add(project.name)
            projects.save_project(conn, project=project)
            added["projects"] += 1
    uids, keys = portable.existing_uids(conn, kind="entries"), portable.source_keys(conn)
    same: dict[str, int] = {}  # uid of a skipped duplicate → id of the entry already stored
    for i, raw in enumerate(_section(doc, "entries")):
        entry = from_json(m.Entry, raw, f"entries[{i}]")
        for j, metric in enumerate(entry.metrics):  # the story fields (0008) are optional
            if metric.better not in (None, "lower", "higher"):
                raise FormatError(f"entries[{i}].metrics[{j}].better: '{metric.better}' is "
                                  "not lower or higher")
        if entry.uid in uids:
            continue
        key = (entry.source, entry.source_id) if entry.source_id else None
        if key is not None and key in keys:  # the same import, made on another machine:
            same[entry.uid] = keys[key]  # records pointing at it point at the stored one
            continue
        entries.add_entry(conn, entry=entry)
        uids.add(entry.uid)
        if key is not None and entry.id is not None:
            keys[key] = entry.id
        added["entries"] += 1
    _merge_records(conn, doc, added, same)
    return added


def _merge_records(conn: Connection, doc: dict[str, Any], added: Counter[str],
                   same: dict[str, int]) -> None:
    """Add the records not yet there; one pointing at an entry neither the export nor the
    ledger holds is left out and counted as ``<kind> not applied``."""
    from levelup.store import opportunities, portable, records

    id_of = {**same, **portable.entry_ids_by_uid(conn)}
    adders: dict[str, Callable[[Any], Any]] = {
        "expectations": lambda x: records.add_expectation(conn, expectation=x),
        "conversations": lambda x: records.add_conversation(conn, conversation=x),
        "checkins": lambda x: records.add_checkin(conn, checkin=x),
        "visibility": lambda x: records.add_visibility(conn, event=x),
        "feedback": lambda x: records.add_feedback(conn, feedback=x),
        "opportunities": lambda x: opportunities.add_opportunity(conn, opportunity=x,
                                                                 today=x.created),
    }
    for key, cls in {**_PLAIN, **_LINKED}.items():
        uids = portable.existing_uids(conn, kind=key)
        for i, raw in enumerate(_section(doc, key)):
            if isinstance(raw, dict):
                raw = dict(raw)
                if any(not isinstance(u, str) or u not in id_of for u in _pointed(key, raw)):
                    added[f"{key} not applied"] += 1
                    continue
                if key in _LINKED:
                    raw["entry_ids"] = [id_of[u] for u in raw.get("entry_ids") or []]
                if key == "opportunities" and raw.get("done_entry_id"):
                    raw["done_entry_id"] = id_of[raw["done_entry_id"]]
            item: Any = from_json(cls, raw, f"{key}[{i}]")
            if item.uid not in uids:
                adders[key](item)
                added[key] += 1
    _merge_incidents(conn, doc, added)
    _merge_dismissed(conn, doc, added)


def _merge_dismissed(conn: Connection, doc: dict[str, Any], added: Counter[str]) -> None:
    from levelup.store.portable import add_dismissed

    rows = []
    for i, raw in enumerate(_section(doc, "dismissed")):
        try:
            rows.append({"source": str(raw["source"]), "source_id": str(raw["source_id"]),
                         "fingerprint": str(raw["fingerprint"]),
                         "deleted_at": datetime.fromisoformat(str(raw["deleted_at"]))})
        except (KeyError, TypeError, ValueError) as exc:
            raise FormatError(f"dismissed[{i}]: not a deleted entry's key ({exc})") from None
    if new := add_dismissed(conn, rows=rows):
        added["dismissed"] += new


def _pointed(key: str, raw: dict[str, Any]) -> list[Any]:
    """The entry uids the record ``raw`` of kind ``key`` points at."""
    if key in _LINKED:
        ids = raw.get("entry_ids") or []
        return list(ids) if isinstance(ids, list) else [ids]
    if key == "opportunities" and raw.get("done_entry_id"):
        return [raw["done_entry_id"]]
    return []


def _merge_incidents(conn: Connection, doc: dict[str, Any], added: Counter[str]) -> None:
    from levelup.store.incidents import upsert_incidents

    items = [from_json(m.Incident, raw, f"incidents[{i}]")
             for i, raw in enumerate(_section(doc, "incidents"))]
    new = upsert_incidents(conn, incidents=items).get("new", 0) if items else 0
    if new:
        added["incidents"] += new
