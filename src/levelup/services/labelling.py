"""Suggesting outcome and competency labels for entries that have none."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from levelup.domain.models import Entry, Label

if TYPE_CHECKING:
    from levelup.classify import Classification, Model
    from levelup.services.classify_pool import ClassifyPool

# The classifier reads statements; long imported details (ticket bodies, commit lists) add
# little signal and cost linear regex time, so only their start is read.
DETAILS_CHARS = 200


def statement(entry: Entry, *, details: bool = True) -> str:
    """The text the classifier reads for ``entry``: its title and the start of its details."""
    return f"{entry.title}. {entry.details[:DETAILS_CHARS]}" if details else entry.title


class Labeller:
    """Fills the unlabelled entries it is given with suggested (unconfirmed) labels.

    Call it with a list of entries. Made by ``suggest_labels``; a parallel one holds a worker
    process until it is closed (use it as a context manager).
    """

    def __init__(self, pool: ClassifyPool, *, details: bool) -> None:
        self._pool, self._details = pool, details

    def __call__(self, entries: Sequence[Entry]) -> None:
        todo = _unlabelled(entries)
        found = self._pool.map([statement(entry, details=self._details) for entry in todo])
        for entry, labels in zip(todo, found, strict=True):
            _apply(entry, labels)

    def start(self, entries: Sequence[Entry]) -> Callable[[], None]:
        """Begin labelling ``entries`` (in a worker, when there is one); call the result to
        wait until they are labelled. One batch at a time."""
        todo = _unlabelled(entries)
        answers = self._pool.submit([statement(entry, details=self._details) for entry in todo])

        def finish() -> None:
            for entry, labels in zip(todo, answers(), strict=True):
                _apply(entry, labels)

        return finish

    def close(self) -> None:
        self._pool.close()

    def __enter__(self) -> Labeller:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def suggest_missing(label: Callable[[Sequence[Entry]], None], entry: Entry) -> None:
    """Suggest labels of each vocabulary ``entry`` has none of: an outcome given does not
    stop competency suggestions, nor the other way round."""
    outcomes, competencies = entry.outcomes, entry.competencies
    if outcomes and competencies:
        return
    entry.outcomes, entry.competencies = [], []
    label([entry])
    entry.outcomes = outcomes or entry.outcomes
    entry.competencies = competencies or entry.competencies


def _unlabelled(entries: Sequence[Entry]) -> list[Entry]:
    return [entry for entry in entries if not (entry.outcomes or entry.competencies)]


def _apply(entry: Entry, found: Classification) -> None:
    entry.outcomes = [Label(id=o["id"], confirmed=False, score=o["score"])
                      for o in found["outcomes"][:2]]
    entry.competencies = [Label(id=c["id"], confirmed=False, score=c["score"])
                          for c in found["competencies"][:2]]


def suggest_labels(model: Model | None = None, *, details: bool = True,
                   classifier: str = "default", parallel: bool = False,
                   warn: Callable[[str], None] | None = None) -> Labeller:
    """A ``Labeller`` that suggests labels with the classifier ``classifier``.

    ``model`` is the classifier to use, e.g. one personalised by ``personal_model``;
    ``details=False`` reads titles only (see ``Importer.classify_details``); ``classifier``
    names the backend (the setting of that name) and ``warn`` hears why it fell back.
    ``parallel`` classifies big batches on two cores (the default backend only: the ml one
    already uses every core).
    """
    from levelup.classify import classifier_for, classify
    from levelup.services.classify_pool import ClassifyPool

    chosen = classifier_for(classifier, warn)
    pool = ClassifyPool(chosen, model, parallel=parallel and chosen is classify)
    return Labeller(pool, details=details)
