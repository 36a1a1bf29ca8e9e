"""Work per `log` does not grow with the ledger: the personal model's fingerprint is a revision
kept by triggers (migration 0012), and what an entry is worth is stored when it is written."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, event, insert, select, update

from levelup.cli.common import Env
from levelup.coach import entry_score
from levelup.domain.models import Entry, Label, Metric, Testimonial, new_uid
from levelup.settings import load
from levelup.store import tables as t
from levelup.store.entries import add_entry, delete_entries, replace_entry
from levelup.store.entry_upserts import upsert_entries
from levelup.store.labels import confirmed_fingerprint
from tests.conftest import TODAY, invoke


def _revision(env: Env) -> int:
    with env.ctx.read() as conn:
        return confirmed_fingerprint(conn)[-1]


def _stored(env: Env, entry_id: int) -> tuple[int | None, int]:
    with env.ctx.read() as conn:
        row = conn.execute(select(t.entries.c.coach_score, t.entries.c.evidence)
                           .where(t.entries.c.id == entry_id)).one()
    return row[0], row[1]


def _entry(title: str, *, confirmed: bool, **fields: Any) -> Entry:
    return Entry(title=title, date=TODAY, kind="win",
                 competencies=[Label(id="craft", confirmed=confirmed, score=0.5)], **fields)


def test_every_change_to_a_confirmed_label_changes_the_revision(env: Env) -> None:
    seen = [_revision(env)]

    def changed() -> None:
        now = _revision(env)
        assert now not in seen, "the revision did not change"
        seen.append(now)

    def same() -> None:
        assert _revision(env) == seen[-1]

    with env.ctx.begin() as conn:
        guessed = add_entry(conn, entry=_entry("Guessed labels only", confirmed=False))
    same()  # a suggestion is not a confirmed label
    with env.ctx.begin() as conn:
        kept = add_entry(conn, entry=_entry("Tuned the cache eviction", confirmed=True))
    changed()  # insert
    assert invoke(env, "confirm", str(guessed.id)).exit_code == 0
    changed()  # confirmed later (update)
    with env.ctx.begin() as conn:
        conn.execute(delete(t.entry_labels).where(t.entry_labels.c.entry_id == guessed.id))
    changed()  # removed
    with env.ctx.begin() as conn:
        kept.details = "Hit rate from 60% to 90%."
        replace_entry(conn, entry=kept)
    changed()  # an edit replaces the labels and the text the model learns from
    with env.ctx.begin() as conn:
        conn.execute(update(t.entries).where(t.entries.c.id == kept.id)
                     .values(title="Tuned the cache eviction policy"))
    changed()  # text of a confirmed entry, by any path
    with env.ctx.begin() as conn:
        upsert_entries(conn, entries=[_entry("Imported with a label", confirmed=True,
                                             source="jira", source_id="OPS-1")])
    changed()  # imports
    with env.ctx.begin() as conn:
        delete_entries(conn, ids=[kept.id])  # type: ignore[list-item]
    changed()  # the cascade removes its labels
    with env.ctx.begin() as conn:
        conn.execute(update(t.entries).where(t.entries.c.id == guessed.id)
                     .values(status="done"))
    same()  # nothing the model reads


def test_evidence_and_coach_score_are_kept_on_every_write(env: Env) -> None:
    title = "Cut checkout p99 latency from 900 ms to 250 ms so customers stop timing out"
    with env.ctx.begin() as conn:
        entry = add_entry(conn, entry=_entry(title, confirmed=True))
    assert entry.id is not None
    assert _stored(env, entry.id) == (entry_score(title, ""), 0)
    with env.ctx.begin() as conn:
        entry.metrics = [Metric(name="p99", baseline=900, result=250, unit="ms")]
        entry.outcomes = [Label(id="revenue")]
        replace_entry(conn, entry=entry)
    assert _stored(env, entry.id)[1] == t.EVIDENCE_METRIC | t.EVIDENCE_OUTCOME
    with env.ctx.begin() as conn:
        conn.execute(insert(t.testimonials).values(entry_id=entry.id, quote="Great", author="K"))
        conn.execute(delete(t.entry_metrics).where(t.entry_metrics.c.entry_id == entry.id))
    assert _stored(env, entry.id)[1] == t.EVIDENCE_OUTCOME | t.EVIDENCE_QUOTE
    with env.ctx.begin() as conn:
        conn.execute(delete(t.entry_labels).where(t.entry_labels.c.entry_id == entry.id,
                                                  t.entry_labels.c.vocab == "outcome"))
    assert _stored(env, entry.id)[1] == t.EVIDENCE_QUOTE
    with env.ctx.begin() as conn:  # a writer that does not know the score: not kept stale
        conn.execute(update(t.entries).where(t.entries.c.id == entry.id)
                     .values(title="Helped with stuff"))
    assert _stored(env, entry.id)[0] is None
    with env.ctx.begin() as conn:
        upsert_entries(conn, entries=[Entry(
            title="Imported", date=TODAY, kind="win", source="jira", source_id="OPS-2",
            testimonials=[Testimonial(quote="Thanks", author="Kat")])])
        imported = conn.execute(select(t.entries.c.coach_score, t.entries.c.evidence)
                                .where(t.entries.c.source_id == "OPS-2")).one()
    # an import leaves the score unknown (the coach would cost more than the import); its
    # evidence is kept all the same, and readers score the entries they rank
    assert tuple(imported) == (None, t.EVIDENCE_QUOTE)


def _fill(env: Env, count: int) -> None:
    """``count`` entries written in bulk, a third with a confirmed label."""
    now = datetime(2026, 11, 20)
    with env.ctx.begin() as conn:
        for start in range(0, count, 5000):
            size = min(5000, count - start)
            first = conn.execute(insert(t.entries).returning(t.entries.c.id), [
                {"uid": new_uid(), "owner_id": 1, "date": TODAY - timedelta(days=i % 900),
                 "title": f"Improved service {start + i} for customers", "details": "",
                 "kind": "win", "source": "bench", "source_id": str(start + i),
                 "created_at": now} for i in range(size)]).scalars().all()
            conn.execute(insert(t.entry_labels), [
                {"entry_id": i, "vocab": "competency", "label": "craft",
                 "confirmed": i % 3 == 0, "score": 0.5} for i in first])


@contextmanager
def _counted(env: Env) -> Iterator[dict[str, int]]:
    """SQLite virtual-machine steps and statements run meanwhile, by every connection."""
    counts = {"steps": 0, "statements": 0}

    def step() -> int:
        counts["steps"] += 1
        return 0

    def checkout(dbapi: sqlite3.Connection, *_: Any) -> None:
        dbapi.set_progress_handler(step, 100)

    def checkin(dbapi: sqlite3.Connection, *_: Any) -> None:
        dbapi.set_progress_handler(None, 0)

    def statement(*_: Any) -> None:
        counts["statements"] += 1

    engine = env.ctx.engine()
    event.listen(engine.pool, "checkout", checkout)
    event.listen(engine.pool, "checkin", checkin)
    event.listen(engine, "before_cursor_execute", statement)
    try:
        yield counts
    finally:
        event.remove(engine.pool, "checkout", checkout)
        event.remove(engine.pool, "checkin", checkin)
        event.remove(engine, "before_cursor_execute", statement)


def _log_work(tmp_path: Path, size: int) -> dict[str, int]:
    home = tmp_path / str(size)
    env = Env(settings=load(environ={}, home=home, database_url=f"sqlite:///{home / 'l.db'}"),
              today=TODAY)
    try:
        _fill(env, size)
        assert invoke(env, "log", "Warm the model cache").exit_code == 0
        with _counted(env) as counts:
            done = invoke(env, "log", "Cut deploy time from 40 to 12 minutes for every team")
        assert done.exit_code == 0, done.output
        return counts
    finally:
        env.close()


def test_a_log_does_the_same_work_on_a_big_ledger(tmp_path: Path) -> None:
    small, big = _log_work(tmp_path, 1_000), _log_work(tmp_path, 60_000)
    assert big["statements"] == small["statements"]
    # Counting 20,000 confirmed labels alone takes thousands of steps of 100 instructions.
    assert big["steps"] <= small["steps"] * 1.2 + 20, (small, big)


@pytest.mark.parametrize("size", [0, 3])
def test_the_personal_model_is_rebuilt_only_when_labels_change(env: Env, size: int) -> None:
    cache = env.settings.home / "cache" / "classifier.json"
    for i in range(size):
        assert invoke(env, "log", f"Paired on the zorblax backlog {i}", "-c", "mentoring",
                      "-o", "people").exit_code == 0
    assert invoke(env, "log", "Reviewed the zorblax plan").exit_code == 0
    assert cache.exists() == bool(size)
    if size:
        written = cache.stat().st_mtime_ns
        assert invoke(env, "log", "Reviewed the zorblax plan again").exit_code == 0
        assert cache.stat().st_mtime_ns == written  # suggestions are not confirmed labels


def test_the_migration_fills_what_it_adds_for_existing_entries(db_url: str,
                                                              tmp_path: Path) -> None:
    from sqlalchemy import create_engine, text

    from levelup.store.db import upgrade
    from levelup.store.search import search_entries

    wordy = "Cut p99 latency from 900 ms to 250 ms so customers stop timing out"
    engine = create_engine(db_url)
    upgrade(engine, "0011")
    with engine.begin() as conn:
        for i, title in ((1, wordy), (2, "Helped with stuff")):
            conn.execute(text(
                "INSERT INTO entries (id, uid, owner_id, date, title, details, kind, source, "
                f"created_at) VALUES ({i}, 'u{i}', 1, '2026-11-01', :title, '', 'win', "
                "'manual', '2026-11-01 09:00:00')"), {"title": title})
        conn.execute(text("INSERT INTO entry_metrics (entry_id, name, result, unit) "
                          "VALUES (1, 'p99', 250, 'ms')"))
        conn.execute(text("INSERT INTO entry_labels (entry_id, vocab, label, confirmed) "
                          "VALUES (1, 'outcome', 'revenue', :yes), "
                          "(2, 'competency', 'craft', :no)"), {"yes": True, "no": False})
    upgrade(engine, "head")
    engine.dispose()
    env = Env(settings=load(environ={}, home=tmp_path / "home", database_url=db_url),
              today=TODAY)
    try:
        assert _stored(env, 1) == (entry_score(wordy, ""),
                                   t.EVIDENCE_METRIC | t.EVIDENCE_OUTCOME)
        assert _stored(env, 2) == (entry_score("Helped with stuff", ""), 0)
        assert _revision(env) > 0  # one confirmed label already
        with env.ctx.begin() as conn:
            conn.execute(update(t.entries).where(t.entries.c.id == 2)
                         .values(coach_score=5))
            assert [e.id for e in search_entries(conn, query="stuff")] == [2]
            conn.execute(update(t.entries).where(t.entries.c.id == 2)
                         .values(title="Helped with the zorblax"))
            assert [e.id for e in search_entries(conn, query="zorblax")] == [2]
            assert search_entries(conn, query="stuff") == []
    finally:
        env.close()
