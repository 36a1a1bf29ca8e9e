"""Who changed which file of a repository: the record git imports and the store keeps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(slots=True, kw_only=True)
class Ownership:
    """Who changed one file of a repository: counts over the imported history."""

    repo: str
    path: str
    author: str
    commits: int
    first_date: date
    last_date: date
