"""The team server's own tables (migration 0013): accounts, their sign-in links and sessions.

A person on the team server is a ``users`` row and an ``owners`` row: their owner id scopes
whatever the server keeps for them, exactly as a local ledger's rows are scoped to owner 1.
Secrets are kept only as SHA-256 digests (links, sessions) or argon2 hashes (passwords).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    func,
)

from levelup.store.tables import metadata

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("owner_id", ForeignKey("owners.id", name="fk_users_owner"), nullable=False,
           unique=True),
    Column("email", String(320), nullable=False),
    Column("name", String(200), nullable=False),
    Column("role", String(10), nullable=False),
    Column("manager_id", ForeignKey("users.id", name="fk_users_manager", ondelete="SET NULL")),
    Column("password_hash", String(200)),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created", DateTime, nullable=False),
)
Index("uq_users_email_folded", func.lower(users.c.email), unique=True)

signin_links = Table(
    "signin_links",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", ForeignKey("users.id", name="fk_signin_links_user", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("expires", DateTime, nullable=False),
    Column("used", DateTime),
)

server_sessions = Table(
    "server_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", ForeignKey("users.id", name="fk_server_sessions_user", ondelete="CASCADE"),
           nullable=False, index=True),
    Column("created", DateTime, nullable=False),
    Column("expires", DateTime, nullable=False),
)

# Failed sign-ins by key (an e-mail, an address) and time, for the rate limit every worker sees.
signin_failures = Table(
    "signin_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(400), nullable=False),
    Column("at", DateTime, nullable=False),
    Index("ix_signin_failures_key_at", "key", "at"),
)

# One engineer's bundle for one named person. Its records live under an owner of their own,
# ``space_id``: the recipient reads them through a context scoped to that owner.
shares = Table(
    "shares",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("engineer_id", ForeignKey("users.id", name="fk_shares_engineer", ondelete="CASCADE"),
           nullable=False),
    Column("grantee_id", ForeignKey("users.id", name="fk_shares_grantee", ondelete="CASCADE"),
           nullable=False),
    Column("space_id", ForeignKey("owners.id", name="fk_shares_space"), nullable=False,
           unique=True),
    Column("created", DateTime, nullable=False),
    Column("updated", DateTime, nullable=False),
    Column("expires", DateTime),
    Column("revoked", DateTime),
    Column("message", Text, nullable=False, default="", server_default=""),
    Column("packet", Boolean, nullable=False, default=False),
    Column("scope", Text, nullable=False, default="{}", server_default="{}"),
    Index("ix_shares_grantee", "grantee_id", "revoked"),
    Index("ix_shares_engineer", "engineer_id", "grantee_id"),
)

# Who opened which share, when, and what they looked at: the engineer's `levelup share log`.
share_views = Table(
    "share_views",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("share_id", ForeignKey("shares.id", name="fk_share_views_share", ondelete="CASCADE"),
           nullable=False),
    Column("viewer_id", ForeignKey("users.id", name="fk_share_views_viewer", ondelete="CASCADE"),
           nullable=False),
    Column("at", DateTime, nullable=False),
    Column("what", String(200), nullable=False),
    Index("ix_share_views_share_at", "share_id", "at"),
)

# What a person who received a share adds for its engineer: feedback, having presented the
# work to a decision maker, the business need for the target level, a possible successor.
# The engineer brings them into their own ledger with `levelup pull` (by ``uid``, once).
manager_notes = Table(
    "manager_notes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("uid", String(32), nullable=False, unique=True),
    Column("engineer_id", ForeignKey("users.id", name="fk_manager_notes_engineer",
                                     ondelete="CASCADE"), nullable=False),
    Column("author_id", ForeignKey("users.id", name="fk_manager_notes_author",
                                   ondelete="CASCADE"), nullable=False),
    Column("share_id", String(32), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("text", Text, nullable=False, default="", server_default=""),
    Column("polarity", String(12)),
    Column("competency", String(40)),
    Column("follow_up", Text, nullable=False, default="", server_default=""),
    Column("person", String(200)),
    Column("relation", String(40)),
    Column("on", Date, nullable=False),
    Column("entries", Text, nullable=False, default="[]", server_default="[]"),
    Column("created", DateTime, nullable=False),
    Index("ix_manager_notes_engineer", "engineer_id", "id"),
)
