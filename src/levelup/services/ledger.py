"""Ledger use cases behind the capture and recall commands."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from typing import TYPE_CHECKING, Any

from levelup.domain import vocab
from levelup.domain.metrics import format_metric, parse_metric
from levelup.domain.models import Entry, Label, Profile

if TYPE_CHECKING:
    from levelup.cli.common import Env


def save_profile(env: Env, profile: Profile) -> Profile:
    from levelup.store.people import save_profile as store

    _check_levels(env, profile)
    with env.begin() as conn:
        return store(conn, profile=profile)


def _check_levels(env: Env, profile: Profile) -> None:
    """Level ids must exist on the chosen ladder, when ladders are available."""
    try:
        from levelup.ladders import find_ladder
    except ImportError:
        return
    ladder = find_ladder(profile.ladder, home=env.settings.home)
    ladder.check_level(profile.level)
    ladder.check_level(profile.target_level)


def build_entry(
    env: Env, *, title: str, date: str | None, until: str | None, kind: str, project: str | None,
    outcomes: list[str], competencies: list[str], metrics: list[str], links: list[str],
    details: str = "",
) -> Entry:
    """An entry from command-line values; raises on the first bad value, naming it."""
    from levelup.errors import LevelupError

    if not title.strip():
        raise LevelupError("the entry needs a title")
    start = env.day(date)
    end = env.day(until) if until else None
    if end is not None and end < start:
        raise LevelupError(f"--until {end} is before the entry's date {start}")
    return Entry(
        title=title.strip(), date=start, end_date=end, details=details,
        kind=vocab.check(kind, vocab.ENTRY_KINDS, "kind"), project=project or None,
        outcomes=[Label(id=vocab.check(o, vocab.OUTCOMES, "outcome")) for o in outcomes],
        competencies=[Label(id=vocab.check(c, vocab.COMPETENCIES, "competency"))
                      for c in competencies],
        metrics=[parse_metric(m) for m in metrics], links=list(links),
    )


def log_entry(env: Env, entry: Entry) -> tuple[Entry, list[str]]:
    """Store a captured entry (with suggested labels when none were given); coach tips."""
    from levelup.services.labelling import suggest_labels
    from levelup.services.personal_model import personal_model
    from levelup.store.entries import add_entry

    with env.begin() as conn:
        if not (entry.outcomes or entry.competencies):
            suggest_labels(personal_model(conn, env.settings.home),
                           classifier=env.settings.classifier, warn=env.warn)([entry])
        add_entry(conn, entry=entry)
    return entry, coach_tips(entry)


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


def list_entries(env: Env, *, since: str | None, until: str | None, **filters: Any) -> list[Entry]:
    from levelup.store.entries import list_entries as query

    period = env.window(since, until)
    for key, allowed in (("outcome", vocab.OUTCOMES), ("competency", vocab.COMPETENCIES)):
        if filters.get(key):
            filters[key] = vocab.check(filters[key], allowed, key)
    filters["kinds"] = [vocab.check(k, vocab.ENTRY_KINDS, "kind") for k in filters.get("kinds", [])]
    with env.read() as conn:
        return query(conn, start=period.start, end=period.end, **filters)


def show_entry(env: Env, entry_id: int) -> tuple[Entry, list[tuple[str, bool]]]:
    from levelup.store.entries import get_entry
    from levelup.store.records import audiences

    with env.read() as conn:
        entry = get_entry(conn, entry_id=entry_id)
        return entry, audiences(conn, entry_ids=[entry_id]).get(entry_id, [])


def search_ledger(
    env: Env, query: str, *, since: str | None, until: str | None, within: str,
    limit: int | None,
) -> dict[str, list[Any]]:
    """Entries (and feedback, conversations) matching every word of ``query``."""
    from levelup.store import tables as t
    from levelup.store.records import list_conversations, list_feedback
    from levelup.store.search import search_entries, search_ids

    scopes = ("entries", "feedback", "conversations")
    wanted = scopes if within == "all" else (vocab.check(within, scopes, "search scope"),)
    period = env.window(since, until)
    found: dict[str, list[Any]] = {}
    with env.read() as conn:
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


def edit_entry(env: Env, entry_id: int) -> Entry | None:
    """Open the entry in the user's editor; store the edited form (None when cancelled)."""
    from levelup.domain.editform import parse, render
    from levelup.store.entries import get_entry, replace_entry

    with env.read() as conn:
        original = get_entry(conn, entry_id=entry_id)
    edited = parse(_run_editor(env, render(original)), original)
    if edited is None:
        return None
    with env.begin() as conn:
        return replace_entry(conn, entry=edited)


def _run_editor(env: Env, text: str) -> str:
    from levelup.errors import LevelupError

    editor = env.settings.editor or os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    with tempfile.NamedTemporaryFile("w+", suffix=".yml", prefix="levelup-", delete=False) as fh:
        fh.write(text)
        path = fh.name
    try:
        done = subprocess.run([*shlex.split(editor), path], check=False)
        if done.returncode != 0:
            raise LevelupError(f"editor '{editor}' exited with {done.returncode}; nothing changed")
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    finally:
        os.unlink(path)


def confirm_labels(env: Env, entry_ids: list[int]) -> int:
    from levelup.store.entries import confirm_labels as store

    with env.begin() as conn:
        return store(conn, ids=entry_ids)


def delete_entries(env: Env, entry_ids: list[int]) -> None:
    from levelup.store.entries import delete_entries as store

    with env.begin() as conn:
        store(conn, ids=entry_ids)
