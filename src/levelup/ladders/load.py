"""Reading ladder YAML: parse, validate against the JSON Schema, report file:line and path."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from levelup.ladders.model import Ladder, LadderError, ladder_from_dict

if TYPE_CHECKING:
    import yaml


@cache
def schema() -> dict[str, Any]:
    """The ladder JSON Schema shipped with levelup."""
    text = resources.files("levelup.ladders").joinpath("data/ladder.schema.json").read_text()
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _node_at(node: yaml.Node, path: list[str | int]) -> yaml.Node:
    """The deepest YAML node along ``path`` (to point at a line)."""
    import yaml

    for key in path:
        if isinstance(node, yaml.MappingNode):
            found = [v for k, v in node.value if k.value == key]
            if not found:
                break
            node = found[0]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            break
    return node


def _dotted(path: list[str | int]) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def parse_text(text: str, name: str) -> dict[str, Any]:
    """Validated ladder data from YAML ``text``; errors read 'name:line: path: problem'."""
    import jsonschema
    import yaml

    try:
        # The C loader when built in; the node tree (for line numbers) only on an error.
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}:{mark.line + 1}" if mark else name
        raise LadderError(f"{where}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(data, dict):
        raise LadderError(f"{name}:1: a ladder file must be a mapping with id, name and tracks")
    validator = jsonschema.Draft202012Validator(schema())
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    if error is not None:
        path = list(error.absolute_path)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        line = _node_at(root, path).start_mark.line + 1 if root is not None else 1
        raise LadderError(f"{name}:{line}: {_dotted(path) or '(top)'}: {error.message}")
    _check_unique_levels(data, name)
    return data


def _check_unique_levels(data: dict[str, Any], name: str) -> None:
    seen: set[str] = set()
    for track in data["tracks"]:
        for level in track["levels"]:
            if str(level["id"]) in seen:
                raise LadderError(f"{name}: level id '{level['id']}' appears twice")
            seen.add(str(level["id"]))


def load_text(text: str, name: str, origin: str = "built-in") -> Ladder:
    return ladder_from_dict(parse_text(text, name), origin=origin)
