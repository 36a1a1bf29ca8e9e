"""Capture and recall: the profile, logging, listing, searching, editing and deleting entries.

Loaded on the start-up path of `levelup log`/`list`/`search`/`show`: the store, SQLAlchemy and
the classifier are imported inside the functions that use them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from levelup.domain import vocab
from levelup.domain.metrics import format_metric, parse_metric
from levelup.domain.models import STORY_FIELDS, Entry, Label, Profile, Testimonial
from levelup.domain.names import clean_name
from levelup.errors import FieldError, LevelupError, NoLedger

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from levelup.context import Context

SEARCH_SCOPES = ("entries", "feedback", "conversations")


@dataclass(slots=True)
class Logged:
    """A stored entry, the coach's tips on it, the parts of its story not recorded (names of
    ``STORY_FIELDS``), and why label suggestions fell back, if they did."""

    entry: Entry
    tips: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    missing_story: list[str] = field(default_factory=list)


@dataclass(slots=True)
class EntryDetail:
    """One entry and who heard about it: (stakeholder name, decision maker?) pairs, and each
    time they heard: (name, decision maker?, date, channel), oldest first."""

    entry: Entry
    heard_by: list[tuple[str, bool]] = field(default_factory=list)
    heard: list[tuple[str, bool, dt.date, str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        from levelup.domain.serialize import to_json

        data: dict[str, Any] = to_json(self.entry)
        data["heard_by"] = [{"stakeholder": name, "decision_maker": decides}
                            for name, decides in self.heard_by]
        return data


def save_profile(
    ctx: Context, *, name: str, level: str, target: str, ladder: str = "software-engineer",
    manager: str | None = None,
) -> Profile:
    """Create or replace the profile; the levels must exist on the ladder."""
    from levelup.store.people import save_profile as store

    profile = Profile(name=name, level=level, target_level=target, ladder=ladder,
                      manager=manager or None)
    _check_levels(ctx, profile)
    return ctx.write(lambda conn: store(conn, profile=profile))


def _check_levels(ctx: Context, profile: Profile) -> None:
    """Level ids must exist on the chosen ladder, when ladders are available."""
    try:
        from levelup.ladders import find_ladder
    except ImportError:
        return
    ladder = find_ladder(profile.ladder, home=ctx.settings.home)
    current = ladder.check_level(profile.level).id
    target = ladder.check_level(profile.target_level).id
    for track in ladder.tracks:  # levels in file order, lowest first; across tracks: a move
        ids = [level.id for level in track.levels]
        if current in ids and target in ids and ids.index(target) <= ids.index(current):
            raise FieldError("target", f"{profile.target_level} is not above your current "
                             f"level {profile.level} on {ladder.id}")


def log_entry(
    ctx: Context, *, title: str, date: str | None = None, until: str | None = None,
    kind: str = "win", project: str | None = None, outcomes: Sequence[str] = (),
    competencies: Sequence[str] = (), metrics: Sequence[str] = (), links: Sequence[str] = (),
    details: str = "", context: str = "", why: str = "", did: str = "", result_now: str = "",
    result_later: str = "", prevented: str = "",
) -> Logged:
    """Store one piece of work typed as quickly as in jrnl (``levelup.domain.capture``):
    ``@project``, ``+outcome`` and ``#competency`` in the title set those fields, a leading
    ``yesterday:`` the date (unless ``date`` is given), and a before→after figure a metric
    (unless ``metrics`` are given). Labels of a vocabulary not given are suggested."""
    from levelup.services.capture import read_title

    typed = read_title(ctx, title=title, date=date, project=project)
    entry = _entry(ctx, title=typed.title, date=typed.day or date, until=until, kind=kind,
                   project=typed.project, outcomes=[*outcomes, *typed.outcomes],
                   competencies=[*competencies, *typed.competencies],
                   metrics=metrics, links=links, details=details)
    if not entry.metrics and typed.metric is not None:
        entry.metrics = [typed.metric]
    story = {"context": context, "why": why, "did": did, "result_now": result_now,
             "result_later": result_later, "prevented": prevented}
    for name in STORY_FIELDS:
        setattr(entry, name, story[name].strip())
    return _store_new(ctx, entry)


def _store_new(ctx: Context, entry: Entry) -> Logged:
    """Add ``entry``, with suggestions for each label vocabulary it has no labels of."""
    from levelup.services.labelling import suggest_labels, suggest_missing
    from levelup.services.personal_model import personal_model
    from levelup.store.entries import add_entry

    logged = Logged(entry, warnings=metric_warnings(entry))

    if not (entry.outcomes and entry.competencies):
        # Suggested before the write, so the write transaction is short and holds no lock
        # while the classifier runs (other writers wait less, and rarely lose a race).
        try:
            with ctx.read() as conn:
                model = personal_model(conn, ctx.settings.home)
        except NoLedger:  # the first entry: nothing confirmed yet, the shipped model
            from levelup.classify import shipped_model

            model = shipped_model()
        suggest_missing(suggest_labels(model, classifier=ctx.settings.classifier,
                                       warn=logged.warnings.append), entry)

    def store(conn: Connection) -> None:  # re-run whole if it loses a race with other writers
        add_entry(conn, entry=entry)

    ctx.write(store)
    logged.warnings[:0] = far_date_warnings(ctx, entry)  # after add_entry: they name its id
    logged.tips = coach_tips(entry)
    logged.missing_story = story_gaps(entry)
    return logged


def new_entry_form(ctx: Context) -> str:
    """An empty entry form dated today, for `levelup log` without a title."""
    from levelup.domain.editform import render_new

    return render_new(ctx.today)


def log_entry_form(ctx: Context, *, text: str) -> Logged | None:
    """Log the entry a filled ``new_entry_form`` describes; None when its title was left
    empty. A before→after figure in the title is a metric, as in ``log_entry``."""
    from levelup.domain.capture import title_metric
    from levelup.domain.editform import EditError, parse_new

    try:
        entry = parse_new(text, ctx.today)
    except EditError as exc:
        raise LevelupError(f"{exc}; nothing logged") from None
    if entry is None:
        return None
    if not entry.metrics and (metric := title_metric(entry.title)) is not None:
        entry.metrics = [metric]
    return _store_new(ctx, entry)


def _entry(
    ctx: Context, *, title: str, date: str | dt.date | None, until: str | None, kind: str,
    project: str | None, outcomes: Sequence[str], competencies: Sequence[str],
    metrics: Sequence[str], links: Sequence[str], details: str,
) -> Entry:
    """The entry the values describe; raises on the first bad value, naming it."""
    if not title.strip():
        raise LevelupError("the entry needs a title")
    start = date if isinstance(date, dt.date) else ctx.day(date)
    end = ctx.day(until) if until else None
    if end is not None and end < start:
        raise FieldError("until", f"{end} is before the entry's date {start}")
    return Entry(
        title=title.strip(), date=start, end_date=end, details=details,
        kind=vocab.check(kind, vocab.ENTRY_KINDS, "kind"),
        project=clean_name(project or "") or None,
        outcomes=[Label(id=o) for o in _unique(outcomes, vocab.OUTCOMES, "outcome")],
        competencies=[Label(id=c)
                      for c in _unique(competencies, vocab.COMPETENCIES, "competency")],
        metrics=[parse_metric(m) for m in metrics], links=list(links),
    )


FAR_YEARS = 5  # a date further than this from today is kept, with a warning


def far_date_warnings(ctx: Context, entry: Entry) -> list[str]:
    """A line for a date more than ``FAR_YEARS`` years from today: likely a typo; its step
    edits the (stored) entry."""
    from levelup.domain.steps import Notice, Step

    limit = dt.timedelta(days=365 * FAR_YEARS + FAR_YEARS // 4)
    fix = Step("entry.edit", {"_": str(entry.id)})
    return [Notice(f"{name}: {day} is more than {FAR_YEARS} years from today ({ctx.today}); "
                   "kept as given; correct it if it is a typo", fix)
            for name, day in (("date", entry.date), ("until", entry.end_date))
            if day is not None and abs(day - ctx.today) > limit]


def metric_warnings(entry: Entry) -> list[str]:
    """A line for each metric that moved the wrong way: it will not be shown as impact."""
    from levelup.domain.metrics import regressed, regression_note

    return [regression_note(m) for m in entry.metrics if regressed(m)]


def _unique(values: Sequence[str], allowed: tuple[str, ...], what: str) -> list[str]:
    """``values`` checked against the vocabulary, each once, in the order given."""
    return list(dict.fromkeys(vocab.check(value, allowed, what) for value in values))


def story_gaps(entry: Entry) -> list[str]:
    """The parts of a win-like entry's story not recorded (``STORY_FIELDS`` names)."""
    if entry.kind in ("plan", "learning", "other"):
        return []
    from levelup.coach import missing_story

    return missing_story(entry)


