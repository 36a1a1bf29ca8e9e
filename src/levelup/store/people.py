"""Repository functions for the profile and stakeholders."""

from __future__ import annotations

import difflib
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from levelup.domain.models import Profile, Stakeholder
from levelup.domain.names import clean_name, name_key
from levelup.domain.steps import Step
from levelup.errors import LevelupError, NoProfile, NotFound
from levelup.store import tables as t
from levelup.store.named import get_or_create, id_by_name, insert_unless_present
from levelup.store.scope import owned, owner_of


def get_profile(conn: Connection) -> Profile:
    row = conn.execute(select(t.profile).where(owned(conn, t.profile))).mappings().first()
    if row is None:
        raise NoProfile("no profile yet: set one up", step=Step("init"))
    return Profile(
        name=row["name"],
        level=row["level"],
        target_level=row["target_level"],
        ladder=row["ladder"],
        manager=row["manager"],
    )


def find_profile(conn: Connection) -> Profile | None:
    try:
        return get_profile(conn)
    except NoProfile:
        return None


def save_profile(conn: Connection, *, profile: Profile) -> Profile:
    values = {
        "name": profile.name,
        "level": profile.level,
        "target_level": profile.target_level,
        "ladder": profile.ladder,
        "manager": profile.manager,
    }
    owner = owner_of(conn)  # the profile's id is its owner's: one profile per owner
    conn.execute(delete(t.profile).where(owned(conn, t.profile)))
    conn.execute(insert(t.profile).values(id=owner, owner_id=owner, **values))
    if profile.manager:
        ensure_stakeholder(conn, name=profile.manager, relation="manager", decision_maker=True)
    return profile


def _stakeholder(row: Any) -> Stakeholder:
    return Stakeholder(
        id=row["id"],
        uid=row["uid"],
        name=row["name"],
        relation=row["relation"],
        decision_maker=row["decision_maker"],
        notes=row["notes"],
        email=row["email"],
    )


def list_stakeholders(conn: Connection) -> list[Stakeholder]:
    rows = conn.execute(select(t.stakeholders).where(owned(conn, t.stakeholders))
                        .order_by(t.stakeholders.c.name)).mappings()
    return [_stakeholder(row) for row in rows]


def stakeholder_id(conn: Connection, name: str) -> int:
    """The id of the stakeholder called ``name``: the exact (clean) name, else the one name
    equal to it but for case; NotFound names the nearest, or the names it could be."""
    rows = conn.execute(select(t.stakeholders.c.id, t.stakeholders.c.name)
                        .where(owned(conn, t.stakeholders))).all()
    wanted = clean_name(name)
    exact = [int(row_id) for row_id, row_name in rows if row_name == wanted]
    if exact:
        return exact[0]
    same = [(int(row_id), row_name) for row_id, row_name in rows
            if name_key(row_name) == name_key(wanted)]
    if len(same) == 1:
        return same[0][0]
    if same:
        names = ", ".join(f"'{n}'" for _, n in sorted(same, key=lambda r: r[1]))
        raise NotFound(f"'{name}' could be any of {names}; give the exact name")
    near = difflib.get_close_matches(name, [n for _, n in rows], n=1, cutoff=0.5)
    if near:
        raise NotFound(f"unknown stakeholder '{name}'; did you mean '{near[0]}'?")
    raise NotFound(f"unknown stakeholder '{name}'; add them", step=Step("stakeholder.add"))


def get_stakeholder(conn: Connection, *, name: str) -> Stakeholder:
    sid = stakeholder_id(conn, name)
    row = conn.execute(select(t.stakeholders).where(t.stakeholders.c.id == sid)).mappings().one()
    return _stakeholder(row)


def add_stakeholder(conn: Connection, *, stakeholder: Stakeholder) -> Stakeholder:
    """Add ``stakeholder``, or update the one with its id or (ignoring case) its name: race-free,
    a writer adding the same person at once updates the row the other one inserted."""
    values = {
        "uid": stakeholder.uid,
        "name": stakeholder.name,
        "relation": stakeholder.relation,
        "decision_maker": stakeholder.decision_maker,
        "notes": stakeholder.notes,
        "email": stakeholder.email,
        "owner_id": owner_of(conn),
    }
    stakeholder.name = values["name"] = clean_name(stakeholder.name)
    existing = stakeholder.id
    if existing is None:
        existing = id_by_name(conn, t.stakeholders, stakeholder.name)
        if existing is None and insert_unless_present(conn, t.stakeholders, values):
            stakeholder.id = id_by_name(conn, t.stakeholders, stakeholder.name)
            return stakeholder
        if existing is None:  # another writer added them a moment ago: update theirs
            existing = id_by_name(conn, t.stakeholders, stakeholder.name)
        if existing is None:
            raise LevelupError(f"cannot add '{stakeholder.name}': its id {stakeholder.uid} "
                               "belongs to another stakeholder")
        values.pop("name")  # found by name, perhaps in other letter case: keep it as written
    values.pop("uid")
    conn.execute(update(t.stakeholders).where(t.stakeholders.c.id == existing).values(values))
    stakeholder.id = int(existing)
    return stakeholder


def ensure_stakeholder(
    conn: Connection, *, name: str, relation: str = "other", decision_maker: bool = False
) -> int:
    """The id of ``name``, adding them with ``relation`` when they are new (race-free: a writer
    adding them at the same moment gets the same id)."""
    try:
        return stakeholder_id(conn, name)
    except NotFound:
        person = Stakeholder(name=clean_name(name), relation=relation,
                             decision_maker=decision_maker)
        return get_or_create(conn, t.stakeholders, {
            "uid": person.uid, "name": person.name, "relation": person.relation,
            "decision_maker": person.decision_maker, "notes": person.notes,
            "email": person.email})


def remove_stakeholder(conn: Connection, *, name: str) -> None:
    conn.execute(delete(t.stakeholders).where(
        t.stakeholders.c.id == stakeholder_id(conn, name), owned(conn, t.stakeholders)))
