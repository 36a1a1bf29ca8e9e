"""Jira issues as ledger entries: shared by the REST API import and the CSV export import."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from levelup.domain.models import Entry

INCIDENT_TYPES = frozenset({"incident", "outage", "post-incident review", "bug"})
PREVENTION_TYPES = frozenset({"problem", "post-incident action", "postmortem action"})
PREVENTION_LABELS = ("postmortem", "post-mortem", "prevention", "follow-up", "action-item",
                     "reliability", "pir")
DONE_WORDS = ("done", "closed", "resolved", "fixed", "complete")


@dataclass(slots=True)
class JiraIssue:
    """What levelup keeps of a Jira issue, from the API or a CSV row."""

    key: str
    summary: str
    issue_type: str = ""
    status: str = ""
    priority: str = ""
    resolution: str = ""
    created: date | None = None
    resolved: date | None = None
    story_points: float | None = None
    epic: str = ""
    parent: str = ""  # the parent issue's name, when it is not already the epic
    project: str = ""
    labels: list[str] = field(default_factory=list)
    components: list[str] = field(default_factory=list)
    description: str = ""

    @property
    def day(self) -> date | None:
        """The day that counts for the range: resolved, else created."""
        return self.resolved or self.created


def issue_kind(issue: JiraIssue) -> tuple[str, str | None]:
    """(kind, plan status): incidents and bugs are incident candidates, follow-ups prevention."""
    type_ = issue.issue_type.strip().lower()
    labels = [label.lower() for label in issue.labels]
    if type_ in PREVENTION_TYPES or any(p in label for label in labels for p in PREVENTION_LABELS):
        return "prevention", None
    if type_ in INCIDENT_TYPES or "incident" in labels:
        return "incident", None
    # Jira sets a resolution when an issue is done (in the site's language); no resolution,
    # no resolved date and no status saying done: still open
    if (issue.resolved is None and not issue.resolution
            and not issue.status.lower().startswith(DONE_WORDS)):
        return "plan", "open"
    return "win", None


def issue_entry(issue: JiraIssue, *, browse_url: str | None) -> Entry:
    """The entry of one issue; details keep type, priority, story points and epic."""
    kind, status = issue_kind(issue)
    start = issue.created or issue.resolved
    assert start is not None
    if issue.resolved and issue.resolved < start:
        start = issue.resolved  # created after it was resolved: a migrated issue's dates
    end = issue.resolved if issue.resolved and issue.resolved != start else None
    return Entry(
        title=issue.summary, date=start, end_date=end, kind=kind, status=status,
        details=_details(issue), links=[f"{browse_url.rstrip('/')}/browse/{issue.key}"]
        if browse_url else [], source="jira", source_id=issue.key,
    )


def _details(issue: JiraIssue) -> str:
    facts = [f"Jira {issue.key}"]
    for label, value in (("type", issue.issue_type), ("priority", issue.priority),
                         ("status", issue.status), ("resolution", issue.resolution),
                         ("epic", issue.epic), ("parent", issue.parent),
                         ("project", issue.project)):
        if value:
            facts.append(f"{label}: {value}")
    if issue.story_points is not None:
        facts.append(f"story points: {issue.story_points:g}")
    if issue.labels:
        facts.append(f"labels: {', '.join(issue.labels)}")
    if issue.components:
        facts.append(f"components: {', '.join(issue.components)}")
    text = "; ".join(facts) + "."
    if issue.description.strip():
        from levelup.importers.common import first_paragraph

        text += "\n\n" + first_paragraph(issue.description)
    return text


def points(value: object) -> float | None:
    """Story points as Jira gives them (a number, a numeric string, or nothing); a decimal
    comma, as exports in many languages write it (``2,5``), is read too."""
    if value is None or value == "":
        return None
    text = str(value).strip()
    if re.fullmatch(r"\d+,\d+", text):
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None
