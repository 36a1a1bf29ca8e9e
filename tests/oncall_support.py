"""Helpers for the opportunity-finder tests: fixtures' folder, the CLI registration, and the
machine's time zone (pages from UTC exports are judged on its clock)."""

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
