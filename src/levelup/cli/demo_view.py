"""The terminal overview printed by `levelup demo`: the JSON summary, as lines."""

from __future__ import annotations

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
    lines += [
        "",
        "Try it (every command reads the demo through LEVELUP_HOME):",
        f"  export LEVELUP_HOME={home}",
        "  levelup list --since 'last month'",
        "  levelup search latency",
        "  levelup readiness",
        "  levelup report weekly",
        "  levelup opportunities",
    ]
    env.say("\n".join(lines))
