"""How the terminal phrases a next step: the command that takes it."""

from __future__ import annotations

from levelup.domain.steps import ACTIONS, Notice, Step

# Words after `levelup` for each action; args become `--name value` (or a positional `_`).
COMMANDS: dict[str, str] = {
    "init": "init",
    "demo": "demo",
    "restore": "restore",
    "doctor": "doctor",
    "config": "config",
    "export": "export",
    "server.token.create": "server token create",
    "entry.edit": "edit",
    "expect.list": "expect list",
    "entry.list": "list",
    "entry.log": "log",
    "plan.list": "plan list",
    "feedback.list": "feedback list",
    "talk.list": "talk list",
    "checkin.list": "checkin list",
    "stakeholder.add": "stakeholder add",
    "stakeholder.list": "stakeholder list",
    "expect.add": "expect add",
    "feedback.add": "feedback add",
    "feedback.update": "feedback update",
    "talk.add": "talk add",
    "checkin": "checkin",
    "tell": "tell",
    "project.list": "project list",
    "report.weekly": "report weekly",
    "report.agenda": "report agenda",
    "import.git": "import git",
    "import.incidents": "import incidents",
    "opportunities": "opportunities",
    "opportunity.list": "opportunity list",
    "ladder.list": "ladder list",
    "ladder.mapping": "ladder mapping",
}
assert COMMANDS.keys() == ACTIONS.keys(), "every action needs a command"


def command(step: Step) -> str:
    """``levelup expect add --kind business-need`` for ``Step("expect.add", {"kind": …})``.

    An arg named ``_`` is positional and comes first; a flag with an empty value stands alone.
    """
    words = ["levelup", COMMANDS[step.action]]
    if "_" in step.args:
        words.append(step.args["_"])
    for name, value in step.args.items():
        if name == "_":
            continue
        flag = "--" + name.replace("_", "-")
        words.append(flag if value == "" else f"{flag} {value}")
    return " ".join(words)


def notice(text: str) -> str:
    """A warning line for a terminal: a ``Notice``'s step as its command, in backquotes."""
    step = text.step if isinstance(text, Notice) else None
    return f"{text} (`{command(step)}`)" if step is not None else str(text)
