"""`levelup coach` and `levelup classify`: check and file a work statement."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

import typer

from levelup.cli.common import JSON_OPTION, get_env

TEXT_ARG = typer.Argument(..., help="The statement, or '-' to read one statement per line "
                          "from standard input and print JSON Lines in the same order.")


def register(app: typer.Typer) -> None:
    app.command("coach")(coach_command)
    app.command("classify")(classify_command)


def _stream(ctx: typer.Context, answer: Callable[[str], dict[str, Any]]) -> None:
    """Answer each stdin line with one JSON object on one line (blank lines answer too)."""
    env = get_env(ctx)
    source = getattr(env, "stdin", None) or sys.stdin  # Env may carry its own stdin
    for line in source:
        env.stdout.write(json.dumps(answer(line.rstrip("\r\n")), ensure_ascii=False) + "\n")


def _coach(text: str) -> dict[str, Any]:
    from levelup.coach import coach

    return coach(text).to_dict()


def _classifier(ctx: typer.Context) -> Callable[[str], dict[str, Any]]:
    """The backend chosen by the ``classifier`` setting, as a function of one statement."""
    from levelup.classify import classifier_for

    env = get_env(ctx)
    classify = classifier_for(env.settings.classifier, env.warn)
    return lambda text: dict(classify(text, None))


def coach_command(ctx: typer.Context, text: str = TEXT_ARG, as_json: bool = JSON_OPTION) -> None:
    """Check a statement for a metric, an outcome, your action and vagueness; score 0-100."""
    if text == "-":
        return _stream(ctx, _coach)
    env = get_env(ctx)
    result = _coach(text)
    if as_json:
        return env.json(result)
    marks = {True: "yes", False: "no "}
    env.say(f"score {result['score']}/100")
    env.say(f"  metric  {marks[result['has_metric']]}   outcome {marks[result['has_outcome']]}"
            f"   action {marks[result['has_action']]}   vague {marks[result['vague']]}")
    for suggestion in result["suggestions"]:
        env.say(f"  - {suggestion}")


def classify_command(ctx: typer.Context, text: str = TEXT_ARG,
                     as_json: bool = JSON_OPTION) -> None:
    """Suggest outcome categories and competencies for a statement, best first."""
    if text == "-":
        return _stream(ctx, _classifier(ctx))
    env = get_env(ctx)
    result = _classifier(ctx)(text)
    if as_json:
        return env.json(result)
    outcomes = ", ".join(f"{o['id']} {o['score']:.2f}" for o in result["outcomes"])
    env.say(f"outcomes:     {outcomes or '(none: say why it mattered)'}")
    env.say("competencies: " + ", ".join(f"{c['id']} {c['score']:.2f}"
                                         for c in result["competencies"]))
