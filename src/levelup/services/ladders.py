"""Career ladders: list and show them, what the next level asks, importing a public framework.

Ladders live in files (built in, or in the home's ``ladders`` folder); only ``level_change``
reads the ledger, for the profile's levels when they are not given.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from levelup.domain.steps import Step
from levelup.errors import LevelupError, NotFound

if TYPE_CHECKING:
    from levelup.context import Context
    from levelup.ladders import CompetencyStep, Ladder, Level


def list_ladders(ctx: Context) -> list[Ladder]:
    """The built-in ladders and those in the home's ladder folder (which replace them by id)."""
    from levelup.ladders import list_ladders as every_ladder

    return every_ladder(ctx.settings.home)


def show_ladder(ctx: Context, *, ladder_id: str | None = None,
                level: str | None = None) -> dict[str, Any]:
    """The ladder in its file shape (default: the software engineer ladder); with ``level``,
    only the tracks that have it, and only that level."""
    from levelup.ladders import find_ladder, ladder_to_dict

    found = find_ladder(ladder_id, ctx.settings.home)
    data = ladder_to_dict(found)
    if level:
        wanted = found.check_level(level).id
        for track in data["tracks"]:
            track["levels"] = [lv for lv in track["levels"] if lv["id"] == wanted]
        data["tracks"] = [t for t in data["tracks"] if t["levels"]]
    return data


@dataclass(frozen=True, slots=True)
class LevelChange:
    """What changes from ``current`` to ``target``, competency by competency."""

    ladder: Ladder
    current: Level
    target: Level
    competencies: list[CompetencyStep]

    def to_json(self) -> dict[str, Any]:
        return {"ladder": self.ladder.id, "current": self.current.id, "target": self.target.id,
                "competencies": [s.to_dict() for s in self.competencies]}


def level_change(ctx: Context, *, current: str | None = None, target: str | None = None,
                 ladder_id: str | None = None) -> LevelChange:
    """From ``current`` to ``target`` on ``ladder_id``; each missing one comes from the profile."""
    from levelup.ladders import find_ladder, next_level

    if not (current and target):
        ladder_id, current, target = _with_profile(ctx, ladder_id, current, target)
    if not (current and target):
        raise LevelupError("no profile yet: set one up, or give the current and target levels",
                           step=Step("init"))
    found = find_ladder(ladder_id, ctx.settings.home)
    steps = next_level(found, current, target)
    return LevelChange(ladder=found, current=found.check_level(current),
                       target=found.check_level(target), competencies=steps)


def _with_profile(ctx: Context, ladder_id: str | None, current: str | None,
                  target: str | None) -> tuple[str | None, str | None, str | None]:
    """The values given, else the profile's (ladder, level, target level), else None."""
    from levelup.store.people import find_profile

    with ctx.read() as conn:
        profile = find_profile(conn)
    if profile is None:
        return ladder_id, current, target
    return (ladder_id or profile.ladder, current or profile.level,
            target or profile.target_level)


def ladder_mapping(ctx: Context) -> str:
    """The default theme -> competency mapping (YAML), to copy and edit for an import."""
    from levelup.ladders.convert import default_mapping_text

    return default_mapping_text()


@dataclass(frozen=True, slots=True)
class Installed:
    """A ladder imported from a framework, and the file it was written to."""

    ladder: Ladder
    path: Path

    def to_json(self) -> dict[str, Any]:
        return {"id": self.ladder.id, "name": self.ladder.name, "path": str(self.path),
                "levels": [lv.id for lv in self.ladder.levels()]}


