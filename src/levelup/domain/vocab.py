"""The fixed vocabularies of PRODUCT.md: the public contract of CLI, JSON and tests."""

from __future__ import annotations

import difflib

OUTCOMES: tuple[str, ...] = ("safety", "revenue", "profit", "culture", "sla", "kpi", "people")
COMPETENCIES: tuple[str, ...] = (
    "craft",
    "delivery",
    "ownership",
    "influence",
    "mentoring",
    "communication",
    "strategy",
    "collaboration",
)
OPPORTUNITY_KINDS: tuple[str, ...] = (
    "usability",
    "support-cost",
    "speed",
    "reach",
    "setup",
    "scale",
    "quality",
)
ENTRY_KINDS: tuple[str, ...] = (
    "win",
    "invisible",
    "learning",
    "incident",
    "prevention",
    "mentoring",
    "plan",
    "other",
)
EXPECTATION_KINDS: tuple[str, ...] = (
    "responsibility",
    "deliverable",
    "critical-task",
    "success-definition",
    "kpi",
    "business-need",
)
RELATIONS: tuple[str, ...] = (
    "manager",
    "skip-level",
    "peer",
    "partner",
    "customer",
    "promotion-committee",
    "mentee",
    "report",
    "other",
)
CHANNELS: tuple[str, ...] = (
    "1:1",
    "weekly-report",
    "demo",
    "design-review",
    "email",
    "chat",
    "meeting",
    "presentation",
    "document",
    "other",
)
FEEDBACK_POLARITIES: tuple[str, ...] = ("positive", "constructive")
FEEDBACK_STATUSES: tuple[str, ...] = ("open", "in-progress", "done", "dropped")
PROJECT_STATUSES: tuple[str, ...] = ("planned", "active", "done", "cancelled")
PLAN_STATUSES: tuple[str, ...] = ("open", "done", "dropped", "moved")
CONVERSATION_KINDS: tuple[str, ...] = ("1:1", "career", "skip-level", "review", "other")

# The self check-in: attitude and teamwork questions from the method, each scored 1-5.
CHECKIN_QUESTIONS: dict[str, str] = {
    "listening": "I listened before deciding and could restate others' views.",
    "openness": "I was open to ideas and criticism that went against mine.",
    "influence": "I moved decisions through influence, not authority or insistence.",
    "helping": "I made time to help colleagues and unblock them.",
    "attitude": "I kept a constructive attitude under pressure.",
    "ownership": "I followed through on what I said I would do.",
}

# The standing 1:1 questions of the method, asked and answered over time.
QUESTION_BANK: tuple[str, ...] = (
    "What is the most important goal for me this quarter?",
    "Am I working on the right projects?",
    "Who is a model of what success looks like at the next level?",
    "What are two or three things I should improve?",
    "What does success in my role look like to you?",
    "Which three tasks are most critical to my role right now?",
    "What would make you confident I am operating at the next level?",
)


class UnknownValue(ValueError):
    """A value outside a fixed vocabulary; the message names the nearest valid one."""


def check(value: str, allowed: tuple[str, ...], what: str) -> str:
    """Return value normalised to lower case, or raise UnknownValue suggesting the nearest id."""
    norm = value.strip().lower()
    if norm in allowed:
        return norm
    near = difflib.get_close_matches(norm, allowed, n=1, cutoff=0.5)
    hint = f"; did you mean '{near[0]}'?" if near else f"; choose from {', '.join(allowed)}"
    raise UnknownValue(f"unknown {what} '{value}'{hint}")
