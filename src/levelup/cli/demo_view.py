"""The terminal overview printed by `levelup demo`: the JSON summary, as lines."""

from __future__ import annotations

import shlex
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from levelup.cli.common import Env


def show(env: Env, summary: dict[str, Any]) -> None:
    p = summary["profile"]
    home = summary["home"]
    lines = [
        f"Demo ledger built in {home}",
        f"  {p['name']}, {p['level']} working towards {p['target_level']}; "
        f"manager {p['manager']}",
        f"  {summary['entries']} entries over the last six months: "
        + ", ".join(f"{n} {k}" for k, n in summary["by_kind"].items()),
        f"  {summary['conversations']} conversations, {summary['feedback']} pieces of feedback",
        f"  {summary['wins_heard_by_a_decision_maker_other_than_the_manager']} of "
        f"{summary['wins']} wins reached a decision maker beyond the manager",
        "",
        "Strongest wins:",
    ]
    for win in summary["strongest_wins"]:
        metric = f"  ({'; '.join(win['metrics'])})" if win["metrics"] else ""
        lines.append(f"  #{win['id']:<5} {win['date']}  {win['title']}{metric}")
    readiness = summary.get("readiness")
    if readiness:
        lines += ["", *readiness.get("lines", [])]
    if summary.get("reports"):
        lines += ["", "Reports written:", *(f"  {path}" for path in summary["reports"])]
    levelup = program()
    lines += [
        "",
        "Try it (every command reads the demo through LEVELUP_HOME):",
        f"  export LEVELUP_HOME={shlex.quote(str(home))}",
        f"  {levelup} list --since 'last month'",
        f"  {levelup} search latency",
        f"  {levelup} readiness",
        f"  {levelup} report weekly",
        f"  {levelup} opportunities",
    ]
    env.say("\n".join(lines))


def program(argv0: str | None = None) -> str:
    """How to run this levelup from a shell: `levelup` when PATH finds this very program,
    else its path (or `python -m levelup`), quoted, so the printed lines work as printed."""
    script = Path(sys.argv[0] if argv0 is None else argv0)
    if script.stem == "levelup" and script.is_file():
        found = shutil.which("levelup")
        if found and _same(Path(found), script):
            return "levelup"
        return shlex.quote(str(script.absolute()))
    return f"{shlex.quote(sys.executable)} -m levelup"


def _same(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False
