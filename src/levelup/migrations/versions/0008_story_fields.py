"""story fields: an entry's story (context, why, what I did, results, what it prevented), which
way a metric is better, and a stakeholder's email address

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-17

The story is searchable: on SQLite the entries' FTS5 table is made again with the new
columns (an external-content table cannot gain columns) and rebuilt from the entries; on
PostgreSQL the GIN expression index is made again over the longer document (the queries in
``levelup.store.search`` use the same expression).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

STORY = ("context", "why", "did", "result_now", "result_later", "prevented")
OLD_COLUMNS = ("title", "details")
NEW_COLUMNS = (*OLD_COLUMNS, *STORY)


def upgrade() -> None:
    for name in STORY:
        op.add_column("entries", sa.Column(name, sa.Text(), nullable=False, server_default=""))
    op.add_column("entry_metrics", sa.Column("better", sa.String(length=6), nullable=True))
    op.add_column("stakeholders", sa.Column("email", sa.String(length=320), nullable=False,
                                            server_default=""))
    _full_text(NEW_COLUMNS)


def _full_text(columns: tuple[str, ...]) -> None:
    """Index ``columns`` of entries for full-text search, in place of what was indexed."""
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        joined = " || ' ' || ".join(f"coalesce({c}, '')" for c in columns)
        op.execute("DROP INDEX IF EXISTS ix_entries_fts")
        op.execute(f"CREATE INDEX ix_entries_fts ON entries USING gin "
                   f"(to_tsvector('english', {joined}))")
        return
    if dialect != "sqlite":
        return
    fts = "entries_fts"
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    for suffix in ("ai", "ad", "au"):
        op.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
    op.execute(f"DROP TABLE IF EXISTS {fts}")
    op.execute(f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content='entries', "
               "content_rowid='id', tokenize='porter unicode61')")
    op.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
    op.execute(f"CREATE TRIGGER {fts}_ai AFTER INSERT ON entries BEGIN "
               f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END")
    op.execute(f"CREATE TRIGGER {fts}_ad AFTER DELETE ON entries BEGIN "
               f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); END")
    op.execute(f"CREATE TRIGGER {fts}_au AFTER UPDATE ON entries BEGIN "
               f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
               f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END")


def downgrade() -> None:
    with op.batch_alter_table("stakeholders") as batch:
        batch.drop_column("email")
    with op.batch_alter_table("entry_metrics") as batch:
        batch.drop_column("better")
    with op.batch_alter_table("entries") as batch:
        for name in STORY:
            batch.drop_column(name)
    _full_text(OLD_COLUMNS)  # after: recreating entries dropped its triggers
