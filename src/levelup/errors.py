"""Errors a user can fix, and the process exit codes."""

from __future__ import annotations

from enum import IntEnum


class ExitStatus(IntEnum):
    OK = 0
    ERROR = 1  # a bug or an unexpected failure
    BAD_INPUT = 2  # the user's input was wrong; nothing was written
    NOT_READY = 3  # no ledger yet (run `levelup init`)


class LevelupError(Exception):
    """An error with one clear line for the user; the CLI prints it and exits ``status``."""

    status = ExitStatus.BAD_INPUT


class NotFound(LevelupError):
    """An id or name that names nothing in the ledger."""


class NoProfile(LevelupError):
    status = ExitStatus.NOT_READY