def coach_tips(entry: Entry) -> list[str]:
    """The impact coach's suggestions for a win-like entry (none when it is not installed)."""
    if entry.kind in ("plan", "learning", "other"):
        return []
    try:
        from levelup.coach import coach
    except ImportError:
        return []
    text = entry.title + (". " + entry.details if entry.details else "")
    if entry.metrics:
        text += ". " + "; ".join(format_metric(m) for m in entry.metrics)
    result = coach(text)
    return list(result.suggestions)[:2] if result.score < 70 else []


def list_entries(
    ctx: Context, *, since: str | None = None, until: str | None = None,
    kind: Sequence[str] = (), project: str | None = None, outcome: str | None = None,
    competency: str | None = None, limit: int | None = None, unconfirmed: bool = False,
) -> list[Entry]:
    """Entries of the period matching every filter given, newest first; ``unconfirmed``: only
    those with suggested labels not yet confirmed."""
    from levelup.store.entries import list_entries as query

    period = ctx.window(since, until)
    with ctx.read() as conn:
        return query(
            conn, start=period.start, end=period.end, limit=limit, project=project,
            kinds=[vocab.check(k, vocab.ENTRY_KINDS, "kind") for k in kind],
            outcome=vocab.check(outcome, vocab.OUTCOMES, "outcome") if outcome else None,
            competency=(vocab.check(competency, vocab.COMPETENCIES, "competency")
                        if competency else None),
            unconfirmed=unconfirmed,
        )


