"""Table definitions (SQLAlchemy Core). Migrations under ``levelup/migrations`` are the schema's
source of truth; this module mirrors the head revision for queries."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    func,
)

metadata = MetaData()


def _pk() -> Column[int]:
    return Column("id", Integer, primary_key=True, autoincrement=True)


def _uid() -> Column[str]:
    return Column("uid", String(32), nullable=False, unique=True)


def _owner(table: str) -> Column[int]:
    """The owner of the row: every top-level table has one; child rows belong via their parent."""
    return Column(
        "owner_id", ForeignKey("owners.id", name=f"fk_{table}_owner"), nullable=False
    )


# The people whose ledgers this database holds; a local ledger has one, id 1.
owners = Table(
    "owners",
    metadata,
    _pk(),
    Column("name", String(200), nullable=False),
    Column("created", DateTime, nullable=False),
    # Changes with every change to the owner's confirmed labels (triggers, migration 0012).
    Column("labels_revision", BigInteger, nullable=False, default=0, server_default="0"),
)


profile = Table(
    "profile",
    metadata,
    Column("id", Integer, primary_key=True),  # the owner's id: one profile per owner
    _owner("profile"),
    Column("name", String(200), nullable=False),
    Column("level", String(20), nullable=False),
    Column("target_level", String(20), nullable=False),
    Column("ladder", String(100), nullable=False),
    Column("manager", String(200)),
    UniqueConstraint("owner_id", name="uq_profile_owner"),
)

stakeholders = Table(
    "stakeholders",
    metadata,
    _pk(),
    _uid(),
    _owner("stakeholders"),
    Column("name", String(200), nullable=False),
    Column("relation", String(40), nullable=False),
    Column("decision_maker", Boolean, nullable=False, default=False),
    Column("notes", Text, nullable=False, default=""),
    Column("email", String(320), nullable=False, default="", server_default=""),
    UniqueConstraint("owner_id", "name", name="uq_stakeholders_owner_name"),
)
# Names are unique ignoring letter case (migration 0011), as lookups ignore it.
Index("uq_stakeholders_owner_name_folded", stakeholders.c.owner_id, func.lower(stakeholders.c.name),
      unique=True)

projects = Table(
    "projects",
    metadata,
    _pk(),
    _uid(),
    _owner("projects"),
    Column("name", String(200), nullable=False),
    Column("goal", Text, nullable=False, default=""),
    Column("outcome", Text, nullable=False, default=""),
    Column("role", Text, nullable=False, default=""),
    Column("stretch", Boolean, nullable=False, default=False),
    Column("start", Date),
    Column("end", Date),
    Column("status", String(20), nullable=False, default="active"),
    Column("went_well", Text, nullable=False, default=""),
    Column("to_improve", Text, nullable=False, default=""),
    Column("lessons", Text, nullable=False, default=""),
    UniqueConstraint("owner_id", "name", name="uq_projects_owner_name"),
)
Index("uq_projects_owner_name_folded", projects.c.owner_id, func.lower(projects.c.name),
      unique=True)

project_stakeholders = Table(
    "project_stakeholders",
    metadata,
    Column("project_id", ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    Column("stakeholder_id", ForeignKey("stakeholders.id", ondelete="CASCADE"), primary_key=True),
)

entries = Table(
    "entries",
    metadata,
    _pk(),
    _uid(),
    _owner("entries"),
    Column("date", Date, nullable=False),
    Column("end_date", Date),
    Column("title", Text, nullable=False),
    Column("details", Text, nullable=False, default=""),
    Column("kind", String(20), nullable=False),
    Column("project_id", ForeignKey("projects.id", ondelete="SET NULL")),
    Column("source", String(40), nullable=False, default="manual"),
    Column("source_id", String(300)),
    Column("status", String(20)),
    Column("created_at", DateTime, nullable=False),
    # The story (migration 0008; ``levelup.domain.models.STORY_FIELDS``), searchable.
    Column("context", Text, nullable=False, default="", server_default=""),
    Column("why", Text, nullable=False, default="", server_default=""),
    Column("did", Text, nullable=False, default="", server_default=""),
    Column("result_now", Text, nullable=False, default="", server_default=""),
    Column("result_later", Text, nullable=False, default="", server_default=""),
    Column("prevented", Text, nullable=False, default="", server_default=""),
    # Kept at write time (migration 0012): the coach's score of title and details (NULL: not
    # known, run the coach), and the evidence recorded as bits (EVIDENCE_*), kept by triggers.
    Column("coach_score", SmallInteger),
    Column("evidence", SmallInteger, nullable=False, default=0, server_default="0"),
    UniqueConstraint("owner_id", "source", "source_id", name="uq_entries_source"),
    Index("ix_entries_date", "owner_id", "date"),
    Index("ix_entries_kind_date", "owner_id", "kind", "date"),
    Index("ix_entries_project", "project_id"),
)
EVIDENCE_METRIC, EVIDENCE_OUTCOME, EVIDENCE_QUOTE = 1, 2, 4
# Ranged entries still running at the start of a period (`store.entries.in_period`).
Index("ix_entries_end_date", entries.c.owner_id, entries.c.end_date)
# Keys of the same work named by another importer, matched ignoring letter case
# (`store.entry_upserts.upsert_entries(same_as=...)`).
Index("ix_entries_source_id_folded", entries.c.owner_id, func.lower(entries.c.source_id))

# Outcome and competency labels of an entry; vocab is 'outcome' or 'competency'.
entry_labels = Table(
    "entry_labels",
    metadata,
    Column("entry_id", ForeignKey("entries.id", ondelete="CASCADE"), primary_key=True),
    Column("vocab", String(12), primary_key=True),
    Column("label", String(40), primary_key=True),
    Column("confirmed", Boolean, nullable=False, default=True),
    Column("score", Float),
    Column("position", Integer, nullable=False, server_default="0"),
    Index("ix_entry_labels_label", "vocab", "label"),
    # Partial (WHERE confirmed) in migration 0003; naming the predicate here with
    # postgresql_where would import the PostgreSQL dialect on every SQLite start (~70 ms).
    Index("ix_entry_labels_confirmed", "entry_id"),
)

entry_metrics = Table(
    "entry_metrics",
    metadata,
    _pk(),
    Column("entry_id", ForeignKey("entries.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("baseline", Float),
    Column("result", Float, nullable=False),
    Column("unit", String(40), nullable=False, default=""),
    Column("better", String(6)),  # "lower" or "higher"; NULL: inferred from name and unit
)

entry_links = Table(
    "entry_links",
    metadata,
    _pk(),
    Column("entry_id", ForeignKey("entries.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("url", Text, nullable=False),
)

testimonials = Table(
    "testimonials",
    metadata,
    _pk(),
    Column("entry_id", ForeignKey("entries.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("quote", Text, nullable=False),
    Column("author", String(200), nullable=False),
)

expectations = Table(
    "expectations",
    metadata,
    _pk(),
    _uid(),
    _owner("expectations"),
    Column("kind", String(30), nullable=False),
    Column("text", Text, nullable=False),
    Column("said_by", String(200)),
    Column("agreed_on", Date, nullable=False),
    # How it went (migration 0011): the user's words, and the day they recorded them.
    Column("outcome", Text, nullable=False, default="", server_default=""),
    Column("outcome_on", Date),
)

visibility = Table(
    "visibility",
    metadata,
    _pk(),
    _uid(),
    _owner("visibility"),
    Column("stakeholder_id", ForeignKey("stakeholders.id", ondelete="CASCADE"), nullable=False),
    Column("date", Date, nullable=False),
    Column("channel", String(30), nullable=False),
    Column("note", Text, nullable=False, default=""),
    Index("ix_visibility_stakeholder", "stakeholder_id"),
    Index("ix_visibility_date", "date"),
)

visibility_entries = Table(
    "visibility_entries",
    metadata,
    Column("visibility_id", ForeignKey("visibility.id", ondelete="CASCADE"), primary_key=True),
    Column("entry_id", ForeignKey("entries.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_visibility_entries_entry", "entry_id"),
)

feedback = Table(
    "feedback",
    metadata,
    _pk(),
    _uid(),
    _owner("feedback"),
    Column("giver", String(200), nullable=False),
    Column("date", Date, nullable=False),
    Column("polarity", String(20), nullable=False),
    Column("text", Text, nullable=False),
    Column("competency", String(40)),
    Column("asked", Boolean, nullable=False, default=False),
    Column("follow_up", Text, nullable=False, default=""),
    Column("status", String(20), nullable=False, default="open"),
    # Fit to quote in the packet (migration 0010).
    Column("quotable", Boolean, nullable=False, default=False, server_default=false()),
    Index("ix_feedback_date", "date"),
    Index("ix_feedback_status", "status"),
)

feedback_entries = Table(
    "feedback_entries",
    metadata,
    Column("feedback_id", ForeignKey("feedback.id", ondelete="CASCADE"), primary_key=True),
    Column("entry_id", ForeignKey("entries.id", ondelete="CASCADE"), primary_key=True),
)

conversations = Table(
    "conversations",
    metadata,
    _pk(),
    _uid(),
    _owner("conversations"),
    Column("date", Date, nullable=False),
    Column("with_name", String(200), nullable=False),
    Column("kind", String(20), nullable=False, default="1:1"),
    Column("notes", Text, nullable=False, default=""),
    Column("aspiration_stated", Boolean, nullable=False, default=False),
    Column("source", String(40), nullable=False, default="manual"),
    Column("source_id", String(300)),
    UniqueConstraint("owner_id", "source", "source_id", name="uq_conversations_source"),
    Index("ix_conversations_date", "owner_id", "date"),
    Index("ix_conversations_with_date", "owner_id", "with_name", "date"),
)

conversation_questions = Table(
    "conversation_questions",
    metadata,
    _pk(),
    Column(
        "conversation_id",
        ForeignKey("conversations.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("question", Text, nullable=False),
    Column("answer", Text, nullable=False, default=""),
)

checkins = Table(
    "checkins",
    metadata,
    _pk(),
    _uid(),
    _owner("checkins"),
    Column("date", Date, nullable=False, index=True),
    Column("scores", Text, nullable=False),  # JSON object {question_id: 1..5}
    Column("notes", Text, nullable=False, default=""),
)

# Pages and incidents from on-call tools (opportunity finder).
incidents = Table(
    "incidents",
    metadata,
    _pk(),
    _owner("incidents"),
    Column("source", String(40), nullable=False),
    Column("source_id", String(300), nullable=False),
    Column("created", DateTime, nullable=False),
    Column("resolved", DateTime),
    Column("service", String(200), nullable=False, default=""),
    Column("title", Text, nullable=False),
    Column("urgency", String(40), nullable=False, default=""),
    Column("assignee", String(200), nullable=False, default=""),
    Column("problem_key", String(300), nullable=False, default=""),
    UniqueConstraint("owner_id", "source", "source_id", name="uq_incidents_source"),
    Index("ix_incidents_created", "owner_id", "created"),
    Index("ix_incidents_problem", "owner_id", "problem_key", "created"),
)

opportunities = Table(
    "opportunities",
    metadata,
    _pk(),
    _uid(),
    _owner("opportunities"),
    Column("kind", String(20), nullable=False),
    Column("title", Text, nullable=False),
    Column("hypothesis", Text, nullable=False, default=""),
    Column("problem_key", String(300)),
    Column("status", String(20), nullable=False, default="open"),
    Column("done_entry_id", ForeignKey("entries.id", ondelete="SET NULL")),
    Column("created", Date, nullable=False),
    Column("done_on", Date),
)

# Who changed which file of an imported git repository (bus-factor check), one row per
# repository, path and author; counts and last date over the imported history.
file_ownership = Table(
    "file_ownership",
    metadata,
    Column(
        "owner_id", ForeignKey("owners.id", name="fk_file_ownership_owner"), primary_key=True
    ),
    Column("repo", String(500), primary_key=True),
    Column("path", String(1000), primary_key=True),
    Column("author", String(300), primary_key=True),
    Column("commits", Integer, nullable=False),
    Column("first_date", Date, nullable=False),
    Column("last_date", Date, nullable=False),
    Index("ix_file_ownership_last", "owner_id", "repo", "last_date"),
)

# Per-source cursors for incremental imports, e.g. (git:/path/to/repo, last_commit) -> sha.
import_state = Table(
    "import_state",
    metadata,
    Column(
        "owner_id", ForeignKey("owners.id", name="fk_import_state_owner"), primary_key=True
    ),
    Column("source", String(500), primary_key=True),
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)

# Imported entries the user deleted: imports do not add them again while the work they
# stood for is the same (its fingerprint: title and dates).
dismissed_imports = Table(
    "dismissed_imports",
    metadata,
    Column(
        "owner_id", ForeignKey("owners.id", name="fk_dismissed_imports_owner"), primary_key=True
    ),
    Column("source", String(40), primary_key=True),
    Column("source_id", String(300), primary_key=True),
    Column("fingerprint", String(40), nullable=False),
    Column("deleted_at", DateTime, nullable=False),
)

# Bearer tokens of the web app's JSON API, by name; only a SHA-256 of each token is kept.
api_tokens = Table(
    "api_tokens",
    metadata,
    _pk(),
    _owner("api_tokens"),
    Column("name", String(100), nullable=False),
    Column("token_hash", String(64), nullable=False),
    Column("created", DateTime, nullable=False),
    Column("last_used", DateTime, nullable=True),
    UniqueConstraint("owner_id", "name", name="uq_api_tokens_owner_name"),
    UniqueConstraint("token_hash", name="uq_api_tokens_hash"),
)

# The team server's tables (accounts, shares) join the same metadata: a ledger's schema is one.
from levelup.store import server_tables as _server_tables  # noqa: E402,F401
