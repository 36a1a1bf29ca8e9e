"""PagerDuty REST API v2 pages: ``{"incidents": [...], "limit", "offset", "more"}``.

Each incident has ``id``, ``incident_number``, ``title``, ``created_at``, ``status``,
``last_status_change_at`` (the resolve time once ``status`` is ``resolved``; some payloads
also carry ``resolved_at``), ``service.summary``, ``urgency``,
``assignments[].assignee.summary`` and ``acknowledgements[].acknowledger.summary``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from levelup.domain.models import Incident
from levelup.importers.oncall.times import DEFAULT_RULES, TimeRules

SOURCE = "pagerduty"


def incidents_of(page: Any) -> list[Any] | None:
    """The incident list of a page, or None when ``page`` is not such a page."""
    if isinstance(page, dict) and isinstance(page.get("incidents"), list):
        found: list[Any] = page["incidents"]
        return found
    return None


def read_page(items: list[Any], times: TimeRules = DEFAULT_RULES
              ) -> Iterator[tuple[int, Incident | str]]:
    """(index, incident) for each good item, (index, reason) for each bad one."""
    for index, item in enumerate(items):
        try:
            yield index, to_incident(item, times)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            yield index, str(exc) or type(exc).__name__


def to_incident(item: dict[str, Any], times: TimeRules = DEFAULT_RULES) -> Incident:
    """The incident of one item; times in UTC (the API's default) move to the user's clock."""
    title = str(item.get("title") or item.get("summary") or item.get("description") or "")
    if not title.strip():
        raise ValueError("no title")
    if not item.get("created_at"):
        raise ValueError("no created_at")
    created = times.parse(str(item["created_at"]))
    resolved_text = item.get("resolved_at") or (
        item.get("last_status_change_at") if item.get("status") == "resolved" else None
    )
    resolved = times.parse(str(resolved_text)) if resolved_text else None
    created, resolved = times.pair(created, resolved)
    source_id = str(item.get("id") or item.get("incident_number") or "")
    if not source_id:
        raise ValueError("no id")
    return Incident(
        source=SOURCE, source_id=source_id, created=created, resolved=resolved,
        service=_summary(item.get("service"))[:200], title=title.strip(),
        urgency=str(item.get("urgency") or "")[:40], assignee=_people(item),
    )


def _summary(ref: Any) -> str:
    if isinstance(ref, dict):
        return str(ref.get("summary") or ref.get("name") or ref.get("id") or "")
    return ""


def _people(item: dict[str, Any]) -> str:
    names: list[str] = []
    refs = [a.get("assignee") for a in item.get("assignments") or [] if isinstance(a, dict)]
    refs += [a.get("acknowledger") for a in item.get("acknowledgements") or []
             if isinstance(a, dict)]
    changed_by = item.get("last_status_change_by")
    if isinstance(changed_by, dict) and changed_by.get("type") == "user_reference":
        refs.append(changed_by)
    for ref in refs:
        name = _summary(ref)
        if name and name not in names:
            names.append(name)
    return "; ".join(names)[:200]
