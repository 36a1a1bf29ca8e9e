"""Repository functions for expectations, visibility, feedback, conversations and check-ins."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from levelup.domain.models import (
    CheckIn,
    Conversation,
    Expectation,
    Feedback,
    QuestionAnswer,
    VisibilityEvent,
)
from levelup.errors import NotFound
from levelup.store import tables as t
from levelup.store.entries import require_entries
from levelup.store.people import stakeholder_id
from levelup.store.scope import owned, owner_of
from levelup.store.text import no_nul, scrub


def _new_id(result: Any) -> int:
    return int(result.inserted_primary_key[0])


def _rewrite(conn: Connection, table: Any, row_id: int | None, values: Mapping[str, Any],
             what: str) -> None:
    """Set ``values`` on the owner's row ``row_id`` of ``table``; NotFound names ``what``."""
    if values:
        done = conn.execute(update(table).where(table.c.id == row_id, owned(conn, table))
                            .values(scrub(dict(values))))
        if done.rowcount == 0:
            raise NotFound(f"no {what} with id {row_id}")


def _since(column: Any, start: date | None, end: date | None) -> list[Any]:
    return [
        c
        for c in (column >= start if start else None, column <= end if end else None)
        if c is not None
    ]


# Expectations -----------------------------------------------------------------------------


def add_expectation(conn: Connection, *, expectation: Expectation) -> Expectation:
    result = conn.execute(
        insert(t.expectations).values(
            uid=expectation.uid,
            owner_id=owner_of(conn),
            kind=expectation.kind,
            text=expectation.text,
            said_by=expectation.said_by,
            agreed_on=expectation.agreed_on,
            outcome=no_nul(expectation.outcome),
            outcome_on=expectation.outcome_on,
        )
    )
    expectation.id = _new_id(result)
    return expectation


def get_expectation(conn: Connection, *, expectation_id: int) -> Expectation:
    row = conn.execute(select(t.expectations).where(
        t.expectations.c.id == expectation_id, owned(conn, t.expectations))).mappings().first()
    if row is None:
        raise NotFound(f"no expectation with id {expectation_id}")
    return Expectation(**_fields(row))


def update_expectation(conn: Connection, *, expectation: Expectation) -> Expectation:
    """Write every field of ``expectation`` (found by its id) but its uid."""
    _rewrite(conn, t.expectations, expectation.id, {
        "kind": expectation.kind, "text": expectation.text, "said_by": expectation.said_by,
        "agreed_on": expectation.agreed_on, "outcome": expectation.outcome,
        "outcome_on": expectation.outcome_on}, "expectation")
    return expectation


def list_expectations(conn: Connection) -> list[Expectation]:
    rows = conn.execute(select(t.expectations).where(owned(conn, t.expectations))
                        .order_by(t.expectations.c.agreed_on.desc()))
    return [Expectation(**_fields(row)) for row in rows.mappings()]


def _fields(row: Any) -> dict[str, Any]:
    """A row's columns but the owner's id, for a domain model's fields."""
    return {k: v for k, v in row.items() if k != "owner_id"}


def delete_expectation(conn: Connection, *, expectation_id: int) -> None:
    done = conn.execute(delete(t.expectations).where(
        t.expectations.c.id == expectation_id, owned(conn, t.expectations)))
    if done.rowcount == 0:
        raise NotFound(f"no expectation with id {expectation_id}")


# Visibility -------------------------------------------------------------------------------


def add_visibility(conn: Connection, *, event: VisibilityEvent) -> VisibilityEvent:
    """Record that ``event.stakeholder`` heard about ``event.entry_ids``."""
    require_entries(conn, event.entry_ids)
    sid = stakeholder_id(conn, event.stakeholder)
    result = conn.execute(
        insert(t.visibility).values(
            uid=event.uid,
            owner_id=owner_of(conn),
            stakeholder_id=sid,
            date=event.date,
            channel=event.channel,
            note=no_nul(event.note),
        )
    )
    event.id = _new_id(result)
    if event.entry_ids:
        conn.execute(
            insert(t.visibility_entries),
            [{"visibility_id": event.id, "entry_id": e} for e in sorted(set(event.entry_ids))],
        )
    return event


