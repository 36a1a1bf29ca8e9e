"""index the last day of an entry (period filters) and confirmed labels (personal classifier)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # `list --since X` asks for entries whose last day is on or after X.
    op.create_index(
        "ix_entries_last_day", "entries", [sa.text("coalesce(end_date, date)")]
    )
    op.create_index(
        "ix_entry_labels_confirmed", "entry_labels", ["entry_id"],
        sqlite_where=sa.text("confirmed = 1"), postgresql_where=sa.text("confirmed"),
    )


def downgrade() -> None:
    op.drop_index("ix_entry_labels_confirmed", "entry_labels")
    op.drop_index("ix_entries_last_day", "entries")
