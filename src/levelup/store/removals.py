"""Removing what a user added by mistake: feedback, conversations, check-ins, projects and
opportunities, each scoped to the owner. An imported conversation that is removed is
remembered, so that importing the same source again does not add it back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select

from levelup.domain.steps import Step
from levelup.errors import NotFound
from levelup.store import tables as t
from levelup.store.scope import owned, owner_of

# The source under which a removed imported conversation is remembered in dismissed_imports
# (apart from the entries the same import made from the same event).
TALK_SOURCE = "talk:"


def _remove(conn: Connection, table: Any, record_id: int, what: str, listing: str) -> None:
    done = conn.execute(delete(table).where(table.c.id == record_id, owned(conn, table)))
    if done.rowcount == 0:
        raise NotFound(f"no {what} with id {record_id}", step=Step(listing))


def remove_feedback(conn: Connection, *, feedback_id: int) -> None:
    """Delete one piece of feedback (and its links to entries)."""
    _remove(conn, t.feedback, feedback_id, "feedback", "feedback.list")


def remove_checkin(conn: Connection, *, checkin_id: int) -> None:
    _remove(conn, t.checkins, checkin_id, "check-in", "checkin.list")


def remove_opportunity(conn: Connection, *, opportunity_id: int) -> None:
    _remove(conn, t.opportunities, opportunity_id, "opportunity", "opportunity.list")


def remove_conversation(conn: Connection, *, conversation_id: int) -> None:
    """Delete a conversation and its questions; an imported one stays deleted."""
    row = conn.execute(select(t.conversations.c.source, t.conversations.c.source_id).where(
        t.conversations.c.id == conversation_id, owned(conn, t.conversations))).first()
    if row is None:
        raise NotFound(f"no conversation with id {conversation_id}", step=Step("talk.list"))
    source, source_id = row
    if source_id is not None:
        dismissed = t.dismissed_imports
        key = TALK_SOURCE + source
        conn.execute(delete(dismissed).where(owned(conn, dismissed), dismissed.c.source == key,
                                             dismissed.c.source_id == source_id))
        conn.execute(insert(dismissed).values(owner_id=owner_of(conn), source=key,
                                              source_id=source_id, fingerprint="",
                                              deleted_at=datetime.now()))
    _remove(conn, t.conversations, conversation_id, "conversation", "talk.list")


def conversation_dismissed(conn: Connection, *, source: str, source_id: str | None) -> bool:
    """Whether the user removed the conversation imported from (source, source_id)."""
    if source_id is None:
        return False
    dismissed = t.dismissed_imports
    return conn.execute(select(dismissed.c.source_id).where(
        owned(conn, dismissed), dismissed.c.source == TALK_SOURCE + source,
        dismissed.c.source_id == source_id)).first() is not None


def remove_project(conn: Connection, *, name: str) -> int:
    """Delete the project called ``name``; its entries stay, without a project. Returns how
    many entries were in it."""
    pid = conn.execute(select(t.projects.c.id).where(
        t.projects.c.name == name, owned(conn, t.projects))).scalar()
    if pid is None:
        raise NotFound(f"no project called '{name}'", step=Step("project.list"))
    count = conn.execute(select(func.count()).select_from(t.entries).where(
        t.entries.c.project_id == pid, owned(conn, t.entries))).scalar_one()
    conn.execute(delete(t.projects).where(t.projects.c.id == pid, owned(conn, t.projects)))
    return int(count)
