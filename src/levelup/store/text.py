"""Text on its way into the store: NUL characters are dropped.

SQLite keeps a ``\\x00`` inside a string; PostgreSQL refuses it, so a ledger holding one could
never move there. The write helpers pass every text value through here, in one place.
"""

from __future__ import annotations

from typing import Any, TypeVar

_T = TypeVar("_T")


def no_nul(value: _T) -> _T:
    """``value`` without NUL characters when it is a string; anything else as it is."""
    if isinstance(value, str) and "\x00" in value:
        return value.replace("\x00", "")  # type: ignore[return-value]
    return value


def scrub(row: dict[str, Any]) -> dict[str, Any]:
    """``row`` (column → value) with every string value freed of NUL characters."""
    return {key: no_nul(value) for key, value in row.items()}
