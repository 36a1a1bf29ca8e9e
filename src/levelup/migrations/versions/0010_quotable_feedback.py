"""quotable feedback: feedback the user marks as fit to quote in the promotion packet

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("feedback", sa.Column("quotable", sa.Boolean(), nullable=False,
                                        server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("feedback") as batch:
        batch.drop_column("quotable")
