"""The default classifier: linear heads over words, cue words and the coach's rules.

Six linear heads (``linear.py``) read the vectors of ``vectors.py``:

- ``outcomes``: a softmax over the seven categories and ``none``. "No outcome" is a class the
  model learns from the labelled statements (pure activity, self-development, a number with
  no reason), not a rule; when ``none`` wins, the statement gets no outcome.
- ``competencies``: a softmax over the eight competencies.
- ``has_metric``, ``has_outcome``, ``has_action``, ``vague``: the coach's flags, each a yes/no
  head that keeps the surface rules of ``signals.py`` as features. ``has_outcome`` (did the
  text say why it mattered) is decided apart from the outcome category, which the guide
  assigns whenever the purpose is clear.

The two label heads are joined with naive Bayes counts of the same examples (``model.Counts``,
seeded with the cue words, numbers left out of the outcome counts): each label's log-probability
is the sum of both models' (``NB_WEIGHT``, fixed at 1 before measuring). Figures
(leave-one-writer-out, ``bench/classifier_cv.py``) are in docs/classifier.md.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypedDict

from levelup.classify import vectors
from levelup.classify.linear import Fit, Linear, fit, softmax, target
from levelup.classify.model import NONE, Counts, Example

FORMAT = 2  # of weights.json and of a cached personal model
FLAGS = ("has_metric", "has_outcome", "has_action", "vague")
MIN_SHARE = 0.15  # secondary labels below this share of the probability are dropped
MAX_LABELS = 3
USER_WEIGHT = 3.0  # a confirmed label from the user's ledger weighs three shipped examples
USER_FIT = Fit(epochs=8, rate=0.3, l2=0.05)  # a refit stays close to the shipped weights
NB_WEIGHT = 1.0  # weight of the naive Bayes log-probabilities beside the linear head's
CUE_BONUS = 1.0  # log-odds the naive Bayes side adds per cue of a label in the statement
LABEL_HEADS = ("outcomes", "competencies")


class Scored(TypedDict):
    id: str
    score: float


class Classification(TypedDict):
    outcomes: list[Scored]
    competencies: list[Scored]


@dataclass(slots=True)
class Model:
    """The linear heads by name (``outcomes``, ``competencies``, one per coach flag) and the
    naive Bayes counts of the two label heads."""

    heads: dict[str, Linear]
    counts: dict[str, Counts]

    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT,
                "heads": {name: head.to_dict() for name, head in sorted(self.heads.items())},
                "counts": {name: c.to_dict() for name, c in sorted(self.counts.items())}}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Model:
        if data.get("format") != FORMAT:
            raise ValueError("a classifier model of an older format: rebuild it")
        return cls({name: Linear.from_dict(head) for name, head in data["heads"].items()},
                   {name: Counts.from_dict(c) for name, c in data["counts"].items()})


def _ranked(shares: dict[str, float]) -> list[Scored]:
    order = sorted(shares.items(), key=lambda item: (-item[1], item[0]))
    kept = [order[0], *[item for item in order[1:MAX_LABELS] if item[1] >= MIN_SHARE]]
    return [{"id": label, "score": round(share, 3)} for label, share in kept]


def _joined(model: Model, name: str, vector: vectors.Vector, words: tuple[str, ...],
            prefix: str) -> dict[str, float]:
    """Softmax of the linear logits plus ``NB_WEIGHT`` times the naive Bayes log-posterior."""
    head = model.heads[name]
    posterior = model.counts[name].posterior(words)
    logits = [logit + NB_WEIGHT * (math.log(posterior[label] + 1e-12)
                                   + CUE_BONUS * vector.get(prefix + label, 0.0))
              for logit, label in zip(head.logits(vector), head.classes, strict=True)]
    return dict(zip(head.classes, softmax(logits), strict=True))


def outcome_shares(model: Model, text: str) -> dict[str, float]:
    """P(category | text) of the seven categories and ``none``."""
    found = vectors.statement(text)
    return _joined(model, "outcomes", found.outcome, found.outcome_words, "@o:")


def competency_shares(model: Model, text: str) -> dict[str, float]:
    """P(competency | text) of the eight competencies."""
    found = vectors.statement(text)
    return _joined(model, "competencies", found.competency, found.words, "@c:")


def classify_with(model: Model, text: str) -> Classification:
    """Outcomes (possibly none) and competencies of ``text``, best first, with shares 0..1."""
    shares = outcome_shares(model, text)
    none = shares.pop(NONE)
    outcomes: list[Scored] = []
    if none < max(shares.values()):
        total = sum(shares.values())
        outcomes = _ranked({label: share / total for label, share in shares.items()})
    return {"outcomes": outcomes, "competencies": _ranked(competency_shares(model, text))}


def flag_probability(model: Model, text: str, flag: str) -> float:
    """P(``flag`` is true | text), for one of ``FLAGS``."""
    return model.heads[flag].probabilities(vectors.statement(text).flag)["yes"]


def flags(model: Model, text: str) -> dict[str, bool]:
    """The coach's four flags of ``text``."""
    return {flag: flag_probability(model, text, flag) >= 0.5 for flag in FLAGS}


