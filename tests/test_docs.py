"""Docs are part of the product: every command has help, the commands the README and docs/
name exist with the flags they give them, the README's quick start and tour run, and the
configuration page lists every setting.

`.venv/bin/python tests/test_docs.py` rewrites the settings table of docs/configuration.md.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import warnings
from collections.abc import Iterator
from dataclasses import MISSING, dataclass, fields
from functools import cache
from pathlib import Path

import click
import pytest

from levelup.cli.main import command
from levelup.domain import vocab
from levelup.settings import Settings

ROOT = Path(__file__).parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
CONFIGURATION = DOCS / "configuration.md"
TABLE_START, TABLE_END = "<!-- settings table: start -->", "<!-- settings table: end -->"


def _pages() -> list[Path]:
    return [README, *sorted(DOCS.rglob("*.md"))]


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


# --- Every `levelup …` the docs name resolves against the click command tree -------------

@dataclass(frozen=True)
class Mention:
    where: str  # file:line
    text: str  # from `levelup` to the end of the command


# `levelup` as a command word (not `levelup.settings`), also as `.venv/bin/levelup`.
_COMMAND = re.compile(r"(?:^|(?<=[\s(`$;&/]))levelup (?=[-a-z\"'])")
# Where a shell line moves on to another program.
_SHELL_BREAK = re.compile(r"\s\|\s|;|&&|\s>\s")
_FENCE = re.compile(r"^\s*```")
_INLINE = re.compile(r"`([^`]+)`")


def _logical_lines(block: list[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """Lines of a fenced block with `\\` continuations joined, each with its first line."""
    start, parts = 0, []
    for number, line in block:
        start = start or number
        if line.rstrip().endswith("\\"):
            parts.append(line.rstrip()[:-1])
            continue
        yield start, " ".join([*parts, line])
        start, parts = 0, []
    if parts:
        yield start, " ".join(parts)


def _code(markdown: str) -> Iterator[tuple[int, str]]:
    """(line, code) for every fenced line and every inline code span of a Markdown text."""
    # The generated settings table quotes help texts of src/levelup/settings.py; it is
    # checked against them instead (test_the_configuration_page_lists_every_setting).
    lines = [line if not line.startswith("| `") or "`LEVELUP_" not in line else ""
             for line in markdown.splitlines()]
    prose: list[str] = []
    block: list[tuple[int, str]] = []
    fenced = False
    for number, line in enumerate(lines, 1):
        if _FENCE.match(line):
            if fenced:
                yield from _logical_lines(block)
            fenced, block = not fenced, []
            prose.append("")
        elif fenced:
            block.append((number, line))
            prose.append("")
        else:
            prose.append(line)
    text = "\n".join(prose)
    for match in _INLINE.finditer(text):
        yield text.count("\n", 0, match.start()) + 1, match.group(1).replace("\n", " ")


def _mentions() -> list[Mention]:
    found = []
    for page in _pages():
        for number, code in _code(page.read_text()):
            for match in _COMMAND.finditer(code):
                rest = _SHELL_BREAK.split(code[match.end():])[0].strip()
                found.append(Mention(f"{page.relative_to(ROOT)}:{number}", f"levelup {rest}"))
    return found


def _tokens(text: str) -> list[str]:
    try:
        words = shlex.split(text, comments=True)
    except ValueError:  # an apostrophe in prose-like code: words are enough here
        words = text.split()
    # `[--format md|html]` in a synopsis: optional parts are checked like the rest.
    return [w.strip("[]") for w in words[1:] if w.strip("[]")]


def _options(cmd: click.Command) -> dict[str, click.Option]:
    named = {o: p for p in cmd.params if isinstance(p, click.Option)
             for o in (*p.opts, *p.secondary_opts)}
    return named | dict.fromkeys(("-h", "--help"), click.Option(["--help"], is_flag=True))


def _is_option(token: str) -> bool:
    return token.startswith("-") and token != "-" and not token[1:2].isdigit()


def _default_subcommand(group: click.Group, ctx: click.Context, word: str) -> str | None:
    """The subcommand click would run for `group WORD` (`plan "…"` runs `plan add`)."""
    probe = group.make_context(ctx.info_name or "", [word], parent=ctx.parent,
                               resilient_parsing=True)
    with warnings.catch_warnings():  # click 8.2 deprecates the attribute; 9.0 will move it
        warnings.simplefilter("ignore", DeprecationWarning)
        first = [*probe.protected_args, *probe.args][:1]
    return first[0] if first and first[0] != word else None


def _check(cmd: click.Command, ctx: click.Context, tokens: list[str]) -> str | None:
    """What is wrong with `… cmd TOKENS`, or None. Positional arguments are not checked."""
    options, at = _options(cmd), 0
    while at < len(tokens):
        token, at = tokens[at], at + 1
        if _is_option(token):
            option = options.get(token.split("=", 1)[0])
            if option is None:
                return f"`{ctx.command_path}` has no option {token.split('=', 1)[0]}"
            if not (option.is_flag or option.count or "=" in token):
                at += 1  # its value
        elif isinstance(cmd, click.Group):
            return _subcommand(cmd, ctx, token, tokens[at:])
    return None


_LOOKED_UP: dict[tuple[str, str], click.Command | None] = {}


def _get(group: click.Group, ctx: click.Context, name: str) -> click.Command | None:
    """group.get_command, remembered: `import`'s scans every installed package's entry points."""
    key = (ctx.command_path, name)
    if key not in _LOOKED_UP:
        _LOOKED_UP[key] = group.get_command(ctx, name)
    return _LOOKED_UP[key]


def _subcommand(group: click.Group, ctx: click.Context, word: str, rest: list[str]) -> str | None:
    if _get(group, ctx, word) is None and (default := _default_subcommand(group, ctx, word)):
        word, rest = default, [word, *rest]
    # Placeholders (`import SOURCE …`, `<name>`) cannot be resolved: the rest is not checked.
    if not re.fullmatch(r"[a-z][a-z0-9-]*(\|[a-z][a-z0-9-]*)*", word):
        return None
    for name in word.split("|"):  # `stakeholder add|list|remove`: each must exist
        sub = _get(group, ctx, name)
        if sub is None:
            return f"`{ctx.command_path}` has no command {name!r}"
        problem = _check(sub, click.Context(sub, parent=ctx, info_name=name), rest)
        if problem:
            return problem
    return None


@cache
def _root() -> click.Command:
    return command()


def _problem(mention: Mention) -> str | None:
    root = _root()
    return _check(root, click.Context(root, info_name="levelup"), _tokens(mention.text))


def test_the_docs_name_commands() -> None:
    mentions = _mentions()
    where = {m.where.split(":")[0] for m in mentions}
    assert len(mentions) > 100 and {"README.md", "docs/commands.md"} <= where  # the finder works


def test_every_command_in_the_docs_exists_with_its_flags() -> None:
    bad = [f"{m.where}: {m.text}\n    {problem}" for m in _mentions() if (problem := _problem(m))]
    assert not bad, "commands in the docs that levelup does not have:\n" + "\n".join(bad)


def test_the_checker_catches_a_wrong_command_and_flag() -> None:
    assert _problem(Mention("x:1", "levelup list --sinse today")) is not None
    assert _problem(Mention("x:1", "levelup stakeholder add|lst")) is not None
    assert _problem(Mention("x:1", "levelup repport weekly")) is not None
    assert _problem(Mention("x:1", 'levelup plan "Ship it" -d friday')) is None
    assert _problem(Mention("x:1", "levelup import SOURCE --anything")) is None


# --- README: size, links, quick start and tour ------------------------------------------

def test_the_readme_is_a_front_door() -> None:
    words = len(README.read_text().split())  # as `wc -w` counts
    assert words < 1500, f"README.md has {words} words; move detail to docs/"


def test_every_page_the_docs_link_exists() -> None:
    broken = []
    for page in _pages():
        fenced = False
        for number, line in enumerate(page.read_text().splitlines(), 1):
            fenced ^= bool(_FENCE.match(line))
            prose = "" if fenced else re.sub(r"`[^`]*`", "", line)  # code shows links as text
            for target in re.findall(r"\]\(([^)\s]+)\)", prose):
                if re.match(r"[a-z]+:|#", target):
                    continue
                if not (page.parent / target.split("#")[0]).exists():
                    broken.append(f"{page.relative_to(ROOT)}:{number}: {target}")
    assert broken == []


def _section(heading: str) -> str:
    text = README.read_text()
    start = text.index(f"## {heading}")
    end = text.find("\n## ", start + 1)
    return text[start:end if end > 0 else None]


def _levelup() -> list[str]:
    script = Path(sys.executable).with_name("levelup")
    return [str(script)] if script.exists() else [sys.executable, "-m", "levelup"]


def _run(args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("LEVELUP_")}
    done = subprocess.run([*_levelup(), *args], env=environ | {"LEVELUP_HOME": str(home)},
                          stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, f"levelup {shlex.join(args)}\n{done.stdout}\n{done.stderr}"
    return done


def test_the_quick_start_names_the_two_dev_commands() -> None:
    first_block = re.search(r"```sh\n(.*?)```", README.read_text(), flags=re.S)
    assert first_block is not None
    assert [line.split("#")[0].strip() for line in first_block.group(1).splitlines()] == [
        "./dev demo", "./dev test"]
    dev = (ROOT / "dev").read_text()
    assert re.search(r"^\s*demo\)\n(?:.*\n){0,3}\s*exec \.venv/bin/levelup demo", dev, re.M)
    assert re.search(r"^\s*test\)\n", dev, re.M)


@pytest.mark.slow
def test_the_quick_start_runs(tmp_path: Path) -> None:
    """`./dev demo` is `levelup demo` once .venv is set up; then the commands it suggests."""
    demo = tmp_path / "demo"
    shown = _run(["demo", "--home", str(demo)], tmp_path / "mine")
    assert f"export LEVELUP_HOME={demo}" in shown.stdout
    suggested = [code for _, code in _code(_section("Quick start"))
                 if code.startswith("levelup ")]
    assert len(suggested) >= 3, suggested
    for line in suggested:
        _run(_tokens(line), demo)
    assert not (tmp_path / "mine").exists()  # the demo never touches your own ledger


@pytest.mark.slow
def test_the_tour_runs_in_order_on_an_empty_ledger(tmp_path: Path) -> None:
    blocks = re.findall(r"```sh\n(.*?)```", _section("A five-minute tour"), flags=re.S)
    lines = [line for block in blocks
             for _, line in _logical_lines(list(enumerate(block.splitlines(), 1)))
             if line.strip() and not line.lstrip().startswith("#")]
    assert all(line.startswith("levelup ") for line in lines), lines
    steps = {" ".join(_tokens(line)[:2]) if line.startswith("levelup report") else
             _tokens(line)[0] for line in lines}
    assert {"init", "log", "list", "search", "tell", "report weekly", "readiness", "today",
            "plan"} <= steps, "the tour shows the whole daily loop"
    assert any("--outcome" in line and "--metric" in line for line in lines)
    for line in lines:
        _run(_tokens(line), tmp_path / "home")


# --- docs/configuration.md lists every setting; docs/commands.md every vocabulary --------

def _default(value: object) -> str:
    if value is None:
        return "the platform's data folder (see the README)"
    return f"`{value}`" if value != "" else "(empty)"


def settings_table() -> str:
    """The Markdown table of every setting, from `Settings` and its help metadata."""
    rows = ["| setting | environment variable | default | what it does |", "|---|---|---|---|"]
    for f in fields(Settings):
        default = None if f.default is MISSING else f.default
        help_text = str(f.metadata.get("help", "")).replace("|", "\\|")
        rows.append(f"| `{f.name}` | `LEVELUP_{f.name.upper()}` | {_default(default)} "
                    f"| {help_text} |")
    return "\n".join(rows)


def _write_settings_table() -> None:
    text = CONFIGURATION.read_text()
    head, _, rest = text.partition(TABLE_START)
    _, _, tail = rest.partition(TABLE_END)
    CONFIGURATION.write_text(f"{head}{TABLE_START}\n{settings_table()}\n{TABLE_END}{tail}")


def test_the_configuration_page_lists_every_setting() -> None:
    text = CONFIGURATION.read_text()
    table = text.partition(TABLE_START)[2].partition(TABLE_END)[0].strip()
    missing = [f.name for f in fields(Settings) if f"`LEVELUP_{f.name.upper()}`" not in table]
    assert missing == [], f"settings missing from {CONFIGURATION.name}"
    assert table == settings_table(), (
        "docs/configuration.md is out of date: run `.venv/bin/python tests/test_docs.py`")


@pytest.mark.parametrize("values", [
    vocab.OUTCOMES, vocab.COMPETENCIES, vocab.ENTRY_KINDS, vocab.OPPORTUNITY_KINDS,
    vocab.EXPECTATION_KINDS, vocab.RELATIONS, vocab.CHANNELS, vocab.CONVERSATION_KINDS,
    vocab.FEEDBACK_STATUSES, vocab.PROJECT_STATUSES, vocab.PLAN_STATUSES,
    tuple(vocab.CHECKIN_QUESTIONS),
], ids=lambda values: values[0])
def test_the_command_reference_lists_each_vocabulary(values: tuple[str, ...]) -> None:
    assert f"`{' '.join(values)}`" in (DOCS / "commands.md").read_text()


if __name__ == "__main__":
    _write_settings_table()
