"""Pages rendered from Jinja2 templates, autoescaped, with the session's CSRF token."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from levelup.domain.steps import ACTIONS, Step
from levelup.web.deps import csrf_token

# Pages that take a step's action; an action without a page yet is named, not linked.
STEP_PAGES: dict[str, str] = {
    "entry.log": "/ledger#capture",
    "entry.list": "/ledger",
    "plan.list": "/ledger?kind=plan",
    "tell": "/ledger",
}
NAV = (("/", "Dashboard"), ("/ledger", "Ledger"), ("/readiness", "Readiness"))


def templates() -> Jinja2Templates:
    env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                      autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.globals["step_link"] = step_link
    env.globals["NAV"] = NAV
    return Jinja2Templates(env=env)


def step_link(step: Step | None) -> dict[str, str] | None:
    """A step as {"href", "text"} (href empty when no page takes it yet)."""
    if step is None:
        return None
    return {"href": STEP_PAGES.get(step.action, ""), "text": ACTIONS[step.action]}


def render(request: Request, name: str, *, status: int = 200, **values: Any) -> HTMLResponse:
    """The template ``name`` filled with ``values``, the request and its CSRF token."""
    engine: Jinja2Templates = request.app.state.templates
    values.update(request=request, csrf=csrf_token(request), path=request.url.path)
    response: HTMLResponse = engine.TemplateResponse(request, name, values, status_code=status)
    return response
