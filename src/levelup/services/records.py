"""Feedback, conversations (1:1s), self check-ins and visibility (`tell`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from levelup.context import Context
from levelup.domain import vocab
from levelup.domain.models import (
    CheckIn,
    Conversation,
    Feedback,
    QuestionAnswer,
    VisibilityEvent,
)
from levelup.domain.steps import Step
from levelup.errors import FieldError, NotFound
from levelup.store import records as store

if TYPE_CHECKING:
    from sqlalchemy import Connection

# Feedback ---------------------------------------------------------------------------------


def add_feedback(ctx: Context, *, text: str, giver: str, constructive: bool = False,
                 competency: str | None = None, asked: bool = False, follow_up: str = "",
                 date: str | None = None, quotable: bool = False) -> Feedback:
    """Record feedback; it stays open while it has a follow-up to act on. ``quotable``: the
    packet may quote it."""
    item = Feedback(giver=giver, date=ctx.day(date), text=text, asked=asked, quotable=quotable,
                    polarity="constructive" if constructive else "positive", follow_up=follow_up,
                    competency=vocab.check(competency, vocab.COMPETENCIES, "competency")
                    if competency else None, status="open" if follow_up else "done")
    with ctx.begin() as conn:
        return store.add_feedback(conn, feedback=item)


def list_feedback(ctx: Context, *, since: str | None = None,
                  until: str | None = None) -> list[Feedback]:
    """Feedback received in the period, oldest first."""
    period = ctx.window(since, until)
    with ctx.read() as conn:
        return store.list_feedback(conn, start=period.start, end=period.end)


def update_feedback(ctx: Context, *, feedback_id: int, status: str | None = None,
                    follow_up: str | None = None, shown_by: Sequence[int] = (),
                    quotable: bool | None = None, text: str | None = None,
                    giver: str | None = None, date: str | None = None,
                    constructive: bool | None = None, competency: str | None = None,
                    asked: bool | None = None) -> Feedback:
    """Change the follow-up or its status, whether the packet may quote it, link entries that
    show it was acted on, or correct what was recorded: only the fields given (not None)
    change; an empty ``competency`` clears it."""
    checked = vocab.check(status, vocab.FEEDBACK_STATUSES, "status") if status else None
    fields: dict[str, object] = {"text": _given(text, "text"), "giver": _given(giver, "giver"),
                                 "date": ctx.day(date) if date else None, "asked": asked}
    if constructive is not None:
        fields["polarity"] = "constructive" if constructive else "positive"
    changes = {k: v for k, v in fields.items() if v is not None}
    if competency is not None:
        changes["competency"] = (vocab.check(competency, vocab.COMPETENCIES, "competency")
                                 if competency.strip() else None)
    with ctx.begin() as conn:
        return store.update_feedback(conn, feedback_id=feedback_id, status=checked,
                                     follow_up=follow_up, add_entries=list(shown_by),
                                     quotable=quotable, fields=changes)


def _given(value: str | None, field: str) -> str | None:
    """``value`` trimmed, None when not given; FieldError when given empty."""
    if value is None:
        return None
    if not value.strip():
        raise FieldError(field, "must not be empty")
    return value.strip()


# Conversations ----------------------------------------------------------------------------


def parse_qa(qa: Sequence[str]) -> list[QuestionAnswer]:
    """``["QUESTION? ANSWER", …]`` to pairs: the first question mark ends the question."""
    pairs = []
    for item in qa:
        question, mark, answer = item.partition("?")
        if not mark:
            raise FieldError("qa", f"'{item}' needs a question mark between question and answer")
        pairs.append(QuestionAnswer(question=question.strip() + "?", answer=answer.strip()))
    return pairs


def add_talk(ctx: Context, *, with_: str, kind: str = "1:1", notes: str = "",
             qa: Sequence[str] = (), aspiration: bool = False,
             date: str | None = None) -> Conversation:
    """Record a 1:1 or career conversation with its questions and answers."""
    pairs = parse_qa(qa)
    talk = Conversation(date=ctx.day(date), with_=with_, notes=notes, questions=pairs,
                        kind=vocab.check(kind, vocab.CONVERSATION_KINDS, "conversation kind"),
                        aspiration_stated=aspiration)
    with ctx.begin() as conn:
        return store.add_conversation(conn, conversation=talk)


def list_talks(ctx: Context, *, since: str | None = None,
               until: str | None = None) -> list[Conversation]:
    """Conversations in the period, oldest first."""
    period = ctx.window(since, until)
    with ctx.read() as conn:
        return store.list_conversations(conn, start=period.start, end=period.end)


def update_talk(ctx: Context, *, talk_id: int, with_: str | None = None,
                kind: str | None = None, notes: str | None = None,
                qa: Sequence[str] | None = None, aspiration: bool | None = None,
                date: str | None = None) -> Conversation:
    """Correct a conversation: only the fields given (not None) change; ``qa`` given replaces
    its questions and answers (an empty list removes them)."""
    pairs = parse_qa(qa) if qa is not None else None
    checked = vocab.check(kind, vocab.CONVERSATION_KINDS, "conversation kind") if kind else None
    with ctx.begin() as conn:
        found = store.list_conversations(conn, ids=[talk_id])
        if not found:
            raise NotFound(f"no conversation with id {talk_id}", step=Step("talk.list"))
        talk = found[0]
        talk.with_ = _given(with_, "with") or talk.with_
        talk.kind = checked or talk.kind
        talk.notes = notes if notes is not None else talk.notes
        talk.questions = pairs if pairs is not None else talk.questions
        talk.aspiration_stated = talk.aspiration_stated if aspiration is None else aspiration
        talk.date = ctx.day(date) if date else talk.date
        return store.update_conversation(conn, conversation=talk)


# Check-ins --------------------------------------------------------------------------------


def parse_scores(score: Sequence[str]) -> dict[str, int]:
    """``["listening=4", …]`` to a dict; every question id and score is checked."""
    scores: dict[str, int] = {}
    for item in score:
        key, sep, value = item.partition("=")
        if not sep:
            raise FieldError("score", f"'{item}' must be QUESTION=1..5")
        question, points = _checked_score(key, value)
        scores[question] = points
    return scores


def _checked_score(key: str, value: object) -> tuple[str, int]:
    question = vocab.check(key, tuple(vocab.CHECKIN_QUESTIONS), "check-in question")
    text = str(value).strip()
    if not text.isdigit() or not 1 <= int(text) <= 5:
        raise FieldError("score", f"{key}: '{value}' is not a score from 1 to 5")
    return question, int(text)


def add_checkin(ctx: Context, *, scores: Mapping[str, int], notes: str = "",
                date: str | None = None) -> CheckIn:
    """Record a self check-in: a 1-5 score for some of ``vocab.CHECKIN_QUESTIONS``."""
    if not scores:
        raise FieldError("score", "is missing: score at least one question from 1 to 5")
    checked = dict(_checked_score(key, value) for key, value in scores.items())
    item = CheckIn(date=ctx.day(date), scores=checked, notes=notes)
    with ctx.begin() as conn:
        return store.add_checkin(conn, checkin=item)


def update_checkin(ctx: Context, *, checkin_id: int, scores: Mapping[str, int] | None = None,
                   notes: str | None = None, date: str | None = None) -> CheckIn:
    """Correct a check-in: the questions scored in ``scores`` get their new score (the others
    keep theirs); ``notes`` and ``date`` change when given."""
    checked = dict(_checked_score(key, value) for key, value in (scores or {}).items())
    with ctx.begin() as conn:
        item = store.get_checkin(conn, checkin_id=checkin_id)
        item.scores = {**item.scores, **checked}
        item.notes = notes if notes is not None else item.notes
        item.date = ctx.day(date) if date else item.date
        return store.update_checkin(conn, checkin=item)


def list_checkins(ctx: Context) -> list[CheckIn]:
    """Every check-in, oldest first (the trend)."""
    with ctx.read() as conn:
        return store.list_checkins(conn)


# Visibility -------------------------------------------------------------------------------


def tell(ctx: Context, *, stakeholder: str, entry_ids: Sequence[int], channel: str = "1:1",
         date: str | None = None, note: str = "") -> VisibilityEvent:
    """Record that a stakeholder heard about some entries; NotFound for unknown ones."""
    event = VisibilityEvent(stakeholder=stakeholder, date=ctx.day(date),
                            entry_ids=list(entry_ids), note=note,
                            channel=vocab.check(channel, vocab.CHANNELS, "channel"))
    with ctx.begin() as conn:
        _heard_after(conn, event)
        return store.add_visibility(conn, event=event)


def _heard_after(conn: Connection, event: VisibilityEvent) -> None:
    """No one hears about work before the day it was done: FieldError on ``date``."""
    from levelup.store.entries import entry_dates

    for entry_id, day in sorted(entry_dates(conn, ids=event.entry_ids).items()):
        if event.date < day:
            raise FieldError("date", f"{event.date} is before entry #{entry_id}'s date {day}")
