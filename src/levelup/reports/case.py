"""The promotion packet as a case: a summary from the strongest evidence, highlights told as
stories, every competency of the ladder beside its evidence, projects, agreements and quotes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from sqlalchemy import Connection

from levelup.domain import vocab
from levelup.domain.models import Entry, Expectation, Profile, Project
from levelup.reports import content
from levelup.reports.gather import Reader
from levelup.reports.model import Item, Quote, Section, Story
from levelup.store import reporting as q

Counts = Mapping[str, Mapping[tuple[int, int], int]]
SUSTAINED_MONTHS = 3  # months with evidence that make a competency "sustained" in the summary


def highlights(conn: Connection, read: Reader, start: date, end: date) -> list[Story]:
    """The period's strongest entries of any kind, ranked by impact, told as stories; an entry
    whose only measured effect went the wrong way is never one."""
    limit = read.request.limit
    found = q.strongest_entries(conn, start=start, end=end, limit=limit * 6)
    ranked = content.rank(content.impact_only(found), read.heard(found), read.coach)[:limit]
    stories_of = projects_of(conn, ranked)
    read.items(ranked)
    return [content.story(e, stories_of.get(e.project or ""), read.audience) for e in ranked]


def projects_of(conn: Connection, entries: Iterable[Entry]) -> dict[str, Project]:
    """The recorded projects the entries belong to, by name."""
    from levelup.store.projects import list_projects

    names = {e.project for e in entries if e.project}
    return {p.name: p for p in list_projects(conn) if p.name in names} if names else {}


def evidence(read: Reader, start: date, end: date, expected: Mapping[str, str]
             ) -> list[Section]:
    """Every competency of the ladder (in its order) with what it expects and the evidence;
    an entry told in full once in the report is only mentioned elsewhere."""
    order = list(expected) or list(vocab.COMPETENCIES)
    found = read.strongest_by(start=start, end=end, by="competency", limit=read.request.limit)
    told = set(read.shown)
    sections = []
    for competency in order:
        full: list[Entry] = []
        brief: list[Entry] = []
        for entry in found.get(competency, []):
            (brief if entry.id in told else full).append(entry)
            told.add(entry.id or -1)
        sections.append(Section(heading=content.competency_heading(competency),
                                items=read.items(full), mentions=read.items(brief),
                                note=expected.get(competency, "")))
    return sections


def summary(profile: Profile | None, stories: list[Story], items: Iterable[Item],
            counts: Counts, months: int) -> list[str]:
    """The case in a few sentences, each phrasing recorded facts: who, for what level, the
    scope of the work shown, how sustained it is, and the strongest evidence."""
    out = []
    if profile:
        out.append(f"{profile.name} works at {profile.level} and is making the case for "
                   f"{profile.target_level} on the {profile.ladder} ladder.")
    shown = list(items)
    projects = sorted({i.entry.project for i in shown if i.entry.project})
    outcomes = sorted({o for i in shown for o in i.outcomes})
    if projects or outcomes:
        scope = f"The work shown spans {_count(len(projects), 'project')}"
        scope += f" ({', '.join(projects)})" if projects else ""
        scope += f" and served {', '.join(outcomes)}." if outcomes else "."
        out.append(scope)
    sustained = sorted(((len(by_month), c) for c, by_month in counts.items()
                        if len(by_month) >= SUSTAINED_MONTHS), reverse=True)
    if sustained:
        named = ", ".join(f"{content.competency_heading(c)} ({n} months)" for n, c in sustained)
        out.append(f"Why now: sustained evidence over the last {months} months in {named}.")
    if stories:
        strongest = "; ".join(s.title + (f" ({s.now[0]})" if s.now else "") for s in stories[:3])
        out.append(f"Strongest evidence: {strongest}.")
    return out


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def feedback_quotes(conn: Connection, start: date, end: date, *, quotable_only: bool = True
                    ) -> list[Quote]:
    """Feedback the user marked as quotable, as quotes (``quotable_only=False``: any positive
    feedback, for the self-review)."""
    from levelup.store.records import list_feedback

    return [Quote(quote=f.text, author=f.giver,
                  about=content.competency_heading(f.competency) if f.competency
                  else f"feedback of {f.date.isoformat()}")
            for f in list_feedback(conn, start=start, end=end)
            if f.quotable or (not quotable_only and f.polarity == "positive")]


def shown_projects(conn: Connection, items: Iterable[Item]) -> list[Project]:
    """The recorded projects of the entries a report shows, with their role and stretch."""
    return sorted(projects_of(conn, (i.entry for i in items)).values(), key=lambda p: p.name)


def agreed(conn: Connection) -> list[Expectation]:
    """What was agreed with the manager: expectations and critical tasks, oldest first."""
    from levelup.store.records import list_expectations

    return sorted(list_expectations(conn), key=lambda e: (e.agreed_on, e.id or 0))
