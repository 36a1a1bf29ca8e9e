"""Suggesting outcome and competency labels for entries that have none."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine

from levelup.domain.models import Entry, Label

# The classifier reads statements; long imported details (ticket bodies, commit lists) add
# little signal and cost linear regex time, so only their start is read.
DETAILS_CHARS = 200


def statement(entry: Entry) -> str:
    """The text the classifier reads for ``entry``: its title and the start of its details."""
    return f"{entry.title}. {entry.details[:DETAILS_CHARS]}"


def suggest_labels(engine: Engine | None = None) -> Callable[[Entry], None] | None:
    """A function that fills an unlabelled entry with suggested labels, if a classifier exists."""
    try:
        from levelup.classify import classify
    except ImportError:
        return None

    def label(entry: Entry) -> None:
        found = classify(statement(entry))
        entry.outcomes = [Label(id=o["id"], confirmed=False, score=o["score"])
                          for o in found["outcomes"][:2]]
        entry.competencies = [Label(id=c["id"], confirmed=False, score=c["score"])
                              for c in found["competencies"][:2]]

    return label
