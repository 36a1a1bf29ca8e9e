"""label order, and indexes for reports: conversations by person, visibility by date

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The first competency of an entry is its primary one: keep the order labels were given in.
    with op.batch_alter_table("entry_labels") as batch:
        batch.add_column(sa.Column("position", sa.Integer(), nullable=False, server_default="0"))
    op.create_index("ix_conversations_with_date", "conversations", ["with_name", "date"])
    op.create_index("ix_visibility_date", "visibility", ["date"])
    op.create_index("ix_feedback_status", "feedback", ["status"])


def downgrade() -> None:
    op.drop_index("ix_feedback_status", "feedback")
    op.drop_index("ix_visibility_date", "visibility")
    op.drop_index("ix_conversations_with_date", "conversations")
    with op.batch_alter_table("entry_labels") as batch:
        batch.drop_column("position")
