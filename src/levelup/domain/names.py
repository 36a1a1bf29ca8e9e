"""Names of stakeholders and projects, normalised once: trimmed, inner whitespace collapsed."""

from __future__ import annotations


def clean_name(name: str) -> str:
    """``name`` trimmed, each run of whitespace inside it one space: ``' Dana   Kim '`` →
    ``'Dana Kim'``."""
    return " ".join(name.split())


def name_key(name: str) -> str:
    """What two names that mean the same person or project share: the clean name, casefolded."""
    return clean_name(name).casefold()
