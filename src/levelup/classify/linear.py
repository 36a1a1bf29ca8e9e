"""A sparse linear (softmax regression) head, in pure Python, and how it is fitted.

A statement is a sparse vector (feature name -> value, see ``vectors.py``); a head keeps a bias
and one weight row per feature it has seen, and scores a statement as a softmax over its
classes. Fitting is stochastic gradient descent with AdaGrad steps on the cross-entropy of soft
targets (a primary label 1, secondaries ``SECONDARY``), with an L2 pull toward a prior head:
zero for a fresh model, the shipped weights when a user's confirmed labels refit it.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

SECONDARY = 0.25  # target weight of a secondary label, the primary one being 1
Vector = Mapping[str, float]


@dataclass(slots=True)
class Linear:
    """Bias plus one weight per class for each feature; missing features weigh nothing."""

    classes: tuple[str, ...]
    bias: list[float]
    weights: dict[str, list[float]] = field(default_factory=dict)

    @classmethod
    def zero(cls, classes: Sequence[str]) -> Linear:
        return cls(tuple(classes), [0.0] * len(classes))

    def logits(self, vector: Vector) -> list[float]:
        out = list(self.bias)
        for feat, value in vector.items():
            row = self.weights.get(feat)
            if row is not None:
                for index, weight in enumerate(row):
                    out[index] += weight * value
        return out

    def probabilities(self, vector: Vector) -> dict[str, float]:
        """P(class | vector) for every class, summing to 1."""
        return dict(zip(self.classes, softmax(self.logits(vector)), strict=True))

    def contributions(self, vector: Vector, label: str) -> dict[str, float]:
        """How much each feature of ``vector`` pushed toward ``label`` (against the mean)."""
        index = self.classes.index(label)
        out = {}
        for feat, value in vector.items():
            row = self.weights.get(feat)
            if row is not None:
                out[feat] = value * (row[index] - sum(row) / len(row))
        return out

    def to_dict(self, digits: int = 3) -> dict[str, Any]:
        floor = 0.5 * 10 ** -digits
        return {"classes": list(self.classes), "bias": [round(b, digits) for b in self.bias],
                "weights": {feat: [round(w, digits) for w in row]
                            for feat, row in sorted(self.weights.items())
                            if max(abs(w) for w in row) >= floor}}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Linear:
        return cls(tuple(data["classes"]), list(data["bias"]), dict(data["weights"]))


def softmax(logits: Sequence[float]) -> list[float]:
    top = max(logits)
    exp = [math.exp(value - top) for value in logits]
    norm = sum(exp)
    return [value / norm for value in exp]


def target(classes: Sequence[str], labels: Sequence[str]) -> list[float]:
    """A probability target: the first label weighs 1, the others ``SECONDARY``."""
    raw = [0.0] * len(classes)
    for rank, label in enumerate(labels):
        raw[classes.index(label)] = max(raw[classes.index(label)], 1.0 if rank == 0 else SECONDARY)
    total = sum(raw)
    return [value / total for value in raw]


@dataclass(frozen=True, slots=True)
class Fit:
    """How a head is fitted: passes over the data, AdaGrad step, L2 pull, seed of the order."""

    epochs: int = 12
    rate: float = 0.4
    l2: float = 1e-3
    seed: int = 0


def fit(rows: Sequence[tuple[Vector, list[float], float]], classes: Sequence[str],
        how: Fit = Fit(), prior: Linear | None = None) -> Linear:
    """A head fitted to ``(vector, target, weight)`` rows, pulled toward ``prior`` (or zero)."""
    start = prior or Linear.zero(classes)
    head = Linear(tuple(classes), list(start.bias),
                  {feat: list(row) for feat, row in start.weights.items()})
    k = len(classes)
    squares: dict[str, list[float]] = {}
    bias_sq = [1e-8] * k
    order = list(range(len(rows)))
    shuffle = random.Random(how.seed).shuffle
    for _ in range(how.epochs):
        shuffle(order)
        for index in order:
            vector, goal, weight = rows[index]
            probs = softmax(head.logits(vector))
            grads = [weight * (p - g) for p, g in zip(probs, goal, strict=True)]
            _step(head.bias, bias_sq, grads, how.rate)
            for feat, value in vector.items():
                row = head.weights.get(feat)
                if row is None:
                    row = head.weights[feat] = [0.0] * k
                anchor = start.weights.get(feat)
                feat_grads = [grad * value + how.l2 * (w - (anchor[i] if anchor else 0.0))
                              for i, (grad, w) in enumerate(zip(grads, row, strict=True))]
                _step(row, squares.setdefault(feat, [1e-8] * k), feat_grads, how.rate)
    return head


def fit_batch(rows: Sequence[tuple[Vector, list[float], float]], classes: Sequence[str],
              strength: float = 4.0, min_rows: int = 3, floor: float = 0.05,
              balanced: bool = False) -> Linear:
    """A fresh head fitted by scikit-learn's L-BFGS (a build-time, development dependency);
    ``fit`` when it is not installed. Soft targets become weighted copies of a row.

    Features in fewer than ``min_rows`` rows are left out, and a feature whose weights (centred
    over the classes, which changes no prediction) all stay under ``floor`` is dropped: a
    smaller file that loads fast enough for ``levelup log``. ``balanced``: every class weighs
    the same in total (the coach's flags are judged by balanced accuracy too)."""
    seen: dict[str, int] = {}
    for vector, _, _ in rows:
        for feat in vector:
            seen[feat] = seen.get(feat, 0) + 1
    rows = [({f: v for f, v in vector.items() if seen[f] >= min_rows}, goal, weight)
            for vector, goal, weight in rows]
    head = _sklearn_fit(rows, classes, strength, balanced)
    for feat, row in list(head.weights.items()):
        centre = sum(row) / len(row)
        centred = [w - centre for w in row]
        if max(abs(w) for w in centred) < floor:
            del head.weights[feat]
        else:
            head.weights[feat] = centred
    return head


def _sklearn_fit(rows: Sequence[tuple[Vector, list[float], float]], classes: Sequence[str],
                 strength: float, balanced: bool) -> Linear:
    try:
        from sklearn.feature_extraction import DictVectorizer  # type: ignore[import-untyped]
        from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
        from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]
    except ImportError:
        return fit(rows, classes)
    vectors, labels, weights = [], [], []
    for vector, goal, weight in rows:
        for index, share in enumerate(goal):
            if share > 0:
                vectors.append(vector)
                labels.append(index)
                weights.append(weight * share)
    encoder = DictVectorizer()
    x = encoder.fit_transform(vectors)
    model = LogisticRegression(C=strength, max_iter=2000,
                               class_weight="balanced" if balanced else None)
    with threadpool_limits(1):  # on a shared machine, one thread is many times faster
        model.fit(x, labels, sample_weight=weights)
    coef, bias = model.coef_, model.intercept_
    if len(model.classes_) == 2:  # one logit: split it evenly into the two classes
        coef, bias = [-coef[0] / 2, coef[0] / 2], [-bias[0] / 2, bias[0] / 2]
    k = len(classes)
    seen = [int(c) for c in model.classes_]
    head = Linear.zero(classes)
    for row_index, class_index in enumerate(seen):
        head.bias[class_index] = float(bias[row_index])
    if len(seen) < k:  # a class with no example never wins
        for index in set(range(k)) - set(seen):
            head.bias[index] = -20.0
    for column, feat in enumerate(encoder.get_feature_names_out()):
        row = [0.0] * k
        for row_index, class_index in enumerate(seen):
            row[class_index] = float(coef[row_index][column])
        head.weights[str(feat)] = row
    return head


def _step(row: list[float], squares: list[float], grads: list[float], rate: float) -> None:
    for i, grad in enumerate(grads):
        squares[i] += grad * grad
        row[i] -= rate * grad / math.sqrt(squares[i])
