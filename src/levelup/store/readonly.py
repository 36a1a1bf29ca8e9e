"""Looking at a ledger without changing it: `levelup doctor` must never create or upgrade one.

A SQLite file is opened with ``mode=ro`` (SQLite refuses to create it); a PostgreSQL
connection is marked read-only. Neither runs migrations.
"""

from __future__ import annotations

import sqlite3
from urllib.parse import quote

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from levelup.store.db import make_engine, sqlite_path


def read_only_engine(url: str) -> Engine:
    """An engine on the ledger at ``url`` that can neither create nor change it.

    Raises StoreError when the URL is malformed or its driver is not installed.
    """
    path = sqlite_path(url)
    if path is None:
        return make_engine(url).execution_options(postgresql_readonly=True)
    uri = f"file:{quote(str(path))}?mode=ro"
    return create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True))


def safe_url(url: str) -> str:
    """``url`` with its password masked, fit for a message."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(a malformed database URL)"
