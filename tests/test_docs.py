"""Docs are part of the product: every command has help, and the README's commands exist."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from levelup.cli.main import command

README = Path(__file__).parent.parent / "README.md"


def _walk(group: click.Group, ctx: click.Context, path: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        assert cmd is not None, name
        yield (*path, name), cmd
        if isinstance(cmd, click.Group):
            yield from _walk(cmd, click.Context(cmd, parent=ctx, info_name=name), (*path, name))


def _all_commands() -> dict[tuple[str, ...], click.Command]:
    root = command()
    return dict(_walk(root, click.Context(root, info_name="levelup")))


def test_every_command_and_option_has_help() -> None:
    missing = []
    for path, cmd in _all_commands().items():
        if not (cmd.help or cmd.short_help):
            missing.append(" ".join(path))
        for param in cmd.params:
            if isinstance(param, click.Option) and not param.help and not param.hidden:
                missing.append(f"{' '.join(path)} {param.opts[0]}")
    assert missing == []


def _readme_commands() -> set[tuple[str, ...]]:
    """`levelup X [Y]` in code: fenced blocks and inline code spans of the README."""
    text = README.read_text()
    code = re.findall(r"```.*?```", text, flags=re.S) + re.findall(r"`[^`\n]+`", text)
    found = set()
    for chunk in code:
        for match in re.finditer(r"levelup ((?:[a-z][a-z-]*)(?: [a-z][a-z-]*)?)", chunk):
            found.add(tuple(match.group(1).split()))
    return found


@pytest.mark.parametrize("words", sorted(_readme_commands()))
def test_commands_named_in_the_readme_exist(words: tuple[str, ...]) -> None:
    commands = _all_commands()
    if words in commands:
        return
    assert words[:1] in commands, f"README names `levelup {' '.join(words)}`"
