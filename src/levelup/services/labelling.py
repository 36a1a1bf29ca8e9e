"""Suggesting outcome and competency labels for entries that have none."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from levelup.domain.models import Entry, Label

if TYPE_CHECKING:
    from levelup.classify import Model

# The classifier reads statements; long imported details (ticket bodies, commit lists) add
# little signal and cost linear regex time, so only their start is read.
DETAILS_CHARS = 200


def statement(entry: Entry, *, details: bool = True) -> str:
    """The text the classifier reads for ``entry``: its title and the start of its details."""
    return f"{entry.title}. {entry.details[:DETAILS_CHARS]}" if details else entry.title


def suggest_labels(model: Model | None = None, *, details: bool = True,
                   classifier: str = "default",
                   warn: Callable[[str], None] | None = None) -> Callable[[Entry], None]:
    """A function that fills an unlabelled entry with suggested (unconfirmed) labels.

    ``model`` is the classifier to use, e.g. one personalised by ``personal_model``;
    ``details=False`` reads titles only (see ``Importer.classify_details``); ``classifier``
    names the backend (the setting of that name) and ``warn`` hears why it fell back."""
    from levelup.classify import classifier_for

    classify = classifier_for(classifier, warn)

    def label(entry: Entry) -> None:
        found = classify(statement(entry, details=details), model)
        entry.outcomes = [Label(id=o["id"], confirmed=False, score=o["score"])
                          for o in found["outcomes"][:2]]
        entry.competencies = [Label(id=c["id"], confirmed=False, score=c["score"])
                              for c in found["competencies"][:2]]

    return label
