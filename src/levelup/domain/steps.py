"""Next steps: what a message suggests the user do, named by action, phrased by each adapter.

Readiness actions, what is due today, and errors point at a step; the CLI turns
``Step("expect.add", {"kind": "business-need"})`` into ``levelup expect add --kind
business-need``, a web page into a link to the form. Every action is listed in ``ACTIONS``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ACTIONS: dict[str, str] = {
    "init": "set up your profile",
    "demo": "try the demo ledger",
    "restore": "restore the ledger from a backup",
    "doctor": "check the setup",
    "config": "list the settings",
    "export": "export the ledger as one JSON document",
    "server.token.create": "make a personal API token on the team server",
    "entry.edit": "correct an entry",
    "expect.list": "list your expectations",
    "entry.list": "list your entries",
    "entry.log": "log an entry",
    "plan.list": "list your plans",
    "feedback.list": "list your feedback",
    "talk.list": "list your conversations",
    "checkin.list": "list your check-ins",
    "stakeholder.add": "add a stakeholder",
    "stakeholder.list": "list your stakeholders",
    "expect.add": "record an expectation",
    "feedback.add": "record feedback",
    "feedback.update": "link feedback to the entries that show you acted on it",
    "talk.add": "record a conversation",
    "checkin": "take the self check-in",
    "tell": "record who heard about your work",
    "project.list": "list your projects",
    "report.weekly": "write the weekly report",
    "report.agenda": "prepare the 1:1 agenda",
    "import.git": "import your repositories",
    "import.incidents": "import incident exports",
    "opportunities": "see the recurring problems",
    "opportunity.list": "list your opportunities",
    "ladder.list": "list the ladders",
    "ladder.mapping": "print the theme mapping to copy and edit",
}


@dataclass(slots=True)
class Step:
    """One next step: an action of ``ACTIONS`` and the values it is taken with."""

    action: str
    args: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise ValueError(f"unknown step action {self.action!r}")

    def to_json(self) -> dict[str, object]:
        return {"action": self.action, "args": dict(self.args)}


class Notice(str):
    """A warning line that names the step dealing with it. It is its own text, so code that
    only prints or searches warnings treats it as a line; an adapter phrases ``step``."""

    step: Step | None

    def __new__(cls, text: str, step: Step | None = None) -> Notice:
        made = super().__new__(cls, text)
        made.step = step
        return made
