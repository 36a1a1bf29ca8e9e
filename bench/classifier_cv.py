"""Leave-one-writer-out accuracy of the classifier and coach, beside the old same-writer split.

Run: .venv/bin/python bench/classifier_cv.py [--errors WRITER]

For each writer (data/labelled: w00 is the original templated voice, w01... the independent
writers of data/voices/), a model is built from every other writer's rows only and scored on
that writer's rows; figures are the mean over writers. Nothing is tuned on the test writer.

Columns:
- new LOWO: the current classifier and coach, leave-one-writer-out over every writer;
- new LOWO indep: the same, averaged over the independent writers only (w01...);
- v1 method LOWO: the pre-issue-25 method (naive Bayes + regex gate + rule coach, in
  data/baseline/v1) rebuilt the same way, over the independent writers;
- v1 shipped indep: the pre-issue-25 shipped weights on the independent writers (it was
  trained on w00 only, so this is also an honest held-out figure);
- new/v1 same-writer: trained on statements.jsonl, scored on heldout.jsonl (the old split).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from classifier_scoring import (  # noqa: E402
    by_writer,
    examples,
    mean,
    new_predictor,
    old_build,
    old_predictor,
    read,
    score,
    table,
)

from levelup.classify.build import build  # noqa: E402


def leave_one_out(groups: dict[str, list[dict[str, object]]], method: str,
                  show: str | None = None) -> dict[str, dict[str, float]]:
    """Per held-out writer, the scores of a model built from the other writers."""
    results = {}
    for writer, rows in groups.items():
        rest = [r for w, other in groups.items() if w != writer for r in other]
        if method == "new":
            predict = new_predictor(build(examples(rest)))
        else:
            predict = old_predictor(old_build(rest))
        results[writer] = score(rows, predict)  # type: ignore[arg-type]
        if show == writer:
            _errors(rows, predict)
    return results


def _errors(rows: list[dict[str, object]], predict: object) -> None:
    for rec in rows:
        found = predict(str(rec["text"]))  # type: ignore[operator]
        if (found[0][:1] or [None])[0] not in (rec["outcomes"] or [None]):  # type: ignore[operator]
            print(f"  outcome gold={rec['outcomes']} pred={found[0]}: {rec['text']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--errors", metavar="WRITER", help="print that writer's misfiled rows")
    parser.add_argument("--per-writer", action="store_true", help="print each writer's column")
    args = parser.parse_args()
    groups = by_writer()
    independent = [w for w in groups if w != "w00"]
    print("writers:", ", ".join(f"{w} ({len(rows)})" for w, rows in groups.items()))
    new = leave_one_out(groups, "new", args.errors)
    old = leave_one_out(groups, "old")
    shipped = old_predictor()
    columns = {
        "new LOWO": mean(list(new.values())),
        "new LOWO indep": mean([new[w] for w in independent]),
        "v1 method LOWO": mean([old[w] for w in independent]),
        "v1 shipped indep": mean([score(groups[w], shipped) for w in independent]),
    }
    train, held_out = read("statements.jsonl"), read("heldout.jsonl")
    columns["new same-writer"] = score(held_out, new_predictor(build(examples(train))))
    columns["v1 same-writer"] = score(held_out, old_predictor(old_build(train)))
    print(table(columns))
    if args.per_writer:
        print(table(new))


if __name__ == "__main__":
    main()
