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
from levelup.reports.gather import Reader, Request, quotes, readiness_gaps
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
    def heading(label: str) -> str:
        if vocabulary == "outcome":
            return content.OUTCOME_PHRASES.get(label, label)
        return content.competency_heading(label)

    return [Section(heading=heading(label), items=read.items(found[label]))
            for label in ids if found.get(label)]


def review(conn: Connection, request: Request) -> Report:
    """A self-review for a period: a summary, the highlights as stories, growth areas with the
    constructive feedback and what was done about it, lessons from project post-mortems, then
    the evidence by competency and by outcome, metrics and testimonials."""
    from levelup.reports import case
    from levelup.store.records import list_feedback

    start, end = _period(request)
    profile = find_profile(conn)
    read = Reader(conn, request)
    stories = case.highlights(conn, read, start, end)
    counts = q.competency_months(conn, start=start, end=end)
    body = Review(
        highlights=stories,
        growth=[f for f in list_feedback(conn, start=start, end=end)
                if f.polarity == "constructive"],
        lessons=[p for p in case.shown_projects(conn, read.shown.values())
                 if p.went_well or p.to_improve or p.lessons],
        agreed=case.agreed(conn),
        by_competency=_sections(read, start, end, "competency", vocab.COMPETENCIES),
        by_outcome=_sections(read, start, end, "outcome", vocab.OUTCOMES),
        quotes=quotes(conn, start, end) + case.feedback_quotes(conn, start, end,
                                                               quotable_only=False),
        chart=content.competency_bars(counts),
    )
    body.summary = case.summary(profile, stories, read.shown.values(), counts,
                                request.window_months)
    report = read.report(f"Self-review, {start.isoformat()} to {end.isoformat()}", body,
                         start, end, profile)
    report.warnings += [gap for s in stories for gap in content.story_gaps(s)]
    return report


def packet(conn: Connection, request: Request) -> Report:
    """The promotion case for the target level: summary, highlights told as stories, every
    competency of the ladder beside its evidence, projects, agreements and quotes. Who has
    seen what is the author's bookkeeping, for the private preview only."""
    from levelup.reports import case

    start, end = _period(request)
    profile = find_profile(conn)
    read = Reader(conn, request)
    expected = ladder_expectations(profile, request.home)
    stories = case.highlights(conn, read, start, end)
    evidence = case.evidence(read, start, end, expected)
    counts = q.competency_months(conn, start=start, end=end)
    shown = list(read.shown.values())
    body = Packet(
        summary=case.summary(profile, stories, shown, counts, request.window_months),
        highlights=stories, evidence=evidence, projects=case.shown_projects(conn, shown),
        agreed=case.agreed(conn),
        quotes=quotes(conn, start, end) + case.feedback_quotes(conn, start, end),
        months=[(content.competency_heading(c), months)
                for c, months in content.evidence_months(counts)],
        seen=_seen(shown),
        unseen=[s.title for s in stories if not s.item.decision_makers],
        chart=content.competency_bars(counts, list(expected) or vocab.COMPETENCIES),
    )
    target = f" for {profile.target_level}" if profile else ""
    report = read.report(f"Promotion case{target}", body, start, end, profile)
    report.warnings += [gap for s in stories for gap in content.story_gaps(s)]
    report.warnings += [f"Readiness gap: {gap}" for gap in readiness_gaps(request.readiness)]
    return report


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
