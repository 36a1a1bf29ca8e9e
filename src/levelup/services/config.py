"""The settings in effect: each one's name, value and what it does."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from levelup.context import Context


@dataclass(frozen=True, slots=True)
class SettingValue:
    name: str
    value: Any
    help: str


def list_settings(ctx: Context) -> list[SettingValue]:
    """Every setting in declaration order, with the value this context uses."""
    return [SettingValue(f.name, getattr(ctx.settings, f.name), f.metadata["help"])
            for f in fields(ctx.settings)]
