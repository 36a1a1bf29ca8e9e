"""index the end of ranged entries; period filters bound ``date`` on both sides instead of
reading the last-day expression index, which no query uses any more

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # `in_period` asks for the earliest entry still running at the start of a period.
    op.create_index("ix_entries_end_date", "entries", ["end_date"])
    op.drop_index("ix_entries_last_day", "entries")


def downgrade() -> None:
    op.create_index("ix_entries_last_day", "entries", [sa.text("coalesce(end_date, date)")])
    op.drop_index("ix_entries_end_date", "entries")
