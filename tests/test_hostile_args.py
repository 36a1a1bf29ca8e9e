"""No traceback reaches a user: every command, run with hostile arguments, fails in one line.

Walks the whole click tree (groups, subcommands, the `import` sources) and feeds each parameter
values derived from its type: wrong types, huge and negative numbers, missing, unwritable and
folder paths, empty and 100 KB strings. Any exception other than SystemExit, or a "Traceback" in
the output, is a failure.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from levelup.cli.common import Env
from levelup.settings import load
from tests.conftest import TODAY

SKIP = {"serve", "demo"}
HUGE = "99999999999999999999"


Case = tuple[tuple[str, ...], click.Command]


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> Iterator[Case]:
    ctx = click.Context(group)
    for name in sorted(group.list_commands(ctx)):
        if name in SKIP:
            continue
        sub = group.get_command(ctx, name)
        if sub is None:
            continue
        if isinstance(sub, click.Group):
            yield from _commands(sub, (*prefix, name))
        else:
            yield (*prefix, name), sub


PATHS = ("output", "file", "path", "folder", "template", "out", "dir", "backup")


def _values(param: click.Parameter, folder: Path) -> list[str]:
    kind = param.type
    if isinstance(kind, click.IntRange | click.FloatRange) or kind in (click.INT, click.FLOAT):
        return ["abc", HUGE, "-1"]
    if isinstance(kind, click.Choice):
        return ["no-such-choice"]
    if isinstance(kind, click.Path | click.File) or any(p in (param.name or "") for p in PATHS):
        return ["/no/such/dir/x.json", "/proc/x", str(folder), ""]
    return ["", HUGE, "x" * 100_000]


def _cases(folder: Path) -> Iterator[list[str]]:
    from levelup.cli.main import command

    for path, cmd in _commands(command()):
        args = [p for p in cmd.params if isinstance(p, click.Argument)]
        options = [p for p in cmd.params if isinstance(p, click.Option)
                   and not p.is_flag and not p.count and p.name not in ("help",)]
        filler = ["1"] * sum(1 for a in args if a.required)
        for index, arg in enumerate(args):
            for value in _values(arg, folder):
                given = list(filler)
                if index < len(given):
                    given[index] = value
                else:
                    given.append(value)
                yield [*path, *given]
        for option in options:
            for value in _values(option, folder):
                yield [*path, *filler, option.opts[0], value]


@pytest.fixture
def hostile_env(tmp_path: Path) -> Iterator[Env]:
    url = f"sqlite:///{tmp_path / 'l.db'}"
    settings = load(environ={}, home=tmp_path / "home", database_url=url)
    environment = Env(settings=settings, today=TODAY)
    environment.ctx.engine()
    yield environment
    environment.close()


def test_no_command_prints_a_traceback(hostile_env: Env, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from levelup.cli.main import command

    monkeypatch.setenv("EDITOR", "false")
    monkeypatch.setenv("VISUAL", "false")
    folder = tmp_path / "a-folder"
    folder.mkdir()
    runner = CliRunner()
    failures: list[str] = []
    for args in _cases(folder):
        result = runner.invoke(command(), args, obj=hostile_env, input="", catch_exceptions=True)
        crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
        if crashed or "Traceback" in result.output:
            shown = [a if len(a) < 60 else a[:20] + "…" for a in args]
            failures.append(f"levelup {' '.join(shown)}: {type(result.exception).__name__}: "
                            f"{str(result.exception)[:200]}")
    assert not failures, "\n".join(failures)
