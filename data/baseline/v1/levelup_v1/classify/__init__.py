"""File a work statement under outcome categories and competencies, with no heavy dependency.

``classify(text)`` uses the model shipped in ``weights.json`` (built from the labelled
statements by ``python -m levelup_v1.classify.build``); ``learn`` adds a user's confirmed labels.
``classifier_for("ml")`` is the optional embedding backend (``embedded.py``, extra
``levelup[ml]``), imported only when chosen.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from importlib import resources

from levelup_v1.classify.classifier import Classification, Model, Scored, classify_with, learn

__all__ = ["CLASSIFIERS", "Classification", "Model", "Scored", "classifier_for", "classify",
           "classify_with", "learn", "shipped_model"]

CLASSIFIERS = ("default", "ml")


@cache
def shipped_model() -> Model:
    """The default model packaged with levelup (loaded once per process)."""
    raw = resources.files("levelup_v1.classify").joinpath("weights.json").read_text("utf-8")
    return Model.from_dict(json.loads(raw))


def classify(text: str, model: Model | None = None) -> Classification:
    """Outcomes and competencies of ``text``, best first: ``{"outcomes": [...], ...}``."""
    return classify_with(model or shipped_model(), text)


def classifier_for(name: str, warn: Callable[[str], None] | None = None
                   ) -> Callable[[str, Model | None], Classification]:
    """The ``classify`` function of the backend ``name`` (the ``classifier`` setting).

    Where ``ml`` is chosen but its extra is not installed, this raises ``LevelupError``; given
    ``warn``, it says so in one line to ``warn`` and falls back to the default classifier."""
    from levelup.errors import LevelupError

    if name not in CLASSIFIERS:
        raise LevelupError(f"LEVELUP_CLASSIFIER={name!r} is not one of: "
                           f"{', '.join(CLASSIFIERS)}")
    if name == "ml":
        from levelup_v1.classify import embedded

        if embedded.installed():
            return embedded.classify
        if warn is None:
            embedded.require_extra()
        else:
            warn(f"levelup: warning: {embedded.MISSING_EXTRA}; using the default classifier")
    return classify
