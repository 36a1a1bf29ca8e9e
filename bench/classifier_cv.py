"""Cross-validation of the default classifier on the TRAINING set only (never the held-out split).

Run: .venv/bin/python bench/classifier_cv.py [--folds 5] [--errors]

Each fold's model is built by ``levelup.classify.build.build`` from the other folds, exactly as
the shipped weights are built from the whole training set; the figures are the held-out
metrics of ``bench/classifier_eval.py`` computed on the left-out fold, pooled over folds.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from levelup.classify import classifier
from levelup.classify.build import build
from levelup.classify.model import Example

ROOT = Path(__file__).resolve().parent.parent


def folds(records: list[dict[str, object]], k: int) -> list[list[int]]:
    """Deterministic folds, stratified by the primary outcome (or none)."""
    groups: dict[str, list[int]] = {}
    for index, rec in enumerate(records):
        outcomes = list(rec["outcomes"])  # type: ignore[call-overload]
        groups.setdefault(outcomes[0] if outcomes else "none", []).append(index)
    parts: list[list[int]] = [[] for _ in range(k)]
    turn = 0
    for key in sorted(groups):
        for index in groups[key]:
            parts[turn % k].append(index)
            turn += 1
    return parts


def cross_validate(records: list[dict[str, object]], k: int = 5,
                   show_errors: bool = False) -> dict[str, float]:
    n = len(records)
    out_ok = comp_ok = flag_ok = 0
    confusion: Counter[tuple[str, str]] = Counter()
    for part in folds(records, k):
        left_out = set(part)
        model = build(Example(str(r["text"]), list(r["outcomes"]),  # type: ignore[call-overload]
                              list(r["competencies"]))  # type: ignore[call-overload]
                      for i, r in enumerate(records) if i not in left_out)
        for index in part:
            rec = records[index]
            text = str(rec["text"])
            gold_o = list(rec["outcomes"])  # type: ignore[call-overload]
            gold_c = list(rec["competencies"])  # type: ignore[call-overload]
            found = classifier.classify_with(model, text)
            pred_o = [o["id"] for o in found["outcomes"]]
            pred_c = found["competencies"][0]["id"]
            good = (pred_o[0] in gold_o) if pred_o else not gold_o
            out_ok += good
            comp_ok += pred_c == gold_c[0]
            flag_ok += classifier.has_outcome(model, text) == bool(gold_o)
            if not good:
                confusion[(gold_o[0] if gold_o else "none", pred_o[0] if pred_o else "none")] += 1
                if show_errors:
                    print(f"  outcome gold={gold_o} pred={pred_o}: {text}")
    if show_errors:
        print("outcome confusions (gold -> predicted):",
              ", ".join(f"{g}->{p} {c}" for (g, p), c in confusion.most_common()))
    return {"first_outcome_accuracy": out_ok / n, "first_competency_accuracy": comp_ok / n,
            "has_outcome_accuracy": flag_ok / n}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default=str(ROOT / "data/labelled/statements.jsonl"))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--errors", action="store_true", help="print each misfiled statement")
    args = parser.parse_args()
    if Path(args.data).name == "heldout.jsonl":
        parser.error("cross-validation runs on the training set only")
    lines = Path(args.data).read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    print(f"training statements: {len(records)}, {args.folds}-fold cross-validation")
    for name, value in cross_validate(records, args.folds, args.errors).items():
        print(f"{name:32s} {value:.3f}")


if __name__ == "__main__":
    main()
