"""initial ledger schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22 23:50:06.039505
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "checkins",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("scores", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uid"),
    )
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_checkins_date"), ["date"], unique=False)

    op.create_table(
        "conversations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("with_name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("aspiration_stated", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("source_id", sa.String(length=300), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source", "source_id", name="uq_conversations_source"),
        sa.UniqueConstraint("uid"),
    )
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.create_index("ix_conversations_date", ["date"], unique=False)

    op.create_table(
        "expectations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("said_by", sa.String(length=200), nullable=True),
        sa.Column("agreed_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uid"),
    )
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("giver", sa.String(length=200), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("polarity", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("competency", sa.String(length=40), nullable=True),
        sa.Column("asked", sa.Boolean(), nullable=False),
        sa.Column("follow_up", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uid"),
    )
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.create_index("ix_feedback_date", ["date"], unique=False)

    op.create_table(
        "file_ownership",
        sa.Column("repo", sa.String(length=500), nullable=False),
        sa.Column("path", sa.String(length=1000), nullable=False),
        sa.Column("author", sa.String(length=300), nullable=False),
        sa.Column("commits", sa.Integer(), nullable=False),
        sa.Column("first_date", sa.Date(), nullable=False),
        sa.Column("last_date", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("repo", "path", "author"),
    )
    with op.batch_alter_table("file_ownership", schema=None) as batch_op:
        batch_op.create_index("ix_file_ownership_last", ["repo", "last_date"], unique=False)

    op.create_table(
        "import_state",
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("source", "key"),
    )
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("source_id", sa.String(length=300), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("resolved", sa.DateTime(), nullable=True),
        sa.Column("service", sa.String(length=200), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("urgency", sa.String(length=40), nullable=False),
        sa.Column("assignee", sa.String(length=200), nullable=False),
        sa.Column("problem_key", sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source", "source_id", name="uq_incidents_source"),
    )
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.create_index("ix_incidents_created", ["created"], unique=False)
        batch_op.create_index("ix_incidents_problem", ["problem_key", "created"], unique=False)

    op.create_table(
        "profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("target_level", sa.String(length=20), nullable=False),
        sa.Column("ladder", sa.String(length=100), nullable=False),
        sa.Column("manager", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "projects",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("goal", sa.Text(), nullable=False),
        sa.Column("outcome", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("stretch", sa.Boolean(), nullable=False),
        sa.Column("start", sa.Date(), nullable=True),
        sa.Column("end", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("went_well", sa.Text(), nullable=False),
        sa.Column("to_improve", sa.Text(), nullable=False),
        sa.Column("lessons", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
        sa.UniqueConstraint("uid"),
    )
    op.create_table(
        "stakeholders",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("relation", sa.String(length=40), nullable=False),
        sa.Column("decision_maker", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
        sa.UniqueConstraint("uid"),
    )
    op.create_table(
        "conversation_questions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("conversation_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("conversation_questions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_conversation_questions_conversation_id"),
            ["conversation_id"],
            unique=False,
        )

    op.create_table(
        "entries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("source_id", sa.String(length=300), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source", "source_id", name="uq_entries_source"),
        sa.UniqueConstraint("uid"),
    )
    with op.batch_alter_table("entries", schema=None) as batch_op:
        batch_op.create_index("ix_entries_date", ["date"], unique=False)
        batch_op.create_index("ix_entries_kind_date", ["kind", "date"], unique=False)
        batch_op.create_index("ix_entries_project", ["project_id"], unique=False)

    op.create_table(
        "project_stakeholders",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("stakeholder_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["stakeholder_id"], ["stakeholders.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("project_id", "stakeholder_id"),
    )
    op.create_table(
        "visibility",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("stakeholder_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=30), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["stakeholder_id"], ["stakeholders.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uid"),
    )
    with op.batch_alter_table("visibility", schema=None) as batch_op:
        batch_op.create_index("ix_visibility_stakeholder", ["stakeholder_id"], unique=False)

    op.create_table(
        "entry_labels",
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("vocab", sa.String(length=12), nullable=False),
        sa.Column("label", sa.String(length=40), nullable=False),
        sa.Column("confirmed", sa.Boolean(), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["entry_id"], ["entries.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("entry_id", "vocab", "label"),
    )
    with op.batch_alter_table("entry_labels", schema=None) as batch_op:
        batch_op.create_index("ix_entry_labels_label", ["vocab", "label"], unique=False)

    op.create_table(
        "entry_links",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["entries.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("entry_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_entry_links_entry_id"), ["entry_id"], unique=False)

    op.create_table(
        "entry_metrics",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("baseline", sa.Float(), nullable=True),
        sa.Column("result", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["entries.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("entry_metrics", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_entry_metrics_entry_id"), ["entry_id"], unique=False)

    op.create_table(
        "feedback_entries",
        sa.Column("feedback_id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["entries.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["feedback_id"], ["feedback.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("feedback_id", "entry_id"),
    )
    op.create_table(
        "opportunities",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("uid", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("hypothesis", sa.Text(), nullable=False),
        sa.Column("problem_key", sa.String(length=300), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("done_entry_id", sa.Integer(), nullable=True),
        sa.Column("created", sa.Date(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["done_entry_id"], ["entries.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uid"),
    )
    op.create_table(
        "testimonials",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["entries.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("testimonials", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_testimonials_entry_id"), ["entry_id"], unique=False)

    op.create_table(
        "visibility_entries",
        sa.Column("visibility_id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["entries.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["visibility_id"], ["visibility.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("visibility_id", "entry_id"),
    )
    with op.batch_alter_table("visibility_entries", schema=None) as batch_op:
        batch_op.create_index("ix_visibility_entries_entry", ["entry_id"], unique=False)

    create_full_text_search()


def downgrade() -> None:
    drop_full_text_search()
    with op.batch_alter_table("visibility_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_visibility_entries_entry")

    op.drop_table("visibility_entries")
    with op.batch_alter_table("testimonials", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_testimonials_entry_id"))

    op.drop_table("testimonials")
    op.drop_table("opportunities")
    op.drop_table("feedback_entries")
    with op.batch_alter_table("entry_metrics", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entry_metrics_entry_id"))

    op.drop_table("entry_metrics")
    with op.batch_alter_table("entry_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entry_links_entry_id"))

    op.drop_table("entry_links")
    with op.batch_alter_table("entry_labels", schema=None) as batch_op:
        batch_op.drop_index("ix_entry_labels_label")

    op.drop_table("entry_labels")
    with op.batch_alter_table("visibility", schema=None) as batch_op:
        batch_op.drop_index("ix_visibility_stakeholder")

    op.drop_table("visibility")
    op.drop_table("project_stakeholders")
    with op.batch_alter_table("entries", schema=None) as batch_op:
        batch_op.drop_index("ix_entries_project")
        batch_op.drop_index("ix_entries_kind_date")
        batch_op.drop_index("ix_entries_date")

    op.drop_table("entries")
    with op.batch_alter_table("conversation_questions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversation_questions_conversation_id"))

    op.drop_table("conversation_questions")
    op.drop_table("stakeholders")
    op.drop_table("projects")
    op.drop_table("profile")
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_index("ix_incidents_problem")
        batch_op.drop_index("ix_incidents_created")

    op.drop_table("incidents")
    op.drop_table("import_state")
    with op.batch_alter_table("file_ownership", schema=None) as batch_op:
        batch_op.drop_index("ix_file_ownership_last")

    op.drop_table("file_ownership")
    with op.batch_alter_table("feedback", schema=None) as batch_op:
        batch_op.drop_index("ix_feedback_date")

    op.drop_table("feedback")
    op.drop_table("expectations")
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_index("ix_conversations_date")

    op.drop_table("conversations")
    with op.batch_alter_table("checkins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_checkins_date"))

    op.drop_table("checkins")


# Full-text search: FTS5 tables kept in step by triggers on SQLite; GIN expression
# indexes on PostgreSQL (queries use the same expressions, see levelup.store.search).
FTS_SOURCES = {
    "entries": ("title", "details"),
    "feedback": ("text", "follow_up"),
    "conversations": ("notes", "with_name"),
}


def _sqlite_fts(table: str, columns: tuple[str, ...]) -> list[str]:
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    fts = f"{table}_fts"
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content='{table}', content_rowid='id',"
        " tokenize='porter unicode61')",
        f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END",
        f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); END",
        f"CREATE TRIGGER {fts}_au AFTER UPDATE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END",
    ]


def pg_document(columns: tuple[str, ...]) -> str:
    joined = " || ' ' || ".join(f"coalesce({c}, '')" for c in columns)
    return f"to_tsvector('english', {joined})"


def create_full_text_search() -> None:
    dialect = op.get_bind().dialect.name
    for table, columns in FTS_SOURCES.items():
        if dialect == "sqlite":
            for statement in _sqlite_fts(table, columns):
                op.execute(statement)
        elif dialect == "postgresql":
            op.execute(f"CREATE INDEX ix_{table}_fts ON {table} USING gin ({pg_document(columns)})")


def drop_full_text_search() -> None:
    dialect = op.get_bind().dialect.name
    for table in FTS_SOURCES:
        if dialect == "sqlite":
            op.execute(f"DROP TABLE IF EXISTS {table}_fts")
        elif dialect == "postgresql":
            op.execute(f"DROP INDEX IF EXISTS ix_{table}_fts")
