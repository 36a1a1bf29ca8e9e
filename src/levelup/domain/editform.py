"""The readable text form of an entry that `levelup edit` opens in $EDITOR, and its parser."""

from __future__ import annotations

from datetime import date
from typing import Any

from levelup.domain import vocab
from levelup.domain.metrics import format_metric, parse_metric
from levelup.domain.models import STORY_FIELDS, Entry, Label, Testimonial

HEADER = (
    "# Edit entry #{id}. Lines starting with # are ignored; save and quit to apply,\n"
    "# or empty the file to cancel. Labels you keep here count as confirmed.\n"
    "# kinds: {kinds}\n# outcomes: {outcomes}\n# competencies: {competencies}\n"
    "# The story, each part optional: context (the situation), why (why it mattered to the\n"
    "# business), did (what you did yourself), result_now, result_later, prevented.\n"
)
NEW_HEADER = (
    "# New entry. Lines starting with # are ignored; fill in the title, save and quit to\n"
    "# log it, or leave the title empty to log nothing.\n"
)


class EditError(ValueError):
    """The edited text does not read as an entry; names the field."""


def render(entry: Entry) -> str:
    import yaml

    data: dict[str, Any] = {
        "title": entry.title,
        "date": entry.date.isoformat(),
        "end_date": entry.end_date.isoformat() if entry.end_date else None,
        "kind": entry.kind,
        "project": entry.project,
        "outcomes": entry.outcome_ids,
        "competencies": entry.competency_ids,
        "metrics": [format_metric(m) for m in entry.metrics],
        **{name: getattr(entry, name) for name in STORY_FIELDS},
        "links": entry.links,
        "testimonials": [{"quote": q.quote, "author": q.author} for q in entry.testimonials],
        "status": entry.status,
        "details": entry.details,
    }
    header = HEADER.format(
        id=entry.id, kinds=", ".join(vocab.ENTRY_KINDS), outcomes=", ".join(vocab.OUTCOMES),
        competencies=", ".join(vocab.COMPETENCIES),
    )
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def render_new(today: date) -> str:
    """The empty form `levelup log` opens when given no title, dated ``today``."""
    form = render(Entry(title="", date=today))
    return NEW_HEADER + form.split("\n", 2)[2]  # the edit header's first two lines go


def parse_new(text: str, today: date) -> Entry | None:
    """The entry a filled ``render_new`` form describes; None when its title is empty."""
    import yaml

    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    try:
        data = yaml.safe_load(body) if body.strip() else None
    except (yaml.YAMLError, ValueError):
        data = {"title": "?"}  # parse names the error
    if not isinstance(data, dict) or not str(data.get("title") or "").strip():
        return None
    return parse(text, Entry(title="", date=today))


def parse(text: str, original: Entry) -> Entry | None:
    """The entry as edited, or None when the user emptied the file (cancel)."""
    import yaml

    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    if not body.strip():
        return None
    try:
        data = yaml.safe_load(body)
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: a date like 2026-02-30
        raise EditError(f"the edited entry is not valid YAML: {exc}".splitlines()[0]) from None
    if not isinstance(data, dict):
        raise EditError("the edited entry must be 'field: value' lines")
    unknown = set(data) - set(render_fields())
    if unknown:
        raise EditError(f"unknown field '{sorted(unknown)[0]}'")
    return _entry(data, original)


def render_fields() -> tuple[str, ...]:
    return ("title", "date", "end_date", "kind", "project", "outcomes", "competencies",
            "metrics", *STORY_FIELDS, "links", "testimonials", "status", "details")


def _day(value: Any, field: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise EditError(f"{field}: '{value}' is not a date (YYYY-MM-DD)") from None


def _list(value: Any, field: str) -> list[Any]:
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, list):
        raise EditError(f"{field}: expected a list")
    return value


def _entry(data: dict[str, Any], original: Entry) -> Entry:
    title = str(data.get("title") or "").strip()
    if not title:
        raise EditError("title: must not be empty")
    day = _day(data.get("date"), "date")
    if day is None:
        raise EditError("date: must not be empty")
    testimonials = []
    for item in _list(data.get("testimonials"), "testimonials"):
        if not isinstance(item, dict) or not item.get("quote"):
            raise EditError("testimonials: each needs 'quote' and 'author'")
        testimonials.append(Testimonial(quote=str(item["quote"]), author=str(item.get("author"))))
    return Entry(
        id=original.id, uid=original.uid, source=original.source, source_id=original.source_id,
        created_at=original.created_at, title=title, date=day,
        end_date=_day(data.get("end_date"), "end_date"),
        kind=vocab.check(str(data.get("kind") or "win"), vocab.ENTRY_KINDS, "kind"),
        project=(str(data["project"]).strip() or None) if data.get("project") else None,
        outcomes=[Label(id=vocab.check(str(o), vocab.OUTCOMES, "outcome"))
                  for o in _list(data.get("outcomes"), "outcomes")],
        competencies=[Label(id=vocab.check(str(c), vocab.COMPETENCIES, "competency"))
                      for c in _list(data.get("competencies"), "competencies")],
        metrics=[parse_metric(str(m)) for m in _list(data.get("metrics"), "metrics")],
        links=[str(u) for u in _list(data.get("links"), "links")],
        testimonials=testimonials,
        status=data.get("status") or None,
        details=str(data.get("details") or "").rstrip("\n"),
        **{name: str(data.get(name) or "").strip() for name in STORY_FIELDS},
    )
