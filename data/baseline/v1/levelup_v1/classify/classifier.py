"""The default classifier: naive Bayes counts plus cue words, and a rule for 'no outcome'.

How a statement gets no outcome: an outcome is returned only when the statement says why
the work mattered (``signals.has_why``: a measured effect or a purpose such as 'so that',
'unblocking', 'for customers') or names at least ``STRONG_CUES`` cue words of the outcome
categories (any of the seven: the domain implies the outcome, as the labelling guide allows).
Otherwise the list is empty, and the impact coach asks the author to say why it mattered.
Counting the cues of all seven categories (not only safety, people, sla, revenue and profit)
raised 5-fold cross-validated first-outcome accuracy on the training set from 0.714 to 0.750
(``bench/classifier_cv.py``).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, TypedDict

from levelup_v1.classify import signals
from levelup_v1.classify.lexicon import COMPETENCY_CUES, OUTCOME_CUES
from levelup_v1.classify.model import Example, Head, add_examples
from levelup_v1.classify.text import features

CUE_BONUS = 1.0  # log-odds added per cue word found
STRONG_CUES = 2
STRONG_OUTCOMES = ("safety", "people", "sla", "revenue", "profit", "culture", "kpi")
MIN_SHARE = 0.15  # secondary labels below this share of the probability are dropped
MAX_LABELS = 3
USER_WEIGHT = 2.0  # a confirmed label from the user's ledger counts twice a shipped example


class Scored(TypedDict):
    id: str
    score: float


class Classification(TypedDict):
    outcomes: list[Scored]
    competencies: list[Scored]


@cache
def _shipped_cues() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """The stemmed cue sets of the lexicon, computed once per process (every model shares them)."""
    return _cue_sets(OUTCOME_CUES), _cue_sets(COMPETENCY_CUES)


def _cue_sets(cues: dict[str, str]) -> dict[str, frozenset[str]]:
    return {label: frozenset(f for word in words.split() for f in features(word))
            for label, words in cues.items()}


@dataclass(slots=True)
class Model:
    outcomes: Head
    competencies: Head
    outcome_cues: dict[str, frozenset[str]]
    competency_cues: dict[str, frozenset[str]]

    @classmethod
    def from_heads(cls, outcomes: Head, competencies: Head) -> Model:
        return cls(outcomes, competencies, *_shipped_cues())

    def to_dict(self) -> dict[str, Any]:
        return {"outcomes": self.outcomes.to_dict(), "competencies": self.competencies.to_dict()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Model:
        return cls.from_heads(Head.from_dict(data["outcomes"]),
                              Head.from_dict(data["competencies"]))


def _scores(head: Head, cues: dict[str, frozenset[str]], feats: list[str],
            labels: Iterable[str]) -> dict[str, float]:
    """Softmax over labels of log P(label | feats) plus a bonus per cue word present."""
    post = head.posterior(feats)
    present = set(feats)
    logits = {label: math.log(post[label] + 1e-12) + CUE_BONUS * len(present & cues[label])
              for label in labels}
    top = max(logits.values())
    exp = {label: math.exp(value - top) for label, value in logits.items()}
    norm = sum(exp.values())
    return {label: value / norm for label, value in exp.items()}


def _ranked(shares: dict[str, float]) -> list[Scored]:
    order = sorted(shares.items(), key=lambda item: (-item[1], item[0]))
    kept = [order[0], *[item for item in order[1:MAX_LABELS] if item[1] >= MIN_SHARE]]
    return [{"id": label, "score": round(share, 3)} for label, share in kept]


def has_outcome(model: Model, text: str, feats: list[str] | None = None) -> bool:
    """Whether the statement carries a business outcome at all (see the module docstring)."""
    present = set(features(text) if feats is None else feats)
    strong = sum(len(present & model.outcome_cues[label]) for label in STRONG_OUTCOMES)
    return strong >= STRONG_CUES or signals.has_why(text)


def classify_with(model: Model, text: str) -> Classification:
    """Outcomes (possibly none) and competencies of ``text``, best first, with shares 0..1."""
    feats = features(text)
    outcome_ids = [c for c in model.outcomes.classes if c in model.outcome_cues]
    outcomes = (_ranked(_scores(model.outcomes, model.outcome_cues, feats, outcome_ids))
                if has_outcome(model, text, feats) else [])
    competencies = _ranked(_scores(model.competencies, model.competency_cues, feats,
                                   model.competencies.classes))
    return {"outcomes": outcomes, "competencies": competencies}


def learn(model: Model, examples: Iterable[tuple[str, list[str], list[str]]],
          weight: float = USER_WEIGHT) -> Model:
    """A new model that also counts ``(text, outcomes, competencies)`` examples; pure."""
    heads = copy.deepcopy((model.outcomes, model.competencies))
    add_examples(*heads, (Example(t, o, c) for t, o, c in examples), weight)
    return Model(heads[0], heads[1], model.outcome_cues, model.competency_cues)
