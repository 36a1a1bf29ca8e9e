"""Does the classifier learn from its user? Accuracy on a held-out writer after k corrections.

Run: .venv/bin/python bench/classifier_personal.py [--writers w00,w01,w02,w03]

For each chosen writer: a model is built from every other writer's rows; the writer's rows are
shuffled (fixed seed); the first k become the user's corrections, applied with
``levelup.classify.learn`` exactly as the personal model does, and the model is scored on the
writer's remaining rows (the same rows for every k, so the figures are comparable). k runs over
0, 20, 50 and 100 where the writer has at least k + 20 rows.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from classifier_scoring import by_writer, examples, new_predictor, score  # noqa: E402

from levelup.classify import learn  # noqa: E402
from levelup.classify.build import build  # noqa: E402

STEPS = (0, 20, 50, 100)
KEYS = ("first_outcome", "first_competency", "outcome_macro_f1")


def curve(groups: dict[str, list[dict[str, object]]], writer: str) -> dict[int, dict[str, float]]:
    rows = list(groups[writer])
    random.Random(25).shuffle(rows)
    steps = [k for k in STEPS if len(rows) >= k + 20]
    test = rows[max(steps):]
    base = build(examples(r for w, other in groups.items() if w != writer for r in other))
    out = {}
    for k in steps:
        corrections = [(str(r["text"]), list(r["outcomes"]), list(r["competencies"]))  # type: ignore[call-overload]
                       for r in rows[:k]]
        model = learn(base, corrections) if corrections else base
        out[k] = score(test, new_predictor(model))  # type: ignore[arg-type]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--writers", default="w00,w01,w02,w03")
    args = parser.parse_args()
    groups = by_writer()
    for writer in args.writers.split(","):
        results = curve(groups, writer)
        test_rows = len(groups[writer]) - max(results)
        print(f"{writer}: scored on {test_rows} rows it never corrected")
        print(f"  {'corrections':12s}" + "".join(f"{key:>18s}" for key in KEYS))
        for k, figures in results.items():
            print(f"  {k:<12d}" + "".join(f"{figures[key]:18.3f}" for key in KEYS))


if __name__ == "__main__":
    main()
