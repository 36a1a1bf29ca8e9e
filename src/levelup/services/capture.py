"""Reading a title typed as quickly as in jrnl: its inline fields checked against the
vocabularies, its leading day against the calendar (``levelup.domain.capture`` parses)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from levelup.domain import vocab
from levelup.domain.capture import day_prefix, read_tokens, title_metric
from levelup.domain.dates import DateError
from levelup.domain.models import Metric
from levelup.errors import FieldError

if TYPE_CHECKING:
    from levelup.context import Context


@dataclass(slots=True)
class Typed:
    """A typed title read: the title to store and the fields it set."""

    title: str
    day: dt.date | None = None
    project: str | None = None
    outcomes: list[str] = field(default_factory=list)
    competencies: list[str] = field(default_factory=list)
    metric: Metric | None = None  # a before→after figure in the title


def read_title(ctx: Context, *, title: str, date: str | None, project: str | None) -> Typed:
    """The fields ``title`` sets inline; ``date`` and ``project``, when given, are the ones
    typed as options. An unknown ``+outcome`` or ``#competency`` is an error naming it."""
    captured = read_tokens(title)
    typed = Typed(title=captured.title, project=project or None)
    typed.outcomes = [_label(o, "+", vocab.OUTCOMES, "outcome") for o in captured.outcomes]
    typed.competencies = [_label(c, "#", vocab.COMPETENCIES, "competency")
                          for c in captured.competencies]
    for name in dict.fromkeys(captured.projects):
        if typed.project is not None and typed.project != name:
            raise FieldError("project", f"is '{typed.project}', but the title says '@{name}'")
        typed.project = name
    if date is None and (prefix := day_prefix(typed.title)) is not None:
        try:
            typed.day = ctx.day(prefix[0])
            typed.title = prefix[1]
        except DateError:
            pass  # "Billing: migrated the queue" names no day: the title stays as typed
    typed.metric = title_metric(typed.title)
    return typed


def _label(value: str, sigil: str, allowed: tuple[str, ...], what: str) -> str:
    try:
        return vocab.check(value, allowed, what)
    except vocab.UnknownValue as exc:
        raise FieldError("title", f": {exc} (typed as '{sigil}{value}')") from None
