"""A small ledger holding every kind of record the export carries, with fixed uids and dates,
so that its export is one known document (see test_export_stream.py)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Engine, insert

from levelup.domain.models import (
    CheckIn,
    Conversation,
    Entry,
    Expectation,
    Feedback,
    Incident,
    Label,
    Metric,
    Opportunity,
    Profile,
    Project,
    QuestionAnswer,
    Stakeholder,
    Testimonial,
    VisibilityEvent,
)
from levelup.store import entries, opportunities, people, projects, records
from levelup.store import tables as t
from levelup.store.incidents import upsert_incidents
from levelup.store.scope import owner_of

KNOWN_AT = datetime(2026, 11, 20, 10, 0)
TEMPLATE = "{# weekly #}\nWins: {{ wins | length }} — “quoted”\n"


def _uid(n: int) -> str:
    return f"{n:032x}"


def _entries() -> list[Entry]:
    created = datetime(2026, 11, 1, 9, 30)
    return [
        Entry(title="Cut p99 of checkout from 900 to 250 ms", date=date(2026, 10, 2),
              end_date=date(2026, 10, 9), details="Profiled the café ✓ cache\u0085 \u202eok",
              kind="win", project="Search",
              outcomes=[Label(id="sla", confirmed=True, score=0.75), Label(id="revenue",
                                                                          confirmed=False)],
              competencies=[Label(id="craft", confirmed=True)],
              metrics=[Metric(name="p99", baseline=900, result=250.5, unit="ms", better="lower"),
                       Metric(name="errors", result=3)],
              links=["https://example.test/pr/1", "https://example.test/pr/2"],
              testimonials=[Testimonial(quote="Saved the launch", author="Priya")],
              context="Checkout timed out", why="Lost orders", did="Rewrote the cache",
              result_now="250 ms", result_later="", prevented="timeouts",
              uid=_uid(1), created_at=created),
        Entry(title="Paired on the runbook", date=date(2026, 10, 2), kind="mentoring",
              source="github", source_id="acme/web#12", uid=_uid(2), created_at=created),
        Entry(title="Plan: index review", date=date(2026, 11, 3), kind="plan", status="open",
              details='quote " backslash \\ tab\t', uid=_uid(3), created_at=created),
    ]


def fill_known(engine: Engine, home: Path) -> None:
    """Store the known ledger through ``engine``; its ladders and templates into ``home``."""
    with engine.begin() as conn:
        for name, relation, email, n in (("Priya", "skip-level", "p@example.test", 11),
                                         ("Grace", "manager", "", 12)):
            people.add_stakeholder(conn, stakeholder=Stakeholder(
                name=name, relation=relation, decision_maker=True, email=email, uid=_uid(n)))
        people.save_profile(conn, profile=Profile(name="Ada", level="L3", target_level="L4",
                                                  manager="Grace"))
        projects.save_project(conn, project=Project(
            name="Search", goal="Faster search", stretch=True, stakeholders=["Priya"],
            start=date(2026, 9, 1), uid=_uid(21)))
        ledger = _entries()
        for entry in ledger:
            entries.add_entry(conn, entry=entry)
        ids = [int(e.id or 0) for e in ledger]
        records.add_expectation(conn, expectation=Expectation(
            kind="kpi", text="p99 < 300ms", agreed_on=date(2026, 9, 5), said_by="Grace",
            uid=_uid(31)))
        records.add_visibility(conn, event=VisibilityEvent(
            stakeholder="Priya", date=date(2026, 10, 10), channel="1:1", note="demo",
            entry_ids=[ids[1], ids[0]], uid=_uid(41)))
        records.add_feedback(conn, feedback=Feedback(
            giver="Grace", date=date(2026, 10, 12), polarity="positive", text="Great",
            competency="craft", asked=True, entry_ids=[ids[0]], uid=_uid(51)))
        records.add_conversation(conn, conversation=Conversation(
            date=date(2026, 10, 14), with_="Grace", aspiration_stated=True, uid=_uid(61),
            questions=[QuestionAnswer(question="Right projects?", answer="Yes")]))
        records.add_checkin(conn, checkin=CheckIn(date=date(2026, 10, 15),
                                                  scores={"listening": 4}, uid=_uid(71)))
        upsert_incidents(conn, incidents=[Incident(
            source="pagerduty", source_id="P1", created=datetime(2026, 11, 2, 3, 0),
            resolved=datetime(2026, 11, 2, 4, 0), title="Disk full on db-3", service="db")])
        opportunities.add_opportunity(conn, opportunity=Opportunity(
            kind="quality", title="Stop disk alerts", status="done", done_entry_id=ids[2],
            done_on=date(2026, 11, 4), uid=_uid(81)), today=date(2026, 11, 2))
        conn.execute(insert(t.dismissed_imports).values(
            owner_id=owner_of(conn), source="github", source_id="acme/web#9", fingerprint="f9",
            deleted_at=datetime(2026, 11, 1, 9, 0)))
    templates = home / "templates"
    templates.mkdir(parents=True, exist_ok=True)
    (templates / "weekly.md.j2").write_text(TEMPLATE, encoding="utf-8")


# The export of that ledger as levelup wrote it before the export streamed (one document in
# memory, then json.dumps): the streamed text must be this, byte for byte.
KNOWN = {'format': 'levelup-export',
 'version': 1,
 'exported_at': '2026-11-20T10:00:00',
 'profile': {'name': 'Ada',
             'level': 'L3',
             'target_level': 'L4',
             'ladder': 'software-engineer',
             'manager': 'Grace'},
 'stakeholders': [{'name': 'Grace',
                   'relation': 'manager',
                   'decision_maker': True,
                   'notes': '',
                   'email': '',
                   'uid': '0000000000000000000000000000000c'},
                  {'name': 'Priya',
                   'relation': 'skip-level',
                   'decision_maker': True,
                   'notes': '',
                   'email': 'p@example.test',
                   'uid': '0000000000000000000000000000000b'}],
 'projects': [{'name': 'Search',
               'goal': 'Faster search',
               'outcome': '',
               'role': '',
               'stretch': True,
               'stakeholders': ['Priya'],
               'start': '2026-09-01',
               'end': None,
               'status': 'active',
               'went_well': '',
               'to_improve': '',
               'lessons': '',
               'uid': '00000000000000000000000000000015'}],
 'entries': [{'title': 'Cut p99 of checkout from 900 to 250 ms',
              'date': '2026-10-02',
              'end_date': '2026-10-09',
              'details': 'Profiled the café ✓ cache\x85 \u202eok',
              'kind': 'win',
              'project': 'Search',
              'outcomes': [{'id': 'sla', 'confirmed': True, 'score': 0.75},
                           {'id': 'revenue', 'confirmed': False, 'score': None}],
              'competencies': [{'id': 'craft', 'confirmed': True, 'score': None}],
              'metrics': [{'name': 'p99',
                           'result': 250.5,
                           'baseline': 900.0,
                           'unit': 'ms',
                           'better': 'lower'},
                          {'name': 'errors',
                           'result': 3.0,
                           'baseline': None,
                           'unit': '',
                           'better': None}],
              'links': ['https://example.test/pr/1', 'https://example.test/pr/2'],
              'testimonials': [{'quote': 'Saved the launch', 'author': 'Priya'}],
              'context': 'Checkout timed out',
              'why': 'Lost orders',
              'did': 'Rewrote the cache',
              'result_now': '250 ms',
              'result_later': '',
              'prevented': 'timeouts',
              'source': 'manual',
              'source_id': None,
              'status': None,
              'uid': '00000000000000000000000000000001',
              'created_at': '2026-11-01T09:30:00'},
             {'title': 'Paired on the runbook',
              'date': '2026-10-02',
              'end_date': None,
              'details': '',
              'kind': 'mentoring',
              'project': None,
              'outcomes': [],
              'competencies': [],
              'metrics': [],
              'links': [],
              'testimonials': [],
              'context': '',
              'why': '',
              'did': '',
              'result_now': '',
              'result_later': '',
              'prevented': '',
              'source': 'github',
              'source_id': 'acme/web#12',
              'status': None,
              'uid': '00000000000000000000000000000002',
              'created_at': '2026-11-01T09:30:00'},
             {'title': 'Plan: index review',
              'date': '2026-11-03',
              'end_date': None,
              'details': 'quote " backslash \\ tab\t',
              'kind': 'plan',
              'project': None,
              'outcomes': [],
              'competencies': [],
              'metrics': [],
              'links': [],
              'testimonials': [],
              'context': '',
              'why': '',
              'did': '',
              'result_now': '',
              'result_later': '',
              'prevented': '',
              'source': 'manual',
              'source_id': None,
              'status': 'open',
              'uid': '00000000000000000000000000000003',
              'created_at': '2026-11-01T09:30:00'}],
 'expectations': [{'kind': 'kpi',
                   'text': 'p99 < 300ms',
                   'agreed_on': '2026-09-05',
                   'said_by': 'Grace',
                   'outcome': '',
                   'outcome_on': None,
                   'uid': '0000000000000000000000000000001f'}],
 'visibility': [{'stakeholder': 'Priya',
                 'date': '2026-10-10',
                 'channel': '1:1',
                 'entry_ids': ['00000000000000000000000000000001',
                               '00000000000000000000000000000002'],
                 'note': 'demo',
                 'uid': '00000000000000000000000000000029'}],
 'feedback': [{'giver': 'Grace',
               'date': '2026-10-12',
               'polarity': 'positive',
               'text': 'Great',
               'competency': 'craft',
               'asked': True,
               'follow_up': '',
               'status': 'open',
               'quotable': False,
               'entry_ids': ['00000000000000000000000000000001'],
               'uid': '00000000000000000000000000000033'}],
 'conversations': [{'date': '2026-10-14',
                    'with_': 'Grace',
                    'kind': '1:1',
                    'notes': '',
                    'questions': [{'question': 'Right projects?', 'answer': 'Yes'}],
                    'aspiration_stated': True,
                    'source': 'manual',
                    'source_id': None,
                    'uid': '0000000000000000000000000000003d'}],
 'checkins': [{'date': '2026-10-15',
               'scores': {'listening': 4},
               'notes': '',
               'uid': '00000000000000000000000000000047'}],
 'incidents': [{'source': 'pagerduty',
                'source_id': 'P1',
                'created': '2026-11-02T03:00:00',
                'title': 'Disk full on db-3',
                'resolved': '2026-11-02T04:00:00',
                'service': 'db',
                'urgency': '',
                'assignee': '',
                'problem_key': 'disk full on db-*'}],
 'opportunities': [{'kind': 'quality',
                    'title': 'Stop disk alerts',
                    'hypothesis': '',
                    'problem_key': None,
                    'status': 'done',
                    'done_entry_id': '00000000000000000000000000000003',
                    'created': '2026-11-02',
                    'done_on': '2026-11-04',
                    'uid': '00000000000000000000000000000051'}],
 'dismissed': [{'source': 'github',
                'source_id': 'acme/web#9',
                'fingerprint': 'f9',
                'deleted_at': '2026-11-01T09:00:00'}],
 'ladders': [],
 'templates': [{'name': 'weekly.md.j2',
                'text': '{# weekly #}\nWins: {{ wins | length }} — “quoted”\n'}]}
