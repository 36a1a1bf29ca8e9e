"""Form errors of the pages with several forms: which input of which form a bad value came
from, keyed ``FORM-INPUT`` so that each message sits beside its own input."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from levelup.domain.vocab import UnknownValue
from levelup.web.fields import field_of, message_of

_UNKNOWN = re.compile(r"unknown ([a-z -]+) '")
# The last word of the vocabulary an unknown value belongs to -> the input that carries it.
_VOCAB_INPUT = {"question": "score", "outcome": "outcomes", "competency": "competency",
                "relation": "relation", "kind": "kind", "status": "status",
                "channel": "channel"}


def form_error(exc: Exception, *, form: str, given: Mapping[str, object], default: str,
               today: date) -> dict[str, str]:
    """``{"FORM-INPUT": message}`` for ``exc`` raised by the service the form ``form`` calls;
    ``default`` is the input blamed when the error names none of the form's inputs."""
    name = field_of(exc, given, today)
    if isinstance(exc, UnknownValue):
        found = _UNKNOWN.match(str(exc))
        name = _VOCAB_INPUT.get(found.group(1).split()[-1]) if found else None
    if name not in given:
        name = default
    return {f"{form}-{name}": message_of(exc)}
