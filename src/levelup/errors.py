"""Errors a user can fix, and the process exit codes.

Errors speak of fields and actions, never of flags or commands: each adapter phrases them (the
CLI names ``--until`` and ``levelup checkin``; a web page names the form input and links a page).
"""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from levelup.domain.steps import Step


class ExitStatus(IntEnum):
    OK = 0
    ERROR = 1  # a bug or an unexpected failure
    BAD_INPUT = 2  # the user's input was wrong; nothing was written
    NOT_READY = 3  # no ledger yet (run `levelup init`)
    BUSY = 4  # another levelup command holds the ledger; try again


class LevelupError(Exception):
    """An error with one clear line for the user; the CLI prints it and exits ``status``.

    ``step`` names what to do about it (see ``levelup.domain.steps``), phrased by the adapter.
    """

    status = ExitStatus.BAD_INPUT

    def __init__(self, message: str, *, step: Step | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.step = step


class FieldError(LevelupError):
    """A bad value in one named input field (``until``, ``title``, ``score``).

    ``problem`` follows the field's name: the CLI says ``--until 2026-03-01 is before …``, a
    form puts the problem beside its input.
    """

    def __init__(self, field: str, problem: str, *, step: Step | None = None) -> None:
        super().__init__(field + joint(problem) + problem, step=step)
        self.field = field
        self.problem = problem


def joint(problem: str) -> str:
    """What goes between a field's name and its problem: ``until: …`` or ``until 2026-…``."""
    return "" if problem.startswith(":") else " "


class NotFound(LevelupError):
    """An id or name that names nothing in the ledger."""


class NoProfile(LevelupError):
    status = ExitStatus.NOT_READY


class NoLedger(LevelupError):
    """A reading command found no ledger where the settings point."""

    status = ExitStatus.NOT_READY


class Busy(LevelupError):
    """Another command holds the ledger's write lock longer than we waited."""

    status = ExitStatus.BUSY
