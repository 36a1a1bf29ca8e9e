"""what an entry's evidence and wording are worth, kept at write time; a revision of the
confirmed labels per owner

- ``entries.coach_score``: the impact coach's 0-100 score of the title and details
  (``levelup.coach.entry_score``), written with the entry by the store. NULL means not known
  (a writer that did not set it, or text changed without it): readers then run the coach.
  Filled here for existing entries, in batches.
- ``entries.evidence``: which evidence the entry records, as bits: 1 a metric, 2 an outcome
  label, 4 a testimonial. Kept by triggers on entry_metrics, entry_labels and testimonials, so
  every write path (imports, edits, cascades) keeps it right.
- ``owners.labels_revision``: changes whenever one of the owner's confirmed labels is added,
  changed or removed (or the text of an entry with one). Triggers keep it; the personal
  classifier's cache is keyed by it, so `levelup log` reads one row, not every label. The
  value is a time in microseconds (never less than the last one plus one): a restored backup
  followed by new changes cannot repeat a revision the cache saw.
- SQLite: the full-text trigger on entries now fires only when an indexed column is updated,
  so the triggers above (and the stored score) do not reindex the entry's text.

Batch mode (``op.batch_alter_table``) on entries, entry_labels, entry_metrics, testimonials or
owners recreates the table on SQLite and drops its triggers: a later migration doing so must
create them again (``create_triggers`` below).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

BATCH = 5000
FTS_COLUMNS = ("title", "details", "context", "why", "did", "result_now", "result_later",
               "prevented")
# The evidence bits of entry X, recomputed from its children.
EVIDENCE = (
    "(CASE WHEN EXISTS (SELECT 1 FROM entry_metrics m WHERE m.entry_id = {x}) THEN 1 ELSE 0 END"
    " + CASE WHEN EXISTS (SELECT 1 FROM entry_labels l WHERE l.entry_id = {x}"
    " AND l.vocab = 'outcome') THEN 2 ELSE 0 END"
    " + CASE WHEN EXISTS (SELECT 1 FROM testimonials q WHERE q.entry_id = {x}) THEN 4 ELSE 0"
    " END)"
)
# Tables whose rows are evidence, and the condition on a row (NEW or OLD) that makes it so.
EVIDENCE_TABLES = {"entry_metrics": "", "testimonials": "",
                   "entry_labels": "{row}.vocab = 'outcome'"}
SQLITE_NOW_US = "CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)"
PG_NOW_US = "(extract(epoch FROM clock_timestamp()) * 1000000)::bigint"
_TRIGGERS = ("entry_evidence", "labels_revision", "entries_labels_revision", "entries_coach")


def upgrade() -> None:
    op.add_column("entries", sa.Column("coach_score", sa.SmallInteger(), nullable=True))
    op.add_column("entries", sa.Column("evidence", sa.SmallInteger(), nullable=False,
                                       server_default="0"))
    op.add_column("owners", sa.Column("labels_revision", sa.BigInteger(), nullable=False,
                                      server_default="0"))
    if not _pg():  # first: the updates below must not reindex every entry's text
        _narrow_fts_trigger()
    op.execute(f"UPDATE entries SET evidence = {EVIDENCE.format(x='entries.id')}")
    op.execute("UPDATE owners SET labels_revision = (SELECT count(*) FROM entry_labels l "
               "JOIN entries e ON e.id = l.entry_id WHERE e.owner_id = owners.id "
               "AND l.confirmed = " + ("true" if _pg() else "1") + ")")
    _fill_scores()
    create_triggers()


def _pg() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _fill_scores() -> None:
    """Score the wording of every entry, a batch of ids at a time (the coach is pure Python)."""
    from levelup.coach import entry_score

    conn = op.get_bind()
    entries = sa.table("entries", sa.column("id"), sa.column("title"), sa.column("details"),
                       sa.column("coach_score"))
    last = 0
    while True:
        rows = conn.execute(sa.select(entries.c.id, entries.c.title, entries.c.details)
                            .where(entries.c.id > last).order_by(entries.c.id)
                            .limit(BATCH)).all()
        if not rows:
            return
        conn.execute(sa.update(entries).where(entries.c.id == sa.bindparam("entry"))
                     .values(coach_score=sa.bindparam("score")),
                     [{"entry": i, "score": entry_score(title, details or "")}
                      for i, title, details in rows])
        last = rows[-1][0]


def create_triggers() -> None:
    """The triggers that keep ``evidence``, ``labels_revision`` and ``coach_score`` right."""
    if _pg():
        _pg_triggers()
    else:
        _sqlite_triggers()


def _narrow_fts_trigger() -> None:
    """SQLite: reindex an entry's text only when an indexed column is updated."""
    fts, cols = "entries_fts", ", ".join(FTS_COLUMNS)
    new = ", ".join(f"new.{c}" for c in FTS_COLUMNS)
    old = ", ".join(f"old.{c}" for c in FTS_COLUMNS)
    op.execute(f"DROP TRIGGER IF EXISTS {fts}_au")
    op.execute(f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {cols} ON entries BEGIN "
               f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
               f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END")


def _sqlite_triggers() -> None:
    for table, condition in EVIDENCE_TABLES.items():
        for event, rows in (("INSERT", ("new",)), ("DELETE", ("old",)),
                            ("UPDATE", ("old", "new"))):
            when = " OR ".join(condition.format(row=r) for r in rows) if condition else ""
            body = " ".join(
                f"UPDATE entries SET evidence = {EVIDENCE.format(x=f'{r}.entry_id')} "
                f"WHERE id = {r}.entry_id;" for r in rows)
            op.execute(f"CREATE TRIGGER entry_evidence_{table}_{event.lower()} AFTER {event} "
                       f"ON {table}{f' WHEN {when}' if when else ''} BEGIN {body} END")
    bump = (f"UPDATE owners SET labels_revision = max(labels_revision + 1, {SQLITE_NOW_US}) "
            "WHERE id = {owner};")
    of_entry = "(SELECT owner_id FROM entries WHERE id = {row}.entry_id)"
    for event, rows in (("INSERT", ("new",)), ("DELETE", ("old",)), ("UPDATE", ("old", "new"))):
        when = " OR ".join(f"{r}.confirmed" for r in rows)
        body = " ".join(bump.format(owner=of_entry.format(row=r)) for r in rows)
        op.execute(f"CREATE TRIGGER labels_revision_{event.lower()} AFTER {event} ON "
                   f"entry_labels WHEN {when} BEGIN {body} END")
    confirmed = "EXISTS (SELECT 1 FROM entry_labels WHERE entry_id = old.id AND confirmed)"
    # Before the cascade removes the labels: the owner is still known here.
    op.execute(f"CREATE TRIGGER entries_labels_revision_delete BEFORE DELETE ON entries "
               f"WHEN {confirmed} BEGIN {bump.format(owner='old.owner_id')} END")
    changed = "(new.title IS NOT old.title OR new.details IS NOT old.details)"
    op.execute(f"CREATE TRIGGER entries_labels_revision_text AFTER UPDATE OF title, details "
               f"ON entries WHEN {changed} AND {confirmed} "
               f"BEGIN {bump.format(owner='new.owner_id')} END")
    op.execute(f"CREATE TRIGGER entries_coach_stale AFTER UPDATE OF title, details ON entries "
               f"WHEN {changed} AND new.coach_score IS old.coach_score "
               "BEGIN UPDATE entries SET coach_score = NULL WHERE id = new.id; END")


def _pg_triggers() -> None:
    evidence = (
        "CREATE OR REPLACE FUNCTION levelup_entry_evidence() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP IN ('UPDATE', 'DELETE') THEN UPDATE entries SET evidence = "
        f"{EVIDENCE.format(x='OLD.entry_id')} WHERE id = OLD.entry_id; END IF; "
        "IF TG_OP IN ('UPDATE', 'INSERT') THEN UPDATE entries SET evidence = "
        f"{EVIDENCE.format(x='NEW.entry_id')} WHERE id = NEW.entry_id; END IF; "
        "RETURN NULL; END $$")
    op.execute(evidence)
    for table, condition in EVIDENCE_TABLES.items():
        for event, rows in (("INSERT", ("NEW",)), ("DELETE", ("OLD",)),
                            ("UPDATE", ("OLD", "NEW"))):
            when = " OR ".join(condition.format(row=r) for r in rows) if condition else ""
            op.execute(f"CREATE TRIGGER entry_evidence_{table}_{event.lower()} AFTER {event} "
                       f"ON {table} FOR EACH ROW{f' WHEN ({when})' if when else ''} "
                       "EXECUTE FUNCTION levelup_entry_evidence()")
    bump = (f"UPDATE owners SET labels_revision = greatest(labels_revision + 1, {PG_NOW_US}) "
            "WHERE id = {owner};")
    of_entry = "(SELECT owner_id FROM entries WHERE id = {row}.entry_id)"
    op.execute(
        "CREATE OR REPLACE FUNCTION levelup_labels_revision() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP IN ('UPDATE', 'DELETE') THEN {bump.format(owner=of_entry.format(row='OLD'))}"
        " END IF; "
        f"IF TG_OP IN ('UPDATE', 'INSERT') THEN {bump.format(owner=of_entry.format(row='NEW'))}"
        " END IF; RETURN NULL; END $$")
    for event, rows in (("INSERT", ("NEW",)), ("DELETE", ("OLD",)), ("UPDATE", ("OLD", "NEW"))):
        when = " OR ".join(f"{r}.confirmed" for r in rows)
        op.execute(f"CREATE TRIGGER labels_revision_{event.lower()} AFTER {event} ON "
                   f"entry_labels FOR EACH ROW WHEN ({when}) "
                   "EXECUTE FUNCTION levelup_labels_revision()")
    confirmed = "EXISTS (SELECT 1 FROM entry_labels WHERE entry_id = OLD.id AND confirmed)"
    changed = "(NEW.title IS DISTINCT FROM OLD.title OR NEW.details IS DISTINCT FROM OLD.details)"
    op.execute(
        "CREATE OR REPLACE FUNCTION levelup_entries_revision() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP = 'DELETE' THEN IF {confirmed} THEN {bump.format(owner='OLD.owner_id')} "
        "END IF; RETURN OLD; END IF; "
        f"IF {changed} THEN "
        f"IF {confirmed} THEN {bump.format(owner='NEW.owner_id')} END IF; "
        "IF NEW.coach_score IS NOT DISTINCT FROM OLD.coach_score THEN "
        "NEW.coach_score := NULL; END IF; END IF; RETURN NEW; END $$")
    # BEFORE: a delete still sees the labels the cascade is about to remove.
    op.execute("CREATE TRIGGER entries_labels_revision BEFORE DELETE OR UPDATE OF title, "
               "details ON entries FOR EACH ROW EXECUTE FUNCTION levelup_entries_revision()")


def downgrade() -> None:
    if _pg():
        for name in ("entries_labels_revision",):
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON entries")
        for event in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS labels_revision_{event} ON entry_labels")
            for table in EVIDENCE_TABLES:
                op.execute(f"DROP TRIGGER IF EXISTS entry_evidence_{table}_{event} ON {table}")
        for function in ("levelup_entry_evidence", "levelup_labels_revision",
                         "levelup_entries_revision"):
            op.execute(f"DROP FUNCTION IF EXISTS {function}()")
    else:
        for event in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS labels_revision_{event}")
            for table in EVIDENCE_TABLES:
                op.execute(f"DROP TRIGGER IF EXISTS entry_evidence_{table}_{event}")
        for name in ("entries_labels_revision_delete", "entries_labels_revision_text",
                     "entries_coach_stale"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table("owners") as batch:
        batch.drop_column("labels_revision")
    with op.batch_alter_table("entries") as batch:
        batch.drop_column("evidence")
        batch.drop_column("coach_score")
    if not _pg():
        _restore_fts_trigger()


def _restore_fts_trigger() -> None:
    """Batch mode recreated entries and dropped its full-text triggers: make them again as
    0008 left them."""
    fts, cols = "entries_fts", ", ".join(FTS_COLUMNS)
    new = ", ".join(f"new.{c}" for c in FTS_COLUMNS)
    old = ", ".join(f"old.{c}" for c in FTS_COLUMNS)
    for suffix in ("ai", "ad", "au"):
        op.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
    op.execute(f"CREATE TRIGGER {fts}_ai AFTER INSERT ON entries BEGIN "
               f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END")
    op.execute(f"CREATE TRIGGER {fts}_ad AFTER DELETE ON entries BEGIN "
               f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); END")
    op.execute(f"CREATE TRIGGER {fts}_au AFTER UPDATE ON entries BEGIN "
               f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
               f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END")