def has_outcome(model: Model, text: str) -> bool:
    """Whether the statement says why the work mattered (the coach's ``has_outcome``)."""
    return flag_probability(model, text, "has_outcome") >= 0.5


def flag_reasons(model: Model, text: str, flag: str, limit: int = 3) -> list[str]:
    """The features of ``text`` that pushed ``flag`` most toward its answer, strongest first."""
    vector = vectors.statement(text).flag
    answer = "yes" if flag_probability(model, text, flag) >= 0.5 else "no"
    pushes = model.heads[flag].contributions(vector, answer)
    ranked = sorted((item for item in pushes.items() if item[1] > 0), key=lambda i: -i[1])
    return [feat for feat, _ in ranked[:limit]]


def rows_for(head: str, examples: Iterable[Example], weight: float = 1.0
             ) -> list[tuple[vectors.Vector, list[float], float]]:
    """Training rows of one head from labelled examples (those that label it)."""
    classes = head_classes(head)
    rows = []
    for example in examples:
        found = vectors.statement(example.text)
        if head == "outcomes":
            rows.append((found.outcome, target(classes, list(example.outcomes) or [NONE]),
                         weight))
        elif head == "competencies" and example.competencies:
            rows.append((found.competency, target(classes, example.competencies), weight))
        elif head in FLAGS and example.flags is not None and head in example.flags:
            rows.append((found.flag, target(classes, ["yes" if example.flags[head] else "no"]),
                         weight))
    return rows


def head_classes(head: str) -> tuple[str, ...]:
    from levelup.domain.vocab import COMPETENCIES, OUTCOMES

    if head == "outcomes":
        return (*OUTCOMES, NONE)
    if head == "competencies":
        return tuple(COMPETENCIES)
    return ("no", "yes")


def learn(model: Model, examples: Iterable[tuple[str, list[str], list[str]]],
          weight: float = USER_WEIGHT) -> Model:
    """A new model whose label heads are refitted to the user's ``(text, outcomes,
    competencies)`` examples, weighted up and pulled toward ``model``; pure."""
    confirmed = [Example(text, outcomes, competencies) for text, outcomes, competencies in examples]
    heads = dict(model.heads)
    counts = copy.deepcopy(model.counts)
    for name in LABEL_HEADS:
        # a confirmed entry without an outcome teaches "none": confirming accepted it
        rows = rows_for(name, confirmed, weight)
        if rows:
            heads[name] = fit(rows, head_classes(name), USER_FIT, prior=model.heads[name])
        add_counts(counts, confirmed, name, weight)
    return Model(heads, counts)


def add_counts(counts: dict[str, Counts], examples: Iterable[Example], name: str,
               weight: float = 1.0) -> None:
    """Count ``examples`` into the naive Bayes counts of the label head ``name``."""
    for example in examples:
        found = vectors.statement(example.text)
        if name == "outcomes":
            counts[name].add(found.outcome_words, list(example.outcomes) or [NONE], weight)
        elif example.competencies:
            counts[name].add(found.words, example.competencies, weight)
