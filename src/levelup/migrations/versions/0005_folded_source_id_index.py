"""index source ids case-folded: another importer's key of the same work (a GitHub pull
request's URL, a git remote's owner and name) may differ from the stored one in letter case

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_entries_source_id_folded", "entries", [sa.text("lower(source_id)")])


def downgrade() -> None:
    op.drop_index("ix_entries_source_id_folded", "entries")
