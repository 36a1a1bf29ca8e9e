"""remember imported entries the user deleted, so that imports do not add them again

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dismissed_imports",
        sa.Column("source", sa.String(40), primary_key=True),
        sa.Column("source_id", sa.String(300), primary_key=True),
        sa.Column("fingerprint", sa.String(40), nullable=False),
        sa.Column("deleted_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("dismissed_imports")