def import_ladder(ctx: Context, *, fmt: str, file: Path, mapping: Path | None = None,
                  ladder_id: str | None = None, replace: bool = False) -> Installed:
    """Convert the framework ``file`` (format ``fmt``: ft or monzo) through ``mapping`` (default:
    the built-in one) and install it in the home's ladder folder, replacing one of that id.
    A built-in id, or the ladder the profile uses, is refused unless ``replace`` is given."""
    from levelup.ladders.install import convert_ladder, install_ladder, is_builtin

    data = convert_ladder(fmt, file, mapping=mapping, ladder_id=ladder_id)
    new_id = str(data["id"])
    if not replace and is_builtin(new_id):
        raise LevelupError(f"'{new_id}' is a built-in ladder; importing it would shadow it "
                           "(give --replace to do so anyway, or --id to pick another id)")
    if not replace and _profile_ladder(ctx) == new_id:
        raise LevelupError(f"your profile uses the ladder '{new_id}'; give --replace to "
                           "replace it, or --id to pick another id")
    found, path = install_ladder(data, ctx.settings.home, source=file, fmt=fmt)
    return Installed(ladder=found, path=path)


def _profile_ladder(ctx: Context) -> str | None:
    from levelup.store.people import find_profile

    with ctx.read() as conn:
        profile = find_profile(conn)
    return profile.ladder if profile else None


@dataclass(frozen=True, slots=True)
class Removed:
    """An imported ladder removed, its files, and whether a built-in one of that id is back."""

    ladder_id: str
    paths: list[Path]
    builtin_back: bool

    def to_json(self) -> dict[str, Any]:
        return {"id": self.ladder_id, "removed": [str(p) for p in self.paths],
                "builtin": self.builtin_back}


def remove_ladder(ctx: Context, *, ladder_id: str) -> Removed:
    """Remove the imported ladder ``ladder_id`` from the home's ladder folder. A built-in
    ladder cannot be removed (an imported file shadowing it can: the built-in one is back),
    nor the ladder the profile uses."""
    from levelup.ladders.install import imported_files, is_builtin

    wanted = ladder_id.strip()
    paths = imported_files(wanted, ctx.settings.home)
    builtin = is_builtin(wanted)
    if not paths and builtin:
        raise LevelupError(f"'{wanted}' is a built-in ladder; it cannot be removed")
    if not paths:
        raise NotFound(f"no imported ladder '{wanted}'", step=Step("ladder.list"))
    if not builtin and _profile_ladder(ctx) == wanted:
        raise LevelupError(f"your profile uses the ladder '{wanted}'; switch ladders before "
                           "removing it", step=Step("init", {"ladder": "ID"}))
    for path in paths:
        try:
            path.unlink()
        except OSError as exc:
            raise LevelupError(f"{path}: cannot remove ({exc.strerror})") from None
    return Removed(ladder_id=wanted, paths=paths, builtin_back=builtin)


@dataclass(frozen=True, slots=True)
class Evidenced:
    """One competency of a level change, with the readiness status and the entries that show it
    (``(id, date, title)``, the first ``shown`` of them)."""

    step: CompetencyStep
    status: str
    months: list[str]
    evidence: list[tuple[int, str, str]]
    more: int


@dataclass(frozen=True, slots=True)
class LadderEvidence:
    """The level change from the profile's level to its target, competency by competency, with
    the ledger's evidence beside each (empty when readiness cannot be assessed)."""

    change: LevelChange
    competencies: list[Evidenced]


def ladder_evidence(ctx: Context, *, shown: int = 5) -> LadderEvidence:
    """The profile's level change, each competency with its readiness status and evidence."""
    from levelup.services.readiness import readiness_for
    from levelup.store.entries import get_entry

    change = level_change(ctx)
    found = {c.id: c for c in readiness_for(ctx, level=change.target.id).competencies}
    rows = []
    with ctx.read() as conn:
        for step in change.competencies:
            result = found.get(step.competency)
            ids = result.evidence if result else []
            shown_entries = [get_entry(conn, entry_id=i) for i in ids[:shown]]
            rows.append(Evidenced(
                step=step, status=result.status if result else "missing",
                months=list(result.months) if result else [],
                evidence=[(e.id or 0, e.date.isoformat(), e.title) for e in shown_entries],
                more=max(0, len(ids) - shown)))
    return LadderEvidence(change=change, competencies=rows)
