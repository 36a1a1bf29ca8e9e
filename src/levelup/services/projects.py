"""Projects: goal, role, stretch, stakeholders and the post-mortem."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from levelup.context import Context
from levelup.domain import vocab
from levelup.domain.models import Project
from levelup.domain.names import clean_name, name_key
from levelup.errors import FieldError, NotFound
from levelup.store import projects as store

if TYPE_CHECKING:
    from sqlalchemy import Connection


def set_project(ctx: Context, *, name: str, goal: str | None = None, outcome: str | None = None,
                role: str | None = None, stretch: bool | None = None,
                stakeholder: Sequence[str] | None = None, start: str | None = None,
                end: str | None = None, status: str | None = None,
                went_well: str | None = None, to_improve: str | None = None,
                lessons: str | None = None, rename: str | None = None) -> Project:
    """Create the project called ``name`` (or the one of that name in other letter case), or
    change only the fields given; ``rename`` renames an existing one.

    ``None`` (and an empty ``stakeholder`` list) leaves a field as it is.
    """
    name = clean_name(name)
    if not name:
        raise FieldError("name", "must not be empty")
    new_name = clean_name(rename) if rename is not None else None
    if new_name is not None and not new_name:
        raise FieldError("rename", "must not be empty")
    given: dict[str, Any] = {
        "goal": goal, "outcome": outcome, "role": role, "stretch": stretch,
        "went_well": went_well, "to_improve": to_improve, "lessons": lessons,
        "start": ctx.day(start) if start else None, "end": ctx.day(end) if end else None,
        "status": vocab.check(status, vocab.PROJECT_STATUSES, "status") if status else None,
        "stakeholders": [clean_name(s) for s in stakeholder] if stakeholder else None,
    }
    changes = {k: v for k, v in given.items() if v is not None}

    def save(conn: Connection) -> Project:  # re-run whole if it loses a race with a writer
        try:
            current = store.get_project(conn, name=name)
        except NotFound:
            if new_name is not None:
                raise
            current = Project(name=name)
        if new_name is not None:
            current = _renamed(conn, current, new_name)
        project = replace(current, **changes)
        if project.start is not None and project.end is not None and project.end < project.start:
            field = "end" if "end" in changes else "start"
            raise FieldError(field, f"{project.end} is before the project's start {project.start}"
                             if field == "end" else
                             f"{project.start} is after the project's end {project.end}")
        return store.save_project(conn, project=project)

    return ctx.write(save)


def _renamed(conn: Connection, project: Project, name: str) -> Project:
    """``project`` renamed ``name``; FieldError when another project has it, ignoring case."""
    taken = [p.name for p in store.list_projects(conn)
             if name_key(p.name) == name_key(name) and p.id != project.id]
    if taken:
        raise FieldError("rename", f"'{name}' is the name of another project ('{taken[0]}')")
    store.rename_project(conn, project_id=int(project.id or 0), name=name)
    return replace(project, name=name)


def list_projects(ctx: Context) -> list[Project]:
    """Every project, by name."""
    with ctx.read() as conn:
        return store.list_projects(conn)


def get_project(ctx: Context, *, name: str) -> Project:
    """The project called ``name``; NotFound when there is none."""
    with ctx.read() as conn:
        return store.get_project(conn, name=name)
