"""Small use cases for records: check-in scores."""

from __future__ import annotations

from typing import TYPE_CHECKING

from levelup.domain import vocab
from levelup.errors import LevelupError

if TYPE_CHECKING:
    from levelup.cli.common import Env


def parse_scores(items: list[str]) -> dict[str, int]:
    """``["listening=4", …]`` to a dict; every question id and score is checked."""
    scores: dict[str, int] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise LevelupError(f"--score '{item}' must be QUESTION=1..5")
        question = vocab.check(key, tuple(vocab.CHECKIN_QUESTIONS), "check-in question")
        if not value.strip().isdigit() or not 1 <= int(value) <= 5:
            raise LevelupError(f"--score {key}: '{value}' is not a score from 1 to 5")
        scores[question] = int(value)
    return scores


def ask_checkin(env: Env) -> dict[str, int]:
    """Ask each check-in question on the terminal."""
    import click
    import typer

    if not env.stdout.isatty():
        raise LevelupError("checkin needs --score QUESTION=1..5 when not run on a terminal")
    scores: dict[str, int] = {}
    for key, question in vocab.CHECKIN_QUESTIONS.items():
        answer = typer.prompt(f"{question} (1-5)", type=click.IntRange(1, 5))
        scores[key] = int(answer)
    return scores
