"""Ledgers an earlier levelup left half-migrated, repaired or restored automatically.

Before schema changes were one transaction, a kill could leave a new ledger with tables but no
``alembic_version``, or an upgrade half done; every later open then failed. Each repair says
what it did in one line (the ``levelup`` logger; the CLI prints it on standard error).
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from levelup.store.db import StoreError, recovery, sqlite_path, upgrade

log = logging.getLogger("levelup")


def repair_half_created(engine: Engine, tables: set[str], *, kept: int) -> None:
    """Tables without a revision: recreate them when they hold nothing a person wrote."""
    from levelup.store.migrate import drop_half_schema, run_upgrade, user_rows

    where = engine.url.database or str(engine.url)
    with engine.connect() as conn:
        rows = user_rows(conn, tables)
    if rows or engine.dialect.name != "sqlite":
        raise StoreError(f"{where} holds levelup tables without a schema version; it cannot be "
                         "repaired automatically" + recovery(where))
    run_upgrade(engine.url.render_as_string(hide_password=False), before=drop_half_schema)
    log.warning("the ledger at %s was left half-created by an earlier levelup (it held no "
                "data); created its schema again", where)


def repair_half_upgraded(engine: Engine, revision: str, *, taken: Path) -> None:
    """An upgrade an earlier levelup left half done: restore the newest backup at
    ``revision`` that upgrades cleanly; ``taken`` (the state found) is put back otherwise."""
    from levelup.store.backups import check_database, restore_into

    path = sqlite_path(str(engine.url))
    assert path is not None
    for candidate in _candidates(path, revision, taken):
        try:
            if check_database(candidate) != revision:
                continue
        except sqlite3.Error:
            continue
        restore_into(path, candidate)
        try:
            upgrade(engine)
        except DBAPIError:
            continue
        log.warning("the ledger was left half-upgraded by an earlier levelup; restored its "
                    "backup %s and upgraded it", candidate)
        return
    restore_into(path, taken)
    raise StoreError(f"the ledger {path} was left half-upgraded from schema {revision} and no "
                     "backup of it upgrades cleanly" + recovery(str(path)))


def _candidates(path: Path, revision: str, taken: Path) -> list[Path]:
    """Backups at ``revision``, newest first: levelup's own and earlier versions' ``.bak``."""
    from levelup.store.backups import list_backups

    ours = [b.path for b in list_backups(path)
            if b.reason == f"schema-{revision}" and b.path != taken]
    older = sorted(path.parent.glob(f"{path.name}.{revision}.*.bak"), reverse=True)
    return ours + older