def list_visibility(
    conn: Connection, *, start: date | None = None, end: date | None = None
) -> list[VisibilityEvent]:
    query = (
        select(t.visibility, t.stakeholders.c.name.label("stakeholder"))
        .join(t.stakeholders, t.stakeholders.c.id == t.visibility.c.stakeholder_id)
        .where(owned(conn, t.visibility), *_since(t.visibility.c.date, start, end))
        .order_by(t.visibility.c.date)
    )
    events = [
        VisibilityEvent(id=r["id"], uid=r["uid"], stakeholder=r["stakeholder"], date=r["date"],
                        channel=r["channel"], note=r["note"])
        for r in conn.execute(query).mappings()
    ]
    links = _links(conn, t.visibility_entries, "visibility_id", [e.id for e in events])
    for event in events:
        event.entry_ids = links.get(event.id, [])  # type: ignore[arg-type]
    return events


def _links(conn: Connection, table: Any, key: str, ids: list[Any]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = defaultdict(list)
    for start in range(0, len(ids), 900):
        rows = conn.execute(
            select(table.c[key], table.c.entry_id)
            .where(table.c[key].in_(ids[start : start + 900]))
            .order_by(table.c.entry_id)
        )
        for owner, entry_id in rows:
            found[owner].append(entry_id)
    return found


def audiences(conn: Connection, *, entry_ids: list[int]) -> dict[int, list[tuple[str, bool]]]:
    """Per entry: the (stakeholder, decision maker?) pairs who heard about it."""
    query = (
        select(
            t.visibility_entries.c.entry_id, t.stakeholders.c.name, t.stakeholders.c.decision_maker
        )
        .join(t.visibility, t.visibility.c.id == t.visibility_entries.c.visibility_id)
        .join(t.stakeholders, t.stakeholders.c.id == t.visibility.c.stakeholder_id)
        .where(owned(conn, t.visibility))
    )
    found: dict[int, list[tuple[str, bool]]] = defaultdict(list)
    for start in range(0, len(entry_ids), 900):
        chunk = entry_ids[start : start + 900]
        for entry_id, name, decides in conn.execute(
            query.where(t.visibility_entries.c.entry_id.in_(chunk))
        ):
            if (name, decides) not in found[entry_id]:
                found[entry_id].append((name, bool(decides)))
    return found


def hearings(conn: Connection, *, entry_id: int) -> list[tuple[str, bool, date, str]]:
    """Each time a stakeholder heard about the entry: (name, decision maker?, date, channel),
    oldest first."""
    query = (
        select(t.stakeholders.c.name, t.stakeholders.c.decision_maker, t.visibility.c.date,
               t.visibility.c.channel)
        .join(t.visibility, t.visibility.c.id == t.visibility_entries.c.visibility_id)
        .join(t.stakeholders, t.stakeholders.c.id == t.visibility.c.stakeholder_id)
        .where(owned(conn, t.visibility), t.visibility_entries.c.entry_id == entry_id)
        .order_by(t.visibility.c.date, t.visibility.c.id)
    )
    return [(name, bool(decides), day, channel) for name, decides, day, channel in
            conn.execute(query)]


# Feedback ---------------------------------------------------------------------------------


def add_feedback(conn: Connection, *, feedback: Feedback) -> Feedback:
    require_entries(conn, feedback.entry_ids)
    result = conn.execute(
        insert(t.feedback).values(scrub({
            "uid": feedback.uid,
            "owner_id": owner_of(conn),
            "giver": feedback.giver,
            "date": feedback.date,
            "polarity": feedback.polarity,
            "text": feedback.text,
            "competency": feedback.competency,
            "asked": feedback.asked,
            "follow_up": feedback.follow_up,
            "status": feedback.status,
            "quotable": feedback.quotable,
        }))
    )
    feedback.id = _new_id(result)
    _link_feedback(conn, feedback.id, feedback.entry_ids)
    return feedback


def _link_feedback(conn: Connection, feedback_id: int, entry_ids: list[int]) -> None:
    if entry_ids:
        conn.execute(
            insert(t.feedback_entries),
            [{"feedback_id": feedback_id, "entry_id": e} for e in sorted(set(entry_ids))],
        )


def update_feedback(
    conn: Connection,
    *,
    feedback_id: int,
    status: str | None = None,
    follow_up: str | None = None,
    add_entries: list[int] | None = None,
    quotable: bool | None = None,
    fields: Mapping[str, Any] | None = None,
) -> Feedback:
    """Change a feedback's status, follow-up, whether it may be quoted or other ``fields``
    (column → value), or link entries that show it was acted on."""
    values: dict[str, Any] = {k: v for k, v in (("status", status), ("follow_up", follow_up),
                                                 ("quotable", quotable)) if v is not None}
    _rewrite(conn, t.feedback, feedback_id, {**values, **(fields or {})}, "feedback")
    current = get_feedback(conn, feedback_id=feedback_id)
    new = [e for e in add_entries or [] if e not in current.entry_ids]
    require_entries(conn, new)
    _link_feedback(conn, feedback_id, new)
    current.entry_ids = sorted(current.entry_ids + new)
    return current


def list_feedback(
    conn: Connection,
    *,
    start: date | None = None,
    end: date | None = None,
    ids: list[int] | None = None,
) -> list[Feedback]:
    query = select(t.feedback).where(owned(conn, t.feedback),
                                     *_since(t.feedback.c.date, start, end))
    if ids is not None:
        query = query.where(t.feedback.c.id.in_(ids))
    items = [
        Feedback(**_fields(r)) for r in conn.execute(query.order_by(t.feedback.c.date)).mappings()
    ]
    links = _links(conn, t.feedback_entries, "feedback_id", [f.id for f in items])
    for item in items:
        item.entry_ids = links.get(item.id, [])  # type: ignore[arg-type]
    return items


def get_feedback(conn: Connection, *, feedback_id: int) -> Feedback:
    found = list_feedback(conn, ids=[feedback_id])
    if not found:
        raise NotFound(f"no feedback with id {feedback_id}")
    return found[0]


# Conversations ----------------------------------------------------------------------------


def add_conversation(conn: Connection, *, conversation: Conversation) -> Conversation:
    values = {**_conversation_values(conversation), "owner_id": owner_of(conn)}
    result = conn.execute(insert(t.conversations).values(values))
    conversation.id = _new_id(result)
    _insert_questions(conn, conversation)
    return conversation


def _conversation_values(c: Conversation) -> dict[str, Any]:
    return scrub({
        "uid": c.uid,
        "date": c.date,
        "with_name": c.with_,
        "kind": c.kind,
        "notes": c.notes,
        "aspiration_stated": c.aspiration_stated,
        "source": c.source,
        "source_id": c.source_id,
    })


def _insert_questions(conn: Connection, c: Conversation) -> None:
    if c.questions:
        conn.execute(
            insert(t.conversation_questions),
            [
                scrub({"conversation_id": c.id, "question": q.question, "answer": q.answer})
                for q in c.questions
            ],
        )


def upsert_conversation(conn: Connection, *, conversation: Conversation) -> str:
    """Insert or refresh an imported conversation keyed by (source, source_id)."""
    found = (
        conn.execute(
            select(t.conversations).where(
                owned(conn, t.conversations),
                t.conversations.c.source == conversation.source,
                t.conversations.c.source_id == conversation.source_id,
            )
        )
        .mappings()
        .first()
    )
    if found is None:
        from levelup.store.removals import conversation_dismissed

        if conversation_dismissed(conn, source=conversation.source,
                                  source_id=conversation.source_id):
            return "unchanged"  # the user removed it: deleted stays deleted
        add_conversation(conn, conversation=conversation)
        return "new"
    values = _conversation_values(conversation)
    values.pop("uid")
    if found["notes"]:  # notes are filled once, then they are the user's to keep
        values.pop("notes")
    if all(found[k] == v for k, v in values.items()):
        return "unchanged"
    conn.execute(update(t.conversations).where(
        t.conversations.c.id == found["id"], owned(conn, t.conversations)).values(values))
    return "updated"


def retract_conversations(
    conn: Connection, *, imported: Mapping[tuple[str, str], str]
) -> tuple[list[Conversation], list[Conversation]]:
    """Delete imported conversations by (source, source_id) unless the user added to them.

    ``imported`` maps each key to the notes the import itself wrote: a conversation with other
    notes, with questions, or where an aspiration was stated is kept. Returns the
    conversations deleted and the conversations kept.
    """
    found = _imported_conversations(conn, list(imported))
    gone = [c for c in found
            if not c.questions and not c.aspiration_stated
            and c.notes in ("", imported[(c.source, c.source_id or "")])]
    ids = [c.id for c in gone]
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        conn.execute(delete(t.conversations).where(
            t.conversations.c.id.in_(chunk), owned(conn, t.conversations)))
    removed = set(ids)
    return gone, [c for c in found if c.id not in removed]


def _imported_conversations(conn: Connection, keys: list[tuple[str, str]]) -> list[Conversation]:
    by_source: dict[str, list[str]] = defaultdict(list)
    for source, source_id in keys:
        by_source[source].append(source_id)
    ids: list[int] = []
    for source, source_ids in by_source.items():
        for start in range(0, len(source_ids), 900):
            ids += conn.execute(select(t.conversations.c.id).where(
                owned(conn, t.conversations), t.conversations.c.source == source,
                t.conversations.c.source_id.in_(source_ids[start:start + 900]))).scalars()
    return [c for start in range(0, len(ids), 900)
            for c in list_conversations(conn, ids=ids[start:start + 900])]


def list_conversations(
    conn: Connection,
    *,
    start: date | None = None,
    end: date | None = None,
    ids: list[int] | None = None,
) -> list[Conversation]:
    query = select(t.conversations).where(owned(conn, t.conversations),
                                          *_since(t.conversations.c.date, start, end))
    if ids is not None:
        query = query.where(t.conversations.c.id.in_(ids))
    items = [
        _conversation(r) for r in conn.execute(query.order_by(t.conversations.c.date)).mappings()
    ]
    by_id = {c.id: c for c in items}
    for start_at in range(0, len(items), 900):
        rows = conn.execute(
            select(t.conversation_questions)
            .where(
                t.conversation_questions.c.conversation_id.in_(
                    list(by_id)[start_at : start_at + 900]
                )
            )
            .order_by(t.conversation_questions.c.id)
        ).mappings()
        for row in rows:
            by_id[row["conversation_id"]].questions.append(
                QuestionAnswer(question=row["question"], answer=row["answer"])
            )
    return items


def update_conversation(conn: Connection, *, conversation: Conversation) -> Conversation:
    """Write the fields the user keeps (not its uid or import key) and its questions whole."""
    values = _conversation_values(conversation)
    for key in ("uid", "source", "source_id"):
        values.pop(key)
    _rewrite(conn, t.conversations, conversation.id, values, "conversation")
    conn.execute(delete(t.conversation_questions).where(
        t.conversation_questions.c.conversation_id == conversation.id))
    _insert_questions(conn, conversation)
    return conversation


def _conversation(row: Any) -> Conversation:
    fields = {k: v for k, v in _fields(row).items() if k != "with_name"}
    return Conversation(with_=row["with_name"], **fields)


# Check-ins --------------------------------------------------------------------------------


def add_checkin(conn: Connection, *, checkin: CheckIn) -> CheckIn:
    result = conn.execute(
        insert(t.checkins).values(
            uid=checkin.uid,
            owner_id=owner_of(conn),
            date=checkin.date,
            scores=json.dumps(checkin.scores, sort_keys=True),
            notes=checkin.notes,
        )
    )
    checkin.id = _new_id(result)
    return checkin


def list_checkins(conn: Connection, *, ids: list[int] | None = None) -> list[CheckIn]:
    query = select(t.checkins).where(owned(conn, t.checkins))
    if ids is not None:
        query = query.where(t.checkins.c.id.in_(ids))
    rows = conn.execute(query.order_by(t.checkins.c.date)).mappings()
    return [CheckIn(id=r["id"], uid=r["uid"], date=r["date"], scores=json.loads(r["scores"]),
                    notes=r["notes"]) for r in rows]


def get_checkin(conn: Connection, *, checkin_id: int) -> CheckIn:
    found = list_checkins(conn, ids=[checkin_id])
    if not found:
        raise NotFound(f"no check-in with id {checkin_id}")
    return found[0]


def update_checkin(conn: Connection, *, checkin: CheckIn) -> CheckIn:
    _rewrite(conn, t.checkins, checkin.id, {"date": checkin.date, "notes": checkin.notes,
             "scores": json.dumps(checkin.scores, sort_keys=True)}, "check-in")
    return checkin
