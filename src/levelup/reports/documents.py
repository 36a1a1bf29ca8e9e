"""The long documents: self-review, promotion packet and brag document."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from levelup.domain import vocab
from levelup.domain.models import Profile
from levelup.errors import LevelupError
from levelup.reports import content
from levelup.reports.gather import Reader, Request, quotes
from levelup.reports.model import Brag, BragPeriod, Packet, Report, Review, Section, Seen
from levelup.store import reporting as q
from levelup.store.people import find_profile


def months_back(today: date, months: int) -> date:
    """The first day of the month ``months - 1`` months before today's month."""
    index = today.year * 12 + today.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1)


def _period(request: Request) -> tuple[date, date]:
    end = request.end or request.today
    return request.start or months_back(end, request.window_months), end


def _sections(read: Reader, start: date, end: date, vocabulary: str,
              ids: tuple[str, ...]) -> list[Section]:
    found = read.strongest_by(start=start, end=end, by=vocabulary, limit=read.request.limit)
    phrase = content.OUTCOME_PHRASES if vocabulary == "outcome" else {}
    return [Section(heading=phrase.get(label, label), items=read.items(found[label]))
            for label in ids if found.get(label)]


def review(conn: Connection, request: Request) -> Report:
    """A self-review for a period: by competency and by outcome, metrics and testimonials."""
    start, end = _period(request)
    read = Reader(conn, request)
    counts = q.competency_months(conn, start=start, end=end)
    body = Review(
        by_competency=_sections(read, start, end, "competency", vocab.COMPETENCIES),
        by_outcome=_sections(read, start, end, "outcome", vocab.OUTCOMES),
        quotes=quotes(conn, start, end),
        chart=content.competency_bars(counts),
    )
    return read.report(f"Self-review, {start.isoformat()} to {end.isoformat()}", body,
                       start, end, find_profile(conn))


def packet(conn: Connection, request: Request) -> Report:
    """The promotion case for the target level."""
    start, end = _period(request)
    profile = find_profile(conn)
    read = Reader(conn, request)
    expected = ladder_expectations(profile, request.home)
    evidence = _sections(read, start, end, "competency", vocab.COMPETENCIES)
    # Highlights come from the competency evidence: one ranking pass over the period.
    candidates = {i.entry.id: i.entry for s in evidence for i in s.items}
    top = content.rank(candidates.values(), read.audience, read.coach)[: request.limit]
    highlights = read.items(top)
    shown = {section.heading for section in evidence}
    evidence += [Section(heading=c) for c in expected if c not in shown]
    for section in evidence:
        section.note = expected.get(section.heading, "")
    counts = q.competency_months(conn, start=start, end=end)
    body = Packet(
        highlights=highlights, evidence=evidence,
        quotes=quotes(conn, start, end),
        months=content.evidence_months(counts), seen=_seen(read.shown.values()),
        unseen=[i.entry.title for i in highlights if not i.decision_makers],
        chart=content.competency_bars(counts),
    )
    target = f" for {profile.target_level}" if profile else ""
    return read.report(f"Promotion case{target}", body, start, end, profile)


def _seen(items: Any) -> list[Seen]:
    """Who has heard of which shown entry; decision makers first."""
    people: dict[str, Seen] = {}
    for it in items:
        for name in it.heard_by:
            seen = people.setdefault(name, Seen(stakeholder=name,
                                                decision_maker=name in it.decision_makers))
            if it.entry.title not in seen.titles:
                seen.titles.append(it.entry.title)
    return sorted(people.values(), key=lambda s: (not s.decision_maker, s.stakeholder.lower()))


def ladder_expectations(profile: Profile | None, home: Path | None) -> dict[str, str]:
    """Competency -> what the ladder expects at the target level; empty without a ladder."""
    if profile is None:
        return {}
    try:
        from levelup.ladders import find_ladder
    except ImportError:
        return {}
    try:
        level = find_ladder(profile.ladder, home=home).check_level(profile.target_level)
    except LevelupError:  # unknown ladder or level: the packet goes without expectations
        return {}
    return {cid: " ".join(exp.expectations) for cid, exp in level.competencies.items()}


def brag(conn: Connection, request: Request) -> Report:
    """A brag document: per month or quarter, sections by kind of work."""
    start, end = _period(request)
    read = Reader(conn, request)
    periods = []
    for label, first, last in _spans(start, end, request.by):
        found = read.strongest_by(start=first, end=last, by="kind", limit=request.limit)
        sections = [Section(heading=heading, items=read.items(found[kind]))
                    for kind, heading in content.BRAG_SECTIONS.items() if found.get(kind)]
        if sections:
            periods.append(BragPeriod(label=label, sections=sections))
    body = Brag(periods=list(reversed(periods)))
    return read.report(f"Brag document, {start.isoformat()} to {end.isoformat()}", body,
                       start, end, find_profile(conn))


def _spans(start: date, end: date, by: str) -> Iterator[tuple[str, date, date]]:
    """Calendar months or quarters covering [start, end], clipped to it."""
    step = 3 if by == "quarter" else 1
    year, month = start.year, ((start.month - 1) // step) * step + 1
    while date(year, month, 1) <= end:
        nxt = date(year + (month + step - 1) // 12, (month + step - 1) % 12 + 1, 1)
        label = f"{year}-Q{(month - 1) // 3 + 1}" if step == 3 else content.month_label(year,
                                                                                         month)
        yield label, max(start, date(year, month, 1)), min(end, nxt - timedelta(days=1))
        year, month = nxt.year, nxt.month
