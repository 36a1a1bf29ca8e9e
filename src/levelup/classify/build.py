"""Build the shipped model from the labelled statements: ``python -m levelup.classify.build``.

The training rows are every file given (default: ``data/labelled/statements.jsonl`` and
``data/labelled/voices.jsonl``); ``data/labelled/heldout.jsonl`` is never trained on.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from levelup.classify.classifier import (
    FLAGS,
    LABEL_HEADS,
    Model,
    add_counts,
    head_classes,
    rows_for,
)
from levelup.classify.lexicon import COMPETENCY_CUES, OUTCOME_CUES
from levelup.classify.linear import fit_batch
from levelup.classify.model import Counts, Example
from levelup.classify.vectors import cue_feature

HEADS = ("outcomes", "competencies", *FLAGS)
ALPHA = 0.3  # additive smoothing of the naive Bayes counts
CUE_WEIGHT = 3.0  # each cue counts as this many occurrences in its label's examples
MIN_COUNT = 2.5  # naive Bayes features counted less often are dropped (a smaller file)
# Inverse L2 penalty of each head (scikit-learn's C).
STRENGTH = dict.fromkeys(HEADS, 4.0)
WEIGHTS_FILE = Path(__file__).with_name("weights.json")
SOURCES = ("data/labelled/statements.jsonl", "data/labelled/voices.jsonl")


def read_examples(lines: Iterable[str]) -> Iterator[Example]:
    for line in lines:
        if line.strip():
            record = json.loads(line)
            flags = {flag: bool(record[flag]) for flag in FLAGS if flag in record}
            yield Example(record["text"], record["outcomes"], record["competencies"], flags)


def build(examples: Iterable[Example], strength: dict[str, float] | None = None) -> Model:
    """A model whose heads are fitted to ``examples`` (``strength``: C per head)."""
    rows = list(examples)
    chosen = {**STRENGTH, **(strength or {})}
    counts = {name: Counts(classes=head_classes(name), alpha=ALPHA) for name in LABEL_HEADS}
    for name, cues in zip(LABEL_HEADS, (OUTCOME_CUES, COMPETENCY_CUES), strict=True):
        add_counts(counts, rows, name)
        for label, words in cues.items():
            for cue in words.split():
                counts[name].add([cue_feature(cue)], [label], CUE_WEIGHT)
        counts[name].prune(MIN_COUNT)
    return Model({head: fit_batch(rows_for(head, rows), head_classes(head), chosen[head],
                                  balanced=head in FLAGS)
                  for head in HEADS}, counts)


def load(paths: Iterable[Path]) -> list[Example]:
    out: list[Example] = []
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            out.extend(read_examples(handle))
    return out


def main(argv: list[str]) -> int:
    model = build(load(Path(arg) for arg in (argv or SOURCES)))
    WEIGHTS_FILE.write_text(json.dumps(model.to_dict(), sort_keys=True, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
