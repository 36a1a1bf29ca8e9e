"""The impact coach: each flag, the score and the suggestions."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from levelup.coach import WEIGHTS, coach

STRONG = ("Added a circuit breaker to the fraud API so checkout keeps working during its "
          "outages; p99 latency fell from 1.8s to 450ms")


def test_strong_statement_scores_full_marks_without_suggestions() -> None:
    result = coach(STRONG)
    assert result.to_dict() == {"has_metric": True, "has_outcome": True, "has_action": True,
                                "vague": False, "score": 100, "suggestions": [], "reasons": {}}


def test_json_shape_is_exactly_the_public_contract() -> None:
    data = coach("Worked on the backend").to_dict()
    assert list(data) == ["has_metric", "has_outcome", "has_action", "vague", "score",
                          "suggestions", "reasons"]
    assert isinstance(data["score"], int) and all(isinstance(s, str) for s in data["suggestions"])


def test_activity_count_is_not_a_metric_and_the_suggestion_says_so() -> None:
    result = coach("Fixed 3 bugs in the search page")
    assert not result.has_metric
    assert any("'Fixed 3 bugs'" in s or "'3 bugs'" in s for s in result.suggestions)


def test_quantified_effects_are_metrics() -> None:
    for text in ("Pages per week went from 35 to 9", "Saved $4,200 a month",
                 "Builds take 11 minutes instead of 42", "Conversion rose 5%",
                 "Made the report 6x faster"):
        assert coach(text).has_metric, text
    for text in ("Upgraded React from 17 to 18", "Handled the 2am page",
                 "Had weekly 1:1s with my mentee", "Migration is 80% done"):
        assert not coach(text).has_metric, text


def test_action_needs_the_author_doing_something() -> None:
    assert coach("I rewrote the retry logic in the webhook consumer").has_action
    assert coach("EM: hired two senior engineers").has_action
    assert not coach("The team migrated the monolith to Kubernetes").has_action
    assert not coach("Involved in the Q3 migration").has_action
    assert not coach("API response times improved a lot").has_action


def test_outcome_needs_a_why() -> None:
    assert coach("Fixed the tax bug so customers in Canada can check out").has_outcome
    assert not coach("Wrote a Helm chart for the auth service").has_outcome


def test_vague_statements_are_flagged_with_a_suggestion() -> None:
    result = coach("Helped with some tickets this sprint")
    assert result.vague and any("specific" in s for s in result.suggestions)
    assert not coach("Added an index to the orders table").vague


def test_score_is_the_sum_of_weights_of_present_elements() -> None:
    result = coach("Added an index to the orders table")
    expected = WEIGHTS["has_action"] + WEIGHTS["specific"]
    assert (result.has_action, result.has_metric, result.has_outcome) == (True, False, False)
    assert result.score == expected
    assert len(result.suggestions) == 2


def test_each_flag_says_which_words_decided_it() -> None:
    result = coach("Helped with the rollout")
    assert not result.has_action
    assert any("helped with" in w.lower() for w in result.reasons["has_action"])
    assert any("'Helped with'" in s for s in result.suggestions)
    assert "we" in [w.lower() for w in coach("We launched the referral programme").reasons[
        "has_action"]]


def test_the_rules_know_number_words_filler_and_commit_lines() -> None:
    for text in ("Cut the nightly job from two hours to ten minutes",
                 "Halved the on-call pages by deleting the noisy disk alerts",
                 "Made the export threefold faster"):
        assert coach(text).has_metric, text
    filler = coach("Aligned stakeholders to drive outcomes")
    assert not filler.has_action and filler.vague
    assert coach("fix: retry on 409 in the ledger writer").has_action


@given(st.text(max_size=300))
def test_any_text_gets_a_consistent_answer(text: str) -> None:
    result = coach(text)
    assert 0 <= result.score <= 100
    assert bool(result.suggestions) == (result.score < 100)
