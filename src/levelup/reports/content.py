"""Pure functions turning recorded entries and records into report parts.

Nothing here makes up a fact: every string is a recorded field, a vocabulary id phrased by a
fixed table, or a fixed piece of wording around them. The only arithmetic on recorded numbers is
a metric's percent change and a count of recorded things.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date

from levelup.domain import vocab
from levelup.domain.metrics import display_metric, improved, regressed, regression_note
from levelup.domain.models import Entry, Label, Metric, Project
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


def shown_metrics(metrics: Iterable[Metric]) -> list[str]:
    """The metrics a reader sees: every one that did not move the wrong way, phrased."""
    return [display_metric(m, html=True) for m in metrics if not regressed(m)]


def item(entry: Entry, audience: Audience | None = None) -> Item:
    """An entry's recorded fields, phrased for a report; a regressed metric is never impact."""
    heard = (audience or {}).get(entry.id or -1, [])
    return Item(
        entry=entry,
        metrics=shown_metrics(entry.metrics),
        outcomes=[OUTCOME_PHRASES.get(o, o) for o in entry.outcome_ids],
        competencies=list(entry.competency_ids),
        heard_by=[name for name, _ in heard],
        decision_makers=[name for name, decides in heard if decides],
        regressed=[regression_note(m) for m in entry.metrics if regressed(m)],
    )


def _confirmed(labels: list[Label]) -> int:
    return sum(1 for label in labels if label.confirmed)


def strength(entry: Entry, audience: Audience | None = None, coach: Scorer | None = None) -> int:
    """Recorded evidence: a metric that improved 200 (one that moved the wrong way 0, one of
    unknown direction 100), an outcome 100 (50 while only suggested), a testimonial and a
    decision maker having heard 100 each, 20 per confirmed competency, plus the coach's 0-100
    score of the wording when the coach is available."""
    heard = (audience or {}).get(entry.id or -1, [])
    moved = [improved(m) for m in entry.metrics]
    points = 200 if True in moved else 100 if None in moved else 0
    if entry.outcomes:
        points += 100 if _confirmed(entry.outcomes) else 50
    points += 20 * _confirmed(entry.competencies)
    points += 100 * bool(entry.testimonials) + 100 * any(decides for _, decides in heard)
    return points + (coach(entry) if coach else 0)


def rank(entries: Iterable[Entry], audience: Audience | None = None,
         coach: Scorer | None = None) -> list[Entry]:
    """Entries strongest first; ties go to the most recent."""
    return sorted(entries, key=lambda e: (strength(e, audience, coach), e.date, e.id or 0),
                  reverse=True)


def impact_only(entries: Iterable[Entry]) -> list[Entry]:
    """Entries fit to stand as impact: none whose only measured effect went the wrong way."""
    return [e for e in entries
            if not (any(regressed(m) for m in e.metrics)
                    and not any(improved(m) for m in e.metrics))]


def _said(text: str) -> list[str]:
    return [text.strip()] if text.strip() else []


def _sentence(text: str) -> str:
    """A recorded phrase ending like a sentence, so parts read well one after another."""
    return text if text.endswith((".", "!", "?", ":")) else text + "."


def story(entry: Entry, project: Project | None, audience: Audience | None = None) -> Story:
    """An entry told as a story, from its recorded story fields, its details, project, labels,
    metrics and links; a part nothing records is left empty, never filled."""
    context = [f"Project {entry.project}" + (f": {project.goal}" if project and project.goal
                                             else "")] if entry.project else []
    context = [_sentence(part) for part in context + _said(entry.context) + _said(entry.details)]
    outcomes = [OUTCOME_PHRASES.get(o, o) for o in entry.outcome_ids]
    why = _said(entry.why) + ([f"it served {', '.join(outcomes)}"] if outcomes else [])
    now = _said(entry.result_now) + shown_metrics(entry.metrics)
    later = _said(entry.result_later) + ([project.outcome] if project and project.outcome
                                         else [])
    later += [f"\u201c{q.quote}\u201d ({q.author})" for q in entry.testimonials]
    prevented = entry.prevented.strip()
    if not prevented and entry.kind == "prevention" and len(now) > len(_said(entry.result_now)):
        prevented = "; ".join(shown_metrics(entry.metrics))  # its measured effect
        now = _said(entry.result_now)
    return Story(item=item(entry, audience), title=entry.title, context=context, why=why,
                 did=entry.did.strip(), now=now, later=later, prevented=prevented,
                 links=list(entry.links))


STORY_PARTS: tuple[tuple[str, str], ...] = (
    ("context", "context"), ("why", "why it mattered"), ("did", "what you did yourself"),
    ("now", "result now"), ("later", "result later"),
)


def story_gaps(story: Story) -> list[str]:
    """What a story is missing, for the author's private preview."""
    missing = [name for part, name in STORY_PARTS if not getattr(story, part)]
    if not missing:
        return []
    return [f"'{story.title}': not recorded, so left out of its story: {', '.join(missing)}."]


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


def competency_heading(competency: str) -> str:
    """A competency as the ladder spells it (ladders key competencies by a lowercase name)."""
    return competency.replace("-", " ").replace("_", " ").capitalize()


def competency_bars(counts: Mapping[str, Mapping[tuple[int, int], int]],
                    competencies: Iterable[str] = vocab.COMPETENCIES) -> list[Bar]:
    """Entries per competency over the period, for the chart; competencies with none show 0."""
    return [Bar(label=competency_heading(c), value=sum(counts.get(c, {}).values()))
            for c in competencies]


def weak_warnings(items: Iterable[Item], coach: Scorer | None, weak_score: int) -> list[str]:
    """Coach notes on weak entries and metrics that moved the wrong way: the author's private
    preview, never the sent report."""
    out = []
    for it in items:
        out += [f"#{it.entry.id} '{it.entry.title}': {note}" for note in it.regressed]
        missing = [what for what, ok in (("a metric", it.metrics), ("an outcome", it.outcomes))
                   if not ok]
        score = coach(it.entry) if coach else None
        if missing or (score is not None and score < weak_score):
            why = f"missing {' and '.join(missing)}" if missing else "wording is weak"
            out.append(f"#{it.entry.id} '{it.entry.title}': {why}"
                       + (f" (coach score {score})" if score is not None else ""))
    return out
