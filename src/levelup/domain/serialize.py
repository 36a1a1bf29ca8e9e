"""Plain-JSON forms of the domain objects (for --json and the export document).

Generic over dataclasses: dates become ISO strings and back, nested objects recurse.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Hashable
from datetime import date, datetime
from functools import cache
from typing import Any, TypeVar, cast

T = TypeVar("T")


class FormatError(ValueError):
    """A JSON value of the wrong type or shape; the message names the field path."""


def to_json(obj: Any) -> Any:
    """A JSON-ready value: dataclasses as dicts, dates as ISO strings."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_json(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, list | tuple):
        return [to_json(item) for item in obj]
    if isinstance(obj, dict):
        return {str(k): to_json(v) for k, v in obj.items()}
    if isinstance(obj, date | datetime):
        return obj.isoformat()
    return obj


@cache
def _hints(cls: Any) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_json(cls: type[T], data: Any, path: str = "") -> T:
    """Build a ``cls`` dataclass from its JSON form, or raise FormatError naming the field."""
    if not isinstance(data, dict):
        raise FormatError(f"{path or cls.__name__}: expected an object")
    values: dict[str, Any] = {}
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    for name, value in data.items():
        if name not in fields:
            raise FormatError(f"{path}.{name}: unknown field" if path else f"{name}: unknown field")
        hint = _hints(cast(Hashable, cls))[name]
        values[name] = _convert(hint, value, f"{path}.{name}" if path else name)
    try:
        return cls(**values)
    except TypeError as exc:
        raise FormatError(f"{path or cls.__name__}: {exc}") from None


def _convert(hint: Any, value: Any, path: str) -> Any:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _convert(options[0], value, path)
    if origin is list:
        if not isinstance(value, list):
            raise FormatError(f"{path}: expected a list")
        (item,) = typing.get_args(hint)
        return [_convert(item, v, f"{path}[{i}]") for i, v in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict):
            raise FormatError(f"{path}: expected an object")
        _, item = typing.get_args(hint)
        return {k: _convert(item, v, f"{path}.{k}") for k, v in value.items()}
    if dataclasses.is_dataclass(hint):
        return from_json(hint, value, path)  # type: ignore[arg-type]
    return _scalar(hint, value, path)


def _scalar(hint: Any, value: Any, path: str) -> Any:
    try:
        if hint is datetime:
            return datetime.fromisoformat(value)
        if hint is date:
            return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise FormatError(f"{path}: '{value}' is not an ISO date") from None
    if hint is float and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if hint in (str, int, bool) and type(value) is not hint:
        raise FormatError(f"{path}: expected {hint.__name__}, got {type(value).__name__}")
    return value
