"""Feedback, talks, check-ins and visibility through their services, on a real ledger."""

from __future__ import annotations

from datetime import date

import pytest

from levelup.cli.common import Env
from levelup.domain.vocab import UnknownValue
from levelup.errors import FieldError, NotFound
from levelup.services import people, records
from levelup.store.records import list_visibility
from tests import factories as f
from tests.factories import TODAY


def test_feedback_is_open_while_it_has_a_follow_up(env: Env) -> None:
    kept = records.add_feedback(env.ctx, text="Crisp doc", giver="Lin")
    todo = records.add_feedback(env.ctx, text="Let others speak", giver="Grace",
                                constructive=True, competency="Influence",
                                follow_up="Ask two questions first", date="2026-11-02")
    assert (kept.polarity, kept.status, kept.date) == ("positive", "done", TODAY)
    assert (todo.polarity, todo.status, todo.competency) == ("constructive", "open", "influence")
    with pytest.raises(UnknownValue, match="unknown competency 'mentorship'"):
        records.add_feedback(env.ctx, text="x", giver="Lin", competency="mentorship")
    found = records.list_feedback(env.ctx, since="2026-11-10")
    assert [x.text for x in found] == ["Crisp doc"]


def test_feedback_update_links_entries_and_checks_the_status(env: Env) -> None:
    with env.ctx.begin() as conn:
        entry = f.entry(conn, "Ran the review")
    item = records.add_feedback(env.ctx, text="Speak later", giver="Grace", follow_up="Wait")
    assert item.id is not None
    with pytest.raises(UnknownValue, match="unknown status 'finished'"):
        records.update_feedback(env.ctx, feedback_id=item.id, status="finished")
    done = records.update_feedback(env.ctx, feedback_id=item.id, status="done",
                                   shown_by=[entry.id or 0])
    assert (done.status, done.entry_ids) == ("done", [entry.id])
    with pytest.raises(NotFound):
        records.update_feedback(env.ctx, feedback_id=999, status="done")


def test_talk_splits_questions_at_the_first_question_mark(env: Env) -> None:
    talk = records.add_talk(env.ctx, with_="Grace", kind="Career", aspiration=True,
                            qa=["What matters most? The SLO", "Am I on track?Yes? Mostly"])
    assert [(q.question, q.answer) for q in talk.questions] == [
        ("What matters most?", "The SLO"), ("Am I on track?", "Yes? Mostly")]
    stored = records.list_talks(env.ctx)
    assert stored[0].kind == "career" and stored[0].aspiration_stated
    assert stored[0].questions == talk.questions


def test_talk_without_a_question_mark_is_a_qa_field_error(env: Env) -> None:
    with pytest.raises(FieldError) as caught:
        records.add_talk(env.ctx, with_="Grace", qa=["What matters most. The SLO"])
    assert caught.value.field == "qa"
    assert "needs a question mark" in caught.value.problem
    with pytest.raises(UnknownValue, match="unknown conversation kind"):
        records.add_talk(env.ctx, with_="Grace", kind="coffee")
    assert records.list_talks(env.ctx) == []


@pytest.mark.parametrize(("score", "problem"), [
    (["listening"], "'listening' must be QUESTION=1..5"),
    (["listening=9"], "listening: '9' is not a score from 1 to 5"),
    (["listening=four"], "listening: 'four' is not a score from 1 to 5"),
])
def test_bad_scores_are_field_errors_on_score(score: list[str], problem: str) -> None:
    with pytest.raises(FieldError) as caught:
        records.parse_scores(score)
    assert (caught.value.field, caught.value.problem) == ("score", problem)


def test_checkin_checks_its_scores_and_keeps_them(env: Env) -> None:
    assert records.parse_scores(["Listening=4", "openness= 3"]) == {"listening": 4,
                                                                     "openness": 3}
    with pytest.raises(UnknownValue, match="did you mean 'listening'"):
        records.parse_scores(["listen=4"])
    with pytest.raises(FieldError) as caught:
        records.add_checkin(env.ctx, scores={"helping": 0})
    assert caught.value.field == "score"
    with pytest.raises(FieldError):
        records.add_checkin(env.ctx, scores={})
    item = records.add_checkin(env.ctx, scores={"Listening": 4, "openness": 3}, notes="calm",
                               date="2026-11-18")
    assert (item.date, item.scores) == (date(2026, 11, 18), {"listening": 4, "openness": 3})
    assert [c.scores for c in records.list_checkins(env.ctx)] == [item.scores]


def test_tell_records_visibility_for_existing_entries_only(env: Env) -> None:
    with env.ctx.begin() as conn:
        entry = f.entry(conn, "Demoed search")
    people.add_stakeholder(env.ctx, name="Priya", relation="skip-level", decision_maker=True)
    assert entry.id is not None
    event = records.tell(env.ctx, stakeholder="priya", entry_ids=[entry.id], channel="Demo")
    assert (event.channel, event.date, event.entry_ids) == ("demo", TODAY, [entry.id])
    with pytest.raises(NotFound, match="no entry with id 999"):
        records.tell(env.ctx, stakeholder="Priya", entry_ids=[999])
    with pytest.raises(UnknownValue, match="unknown channel 'pigeon'"):
        records.tell(env.ctx, stakeholder="Priya", entry_ids=[entry.id], channel="pigeon")
    with pytest.raises(NotFound, match="did you mean 'Priya'"):
        records.tell(env.ctx, stakeholder="Pria", entry_ids=[entry.id])
    with env.ctx.read() as conn:
        heard = list_visibility(conn)
    assert [(v.stakeholder, v.entry_ids) for v in heard] == [("Priya", [entry.id])]
