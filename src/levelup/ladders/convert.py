"""Import public career frameworks into the ladder format.

Supported: the Financial Times engineering-progression job family YAML (levels, themes,
competencies with level, theme, summary and examples) and the Monzo progression framework
Markdown front matter (levels, topics with per-level criteria). Themes and topics become
levelup competencies through a mapping the user can edit (``data/mapping.yml``).
"""

from __future__ import annotations

import re
from importlib import resources
from typing import Any

from levelup.domain.steps import Step
from levelup.domain.vocab import COMPETENCIES
from levelup.ladders.model import LadderError

FORMATS = ("ft", "monzo")
_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-") or "ladder"


def default_mapping_text() -> str:
    return resources.files("levelup.ladders").joinpath("data/mapping.yml").read_text()


def parse_mapping(text: str, fmt: str, name: str = "mapping") -> dict[str, str]:
    """The theme -> competency table for ``fmt``, checked against the vocabulary."""
    import yaml

    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise LadderError(f"{name}: not valid YAML ({exc})") from None
    table = data.get(fmt) if isinstance(data, dict) else None
    if not isinstance(table, dict):
        raise LadderError(f"{name}: needs a '{fmt}:' section mapping themes to competencies")
    for theme, competency in table.items():
        if competency not in COMPETENCIES:
            raise LadderError(f"{name}: {fmt}.{theme}: '{competency}' is not a competency "
                              f"({', '.join(COMPETENCIES)})")
    return {str(k): str(v) for k, v in table.items()}


def _competency(mapping: dict[str, str], theme: str, name: str) -> str:
    if theme not in mapping:
        raise LadderError(f"{name}: theme '{theme}' is not in the mapping; add "
                          f"'{theme}: <competency>' to a copy of the mapping and import with it",
                          step=Step("ladder.mapping"))
    return mapping[theme]


def _add(cells: dict[str, dict[str, list[str]]], cid: str, expectations: list[str],
         signals: list[str]) -> None:
    cell = cells.setdefault(cid, {"expectations": [], "signals": []})
    cell["expectations"].extend(e for e in expectations if e not in cell["expectations"])
    cell["signals"].extend(s for s in signals if s not in cell["signals"])


def _clean(text: Any) -> str:
    return " ".join(str(text).split())


def from_ft(data: Any, mapping: dict[str, str], name: str, ladder_id: str | None = None
            ) -> dict[str, Any]:
    """Ladder data from a parsed FT job family."""
    if not isinstance(data, dict) or not isinstance(data.get("levels"), list):
        raise LadderError(f"{name}: not an FT job family (no 'levels' list)")
    cells: dict[str, dict[str, dict[str, list[str]]]] = {
        str(level["id"]): {} for level in data["levels"]}
    for i, item in enumerate(data.get("competencies") or []):
        level = str(item.get("level"))
        if level not in cells:
            raise LadderError(f"{name}: competencies[{i}]: unknown level '{level}'")
        cid = _competency(mapping, str(item.get("theme")), name)
        examples = [_clean(e) for e in item.get("examples") or []]
        _add(cells[level], cid, [_clean(item.get("summary", ""))], examples)
    levels = [{"id": str(lv["id"]), "name": _clean(lv["name"]),
               "summary": _clean(lv.get("summary") or lv["name"]),
               "competencies": cells[str(lv["id"])]} for lv in data["levels"]]
    title = _clean(data.get("name", "FT"))
    return {"id": ladder_id or f"ft-{slug(title)}", "name": f"FT {title}",
            "description": _clean(data.get("summary", "")),
            "source": "Financial Times engineering progression (job family YAML)",
            "tracks": [{"id": slug(title), "name": title, "levels": levels}]}


def front_matter(text: str, name: str) -> Any:
    """The YAML between the first two '---' lines of a Markdown file."""
    import yaml

    parts = re.split(r"^---\s*$", text, maxsplit=2, flags=re.MULTILINE)
    if len(parts) < 3 or parts[0].strip():
        raise LadderError(f"{name}:1: no YAML front matter between '---' lines")
    try:
        return yaml.safe_load(parts[1])
    except yaml.YAMLError as exc:
        raise LadderError(f"{name}: front matter is not valid YAML ({exc})") from None


def from_monzo(data: Any, mapping: dict[str, str], name: str, ladder_id: str | None = None
               ) -> dict[str, Any]:
    """Ladder data from parsed Monzo framework front matter."""
    if not isinstance(data, dict) or not isinstance(data.get("topics"), list):
        raise LadderError(f"{name}: not a Monzo framework (no 'topics' list)")
    count = int(data.get("levels") or 0)
    cells: dict[int, dict[str, dict[str, list[str]]]] = {n: {} for n in range(1, count + 1)}
    for topic in data["topics"]:
        cid = _competency(mapping, str(topic.get("name")), name)
        for block in topic.get("content") or []:
            level = int(block.get("level", 0))
            if level not in cells:
                raise LadderError(f"{name}: topic '{topic.get('name')}': level {level} "
                                  f"outside 1..{count}")
            criteria = [_clean(c) for c in block.get("criteria") or []]
            examples: list[str] = []
            for ex in block.get("exampleCriteria") or []:
                criteria.append(_clean(ex["criteria"]))
                examples.extend(_clean(e) for e in ex.get("examples") or [])
            _add(cells[level], cid, criteria, examples)
    title = _clean(re.sub(r"[^\w\s&-]", "", str(data.get("title", "Monzo"))))
    levels = [{"id": f"L{n}", "name": f"Level {n}", "summary": f"{title}, level {n}.",
               "competencies": cells[n]} for n in cells]
    return {"id": ladder_id or f"monzo-{slug(title)}", "name": f"Monzo {title}",
            "source": "Monzo progression framework (Markdown front matter)",
            "tracks": [{"id": slug(title), "name": title, "levels": levels}]}


def convert(fmt: str, text: str, mapping_text: str, name: str,
            ladder_id: str | None = None) -> dict[str, Any]:
    """Ladder data (schema-valid) converted from a framework file in format ``fmt``."""
    import yaml

    from levelup.ladders.load import parse_text

    if fmt not in FORMATS:
        raise LadderError(f"unknown ladder format '{fmt}'; choose from {', '.join(FORMATS)}")
    mapping = parse_mapping(mapping_text, fmt)
    if fmt == "ft":
        try:
            parsed = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise LadderError(f"{name}: not valid YAML ({exc})") from None
        data = from_ft(parsed, mapping, name, ladder_id)
    else:
        data = from_monzo(front_matter(text, name), mapping, name, ladder_id)
    # Round-trip through the schema so an import never installs an invalid ladder.
    return parse_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), name)
