"""`levelup coach` and `levelup classify`: check and file a work statement."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from typing import Any

import typer

from levelup.cli.common import JSON_OPTION, Env, get_env

TEXT_ARG = typer.Argument(..., help="The statement, or '-' to read one statement per line "
                          "from standard input and print JSON Lines in the same order.")


def register(app: typer.Typer) -> None:
    app.command("coach")(coach_command)
    app.command("classify")(classify_command)


def _lines(env: Env) -> Iterator[str]:
    """The statements on standard input, one a line (blank lines are statements too)."""
    source = getattr(env, "stdin", None) or sys.stdin  # Env may carry its own stdin
    for line in source:
        yield line.rstrip("\r\n")


def _json_lines(env: Env, answers: Iterable[dict[str, Any]]) -> None:
    """One JSON object on one line per answer, written as soon as it is known."""
    for answer in answers:
        env.stdout.write(json.dumps(answer, ensure_ascii=False) + "\n")


def coach_command(ctx: typer.Context, text: str = TEXT_ARG, as_json: bool = JSON_OPTION) -> None:
    """Check a statement for a metric, an outcome, your action and vagueness; score 0-100."""
    from levelup.services.statements import coach_statement

    env = get_env(ctx)
    if text == "-":
        return _json_lines(env, (coach_statement(env.ctx, text=line).to_dict()
                                 for line in _lines(env)))
    result = coach_statement(env.ctx, text=text)
    if as_json:
        return env.json(result.to_dict())
    marks = {True: "yes", False: "no "}
    env.say(f"score {result.score}/100")
    env.say(f"  metric  {marks[result.has_metric]}   outcome {marks[result.has_outcome]}"
            f"   action {marks[result.has_action]}   vague {marks[result.vague]}")
    for suggestion in result.suggestions:
        env.say(f"  - {suggestion}")


def classify_command(ctx: typer.Context, text: str = TEXT_ARG,
                     as_json: bool = JSON_OPTION) -> None:
    """Suggest outcome categories and competencies for a statement, best first."""
    from levelup.services.statements import classify_statements

    env = get_env(ctx)
    if text == "-":
        found = classify_statements(env.ctx, texts=_lines(env), warn=env.warn)
        return _json_lines(env, (dict(result) for result in found))
    result = next(classify_statements(env.ctx, texts=[text], warn=env.warn))
    if as_json:
        return env.json(dict(result))
    outcomes = ", ".join(f"{o['id']} {o['score']:.2f}" for o in result["outcomes"])
    env.say(f"outcomes:     {outcomes or '(none: say why it mattered)'}")
    env.say("competencies: " + ", ".join(f"{c['id']} {c['score']:.2f}"
                                         for c in result["competencies"]))
