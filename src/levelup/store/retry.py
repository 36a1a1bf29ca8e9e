"""Which database errors mean "run the whole transaction again", and how long to wait first.

With many writers, a transaction can lose a race it could not see coming: PostgreSQL aborts
one side of a deadlock or a serialization conflict, a unique key another writer took first
fails an insert, and a SQLite reader that became a writer finds its snapshot stale. None of
these is the user's mistake; re-running the transaction from the start succeeds.
"""

from __future__ import annotations

import random

# serialization_failure, deadlock_detected, unique_violation
RETRY_SQLSTATES = frozenset({"40001", "40P01", "23505"})
ATTEMPTS = 6  # a transaction is run at most this many times
FIRST_PAUSE = 0.02  # seconds; doubled on each further attempt, with jitter


def retryable(exc: BaseException) -> bool:
    """Whether ``exc`` (a SQLAlchemy error or the driver's) is a lost race worth a re-run."""
    orig = getattr(exc, "orig", None) or exc
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if sqlstate in RETRY_SQLSTATES:
        return True
    return getattr(orig, "sqlite_errorname", None) == "SQLITE_BUSY_SNAPSHOT"


def pause(attempt: int) -> float:
    """Seconds to wait before attempt ``attempt + 1``: growing, and random so that the writers
    that collided do not collide again."""
    return float(random.uniform(0.5, 1.5) * FIRST_PAUSE * 2 ** (attempt - 1))
