"""Repository functions for incidents: bulk upsert, and the aggregates the Pareto needs.

The upsert is the hot path of a million-row import: it talks to the driver connection
directly (``executemany`` of one ``INSERT … ON CONFLICT``), compares each batch with what is
stored in one query per chunk, and gives every incident its problem key first. The
aggregates run as ``GROUP BY`` in the database, never as Python loops over the rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    Connection,
    Date,
    Float,
    Integer,
    case,
    cast,
    extract,
    func,
    or_,
    select,
)
from sqlalchemy.sql.elements import ColumnElement

from levelup.domain.models import Incident
from levelup.domain.pareto import OFFICE_HOURS, ProblemLoad, WorkHours
from levelup.domain.problems import ProblemKeys
from levelup.store import tables as t
from levelup.store.scope import owned, owner_of
from levelup.store.text import no_nul

_COLUMNS = ("created", "resolved", "service", "title", "urgency", "assignee", "problem_key")
_CHUNK = 900  # SQLite's bound-parameter limit is 999 in old builds
_KEYS = "levelup.problem_keys"
BULK_CACHE_KB = 128 * 1024
_JDN_OF_ORDINAL_0 = 1721425  # date.fromordinal(n) is Julian day number n + 1721425


def problem_keys(conn: Connection) -> ProblemKeys:
    """The problem keyer for this transaction, seeded with the stored keys (once)."""
    txn = conn.get_transaction()
    cached = conn.info.get(_KEYS)
    if cached is not None and cached[0] is txn:
        return cached[1]  # type: ignore[no-any-return]
    stored = conn.execute(
        select(t.incidents.c.problem_key).where(owned(conn, t.incidents))
        .group_by(t.incidents.c.problem_key)
    ).scalars()
    keys = ProblemKeys(key for key in stored if key)
    conn.info[_KEYS] = (txn, keys)
    if conn.dialect.name == "sqlite":  # index pages of a big import stay in memory
        conn.exec_driver_sql(f"PRAGMA cache_size = -{BULK_CACHE_KB}")
    return keys


def _db_time(conn: Connection) -> Any:
    """How a datetime is bound and read back by the raw driver (SQLAlchemy's SQLite text)."""
    if conn.dialect.name == "sqlite":
        return lambda value: None if value is None else value.isoformat(" ", "microseconds")
    return lambda value: value


def upsert_incidents(
    conn: Connection, *, incidents: Sequence[Incident],
    changes: list[tuple[str, Incident]] | None = None,
) -> Counter[str]:
    """Insert or refresh incidents keyed by (source, source_id); counts new/updated/unchanged.

    A key repeated in the batch is compared with its earlier row, as if stored one after the
    other: every incident counts once, and the last one is what is stored.
    A problem key is computed for every incident that has none. ``changes``, when given,
    receives each incident written and whether it was new or updated.
    """
    counts: Counter[str] = Counter()
    keys = problem_keys(conn)  # first call per transaction also sizes SQLite's page cache
    to_db = _db_time(conn)
    rows: list[tuple[str, str, tuple[Any, ...]]] = []
    for incident in incidents:
        if not incident.problem_key:
            incident.problem_key = keys.key(incident.title)
        rows.append((no_nul(incident.source), no_nul(incident.source_id), (
            to_db(incident.created), to_db(incident.resolved), no_nul(incident.service),
            no_nul(incident.title), no_nul(incident.urgency), no_nul(incident.assignee),
            no_nul(incident.problem_key))))
    current = _stored_rows(conn, rows)
    written: dict[tuple[str, str], tuple[Any, ...]] = {}
    for incident, (source, source_id, row) in zip(incidents, rows, strict=True):
        before = current.get((source, source_id))
        if before == row:
            counts["unchanged"] += 1
            continue
        outcome = "new" if before is None else "updated"
        counts[outcome] += 1
        current[(source, source_id)] = written[(source, source_id)] = row
        if changes is not None:
            changes.append((outcome, incident))
    owner = owner_of(conn)
    _write(conn, [(owner, source, source_id, *row)
                  for (source, source_id), row in written.items()])
    return counts


def _stored_rows(
    conn: Connection, rows: list[tuple[str, str, tuple[Any, ...]]]
) -> dict[tuple[str, str], tuple[Any, ...]]:
    """The stored rows of the batch's keys, by (source, source_id)."""
    by_source: dict[str, dict[str, None]] = {}
    for source, source_id, _ in rows:
        by_source.setdefault(source, {})[source_id] = None
    return {(source, source_id): row for source, ids in by_source.items()
            for source_id, row in _stored(conn, source, list(ids)).items()}


def _stored(conn: Connection, source: str, ids: list[str]) -> dict[str, tuple[Any, ...]]:
    driver = conn.connection.driver_connection
    mark = "?" if conn.dialect.name == "sqlite" else "%s"
    found: dict[str, tuple[Any, ...]] = {}
    cursor = driver.cursor()  # type: ignore[union-attr]
    try:
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            cursor.execute(
                f"SELECT source_id, {', '.join(_COLUMNS)} FROM incidents "
                f"WHERE owner_id = {mark} AND source = {mark} "
                f"AND source_id IN ({', '.join([mark] * len(chunk))})",
                [owner_of(conn), source, *chunk],
            )
            for row in cursor.fetchall():
                found[row[0]] = tuple(row[1:])
    finally:
        cursor.close()
    return found


def _write(conn: Connection, rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    mark = "?" if conn.dialect.name == "sqlite" else "%s"
    names = ("owner_id", "source", "source_id", *_COLUMNS)
    sql = (
        f"INSERT INTO incidents ({', '.join(names)}) VALUES ({', '.join([mark] * len(names))}) "
        "ON CONFLICT (owner_id, source, source_id) DO UPDATE SET "
        + ", ".join(f"{name} = excluded.{name}" for name in _COLUMNS)
    )
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(sql, rows)
    finally:
        cursor.close()


# --- aggregates -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Exprs:
    weekday: ColumnElement[Any]  # 0 = Sunday … 6 = Saturday
    hour: ColumnElement[Any]
    hours_to_resolve: ColumnElement[Any]
    week: ColumnElement[Any]  # the Monday of the week (SQLite: as a date ordinal)


def _exprs(conn: Connection) -> _Exprs:
    created, resolved = t.incidents.c.created, t.incidents.c.resolved
    if conn.dialect.name == "sqlite":
        # Cheaper than strftime on a million rows: stored text is "YYYY-MM-DD HH:MM:SS.ffffff",
        # and the Julian day number counts weekdays (JDN % 7 == 0 is a Monday).
        day_number = cast(func.julianday(func.substr(created, 1, 10)) + 0.5, Integer)
        return _Exprs(
            weekday=(day_number + 1) % 7,
            hour=cast(func.substr(created, 12, 2), Integer),
            hours_to_resolve=(func.julianday(resolved) - func.julianday(created)) * 24.0,
            week=(day_number // 7) * 7 - _JDN_OF_ORDINAL_0,
        )
    return _Exprs(
        weekday=cast(extract("dow", created), Integer),
        hour=cast(extract("hour", created), Integer),
        hours_to_resolve=cast(extract("epoch", resolved - created), Float) / 3600.0,
        week=cast(func.date_trunc("week", created), Date),
    )


def _off_hours(exprs: _Exprs, hours: WorkHours) -> ColumnElement[Any]:
    outside = [exprs.hour < hours.start, exprs.hour >= hours.end]
    if hours.weekends_off:
        outside.append(exprs.weekday.in_([0, 6]))
    return case((or_(*outside), 1), else_=0)


def _period(
    conn: Connection, start: date | None, end: date | None
) -> list[ColumnElement[bool]]:
    """The owner's incidents created in [start, end]."""
    created = t.incidents.c.created
    conditions: list[ColumnElement[bool]] = [owned(conn, t.incidents)]
    if start is not None:
        conditions.append(created >= datetime.combine(start, time()))
    if end is not None:
        conditions.append(created < datetime.combine(end + timedelta(days=1), time()))
    return conditions


def problem_loads(
    conn: Connection, *, start: date | None, end: date | None, by: str = "problem",
    hours: WorkHours = OFFICE_HOURS,
) -> list[ProblemLoad]:
    """Count, off-hours pages and hours to resolve per problem key (or per service)."""
    exprs = _exprs(conn)
    group = t.incidents.c.problem_key if by == "problem" else t.incidents.c.service
    query = (
        select(
            group, func.min(t.incidents.c.title), func.count(),
            func.sum(_off_hours(exprs, hours)), func.sum(exprs.hours_to_resolve),
        )
        .where(*_period(conn, start, end))
        .group_by(group)
    )
    return [
        ProblemLoad(key=row[0] or "(none)", example_title=row[1], count=int(row[2]),
                    off_hours=int(row[3] or 0), toil_hours=float(row[4] or 0.0))
        for row in conn.execute(query)
    ]


def weekly_counts(
    conn: Connection, *, start: date | None, end: date | None, problem_key: str | None = None
) -> dict[date, int]:
    """Pages per week (keyed by the week's Monday), optionally of one problem."""
    week = _exprs(conn).week
    conditions = _period(conn, start, end)
    if problem_key is not None:
        conditions.append(t.incidents.c.problem_key == problem_key)
    query = select(week, func.count()).where(*conditions).group_by(week)
    return {_as_date(row[0]): int(row[1]) for row in conn.execute(query)}


def _as_date(value: Any) -> date:
    if isinstance(value, int):
        return date.fromordinal(value)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def count_between(
    conn: Connection, *, problem_key: str, start: datetime, end: datetime
) -> int:
    """Pages of one problem created in [start, end)."""
    created = t.incidents.c.created
    query = select(func.count()).where(
        owned(conn, t.incidents), t.incidents.c.problem_key == problem_key,
        created >= start, created < end,
    )
    return int(conn.execute(query).scalar_one())


def time_span(conn: Connection) -> tuple[datetime, datetime] | None:
    """First and last page of all imported incident data, or None when there is none."""
    created = t.incidents.c.created
    first, last = conn.execute(
        select(func.min(created), func.max(created)).where(owned(conn, t.incidents))
    ).one()
    return None if first is None else (first, last)


@dataclass(frozen=True, slots=True)
class PersonLoad:
    pages: int
    off_hours: int
    toil_hours: float


def person_load(
    conn: Connection, *, names: Sequence[str], start: date | None, end: date | None,
    hours: WorkHours = OFFICE_HOURS,
) -> PersonLoad:
    """Pages whose assignee field names any of ``names`` (case-insensitive substring)."""
    wanted = [n.strip().lower() for n in names if n and n.strip()]
    if not wanted:
        return PersonLoad(0, 0, 0.0)
    exprs = _exprs(conn)
    who = or_(*(func.lower(t.incidents.c.assignee).contains(n, autoescape=True) for n in wanted))
    query = select(
        func.count(), func.sum(_off_hours(exprs, hours)), func.sum(exprs.hours_to_resolve)
    ).where(who, *_period(conn, start, end))
    pages, off, toil = conn.execute(query).one()
    return PersonLoad(int(pages), int(off or 0), float(toil or 0.0))


@dataclass(frozen=True, slots=True)
class LoadCell:
    """The pages of one problem (or service) in one week, and the share paged to the user."""

    key: str
    week: date
    example_title: str
    count: int
    off_hours: int
    toil_hours: float
    mine: int
    mine_off_hours: int
    mine_toil_hours: float


def load_cells(
    conn: Connection, *, start: date | None, end: date | None, by: str = "problem",
    hours: WorkHours = OFFICE_HOURS, names: Sequence[str] = (),
) -> list[LoadCell]:
    """Everything the Pareto report needs in one scan, grouped by (problem, week)."""
    exprs = _exprs(conn)
    group = t.incidents.c.problem_key if by == "problem" else t.incidents.c.service
    off = _off_hours(exprs, hours)
    wanted = [n.strip().lower() for n in names if n and n.strip()]
    mine = (
        case((or_(*(func.lower(t.incidents.c.assignee).contains(n, autoescape=True)
                    for n in wanted)), 1), else_=0)
        if wanted else None
    )
    columns = [group, exprs.week, func.min(t.incidents.c.title), func.count(), func.sum(off),
               func.sum(exprs.hours_to_resolve)]
    if mine is not None:
        columns += [func.sum(mine), func.sum(mine * off),
                    func.sum(case((mine == 1, exprs.hours_to_resolve), else_=None))]
    query = select(*columns).where(*_period(conn, start, end)).group_by(group, exprs.week)
    return [_cell(row) for row in conn.execute(query)]


def _cell(row: Any) -> LoadCell:
    extra = tuple(row[6:]) if len(row) > 6 else (0, 0, 0.0)
    return LoadCell(
        key=row[0] or "(none)", week=_as_date(row[1]), example_title=row[2], count=int(row[3]),
        off_hours=int(row[4] or 0), toil_hours=float(row[5] or 0.0), mine=int(extra[0] or 0),
        mine_off_hours=int(extra[1] or 0), mine_toil_hours=float(extra[2] or 0.0),
    )


def stored_problem_keys(conn: Connection) -> list[str]:
    """Every problem key the imported pages have, sorted."""
    key = t.incidents.c.problem_key
    query = select(key).where(owned(conn, t.incidents), key.is_not(None)).group_by(key)
    return sorted(k for k in conn.execute(query).scalars() if k)


def iter_incidents(conn: Connection, *, problem_key: str) -> Iterator[Incident]:
    """The incidents of one problem, oldest first (for drill-down and tests)."""
    query = (
        select(t.incidents)
        .where(owned(conn, t.incidents), t.incidents.c.problem_key == problem_key)
        .order_by(t.incidents.c.created)
    )
    for row in conn.execute(query).mappings():
        yield Incident(**{k: row[k] for k in row.keys() if k != "owner_id"})
