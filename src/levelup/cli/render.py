"""Plain-text renderings of entries for the terminal (fast: no table layout engine)."""

from __future__ import annotations

from collections.abc import Iterable

from levelup.domain.metrics import format_metric
from levelup.domain.models import STORY_FIELDS, Entry

# How `levelup show` names the parts of an entry's story.
STORY_LABELS = {"context": "context", "why": "why", "did": "I did", "result_now": "result now",
                "result_later": "result later", "prevented": "prevented"}


def labels(entry: Entry) -> str:
    parts = [lab.id + ("" if lab.confirmed else "?")
             for lab in entry.outcomes + entry.competencies]
    return f"[{' '.join(parts)}]" if parts else ""


def line(entry: Entry) -> str:
    """One line an entry: id, date, kind, project, title, labels, first metric."""
    project = (entry.project or "")[:14]
    metric = f" ({format_metric(entry.metrics[0])})" if entry.metrics else ""
    tags = labels(entry)
    tail = f" {tags}" if tags else ""
    head = f"#{entry.id:<6} {entry.date}  {entry.kind:<10} {project:<14}"
    return f"{head} {entry.title}{metric}{tail}"


def lines(entries: Iterable[Entry]) -> str:
    return "\n".join(line(entry) for entry in entries)


def detail(entry: Entry, heard_by: list[tuple[str, bool]]) -> str:
    """Every field of one entry, for `levelup show`."""
    span = f"{entry.date} .. {entry.end_date}" if entry.end_date else str(entry.date)
    out = [f"#{entry.id}  {entry.title}", f"  date:         {span}",
           f"  kind:         {entry.kind}"]
    if entry.project:
        out.append(f"  project:      {entry.project}")
    if entry.status:
        out.append(f"  status:       {entry.status}")
    for name, group in (("outcomes", entry.outcomes), ("competencies", entry.competencies)):
        if group:
            shown = ", ".join(lab.id + ("" if lab.confirmed else " (suggested)") for lab in group)
            out.append(f"  {name + ':':<13} {shown}")
    out += [f"  metric:       {format_metric(m)}" for m in entry.metrics]
    out += [f"  link:         {url}" for url in entry.links]
    out += [f'  testimonial:  "{q.quote}" ({q.author})' for q in entry.testimonials]
    out += [f"  {STORY_LABELS[name] + ':':<13} {getattr(entry, name)}"
            for name in STORY_FIELDS if getattr(entry, name)]
    if entry.source != "manual":
        out.append(f"  source:       {entry.source} {entry.source_id or ''}".rstrip())
    heard = ", ".join(name + (" *" if decides else "") for name, decides in heard_by)
    out.append(f"  heard by:     {heard or 'nobody yet (levelup tell)'}")
    if entry.details:
        out += ["", *("  " + row for row in entry.details.splitlines())]
    return "\n".join(out)


def hit(kind: str, item: object) -> str:
    """One search result of any kind: entry, feedback or conversation."""
    if isinstance(item, Entry):
        return f"{'entry':<13} " + line(item)
    text = getattr(item, "text", None) or getattr(item, "notes", "")
    who = getattr(item, "giver", None) or getattr(item, "with_", "")
    return f"{kind:<13} #{getattr(item, 'id', '')!s:<6} {getattr(item, 'date', '')}  {who}: {text}"
