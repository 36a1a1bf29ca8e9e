"""Owners: a ledger of the previous schema becomes owner 1's, nothing lost; owners do not meet."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Connection, create_engine, insert, text

from levelup.context import Context
from levelup.domain.models import (
    Conversation,
    Entry,
    Feedback,
    Incident,
    Profile,
    Project,
    Stakeholder,
)
from levelup.errors import NoProfile, NotFound
from levelup.settings import load
from levelup.store import tables as t
from levelup.store.db import HEAD_REVISION, upgrade
from levelup.store.entries import add_entry, delete_entries, get_entry, list_entries
from levelup.store.entry_upserts import upsert_entries
from levelup.store.incidents import stored_problem_keys, upsert_incidents
from levelup.store.people import (
    add_stakeholder,
    get_profile,
    list_stakeholders,
    save_profile,
    stakeholder_id,
)
from levelup.store.portable import all_incidents
from levelup.store.projects import get_project, list_projects, save_project
from levelup.store.records import add_conversation, add_feedback, list_conversations, list_feedback
from levelup.store.search import search_entries, search_ids
from levelup.store.state import get_cursors, set_cursor
from tests.conftest import TODAY

OWNED = ("profile", "stakeholders", "projects", "entries", "expectations", "visibility",
         "feedback", "conversations", "checkins", "incidents", "opportunities", "file_ownership",
         "import_state", "dismissed_imports")

SERIAL = ("stakeholders", "projects", "entries", "entry_metrics", "expectations", "visibility",
          "feedback", "conversations", "conversation_questions", "checkins", "incidents",
          "opportunities")
# A ledger as revision 0006 wrote it: one row in every owned table, and children.
LEDGER_0006 = [
    "INSERT INTO profile (id, name, level, target_level, ladder, manager) "
    "VALUES (1, 'Ada', 'L4', 'L5', 'software-engineer', 'Grace')",
    "INSERT INTO stakeholders (id, uid, name, relation, decision_maker, notes) "
    "VALUES (1, 's1', 'Grace', 'manager', TRUE, '')",
    "INSERT INTO projects (id, uid, name, goal, outcome, role, stretch, status, went_well, "
    "to_improve, lessons) VALUES (1, 'p1', 'search', '', '', '', FALSE, 'active', '', '', '')",
    "INSERT INTO entries (id, uid, date, title, details, kind, project_id, source, source_id, "
    "created_at) VALUES (1, 'e1', '2026-01-02', 'Shipped the ranking service', 'p95 halved', "
    "'win', 1, 'git', 'repo@abc', '2026-01-02 10:00:00')",
    "INSERT INTO entries (id, uid, date, title, details, kind, source, created_at) "
    "VALUES (2, 'e2', '2026-01-03', 'Mentored Linus', '', 'mentoring', 'manual', "
    "'2026-01-03 10:00:00')",
    "INSERT INTO entry_labels (entry_id, vocab, label, confirmed, score, position) "
    "VALUES (1, 'outcome', 'kpi', TRUE, NULL, 0)",
    "INSERT INTO entry_metrics (id, entry_id, name, baseline, result, unit) "
    "VALUES (1, 1, 'p95', 800, 400, 'ms')",
    "INSERT INTO expectations (id, uid, kind, text, agreed_on) "
    "VALUES (1, 'x1', 'business-need', 'Cut latency', '2026-01-01')",
    "INSERT INTO visibility (id, uid, stakeholder_id, date, channel, note) "
    "VALUES (1, 'v1', 1, '2026-01-04', 'slack', '')",
    "INSERT INTO visibility_entries (visibility_id, entry_id) VALUES (1, 1)",
    "INSERT INTO feedback (id, uid, giver, date, polarity, text, asked, follow_up, status) "
    "VALUES (1, 'f1', 'Grace', '2026-01-05', 'positive', 'Great rollout', FALSE, '', 'open')",
    "INSERT INTO conversations (id, uid, date, with_name, kind, notes, aspiration_stated, "
    "source, source_id) VALUES (1, 'c1', '2026-01-06', 'Grace', '1:1', 'promotion talk', TRUE, "
    "'calendar', 'ev1')",
    "INSERT INTO conversation_questions (id, conversation_id, question, answer) "
    "VALUES (1, 1, 'What next?', '')",
    "INSERT INTO checkins (id, uid, date, scores, notes) VALUES (1, 'k1', '2026-01-07', '{}', '')",
    "INSERT INTO incidents (id, source, source_id, created, service, title, urgency, assignee, "
    "problem_key) VALUES (1, 'pagerduty', 'P1', '2026-01-08 03:00:00', 'api', 'Disk full', "
    "'high', 'ada', 'disk full')",
    "INSERT INTO opportunities (id, uid, kind, title, hypothesis, status, created) "
    "VALUES (1, 'o1', 'toil', 'Automate disk cleanup', '', 'open', '2026-01-09')",
    "INSERT INTO file_ownership (repo, path, author, commits, first_date, last_date) "
    "VALUES ('repo', 'src/a.py', 'ada@x', 3, '2026-01-01', '2026-01-02')",
    "INSERT INTO import_state (source, key, value) VALUES ('git:repo', 'last_commit', 'abc')",
    "INSERT INTO dismissed_imports (source, source_id, fingerprint, deleted_at) "
    "VALUES ('git', 'repo@old', 'f00', '2026-01-02 10:00:00')",
]


def _context(db_url: str, tmp_path: Path, owner: int = 1) -> Context:
    settings = load(environ={}, home=tmp_path / "home", database_url=db_url)
    return Context(settings=settings, today=TODAY, owner=owner)


@pytest.fixture
def contexts(db_url: str, tmp_path: Path) -> Iterator[list[Context]]:
    made: list[Context] = []
    yield made
    for ctx in made:
        ctx.close()


def test_a_ledger_of_the_previous_schema_becomes_owner_ones(
    db_url: str, tmp_path: Path, contexts: list[Context]
) -> None:
    engine = create_engine(db_url)
    upgrade(engine, "0006")
    with engine.begin() as conn:
        for statement in LEDGER_0006:
            conn.execute(text(statement))
        if conn.dialect.name == "postgresql":  # ids were given: move the sequences past them
            for name in SERIAL:
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                  f"(SELECT max(id) FROM {name}))"))
        before = {name: _count(conn, name) for name in (*OWNED, "entry_labels", "entry_metrics",
                                                        "visibility_entries",
                                                        "conversation_questions")}
    engine.dispose()

    ctx = _context(db_url, tmp_path)
    contexts.append(ctx)
    with ctx.begin() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
            HEAD_REVISION
        )
        assert {name: _count(conn, name) for name in before} == before
        for name in OWNED:
            owners = conn.execute(text(f"SELECT DISTINCT owner_id FROM {name}")).scalars()
            assert list(owners) == [1], name
        assert get_profile(conn).name == "Ada"
        assert [e.title for e in search_entries(conn, query="ranking")] == [
            "Shipped the ranking service"]
        assert search_ids(conn, table=t.feedback, query="rollout") == [1]
        assert search_ids(conn, table=t.conversations, query="promotion") == [1]
        assert get_entry(conn, entry_id=1).metrics[0].result == 400
        assert get_cursors(conn) == {("git:repo", "last_commit"): "abc"}
        assert stored_problem_keys(conn) == ["disk full"]
    with ctx.begin() as conn:  # the full-text triggers were made again, foreign keys are on
        add_entry(conn, entry=Entry(title="Tuned the ranking cache", date=TODAY))
        delete_entries(conn, ids=[1])
        assert [e.title for e in search_entries(conn, query="ranking")] == [
            "Tuned the ranking cache"]
        assert _count(conn, "entry_labels") == 0  # cascaded with its entry
        assert _count(conn, "visibility_entries") == 0


def _count(conn: Connection, table: str) -> int:
    return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def _fill(ctx: Context, title: str) -> None:
    """One of everything owned, with the same names and source keys whoever the owner."""
    with ctx.begin() as conn:
        save_profile(conn, profile=Profile(name=title, level="L4", target_level="L5",
                                           manager="Grace"))
        save_project(conn, project=Project(name="search", stakeholders=["Grace"]))
        entry = Entry(title=f"{title} shipped search", date=date(2026, 1, 2), project="search",
                      source="git", source_id="repo@abc")
        upsert_entries(conn, entries=[entry])
        add_feedback(conn, feedback=Feedback(giver="Grace", date=date(2026, 1, 3),
                                             polarity="positive", text=f"{title} rollout"))
        add_conversation(conn, conversation=Conversation(
            date=date(2026, 1, 4), with_="Grace", notes=f"{title} talk", source="calendar",
            source_id="ev1"))
        upsert_incidents(conn, incidents=[Incident(
            source="pagerduty", source_id="P1", created=datetime(2026, 1, 5, 3),
            title=f"{title} disk full")])
        set_cursor(conn, source="git:repo", key="last_commit", value=title)


def test_two_owners_share_a_database_and_see_only_their_own(
    db_url: str, tmp_path: Path, contexts: list[Context]
) -> None:
    first = _context(db_url, tmp_path, owner=1)
    contexts.append(first)
    _fill(first, "Ada")
    with first.begin() as conn:
        conn.execute(insert(t.owners).values(id=2, name="Linus", created=datetime.now()))
    second = _context(db_url, tmp_path, owner=2)
    contexts.append(second)

    with second.read() as conn:
        assert list_entries(conn) == []
        assert list_stakeholders(conn) == []
        assert list_projects(conn) == []
        assert list_feedback(conn) == []
        assert list_conversations(conn) == []
        assert search_entries(conn, query="shipped") == []
        assert search_ids(conn, table=t.feedback, query="rollout") == []
        assert all_incidents(conn) == []
        assert get_cursors(conn) == {}
        with pytest.raises(NoProfile):
            get_profile(conn)
        with pytest.raises(NotFound):
            get_entry(conn, entry_id=1)

    _fill(second, "Linus")  # the same names and source keys: no conflict
    for ctx, name in ((first, "Ada"), (second, "Linus")):
        with ctx.read() as conn:
            assert get_profile(conn).name == name
            assert [e.title for e in list_entries(conn)] == [f"{name} shipped search"]
            assert [e.title for e in search_entries(conn, query="shipped")] == [
                f"{name} shipped search"]
            assert [s.name for s in list_stakeholders(conn)] == ["Grace"]
            assert get_project(conn, name="search").stakeholders == ["Grace"]
            assert [f.text for f in list_feedback(conn)] == [f"{name} rollout"]
            assert [i.title for i in all_incidents(conn)] == [f"{name} disk full"]
            assert get_cursors(conn) == {("git:repo", "last_commit"): name}
    with first.begin() as conn:  # owner 1 upserting their key again changes only theirs
        again = Entry(title="Ada shipped search", date=date(2026, 1, 2), project="search",
                      source="git", source_id="repo@abc")
        assert upsert_entries(conn, entries=[again])["unchanged"] == 1
    with second.read() as conn:
        assert len(list_entries(conn)) == 1


def test_a_stakeholder_of_another_owner_is_unknown(
    db_url: str, tmp_path: Path, contexts: list[Context]
) -> None:
    first = _context(db_url, tmp_path, owner=1)
    contexts.append(first)
    with first.begin() as conn:
        add_stakeholder(conn, stakeholder=Stakeholder(name="Grace"))
        conn.execute(insert(t.owners).values(id=2, name="Linus", created=datetime.now()))
    second = _context(db_url, tmp_path, owner=2)
    contexts.append(second)
    with second.read() as conn, pytest.raises(NotFound) as caught:
        stakeholder_id(conn, "Grace")
    assert caught.value.step is not None and caught.value.step.action == "stakeholder.add"


def test_the_personal_model_counts_only_the_owners_confirmed_labels(
    db_url: str, tmp_path: Path, contexts: list[Context]
) -> None:
    from levelup.domain.models import Label
    from levelup.store.labels import confirmed_fingerprint

    first = _context(db_url, tmp_path, owner=1)
    contexts.append(first)
    with first.begin() as conn:
        upsert_entries(conn, entries=[Entry(
            title="Ada's win", date=date(2026, 1, 2), source="git", source_id="a",
            outcomes=[Label(id="sla")], competencies=[Label(id="craft")])])
        alone = confirmed_fingerprint(conn)
        conn.execute(insert(t.owners).values(id=2, name="Linus", created=datetime.now()))
    assert alone[0] == 1 and alone[2] > 0  # Ada's confirmed labels moved her revision
    second = _context(db_url, tmp_path, owner=2)
    contexts.append(second)
    with second.read() as conn:
        theirs = confirmed_fingerprint(conn)
    assert theirs[0] == 2 and theirs[2] == 0  # Linus has confirmed nothing
    with second.begin() as conn:
        upsert_entries(conn, entries=[Entry(
            title="Linus's win", date=date(2026, 1, 3), source="git", source_id="b",
            outcomes=[Label(id="kpi")], competencies=[Label(id="craft")])])
    with first.read() as conn:
        assert confirmed_fingerprint(conn) == alone  # another owner's labels change nothing
