"""Quoting input in messages: a long value is cut to a readable start and its length.

An error that quotes a 300 KB cell should still be one line a person can read.
"""

from __future__ import annotations

QUOTED_MAX = 200  # a quoted value longer than this is shortened
QUOTED_HEAD = 80  # how much of it a message keeps


def shorten(value: str) -> str:
    """``value`` whole up to 200 characters, else its first 80 and its length:
    ``abc… (300,000 characters)``."""
    if len(value) <= QUOTED_MAX:
        return value
    return f"{value[:QUOTED_HEAD]}… ({len(value):,} characters)"


def quoted(value: str) -> str:
    """``value`` quoted for a message (as ``repr`` does), shortened when long:
    ``'abc…' (300,000 characters)``."""
    if len(value) <= QUOTED_MAX:
        return repr(value)
    return f"{value[:QUOTED_HEAD] + '…'!r} ({len(value):,} characters)"
