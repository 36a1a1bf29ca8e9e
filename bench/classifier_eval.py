"""Accuracy of the default classifier and the impact coach on held-out statements, and speed.

Run: .venv/bin/python bench/classifier_eval.py [--data data/labelled/heldout.jsonl]

First outcome: the top predicted outcome is one of the gold outcomes, or both are empty.
First competency: the top predicted competency is the gold primary one (strict); the
lenient figure accepts any gold competency.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def macro_f1(rows: list[tuple[set[str], set[str]]], labels: tuple[str, ...]) -> float:
    """Mean over labels of F1 for multi-label predictions (gold set, predicted set)."""
    scores = []
    for label in labels:
        tp = sum(1 for gold, pred in rows if label in gold and label in pred)
        fp = sum(1 for gold, pred in rows if label not in gold and label in pred)
        fn = sum(1 for gold, pred in rows if label in gold and label not in pred)
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores)


def evaluate(records: list[dict[str, object]]) -> dict[str, float]:
    from levelup.classify import classify
    from levelup.coach import coach
    from levelup.domain.vocab import COMPETENCIES, OUTCOMES

    n = len(records)
    out_ok = comp_ok = comp_any = 0
    out_rows, comp_rows = [], []
    flags = {"has_metric": 0, "has_outcome": 0, "has_action": 0, "vague": 0}
    for rec in records:
        text = str(rec["text"])
        gold_o, gold_c = list(rec["outcomes"]), list(rec["competencies"])  # type: ignore[call-overload]
        found = classify(text)
        pred_o = [o["id"] for o in found["outcomes"]]
        pred_c = [c["id"] for c in found["competencies"]]
        out_ok += (pred_o[0] in gold_o) if pred_o else not gold_o
        comp_ok += pred_c[0] == gold_c[0]
        comp_any += pred_c[0] in gold_c
        out_rows.append((set(gold_o), set(pred_o)))
        comp_rows.append((set(gold_c), set(pred_c)))
        result = coach(text).to_dict()
        for key in flags:
            flags[key] += result[key] == rec[key]
    return {
        "first_outcome_accuracy": out_ok / n,
        "first_competency_accuracy": comp_ok / n,
        "first_competency_in_gold": comp_any / n,
        "outcome_macro_f1": macro_f1(out_rows, OUTCOMES),
        "competency_macro_f1": macro_f1(comp_rows, COMPETENCIES),
        **{f"coach_{key}_accuracy": value / n for key, value in flags.items()},
    }


def throughput(texts: list[str], seconds: float = 1.0) -> float:
    from levelup.classify import classify

    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for text in texts:
            classify(text)
        done += len(texts)
    return done / (time.perf_counter() - start)


def _run(code: str) -> float:
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        best = min(best, time.perf_counter() - start)
    return best


def log_overhead() -> dict[str, float]:
    """Process wall time of importing the CLI, with and without classifying one statement."""
    base = "import levelup.cli.main"
    with_classifier = base + "; from levelup.classify import classify; from levelup.coach " \
        "import coach; classify('Cut p99 from 2s to 300ms'); coach('Cut p99 from 2s to 300ms')"
    plain, full = _run(base), _run(with_classifier)
    return {"cli_import_s": plain, "cli_import_plus_classify_s": full,
            "classification_overhead_ms": (full - plain) * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default=str(ROOT / "data/labelled/heldout.jsonl"))
    args = parser.parse_args()
    lines = Path(args.data).read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    print(f"held-out statements: {len(records)} ({args.data})")
    for name, value in evaluate(records).items():
        print(f"{name:32s} {value:.3f}")
    print(f"{'classify_statements_per_s':32s} {throughput([str(r['text']) for r in records]):.0f}")
    for name, value in log_overhead().items():
        print(f"{name:32s} {value:.3f}")


if __name__ == "__main__":
    main()
