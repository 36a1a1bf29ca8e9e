"""Batched upserts of imported entries behave exactly like upserting them one by one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import Engine

from levelup.domain.models import Entry, Label, Metric
from levelup.store.entries import get_entry, list_entries, replace_entry
from levelup.store.entry_upserts import upsert_entries, upsert_entry


def _entries(n: int, suffix: str = "") -> list[Entry]:
    return [
        Entry(title=f"Shipped change {i}{suffix}", date=date(2026, 1, 1 + i % 28),
              details=f"details {i}", project=f"p{i % 3}", source="git", source_id=f"k{i}",
              metrics=[Metric(name="latency", baseline=10.0, result=5.0, unit="ms")] if i % 2
              else [], links=[f"https://example.com/{i}"],
              outcomes=[Label(id="kpi", confirmed=False, score=0.5)])
        for i in range(n)
    ]


def _stored(engine: Engine) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [(e.source_id, e.title, e.project, e.outcome_ids, e.links,
                 [(m.name, m.result) for m in e.metrics]) for e in list_entries(conn)]


def test_a_batch_stores_what_one_by_one_upserts_store(engine: Engine) -> None:
    with engine.begin() as conn:
        counts = upsert_entries(conn, entries=_entries(1000))
    assert counts == {"new": 1000}
    with engine.begin() as conn:
        for entry in _entries(1000):
            assert upsert_entry(conn, entry=entry) == "unchanged"
    assert len(_stored(engine)) == 1000
    assert _stored(engine)[0][2] in {"p0", "p1", "p2"}


def test_changed_entries_are_updated_and_confirmed_labels_kept(engine: Engine) -> None:
    with engine.begin() as conn:
        upsert_entries(conn, entries=_entries(5))
        first = list_entries(conn, source="git", newest_first=False)
        confirmed = next(e for e in first if e.source_id == "k1")
        confirmed.outcomes = [Label(id="sla", confirmed=True)]
        replace_entry(conn, entry=confirmed)
    again = _entries(5)
    for entry in again[:2]:
        entry.title += " (edited)"
        entry.outcomes = []
    labelled: list[str] = []

    class Suggest:
        def __call__(self, entries: list[Entry]) -> None:
            for entry in entries:
                if not (entry.outcomes or entry.competencies):
                    labelled.append(entry.source_id or "")
                    entry.outcomes = [Label(id="profit", confirmed=False)]

        def start(self, entries: list[Entry]) -> Callable[[], None]:
            return lambda: self(entries)

    label = Suggest()
    with engine.begin() as conn:
        counts = upsert_entries(conn, entries=again, label=label)
        k0 = get_entry(conn, entry_id=next(e.id for e in first if e.source_id == "k0") or 0)
        k1 = get_entry(conn, entry_id=confirmed.id or 0)
    assert counts == {"updated": 2, "unchanged": 3}
    assert labelled == ["k0"]  # unchanged entries and kept confirmed labels are not relabelled
    assert (k0.title, k0.outcome_ids) == ("Shipped change 0 (edited)", ["profit"])
    assert (k1.title, k1.outcome_ids) == ("Shipped change 1 (edited)", ["sla"])


def test_a_repeated_key_in_one_batch_counts_as_one_by_one(engine: Engine) -> None:
    entries = _entries(3) + _entries(1, suffix=" again")
    with engine.begin() as conn:
        counts = upsert_entries(conn, entries=entries)
    assert counts == {"new": 3, "updated": 1}
    titles = {row[0]: row[1] for row in _stored(engine)}
    assert titles["k0"] == "Shipped change 0 again"
