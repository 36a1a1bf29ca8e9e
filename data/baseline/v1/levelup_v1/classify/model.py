"""A multinomial naive Bayes over word features, one head per vocabulary.

The model keeps raw counts, not probabilities, so learning from new examples is adding counts.
The outcome head has an extra class, ``none``, for statements with no clear business outcome.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from levelup_v1.classify.text import features

NONE = "none"
SECONDARY_WEIGHT = 0.25


@dataclass(slots=True)
class Head:
    """Counts of one label family: documents and feature occurrences per class."""

    classes: tuple[str, ...]
    alpha: float = 0.3
    docs: dict[str, float] = field(default_factory=dict)
    counts: dict[str, dict[str, float]] = field(default_factory=dict)
    totals: dict[str, float] = field(default_factory=dict)
    vocab: set[str] = field(default_factory=set)
    # log(count + alpha) per feature, one value per class: built on first use, reset by add().
    _logs: dict[str, tuple[float, ...]] | None = field(default=None, repr=False, compare=False)
    _logs_alpha: float = field(default=0.0, repr=False, compare=False)
    _priors: tuple[tuple[float, ...], tuple[float, ...]] | None = field(
        default=None, repr=False, compare=False)

    def add(self, feats: Sequence[str], labels: Sequence[str], weight: float = 1.0) -> None:
        """Count one example; its first label weighs ``weight``, the others half of it."""
        for rank, label in enumerate(labels):
            w = weight if rank == 0 else weight * SECONDARY_WEIGHT
            self.docs[label] = self.docs.get(label, 0.0) + w
            table = self.counts.setdefault(label, {})
            for feat in feats:
                table[feat] = table.get(feat, 0.0) + w
            self.totals[label] = self.totals.get(label, 0.0) + w * len(feats)
        self.vocab.update(feats)
        self._logs = self._priors = None

    def _log_rows(self, feats: Sequence[str]) -> list[tuple[float, ...]]:
        """log(count + alpha) of each known feature, one value per class (memoised)."""
        if self._logs is None or self._logs_alpha != self.alpha:
            self._logs, self._logs_alpha, self._priors = {}, self.alpha, None
        logs, rows = self._logs, []
        for feat in feats:
            row = logs.get(feat)
            if row is None:
                if feat not in self.vocab:
                    continue
                row = logs[feat] = tuple(math.log(self.counts.get(label, {}).get(feat, 0.0)
                                                  + self.alpha) for label in self.classes)
            rows.append(row)
        return rows

    def _constants(self) -> tuple[tuple[float, ...], tuple[float, ...]]:
        """log prior and log normaliser of each class (memoised with the feature rows)."""
        if self._priors is None or self._logs_alpha != self.alpha:
            n_docs = sum(self.docs.values()) or 1.0
            size = len(self.vocab) + 1
            self._priors = (
                tuple(math.log((self.docs.get(label, 0.0) + 1.0) / (n_docs + len(self.classes)))
                      for label in self.classes),
                tuple(math.log(self.totals.get(label, 0.0) + self.alpha * size)
                      for label in self.classes),
            )
        return self._priors

    def posterior(self, feats: Sequence[str]) -> dict[str, float]:
        """P(class | features) for every class, summing to 1."""
        rows = self._log_rows(feats)
        priors, denoms = self._constants()
        sums = [sum(column) for column in zip(*rows, strict=True)] or [0] * len(self.classes)
        n = len(rows)
        logs = {label: prior + total - denom * n for label, prior, total, denom
                in zip(self.classes, priors, sums, denoms, strict=True)}
        top = max(logs.values())
        exp = {label: math.exp(value - top) for label, value in logs.items()}
        norm = sum(exp.values())
        return {label: value / norm for label, value in exp.items()}

    def to_dict(self) -> dict[str, Any]:
        return {"classes": list(self.classes), "alpha": self.alpha, "docs": self.docs,
                "counts": self.counts, "totals": self.totals}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Head:
        counts: dict[str, dict[str, float]] = data["counts"]
        vocab = {feat for table in counts.values() for feat in table}
        return cls(classes=tuple(data["classes"]), alpha=data["alpha"], docs=data["docs"],
                   counts=counts, totals=data["totals"], vocab=vocab)


@dataclass(slots=True)
class Example:
    """A labelled statement: outcomes (possibly none) and competencies, primary first."""

    text: str
    outcomes: Sequence[str]
    competencies: Sequence[str]


def train(examples: Iterable[Example], outcomes: tuple[str, ...],
          competencies: tuple[str, ...]) -> tuple[Head, Head]:
    """Fresh outcome and competency heads counted from ``examples``."""
    outcome_head = Head(classes=(*outcomes, NONE))
    competency_head = Head(classes=competencies)
    add_examples(outcome_head, competency_head, examples)
    return outcome_head, competency_head


def add_examples(outcome_head: Head, competency_head: Head, examples: Iterable[Example],
                 weight: float = 1.0) -> None:
    for example in examples:
        feats = features(example.text)
        outcome_head.add(feats, list(example.outcomes) or [NONE], weight)
        if example.competencies:
            competency_head.add(feats, example.competencies, weight)
