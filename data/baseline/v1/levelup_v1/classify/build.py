"""Build the shipped model from the labelled statements: ``python -m levelup_v1.classify.build``."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from levelup.domain.vocab import COMPETENCIES, OUTCOMES
from levelup_v1.classify.classifier import Model
from levelup_v1.classify.lexicon import COMPETENCY_CUES, OUTCOME_CUES
from levelup_v1.classify.model import Example, Head, train
from levelup_v1.classify.text import features

ALPHA = 0.3
CUE_WEIGHT = 3.0  # each cue word counts as this many occurrences in its label's examples
WEIGHTS_FILE = Path(__file__).with_name("weights.json")


def read_examples(lines: Iterable[str]) -> Iterator[Example]:
    for line in lines:
        if line.strip():
            record = json.loads(line)
            yield Example(record["text"], record["outcomes"], record["competencies"])


def _seed(head: Head, cues: dict[str, str]) -> None:
    for label, words in cues.items():
        for word in words.split():
            head.add(features(word), [label], CUE_WEIGHT)


def build(examples: Iterable[Example]) -> Model:
    """A model counted from ``examples`` and seeded with the cue words."""
    outcomes, competencies = train(examples, OUTCOMES, COMPETENCIES)
    _seed(outcomes, OUTCOME_CUES)
    _seed(competencies, COMPETENCY_CUES)
    outcomes.alpha = competencies.alpha = ALPHA
    return Model.from_heads(outcomes, competencies)


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else Path("data/labelled/statements.jsonl")
    with source.open(encoding="utf-8") as handle:
        model = build(read_examples(handle))
    WEIGHTS_FILE.write_text(json.dumps(model.to_dict(), sort_keys=True, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
