"""Helpers for the opportunity-finder tests: fixtures' folder and the CLI registration."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from levelup.cli.common import Env
from tests.conftest import invoke

FIXTURES = Path(__file__).parent / "fixtures" / "incidents"


def run_json(env: Env, *args: str) -> Any:
    result = invoke(env, *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)
