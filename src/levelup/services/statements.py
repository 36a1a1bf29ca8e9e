"""Checking and filing work statements: the impact coach and the label classifier."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from levelup.classify import Classification
    from levelup.coach import CoachResult
    from levelup.context import Context


def coach_statement(ctx: Context, *, text: str) -> CoachResult:
    """Whether ``text`` has a metric, an outcome and an action and avoids vagueness; a score."""
    from levelup.coach import coach

    return coach(text)


def classify_statements(
    ctx: Context, *, texts: Iterable[str], warn: Callable[[str], None] | None = None,
) -> Iterator[Classification]:
    """Outcomes and competencies of each statement, best first, as ``texts`` yields them.

    The backend is the ``classifier`` setting; where it falls back to the default one,
    ``warn`` hears why (without ``warn``, that is an error).
    """
    from levelup.classify import classifier_for

    classify = classifier_for(ctx.settings.classifier, warn)
    for text in texts:
        yield classify(text, None)
