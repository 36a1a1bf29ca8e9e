"""how an agreed expectation went; names unique regardless of letter case

- ``expectations.outcome`` (what came of it, in the user's words) and ``outcome_on`` (when it
  was recorded), so the packet can say how each agreed expectation went.
- Stakeholder and project names are looked up ignoring case, so they are now unique ignoring
  case too: a unique index on ``(owner_id, lower(name))``. Rows that would collide keep every
  record and get their id appended to the name ("Dana Kim (7)"), to be merged or renamed.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_NAMED = ("stakeholders", "projects")


def upgrade() -> None:
    op.add_column("expectations", sa.Column("outcome", sa.Text(), nullable=False,
                                            server_default=""))
    op.add_column("expectations", sa.Column("outcome_on", sa.Date(), nullable=True))
    for table in _NAMED:
        op.execute(
            f"UPDATE {table} SET name = name || ' (' || id || ')' WHERE EXISTS ("
            f"SELECT 1 FROM {table} AS earlier WHERE earlier.owner_id = {table}.owner_id"
            f" AND lower(earlier.name) = lower({table}.name) AND earlier.id < {table}.id)"
        )
        op.create_index(f"uq_{table}_owner_name_folded", table,
                        ["owner_id", sa.text("lower(name)")], unique=True)


def downgrade() -> None:
    for table in _NAMED:
        op.drop_index(f"uq_{table}_owner_name_folded", table_name=table)
    with op.batch_alter_table("expectations") as batch:
        batch.drop_column("outcome_on")
        batch.drop_column("outcome")
