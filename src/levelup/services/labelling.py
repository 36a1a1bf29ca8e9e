"""Suggesting outcome and competency labels for entries that have none."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine

from levelup.domain.models import Entry, Label


def suggest_labels(engine: Engine | None = None) -> Callable[[Entry], None] | None:
    """A function that fills an unlabelled entry with suggested labels, if a classifier exists."""
    try:
        from levelup.classify import classify
    except ImportError:
        return None

    def label(entry: Entry) -> None:
        found = classify(f"{entry.title}. {entry.details}")
        entry.outcomes = [Label(id=o["id"], confirmed=False, score=o["score"])
                          for o in found["outcomes"][:2]]
        entry.competencies = [Label(id=c["id"], confirmed=False, score=c["score"])
                              for c in found["competencies"][:2]]

    return label
