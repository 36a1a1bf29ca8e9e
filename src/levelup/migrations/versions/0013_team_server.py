"""team server: accounts, sign-in links, sessions, sign-in failures, shares and who viewed them

Each account has its own ``owners`` row, which scopes what the server keeps for that person.
Sign-in links and sessions are kept as SHA-256 digests, passwords as argon2 hashes. A share is
one engineer's bundle for one named person; its records live under an owner of their own (the
share's "space"), so every query on it is owner-scoped like a ledger's.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("owner_id", sa.Integer(), sa.ForeignKey("owners.id", name="fk_users_owner"),
                  nullable=False, unique=True),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("manager_id", sa.Integer(),
                  sa.ForeignKey("users.id", name="fk_users_manager", ondelete="SET NULL")),
        sa.Column("password_hash", sa.String(200)),
        sa.Column("disabled", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("created", sa.DateTime(), nullable=False),
    )
    op.create_index("uq_users_email_folded", "users", [sa.text("lower(email)")], unique=True)
    op.create_table(
        "signin_links",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer(),
                  sa.ForeignKey("users.id", name="fk_signin_links_user", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("expires", sa.DateTime(), nullable=False),
        sa.Column("used", sa.DateTime()),
    )
    op.create_table(
        "server_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.Integer(),
                  sa.ForeignKey("users.id", name="fk_server_sessions_user", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("expires", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "signin_failures",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(400), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_signin_failures_key_at", "signin_failures", ["key", "at"])
    op.create_table(
        "shares",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("engineer_id", sa.Integer(),
                  sa.ForeignKey("users.id", name="fk_shares_engineer", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("grantee_id", sa.Integer(),
                  sa.ForeignKey("users.id", name="fk_shares_grantee", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("space_id", sa.Integer(), sa.ForeignKey("owners.id", name="fk_shares_space"),
                  nullable=False, unique=True),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("updated", sa.DateTime(), nullable=False),
        sa.Column("expires", sa.DateTime()),
        sa.Column("revoked", sa.DateTime()),
        sa.Column("message", sa.Text(), nullable=False, server_default=""),
        sa.Column("packet", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("scope", sa.Text(), nullable=False, server_default="{}"),
    )
    op.create_index("ix_shares_grantee", "shares", ["grantee_id", "revoked"])
    op.create_index("ix_shares_engineer", "shares", ["engineer_id", "grantee_id"])
    op.create_table(
        "share_views",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("share_id", sa.String(32),
                  sa.ForeignKey("shares.id", name="fk_share_views_share", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("viewer_id", sa.Integer(),
                  sa.ForeignKey("users.id", name="fk_share_views_viewer", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("what", sa.String(200), nullable=False),
    )
    op.create_index("ix_share_views_share_at", "share_views", ["share_id", "at"])
    op.create_table(
        "manager_notes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("uid", sa.String(32), nullable=False, unique=True),
        sa.Column("engineer_id", sa.Integer(),
                  sa.ForeignKey("users.id", name="fk_manager_notes_engineer",
                                ondelete="CASCADE"), nullable=False),
        sa.Column("author_id", sa.Integer(),
                  sa.ForeignKey("users.id", name="fk_manager_notes_author", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("share_id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False, server_default=""),
        sa.Column("polarity", sa.String(12)),
        sa.Column("competency", sa.String(40)),
        sa.Column("follow_up", sa.Text(), nullable=False, server_default=""),
        sa.Column("person", sa.String(200)),
        sa.Column("relation", sa.String(40)),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("entries", sa.Text(), nullable=False, server_default="[]"),
        sa.Column("created", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_manager_notes_engineer", "manager_notes", ["engineer_id", "id"])


def downgrade() -> None:
    op.drop_table("manager_notes")
    op.drop_table("share_views")
    op.drop_table("shares")
    op.drop_table("signin_failures")
    op.drop_table("server_sessions")
    op.drop_table("signin_links")
    op.drop_index("uq_users_email_folded", table_name="users")
    op.drop_table("users")
