"""owners: every owned row belongs to one; names and source ids are unique per owner, and the
existing ledger becomes owner 1's

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-10

On SQLite, changing a constraint recreates the table (batch mode), which drops its full-text
triggers: they are created again at the end. ``levelup.store.db.upgrade`` turns foreign keys
off around migrations, so dropping a parent table cascades nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Owned tables whose only change is the owner column (and its foreign key).
PLAIN = ("profile", "expectations", "visibility", "feedback", "checkins", "opportunities")
# Unnamed unique constraints of 0001, as SQLite batch mode names them by this convention.
CONVENTION = {"uq": "uq_%(table_name)s_%(column_0_name)s"}
# (table, old unique constraint, new one, its columns); None: named by the database.
UNIQUES = (
    ("stakeholders", None, "uq_stakeholders_owner_name", ("owner_id", "name")),
    ("projects", None, "uq_projects_owner_name", ("owner_id", "name")),
    ("entries", "uq_entries_source", "uq_entries_source", ("owner_id", "source", "source_id")),
    ("conversations", "uq_conversations_source", "uq_conversations_source",
     ("owner_id", "source", "source_id")),
    ("incidents", "uq_incidents_source", "uq_incidents_source",
     ("owner_id", "source", "source_id")),
)
# Indexes that lead with the owner now, so that an owner's period is one index range.
INDEXES = {
    "entries": {"ix_entries_date": ["date"], "ix_entries_kind_date": ["kind", "date"],
                "ix_entries_end_date": ["end_date"]},
    "conversations": {"ix_conversations_date": ["date"],
                      "ix_conversations_with_date": ["with_name", "date"]},
    "incidents": {"ix_incidents_created": ["created"],
                  "ix_incidents_problem": ["problem_key", "created"]},
}
FTS_SOURCES = {
    "entries": ("title", "details"),
    "feedback": ("text", "follow_up"),
    "conversations": ("notes", "with_name"),
}


def upgrade() -> None:
    op.create_table(
        "owners",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    owners = sa.table("owners", sa.column("id"), sa.column("name"), sa.column("created"))
    op.bulk_insert(owners, [{"id": 1, "name": "me", "created": datetime.now()}])
    if op.get_bind().dialect.name == "postgresql":  # id 1 was given: move the sequence past it
        op.execute("SELECT setval(pg_get_serial_sequence('owners', 'id'), 1)")
    op.drop_index("ix_entries_source_id_folded", "entries")
    for table in PLAIN:
        _own(table)
    for table, old, new, columns in UNIQUES:
        _own(table, unique=(old or _unnamed(table, "name"), new, columns))
    for name in ("file_ownership", "import_state", "dismissed_imports"):
        _rekey(name)
    op.create_index("ix_entries_source_id_folded", "entries",
                    ["owner_id", sa.text("lower(source_id)")])
    with op.batch_alter_table("profile") as batch:
        batch.create_unique_constraint("uq_profile_owner", ["owner_id"])
    _recreate_fts_triggers()


def _unnamed(table: str, column: str) -> str:
    """The name the database gave an unnamed unique constraint of 0001."""
    if op.get_bind().dialect.name == "postgresql":
        return f"{table}_{column}_key"
    return CONVENTION["uq"] % {"table_name": table, "column_0_name": column}


def _own(table: str, unique: tuple[str, str, tuple[str, ...]] | None = None) -> None:
    """Give ``table`` an owner column (existing rows: owner 1), its foreign key and indexes."""
    op.add_column(table, sa.Column("owner_id", sa.Integer(), nullable=False, server_default="1"))
    with op.batch_alter_table(table, naming_convention=CONVENTION) as batch:
        batch.alter_column("owner_id", existing_type=sa.Integer(), server_default=None)
        batch.create_foreign_key(f"fk_{table}_owner", "owners", ["owner_id"], ["id"])
        if unique is not None:
            old, new, columns = unique
            batch.drop_constraint(old, type_="unique")
            batch.create_unique_constraint(new, list(columns))
        for index, leading in INDEXES.get(table, {}).items():
            batch.drop_index(index)
            batch.create_index(index, ["owner_id", *leading])


# Tables keyed by natural keys: the owner leads their primary key now. (keys, other columns)
KEYED: dict[str, tuple[list[sa.Column[Any]], list[sa.Column[Any]]]] = {
    "file_ownership": (
        [sa.Column("repo", sa.String(500)), sa.Column("path", sa.String(1000)),
         sa.Column("author", sa.String(300))],
        [sa.Column("commits", sa.Integer(), nullable=False),
         sa.Column("first_date", sa.Date(), nullable=False),
         sa.Column("last_date", sa.Date(), nullable=False)],
    ),
    "import_state": (
        [sa.Column("source", sa.String(500)), sa.Column("key", sa.String(100))],
        [sa.Column("value", sa.Text(), nullable=False)],
    ),
    "dismissed_imports": (
        [sa.Column("source", sa.String(40)), sa.Column("source_id", sa.String(300))],
        [sa.Column("fingerprint", sa.String(40), nullable=False),
         sa.Column("deleted_at", sa.DateTime(), nullable=False)],
    ),
}


def _rekey(name: str) -> None:
    """Copy ``name`` into a new table whose primary key starts with the owner (owner 1)."""
    keys, others = KEYED[name]
    columns = [c.name for c in keys + others]
    new = f"{name}_0007"
    op.create_table(
        new,
        sa.Column("owner_id", sa.Integer(), nullable=False),
        *[sa.Column(c.name, c.type, nullable=False) for c in keys],
        *others,
        sa.ForeignKeyConstraint(["owner_id"], ["owners.id"], name=f"fk_{name}_owner"),
        sa.PrimaryKeyConstraint("owner_id", *[c.name for c in keys], name=f"pk_{name}"),
    )
    listed = ", ".join(columns)
    op.execute(f"INSERT INTO {new} (owner_id, {listed}) SELECT 1, {listed} FROM {name}")
    if name == "file_ownership":
        op.drop_index("ix_file_ownership_last", name)
    op.drop_table(name)
    op.rename_table(new, name)
    if name == "file_ownership":
        op.create_index("ix_file_ownership_last", name, ["owner_id", "repo", "last_date"])


def _recreate_fts_triggers() -> None:
    """SQLite: batch mode dropped the tables the triggers were on; the FTS tables still hold
    every row (ids were copied unchanged), so only the triggers come back."""
    if op.get_bind().dialect.name != "sqlite":
        return
    for table, columns in FTS_SOURCES.items():
        cols = ", ".join(columns)
        new = ", ".join(f"new.{c}" for c in columns)
        old = ", ".join(f"old.{c}" for c in columns)
        fts = f"{table}_fts"
        for suffix in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
        op.execute(f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
                   f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END")
        op.execute(f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
                   f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); END")
        op.execute(f"CREATE TRIGGER {fts}_au AFTER UPDATE ON {table} BEGIN "
                   f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old}); "
                   f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new}); END")


def downgrade() -> None:
    raise NotImplementedError("a ledger of several owners cannot go back to one")
