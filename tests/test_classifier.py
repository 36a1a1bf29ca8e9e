"""The default classifier, its labelled data, its shipped weights, and learning."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from levelup.classify import classify, learn, shipped_model
from levelup.classify.build import build, read_examples
from levelup.domain.vocab import COMPETENCIES, OUTCOMES

DATA = Path(__file__).resolve().parent.parent / "data" / "labelled"
FLAGS = ("has_metric", "has_outcome", "has_action", "vague")


def _records(name: str) -> list[dict[str, object]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_labelled_sets_are_large_valid_and_disjoint() -> None:
    train, held_out = _records("statements.jsonl"), _records("heldout.jsonl")
    assert len(train) + len(held_out) >= 300 and len(held_out) >= 100
    assert not {r["text"] for r in train} & {r["text"] for r in held_out}
    for record in train + held_out:
        assert set(record["outcomes"]) <= set(OUTCOMES)  # type: ignore[arg-type]
        assert record["competencies"] and set(record["competencies"]) <= set(COMPETENCIES)  # type: ignore[arg-type]
        assert all(isinstance(record[f], bool) for f in FLAGS)
        assert record["has_outcome"] == bool(record["outcomes"])
    assert sum(not r["outcomes"] for r in held_out) >= 10  # statements with no outcome


def test_shipped_weights_are_built_from_the_training_set() -> None:
    with (DATA / "statements.jsonl").open(encoding="utf-8") as handle:
        rebuilt = build(read_examples(handle))
    assert rebuilt.to_dict() == shipped_model().to_dict(), \
        "weights.json is stale: run python -m levelup.classify.build"


def test_result_shape_best_first_with_known_ids() -> None:
    result = classify("Rotated the leaked API key and audited access logs so no attacker "
                      "could use it")
    assert set(result) == {"outcomes", "competencies"}
    assert result["outcomes"][0]["id"] == "safety"
    for key, vocab in (("outcomes", OUTCOMES), ("competencies", COMPETENCIES)):
        scores = [item["score"] for item in result[key]]  # type: ignore[literal-required]
        assert scores == sorted(scores, reverse=True)
        assert all(item["id"] in vocab for item in result[key])  # type: ignore[literal-required]


def test_statement_without_a_why_gets_no_outcome() -> None:
    assert classify("Wrote a Helm chart for the auth service")["outcomes"] == []
    assert classify("Mentored two junior engineers through their first on-call rotation"
                    )["outcomes"][0]["id"] == "people"


def test_learning_from_confirmed_labels_changes_suggestions_and_is_pure() -> None:
    text = "Groomed the zorblax widget queue for the quarterly frobnication"
    before = classify(text)
    model = shipped_model()
    snapshot = json.dumps(model.to_dict(), sort_keys=True)
    taught = learn(model, [(text, ["revenue"], ["strategy"])] * 3)
    after = classify(text, taught)
    assert after["competencies"][0]["id"] == "strategy"
    assert after != before
    assert json.dumps(model.to_dict(), sort_keys=True) == snapshot


def test_classification_is_fast() -> None:
    texts = [str(r["text"]) for r in _records("heldout.jsonl")]
    start = time.perf_counter()
    for text in texts * 5:
        classify(text)
    rate = len(texts) * 5 / (time.perf_counter() - start)
    assert rate > 1000, f"{rate:.0f} statements/s"


@given(st.text(max_size=300))
def test_any_text_is_classified_with_at_least_one_competency(text: str) -> None:
    result = classify(text)
    assert result["competencies"] and len(result["outcomes"]) <= 3


def test_importers_that_write_their_own_details_are_classified_on_titles() -> None:
    """git's details are statistics levelup computed: only the title a person wrote counts."""
    from levelup.domain.models import Entry
    from levelup.importers.git import GitImporter
    from levelup.importers.jrnl import JrnlImporter
    from levelup.services.labelling import suggest_labels

    assert GitImporter.classify_details is False and JrnlImporter.classify_details is True
    details = "Cut checkout churn by 30% so that customers stop abandoning their carts."
    by_title, with_details = (Entry(title="Renamed the helpers", date=date(2026, 3, 2),
                                    details=details) for _ in range(2))
    suggest_labels(details=False)([by_title])
    suggest_labels(details=True)([with_details])
    assert by_title.outcomes == [] and with_details.outcomes
