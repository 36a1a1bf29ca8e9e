"""Pure functions turning recorded entries and records into report parts.

Nothing here makes up a fact: every string is a recorded field, a vocabulary id phrased by a
fixed table, or a fixed piece of wording around them. No arithmetic on recorded numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date

from levelup.domain import vocab
from levelup.domain.metrics import format_metric
from levelup.domain.models import Entry, Project
from levelup.reports.model import Bar, Item, PlanLine, Story

# How each outcome id reads in a sentence about why work mattered.
OUTCOME_PHRASES: dict[str, str] = {
    "safety": "safety",
    "revenue": "revenue",
    "profit": "profit and cost",
    "culture": "team culture",
    "sla": "the SLA",
    "kpi": "the team's KPIs",
    "people": "growing team members",
}
WIN_KINDS: tuple[str, ...] = ("win", "prevention", "mentoring", "learning")
BRAG_SECTIONS: dict[str, str] = {
    "win": "Wins",
    "prevention": "Fires prevented",
    "mentoring": "Mentoring and growing others",
    "learning": "Learning that changed something",
    "invisible": "Invisible work",
    "incident": "Incidents handled",
}

Audience = Mapping[int, list[tuple[str, bool]]]
Scorer = Callable[[Entry], int]


def item(entry: Entry, audience: Audience | None = None) -> Item:
    """An entry's recorded fields, phrased for a report."""
    heard = (audience or {}).get(entry.id or -1, [])
    return Item(
        entry=entry,
        metrics=[format_metric(m) for m in entry.metrics],
        outcomes=[OUTCOME_PHRASES.get(o, o) for o in entry.outcome_ids],
        competencies=list(entry.competency_ids),
        heard_by=[name for name, _ in heard],
        decision_makers=[name for name, decides in heard if decides],
    )


def strength(entry: Entry, audience: Audience | None = None, coach: Scorer | None = None) -> int:
    """Recorded evidence: metric 200, outcome/testimonial/decision maker heard 100 each, plus the
    coach's 0-100 score of the wording when the coach is available."""
    heard = (audience or {}).get(entry.id or -1, [])
    points = 200 * bool(entry.metrics) + 100 * bool(entry.outcomes)
    points += 100 * bool(entry.testimonials) + 100 * any(decides for _, decides in heard)
    return points + (coach(entry) if coach else 0)


def rank(entries: Iterable[Entry], audience: Audience | None = None,
         coach: Scorer | None = None) -> list[Entry]:
    """Entries strongest first; ties go to the most recent."""
    return sorted(entries, key=lambda e: (strength(e, audience, coach), e.date, e.id or 0),
                  reverse=True)


def story(entry: Entry, project: Project | None, audience: Audience | None = None) -> Story:
    """The 1:1 chapter of one entry, from its fields and its project's."""
    context = [f"Project {entry.project}" + (f": {project.goal}" if project and project.goal
                                             else "")] if entry.project else []
    if entry.details:
        context.append(entry.details.strip())
    why = [OUTCOME_PHRASES.get(o, o) for o in entry.outcome_ids]
    later = [project.outcome] if project and project.outcome else []
    later += [f"\u201c{q.quote}\u201d ({q.author})" for q in entry.testimonials]
    now = [format_metric(m) for m in entry.metrics]
    prevented = ""
    if entry.kind == "prevention":  # its measured effect is what it prevents
        prevented, now = "; ".join(now) or "recorded as prevention work", []
    return Story(item=item(entry, audience), context=context, why=why, did=entry.title,
                 now=now, later=later, prevented=prevented)


def story_gaps(story: Story) -> list[str]:
    """What a chapter is missing, for the author's private preview."""
    title = story.did
    gaps = []
    if not story.why:
        gaps.append(f"'{title}': no outcome recorded, so the agenda cannot say why it mattered "
                    "(add --outcome).")
    if not story.now:
        gaps.append(f"'{title}': no metric recorded, so the result has no number "
                    "(add --metric).")
    if not story.context:
        gaps.append(f"'{title}': no project or details, so there is no context.")
    return gaps


def plan_lines(plans: Iterable[Entry]) -> list[PlanLine]:
    return [PlanLine(title=p.title, status=p.status or "open", day=p.date) for p in plans]


def by_project(entries: Iterable[Entry], *, projects: int = 8, per_project: int = 5
               ) -> list[tuple[str, list[Entry]]]:
    """Where time went: entries grouped by project, the busiest projects first, each capped."""
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        groups.setdefault(entry.project or "No project", []).append(entry)
    busiest = sorted(groups.items(), key=lambda kv: len(kv[1]), reverse=True)[:projects]
    return [(name, found[:per_project]) for name, found in busiest]


def pick_question(asked: Mapping[str, date], bank: Iterable[str] = vocab.QUESTION_BANK) -> str:
    """The first bank question not asked recently, else the one asked longest ago."""
    questions = list(bank)
    fresh = [q for q in questions if _norm(q) not in {_norm(a) for a in asked}]
    if fresh:
        return fresh[0]
    last = {_norm(q): day for q, day in asked.items()}
    return min(questions, key=lambda q: last.get(_norm(q), date.min))


def _norm(question: str) -> str:
    return " ".join(question.lower().rstrip("?").split())


def month_label(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def evidence_months(counts: Mapping[str, Mapping[tuple[int, int], int]]
                    ) -> list[tuple[str, list[str]]]:
    """Per competency (vocabulary order), the months in which it has evidence."""
    return [(c, [month_label(*ym) for ym in sorted(counts[c])])
            for c in vocab.COMPETENCIES if counts.get(c)]


def competency_bars(counts: Mapping[str, Mapping[tuple[int, int], int]]) -> list[Bar]:
    """Entries per competency over the period, for the chart."""
    return [Bar(label=c, value=sum(counts[c].values())) for c in vocab.COMPETENCIES
            if counts.get(c)]


def weak_warnings(items: Iterable[Item], coach: Scorer | None, weak_score: int) -> list[str]:
    """Coach notes on weak entries: the author's private preview, never the sent report."""
    out = []
    for it in items:
        missing = [what for what, ok in (("a metric", it.metrics), ("an outcome", it.outcomes))
                   if not ok]
        score = coach(it.entry) if coach else None
        if missing or (score is not None and score < weak_score):
            why = f"missing {' and '.join(missing)}" if missing else "wording is weak"
            out.append(f"#{it.entry.id} '{it.entry.title}': {why}"
                       + (f" (coach score {score})" if score is not None else ""))
    return out
