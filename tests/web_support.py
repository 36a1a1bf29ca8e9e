"""The web app on a test ledger: an ASGI test client, signed in or not, and a small ledger."""

from __future__ import annotations

import re
import warnings
from dataclasses import replace

from levelup.cli.common import Env
from levelup.web.app import create_app
from levelup.web.security import Guard
from tests.conftest import invoke

with warnings.catch_warnings():  # starlette 1.x prefers httpx2 for its client; httpx works
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


def client_for(env: Env, *, signed_in: bool = True) -> tuple[TestClient, Guard]:
    """A client of the app on ``env``'s ledger (one Context per request), signed in or not."""
    guard = Guard({"testserver"})
    app = create_app(lambda: replace(env.ctx), guard=guard)
    client = TestClient(app, follow_redirects=False)
    if signed_in:
        answer = client.get(f"/signin?token={guard.issue_signin()}")
        assert answer.status_code == 303, answer.text
    return client, guard


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert found, "no CSRF input in the page"
    return found.group(1)


def small_ledger(env: Env) -> None:
    """A profile, a decision maker, and a few entries this week and before."""
    steps = [
        ("init", "--name", "Ada", "--level", "L3", "--target", "L4", "--manager", "Grace"),
        ("stakeholder", "add", "Linus", "--relation", "skip-level", "--decision-maker"),
        ("log", "Cut p99 checkout latency 900ms to 250ms", "--project", "checkout",
         "--outcome", "sla", "--competency", "craft", "--date", "2026-11-18"),
        ("log", "Helped Marcus debug the queue", "--kind", "invisible", "--date", "2026-11-19"),
        ("log", "Migrated billing to the new queue", "--date", "2026-10-02"),
        ("plan", "add", "Write the rollout doc"),
    ]
    for args in steps:
        result = invoke(env, *args)
        assert result.exit_code == 0, result.output
