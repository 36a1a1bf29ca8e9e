"""Repository functions for projects (stretch flag, stakeholders, post-mortem)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from levelup.domain.models import Project
from levelup.domain.steps import Step
from levelup.errors import NotFound
from levelup.store import tables as t
from levelup.store.named import project_id
from levelup.store.people import ensure_stakeholder
from levelup.store.scope import owned

_FIELDS = (
    "goal",
    "outcome",
    "role",
    "stretch",
    "start",
    "end",
    "status",
    "went_well",
    "to_improve",
    "lessons",
)


def save_project(conn: Connection, *, project: Project) -> Project:
    """Create or update the project called ``project.name`` with every field given."""
    pid = project_id(conn, project.name, project.uid)
    values = {k: v for k, v in asdict(project).items() if k in _FIELDS}
    conn.execute(update(t.projects).where(t.projects.c.id == pid, owned(conn, t.projects))
                 .values(values))
    conn.execute(delete(t.project_stakeholders).where(t.project_stakeholders.c.project_id == pid))
    people = {ensure_stakeholder(conn, name=name) for name in project.stakeholders}
    if people:
        conn.execute(
            insert(t.project_stakeholders),
            [{"project_id": pid, "stakeholder_id": s} for s in sorted(people)],
        )
    return get_project(conn, name=project.name)


def _project(row: Any, stakeholders: list[str]) -> Project:
    values = {k: row[k] for k in _FIELDS}
    return Project(
        id=row["id"], uid=row["uid"], name=row["name"], stakeholders=stakeholders, **values
    )


def list_projects(conn: Connection) -> list[Project]:
    people: dict[int, list[str]] = {}
    for pid, name in conn.execute(
        select(t.project_stakeholders.c.project_id, t.stakeholders.c.name)
        .join(t.stakeholders, t.stakeholders.c.id == t.project_stakeholders.c.stakeholder_id)
        .where(owned(conn, t.stakeholders))
        .order_by(t.stakeholders.c.name)
    ):
        people.setdefault(pid, []).append(name)
    rows = conn.execute(
        select(t.projects).where(owned(conn, t.projects)).order_by(t.projects.c.name)
    ).mappings()
    return [_project(row, people.get(row["id"], [])) for row in rows]


def get_project(conn: Connection, *, name: str) -> Project:
    """The project called ``name``: that exact name, else the one equal to it but for case."""
    projects = list_projects(conn)
    for project in projects:
        if project.name == name:
            return project
    for project in projects:
        if project.name.lower() == name.lower():  # as the unique index compares names
            return project
    raise NotFound(f"no project called '{name}'", step=Step("project.list"))


def rename_project(conn: Connection, *, project_id: int, name: str) -> None:
    """Give the owner's project ``project_id`` the name ``name`` (the caller checks that no
    other project has it, ignoring case)."""
    conn.execute(update(t.projects).where(t.projects.c.id == project_id, owned(conn, t.projects))
                 .values(name=name))