def show_entry(ctx: Context, *, entry_id: int) -> EntryDetail:
    from levelup.store.entries import get_entry
    from levelup.store.records import audiences, hearings

    with ctx.read() as conn:
        entry = get_entry(conn, entry_id=entry_id)
        return EntryDetail(entry, audiences(conn, entry_ids=[entry_id]).get(entry_id, []),
                           hearings(conn, entry_id=entry_id))


def search_ledger(
    ctx: Context, *, query: str, since: str | None = None, until: str | None = None,
    within: str = "entries", limit: int | None = None,
) -> dict[str, list[Any]]:
    """Per scope searched (entries, feedback, conversations, or ``all``): the records
    matching every word of ``query``, newest first."""
    from levelup.store import tables as t
    from levelup.store.records import list_conversations, list_feedback
    from levelup.store.search import search_entries, search_ids

    wanted = (SEARCH_SCOPES if within == "all"
              else (vocab.check(within, SEARCH_SCOPES, "search scope"),))
    period = ctx.window(since, until)
    found: dict[str, list[Any]] = {}
    with ctx.read() as conn:
        if "entries" in wanted:
            found["entries"] = search_entries(conn, query=query, start=period.start,
                                              end=period.end, limit=limit)
        if "feedback" in wanted:
            ids = search_ids(conn, table=t.feedback, query=query)
            found["feedback"] = list_feedback(conn, start=period.start, end=period.end, ids=ids)
        if "conversations" in wanted:
            ids = search_ids(conn, table=t.conversations, query=query)
            found["conversations"] = list_conversations(conn, start=period.start,
                                                        end=period.end, ids=ids)
    return found


