"""File a work statement under outcome categories and competencies, with no heavy dependency.

``classify(text)`` uses the model shipped in ``weights.json`` (built from the labelled
statements by ``python -m levelup.classify.build``); ``learn`` adds a user's confirmed labels.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from levelup.classify.classifier import Classification, Model, Scored, classify_with, learn

__all__ = ["Classification", "Model", "Scored", "classify", "classify_with", "learn",
           "shipped_model"]


@cache
def shipped_model() -> Model:
    """The default model packaged with levelup (loaded once per process)."""
    raw = resources.files("levelup.classify").joinpath("weights.json").read_text("utf-8")
    return Model.from_dict(json.loads(raw))


def classify(text: str, model: Model | None = None) -> Classification:
    """Outcomes and competencies of ``text``, best first: ``{"outcomes": [...], ...}``."""
    return classify_with(model or shipped_model(), text)
