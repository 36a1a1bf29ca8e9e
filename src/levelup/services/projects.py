"""Projects: goal, role, stretch, stakeholders and the post-mortem."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from levelup.context import Context
from levelup.domain import vocab
from levelup.domain.models import Project
from levelup.domain.names import clean_name
from levelup.errors import FieldError, NotFound
from levelup.store import projects as store


def set_project(ctx: Context, *, name: str, goal: str | None = None, outcome: str | None = None,
                role: str | None = None, stretch: bool | None = None,
                stakeholder: Sequence[str] | None = None, start: str | None = None,
                end: str | None = None, status: str | None = None,
                went_well: str | None = None, to_improve: str | None = None,
                lessons: str | None = None) -> Project:
    """Create the project called ``name``, or change only the fields given.

    ``None`` (and an empty ``stakeholder`` list) leaves a field as it is.
    """
    name = clean_name(name)
    if not name:
        raise FieldError("name", "must not be empty")
    given: dict[str, Any] = {
        "goal": goal, "outcome": outcome, "role": role, "stretch": stretch,
        "went_well": went_well, "to_improve": to_improve, "lessons": lessons,
        "start": ctx.day(start) if start else None, "end": ctx.day(end) if end else None,
        "status": vocab.check(status, vocab.PROJECT_STATUSES, "status") if status else None,
        "stakeholders": [clean_name(s) for s in stakeholder] if stakeholder else None,
    }
    changes = {k: v for k, v in given.items() if v is not None}
    with ctx.begin() as conn:
        try:
            current = store.get_project(conn, name=name)
        except NotFound:
            current = Project(name=name)
        project = replace(current, **changes)
        if project.start is not None and project.end is not None and project.end < project.start:
            field = "end" if "end" in changes else "start"
            raise FieldError(field, f"{project.end} is before the project's start {project.start}"
                             if field == "end" else
                             f"{project.start} is after the project's end {project.end}")
        return store.save_project(conn, project=project)


def list_projects(ctx: Context) -> list[Project]:
    """Every project, by name."""
    with ctx.read() as conn:
        return store.list_projects(conn)


def get_project(ctx: Context, *, name: str) -> Project:
    """The project called ``name``; NotFound when there is none."""
    with ctx.read() as conn:
        return store.get_project(conn, name=name)