def entry_form(ctx: Context, *, entry_id: int) -> str:
    """The entry as the readable text form a person edits (see ``domain.editform``)."""
    from levelup.domain.editform import render
    from levelup.store.entries import get_entry

    with ctx.read() as conn:
        return render(get_entry(conn, entry_id=entry_id))


def save_entry_form(ctx: Context, *, entry_id: int, text: str) -> Entry | None:
    """Store the entry as ``text`` (an edited ``entry_form``) describes it; labels kept in it
    become confirmed. None when nothing changes: the form was emptied or left as it was."""
    from levelup.domain.editform import EditError, parse, render
    from levelup.store.entries import get_entry, replace_entry

    with ctx.begin() as conn:
        original = get_entry(conn, entry_id=entry_id)
        try:
            edited = parse(text, original)
        except EditError as exc:
            raise LevelupError(f"{exc}; nothing changed") from None
        unconfirmed = any(not label.confirmed
                          for label in original.outcomes + original.competencies)
        if edited is None or (render(edited) == render(original) and not unconfirmed):
            return None
        return replace_entry(conn, entry=edited)


def update_entry(
    ctx: Context, *, entry_id: int, title: str, date: str, until: str | None = None,
    kind: str = "win", project: str | None = None, details: str = "",
    outcomes: Sequence[str] = (), competencies: Sequence[str] = (), metrics: Sequence[str] = (),
    links: Sequence[str] = (), testimonials: Sequence[str] = (), context: str = "",
    why: str = "", did: str = "", result_now: str = "", result_later: str = "",
    prevented: str = "",
) -> Entry:
    """Replace every field of the entry with the values given (testimonials as
    ``"QUOTE" — AUTHOR``); nothing is written when one is bad. A label it already had keeps
    whether it was confirmed; a label added is confirmed."""
    from levelup.store.entries import get_entry, replace_entry

    if not date.strip():
        raise FieldError("date", "the entry needs a date")
    edited = _entry(ctx, title=title, date=date, until=until, kind=kind, project=project,
                    outcomes=outcomes, competencies=competencies, metrics=metrics,
                    links=[link.strip() for link in links if link.strip()],
                    details=details.strip())
    edited.testimonials = [parse_testimonial(text) for text in testimonials if text.strip()]
    story = {"context": context, "why": why, "did": did, "result_now": result_now,
             "result_later": result_later, "prevented": prevented}
    for name in STORY_FIELDS:
        setattr(edited, name, story[name].strip())
    with ctx.begin() as conn:
        original = get_entry(conn, entry_id=entry_id)
        had = {(label.id, label.confirmed) for label in original.outcomes + original.competencies}
        for label in edited.outcomes + edited.competencies:
            label.confirmed = (label.id, False) not in had
        edited.id, edited.uid, edited.created_at = original.id, original.uid, original.created_at
        edited.source, edited.source_id = original.source, original.source_id
        edited.status = original.status
        return replace_entry(conn, entry=edited)


_TESTIMONIAL = re.compile(r'^\s*["“](?P<quote>.+?)["”]\s*(?:—|–|--|-)\s*(?P<author>\S.*?)\s*$')


def parse_testimonial(text: str) -> Testimonial:
    """``"QUOTE" — AUTHOR`` (an em dash, or ``--``) as a Testimonial."""
    found = _TESTIMONIAL.match(text)
    if not found:
        raise FieldError("testimonials", f"testimonial '{text.strip()}' is not "
                                         '"QUOTE" — AUTHOR')
    return Testimonial(quote=found.group("quote").strip(), author=found.group("author"))


def confirm_labels(ctx: Context, *, entry_ids: Sequence[int]) -> int:
    """Accept the suggested labels of these entries; how many labels became confirmed."""
    from levelup.store.entries import confirm_labels as store

    with ctx.begin() as conn:
        return store(conn, ids=list(entry_ids))


def delete_entries(ctx: Context, *, entry_ids: Sequence[int]) -> None:
    from levelup.store.entries import delete_entries as store

    with ctx.begin() as conn:
        store(conn, ids=list(entry_ids))
