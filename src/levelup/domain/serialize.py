"""Plain-JSON forms of the domain objects (for --json and the export document).

Generic over dataclasses: dates become ISO strings and back, nested objects recurse.
"""

from __future__ import annotations

import dataclasses
import json
import math
import types
import typing
from collections.abc import Callable, Hashable, Iterable
from datetime import date, datetime
from functools import cache
from json.encoder import encode_basestring as _encode_str
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


def dump_indented(value: Any, indent: int, level: int = 0, *, drop: str = "") -> str:
    """``json.dumps(to_json(value), indent=indent, ensure_ascii=False)``, character for
    character, as it reads nested ``level`` deep in a document, without the field ``drop`` of
    a dataclass ``value``. Faster than the standard library, whose indenting encoder is pure
    Python, and than ``to_json`` first (the export writes a million entries through this)."""
    parts: list[str] = []
    _indented(value, parts.append, " " * indent, "\n" + " " * (indent * level), drop)
    return "".join(parts)


@cache
def _field_names(cls: Hashable) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cast(Any, cls)))


def _indented(value: Any, out: Callable[[str], Any], step: str, newline: str,
              drop: str = "") -> None:
    if isinstance(value, str):
        out(_encode_str(value))
    elif isinstance(value, list | tuple):
        if not value:
            out("[]")
            return
        inner, sep = newline + step, "["
        for item in value:
            out(sep + inner)
            _indented(item, out, step, inner)
            sep = ","
        out(newline + "]")
    elif isinstance(value, dict):
        _pairs(value.items(), out, step, newline)
    elif isinstance(value, date):  # datetime too
        out(_encode_str(value.isoformat()))
    elif hasattr(type(value), "__dataclass_fields__") and not isinstance(value, type):
        _pairs(((name, getattr(value, name)) for name in _field_names(cast(Hashable, type(value)))
                if name != drop), out, step, newline)
    else:
        out(_scalar_text(value))


def _pairs(items: Iterable[tuple[Any, Any]], out: Callable[[str], Any], step: str,
           newline: str) -> None:
    inner, sep = newline + step, "{"
    for key, item in items:
        out(f"{sep}{inner}{_key(key)}: ")
        _indented(item, out, step, inner)
        sep = ","
    out("{}" if sep == "{" else newline + "}")


def _scalar_text(value: Any) -> str:
    """A JSON scalar as the standard encoder writes it (bool before int: it is one)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float_text(value)
    return json.dumps(value, ensure_ascii=False)  # raises TypeError as json.dumps would


def _float_text(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (math.inf, -math.inf):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _key(key: Any) -> str:
    if isinstance(key, str):
        return _encode_str(key)
    if isinstance(key, float):
        return _encode_str(_float_text(key))
    return _encode_str(_scalar_text(key))
