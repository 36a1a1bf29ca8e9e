"""Removing what a user added by mistake: feedback, conversations, check-ins, projects and
opportunities. Each raises NotFound naming the id (or name) and the list to look it up in."""

from __future__ import annotations

from levelup.context import Context
from levelup.store import removals as store


def remove_feedback(ctx: Context, *, feedback_id: int) -> None:
    with ctx.begin() as conn:
        store.remove_feedback(conn, feedback_id=feedback_id)


def remove_talk(ctx: Context, *, talk_id: int) -> None:
    """Remove a conversation; one an import made is not imported again."""
    with ctx.begin() as conn:
        store.remove_conversation(conn, conversation_id=talk_id)


def remove_checkin(ctx: Context, *, checkin_id: int) -> None:
    with ctx.begin() as conn:
        store.remove_checkin(conn, checkin_id=checkin_id)


def remove_opportunity(ctx: Context, *, opportunity_id: int) -> None:
    with ctx.begin() as conn:
        store.remove_opportunity(conn, opportunity_id=opportunity_id)


def remove_project(ctx: Context, *, name: str) -> int:
    """Remove the project called ``name``; its entries stay, without a project. Returns how
    many entries it had."""
    with ctx.begin() as conn:
        return store.remove_project(conn, name=name)
