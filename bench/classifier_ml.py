"""The optional ``ml`` classifier (extra ``levelup[ml]``) against the default one, side by side.

Run: .venv/bin/python bench/classifier_ml.py            held-out figures, speed, start-up
     .venv/bin/python bench/classifier_ml.py --cv       5-fold CV on the training set only
     .venv/bin/python bench/classifier_ml.py --cv --grid   the CV sweep the weights came from

Needs ``pip install '.[ml]'``. Metrics are those of ``bench/classifier_eval.py``. The
cross-validation uses the folds of ``bench/classifier_cv.py``: in each fold both the default
model and the embedding heads are built from the other folds only. Speed is measured on one
thread (``torch.set_num_threads(1)``) after start-up; start-up is the wall time of a fresh
process that imports the backend, loads the encoder and heads and classifies one statement.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from classifier_cv import folds
from classifier_eval import macro_f1

from levelup.classify import Classification, classify_with
from levelup.classify.build import build
from levelup.classify.model import Example
from levelup.domain.vocab import COMPETENCIES, OUTCOMES

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "labelled"


def read(name: str) -> list[Example]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    return [Example(r["text"], r["outcomes"], r["competencies"]) for r in records]


def metrics(examples: Sequence[Example], found: Sequence[Classification]) -> dict[str, float]:
    """The figures of bench/classifier_eval.py (without the coach's)."""
    n = len(examples)
    out_ok = comp_ok = comp_any = has_ok = 0
    out_rows, comp_rows = [], []
    for ex, result in zip(examples, found, strict=True):
        pred_o = [o["id"] for o in result["outcomes"]]
        pred_c = [c["id"] for c in result["competencies"]]
        out_ok += (pred_o[0] in ex.outcomes) if pred_o else not ex.outcomes
        has_ok += bool(pred_o) == bool(ex.outcomes)
        comp_ok += pred_c[0] == ex.competencies[0]
        comp_any += pred_c[0] in ex.competencies
        out_rows.append((set(ex.outcomes), set(pred_o)))
        comp_rows.append((set(ex.competencies), set(pred_c)))
    return {"first_outcome_accuracy": out_ok / n, "first_competency_accuracy": comp_ok / n,
            "first_competency_in_gold": comp_any / n, "has_outcome_accuracy": has_ok / n,
            "outcome_macro_f1": macro_f1(out_rows, OUTCOMES),
            "competency_macro_f1": macro_f1(comp_rows, COMPETENCIES)}


def table(columns: dict[str, dict[str, float]]) -> None:
    names = list(columns)
    print(f"{'':32s}" + "".join(f"{name:>12s}" for name in names))
    for key in columns[names[0]]:
        print(f"{key:32s}" + "".join(f"{columns[name][key]:12.3f}" for name in names))


def cross_validate(examples: list[Example], k: int, grid: bool) -> None:
    from levelup.classify import embedded

    records: list[dict[str, object]] = [{"outcomes": list(e.outcomes)} for e in examples]
    vectors = embedded.embed([e.text for e in examples])
    l2s = (1e-5, 3e-5, 1e-4, 3e-4, 1e-3) if grid else (embedded.L2,)
    blends = [embedded.Blend(r, o, c) for r, o, c in itertools.product(
        (0.0, 0.5, 1.0, 1.5), (0.0, 0.25, 0.5, 1.0), (0.0, 0.5, 1.0, 2.0))] if grid \
        else [embedded.BLEND]
    default: list[Classification | None] = [None] * len(examples)
    found: dict[tuple[float, Any], list[Classification | None]] = {
        (l2, b): [None] * len(examples) for l2 in l2s for b in blends}
    for part in folds(records, k):
        left_out = set(part)
        train = [e for i, e in enumerate(examples) if i not in left_out]
        rest = [i for i in range(len(examples)) if i not in left_out]
        model = build(train)
        texts = [examples[i].text for i in part]
        for i in part:
            default[i] = classify_with(model, examples[i].text)
        for l2 in l2s:
            heads = embedded.train(vectors[rest], train, l2)
            for blend in blends:
                for i, result in zip(part, embedded.classify_vectors(
                        heads, model, texts, vectors[part], blend), strict=True):
                    found[(l2, blend)][i] = result
    print(f"training statements: {len(examples)}, {k}-fold cross-validation")
    columns = {"default": metrics(examples, [r for r in default if r is not None])}
    for (l2, blend), results in found.items():
        figures = metrics(examples, [r for r in results if r is not None])
        if grid:
            print(f"l2={l2:g} rule={blend.rule} outcome_nb={blend.outcome_nb} "
                  f"competency_nb={blend.competency_nb}: "
                  f"outcome {figures['first_outcome_accuracy']:.3f} "
                  f"competency {figures['first_competency_accuracy']:.3f}")
        if l2 == embedded.L2 and blend == embedded.BLEND:
            columns["ml"] = figures
    table(columns)


def throughput(classify_batch: Callable[[list[str]], object], texts: list[str],
               batch: int, seconds: float = 3.0) -> float:
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for first in range(0, len(texts), batch):
            classify_batch(texts[first:first + batch])
        done += len(texts)
    return done / (time.perf_counter() - start)


def startup(code: str, runs: int = 3) -> float:
    """Best wall time of a fresh one-thread process running ``code``."""
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True,
                       env={**os.environ, "OMP_NUM_THREADS": "1"})
        best = min(best, time.perf_counter() - start)
    return best


def held_out(examples: list[Example]) -> None:
    from levelup.classify import classify, embedded

    texts = [e.text for e in examples]
    print(f"held-out statements: {len(examples)}")
    table({"default": metrics(examples, [classify(t) for t in texts]),
           "ml": metrics(examples, embedded.classify_many(texts))})
    print("statements/s on one thread (after start-up):")
    print(f"  default, one at a time   {throughput(lambda b: classify(b[0]), texts, 1):8.0f}")
    print(f"  ml, one at a time        {throughput(embedded.classify_many, texts, 1):8.0f}")
    print(f"  ml, batches of 32        {throughput(embedded.classify_many, texts, 32):8.0f}")
    one = "'Cut p99 checkout latency from 900 ms to 250 ms'"
    base = f"import levelup.classify as c; c.classify({one})"
    ml = ("import torch; torch.set_num_threads(1); import levelup.classify.embedded as e; "
          f"e.classify({one})")
    print("fresh process, import + load + classify one statement (best of 3):")
    print(f"  python -c pass           {startup('pass'):8.2f} s")
    print(f"  default                  {startup(base):8.2f} s")
    print(f"  ml                       {startup(ml):8.2f} s")
    print(f"  import torch alone       {startup('import torch'):8.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cv", action="store_true", help="cross-validate on the training set")
    parser.add_argument("--grid", action="store_true", help="with --cv: sweep the weights")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    try:
        import torch
    except ImportError:
        parser.exit(2, "bench/classifier_ml.py needs the extra: pip install '.[ml]'\n")
    torch.set_num_threads(1)
    if args.cv:
        cross_validate(read("statements.jsonl"), args.folds, args.grid)
    else:
        held_out(read("heldout.jsonl"))


if __name__ == "__main__":
    main()
