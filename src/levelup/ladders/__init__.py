"""Career ladders: levels x competencies, loaded from YAML validated by a JSON Schema."""

from __future__ import annotations

from levelup.ladders.catalog import (
    DEFAULT_LADDER,
    find_ladder,
    ladders_dir,
    list_ladders,
    load_file,
)
from levelup.ladders.model import (
    Expectation,
    Ladder,
    LadderError,
    Level,
    Track,
    ladder_from_dict,
    ladder_to_dict,
)
from levelup.ladders.progress import CompetencyStep, next_level

__all__ = [
    "DEFAULT_LADDER", "CompetencyStep", "Expectation", "Ladder", "LadderError", "Level",
    "Track", "find_ladder", "ladder_from_dict", "ladder_to_dict", "ladders_dir",
    "list_ladders", "load_file", "next_level",
]
