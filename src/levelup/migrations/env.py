"""Alembic environment: levelup passes its own connection in ``config.attributes``."""

from __future__ import annotations

from alembic import context

from levelup.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # `alembic` run by hand: use the URL from the config
    from sqlalchemy import create_engine

    url = context.config.get_main_option("sqlalchemy.url") or "sqlite:///ledger.db"
    connection = create_engine(url).connect()

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
