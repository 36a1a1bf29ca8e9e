"""Shared by the classifier benchmarks: the labelled rows by writer, predictors, and metrics.

A predictor maps a statement to (outcome ids, competency ids, coach flags). Metrics:
first outcome (the top predicted outcome is a gold one, or both are empty), first competency
(the top predicted one is the gold primary), macro-F1 over the labels, F1 of each outcome
category and of "no outcome", and for each coach flag its accuracy and balanced accuracy
(the mean of the recall of true and of false statements).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LABELLED = ROOT / "data/labelled"
FLAGS = ("has_metric", "has_outcome", "has_action", "vague")
Record = dict[str, Any]
Prediction = tuple[list[str], list[str], dict[str, bool]]
Predictor = Callable[[str], Prediction]


def read(name: str) -> list[Record]:
    lines = (LABELLED / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def by_writer() -> dict[str, list[Record]]:
    """Every labelled row, grouped by writer (w00: the original templated rows)."""
    groups: dict[str, list[Record]] = {}
    for rec in read("statements.jsonl") + read("heldout.jsonl") + read("voices.jsonl"):
        groups.setdefault(str(rec.get("writer", "w00")), []).append(rec)
    return dict(sorted(groups.items()))


def examples(records: Iterable[Record]) -> list[Any]:
    from levelup.classify.model import Example

    return [Example(r["text"], r["outcomes"], r["competencies"],
                    {f: bool(r[f]) for f in FLAGS}) for r in records]


def new_predictor(model: Any) -> Predictor:
    from levelup.classify.classifier import classify_with, flags

    def predict(text: str) -> Prediction:
        found = classify_with(model, text)
        return ([o["id"] for o in found["outcomes"]], [c["id"] for c in found["competencies"]],
                flags(model, text))
    return predict


def old_predictor(model: Any | None = None) -> Predictor:
    """The classifier and coach before issue 25 (``data/baseline/v1``), shipped weights unless
    ``model`` (a v1 model) is given."""
    sys.path.insert(0, str(ROOT / "data/baseline/v1"))
    from levelup_v1.classify import classify  # type: ignore[import-not-found]
    from levelup_v1.classify.classifier import has_outcome  # type: ignore[import-not-found]
    from levelup_v1.coach import coach  # type: ignore[import-not-found]

    def predict(text: str) -> Prediction:
        found = classify(text, model)
        result = coach(text).to_dict()
        result_flags = {f: bool(result[f]) for f in FLAGS}
        if model is not None:
            result_flags["has_outcome"] = has_outcome(model, text)
        return ([o["id"] for o in found["outcomes"]], [c["id"] for c in found["competencies"]],
                result_flags)
    return predict


def old_build(records: Iterable[Record]) -> Any:
    sys.path.insert(0, str(ROOT / "data/baseline/v1"))
    from levelup_v1.classify.build import build  # type: ignore[import-not-found]
    from levelup_v1.classify.model import Example  # type: ignore[import-not-found]

    return build(Example(r["text"], r["outcomes"], r["competencies"]) for r in records)


def f1(pairs: list[tuple[bool, bool]]) -> float:
    tp = sum(1 for gold, pred in pairs if gold and pred)
    wrong = sum(1 for gold, pred in pairs if gold != pred)
    return 2 * tp / (2 * tp + wrong) if tp else 0.0


def balanced(pairs: list[tuple[bool, bool]]) -> float:
    recalls = []
    for side in (True, False):
        chosen = [pred for gold, pred in pairs if gold == side]
        if chosen:
            recalls.append(sum(pred == side for pred in chosen) / len(chosen))
    return sum(recalls) / len(recalls)


def score(records: list[Record], predict: Predictor) -> dict[str, float]:
    from levelup.domain.vocab import COMPETENCIES, OUTCOMES

    preds = [predict(str(r["text"])) for r in records]
    n = len(records)
    out: dict[str, float] = {}
    out["first_outcome"] = sum(
        (p[0][0] in r["outcomes"]) if p[0] else not r["outcomes"]
        for r, p in zip(records, preds, strict=True)) / n
    out["first_competency"] = sum(
        p[1][0] == r["competencies"][0] for r, p in zip(records, preds, strict=True)) / n
    per_outcome = {label: f1([(label in r["outcomes"], label in p[0])
                              for r, p in zip(records, preds, strict=True)])
                   for label in OUTCOMES}
    out["outcome_macro_f1"] = sum(per_outcome.values()) / len(OUTCOMES)
    out["competency_macro_f1"] = sum(
        f1([(label in r["competencies"], label in p[1])
            for r, p in zip(records, preds, strict=True)]) for label in COMPETENCIES
    ) / len(COMPETENCIES)
    out.update({f"f1_{label}": value for label, value in per_outcome.items()})
    out["f1_no_outcome"] = f1([(not r["outcomes"], not p[0])
                               for r, p in zip(records, preds, strict=True)])
    for flag in FLAGS:
        pairs = [(bool(r[flag]), p[2][flag]) for r, p in zip(records, preds, strict=True)]
        out[f"{flag}_acc"] = sum(g == p for g, p in pairs) / n
        out[f"{flag}_bal"] = balanced(pairs)
    return out


def mean(results: list[dict[str, float]]) -> dict[str, float]:
    return {key: sum(r[key] for r in results) / len(results) for key in results[0]}


def table(columns: dict[str, dict[str, float]]) -> str:
    """Metrics as rows, one column per named result."""
    names = list(columns)
    keys = list(columns[names[0]])
    lines = [f"{'metric':22s}" + "".join(f"{name:>16s}" for name in names)]
    for key in keys:
        lines.append(f"{key:22s}" + "".join(f"{columns[name][key]:16.3f}" for name in names))
    return "\n".join(lines)
