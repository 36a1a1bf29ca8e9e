"""Ladders as plain typed objects: tracks of ordered levels x competencies."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from levelup.errors import LevelupError


class LadderError(LevelupError):
    """A ladder file or a level id a user can fix; the message is one line."""


@dataclass(slots=True, frozen=True)
class Expectation:
    """What a level asks for one competency, and the signals that show it."""

    expectations: tuple[str, ...]
    signals: tuple[str, ...] = ()


@dataclass(slots=True, frozen=True)
class Level:
    id: str
    name: str
    summary: str
    competencies: dict[str, Expectation] = field(default_factory=dict)


@dataclass(slots=True, frozen=True)
class Track:
    id: str
    name: str
    levels: tuple[Level, ...]


@dataclass(slots=True, frozen=True)
class Ladder:
    id: str
    name: str
    tracks: tuple[Track, ...]
    description: str = ""
    source: str = ""
    origin: str = "built-in"  # 'built-in' or the path of a user's file

    def levels(self) -> list[Level]:
        """Every level of every track, in file order."""
        return [level for track in self.tracks for level in track.levels]

    def check_level(self, level_id: str) -> Level:
        """The level with this id, or a LadderError naming the nearest valid id."""
        ids = [level.id for level in self.levels()]
        for level in self.levels():
            if level.id.lower() == level_id.strip().lower():
                return level
        near = difflib.get_close_matches(level_id, ids, n=1, cutoff=0.5)
        hint = f"did you mean '{near[0]}'?" if near else f"choose from {', '.join(ids)}"
        raise LadderError(f"ladder '{self.id}' has no level '{level_id}'; {hint}")

    def track_of(self, level_id: str) -> Track:
        level = self.check_level(level_id)
        return next(track for track in self.tracks if level in track.levels)


def _expectation(data: dict[str, Any]) -> Expectation:
    return Expectation(tuple(data["expectations"]), tuple(data.get("signals", ())))


def _level(data: dict[str, Any]) -> Level:
    cells = {cid: _expectation(cell) for cid, cell in data.get("competencies", {}).items()}
    return Level(id=str(data["id"]), name=data["name"], summary=data["summary"].strip(),
                 competencies=cells)


def ladder_from_dict(data: dict[str, Any], origin: str = "built-in") -> Ladder:
    """A Ladder from data already validated against the ladder schema."""
    tracks = tuple(Track(id=str(t["id"]), name=t["name"],
                         levels=tuple(_level(level) for level in t["levels"]))
                   for t in data["tracks"])
    return Ladder(id=str(data["id"]), name=data["name"], tracks=tracks,
                  description=data.get("description", "").strip(),
                  source=data.get("source", ""), origin=origin)


def ladder_to_dict(ladder: Ladder) -> dict[str, Any]:
    """The ladder in its file format (and the shape of `ladder show --json`)."""
    def level(lv: Level) -> dict[str, Any]:
        cells = {cid: {"expectations": list(cell.expectations), "signals": list(cell.signals)}
                 for cid, cell in lv.competencies.items()}
        return {"id": lv.id, "name": lv.name, "summary": lv.summary, "competencies": cells}

    data: dict[str, Any] = {"id": ladder.id, "name": ladder.name}
    if ladder.description:
        data["description"] = ladder.description
    if ladder.source:
        data["source"] = ladder.source
    data["tracks"] = [{"id": t.id, "name": t.name, "levels": [level(lv) for lv in t.levels]}
                      for t in ladder.tracks]
    return data
