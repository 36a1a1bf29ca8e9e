"""What the web app's pages show at a glance: this week, the strongest wins and who heard of
them, and one page of the timeline. Adapters render these; nothing here knows of HTML."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from levelup.domain import vocab
from levelup.domain.models import Entry

if TYPE_CHECKING:
    from levelup.context import Context
    from levelup.readiness import Readiness

PAGE_MAX = 200
MIN_QUERY = 2  # a query with no word this long (``k``) filters nothing: see ``ledger_page``


@dataclass(frozen=True, slots=True)
class Win:
    """One of the strongest entries of the readiness window, and who heard about it."""

    id: int
    date: str
    title: str
    heard_by: list[tuple[str, bool]]


@dataclass(slots=True)
class Week:
    """This week's wins, invisible work and the open plans."""

    wins: list[Entry] = field(default_factory=list)
    invisible: list[Entry] = field(default_factory=list)
    plans: list[Entry] = field(default_factory=list)


@dataclass(slots=True)
class Page:
    """One page of the timeline: its entries, and whether (and where) an older page begins."""

    entries: list[Entry]
    offset: int
    limit: int
    more: bool
    next_key: str = ""  # where the older page begins (``ledger_page``'s ``after``)


def this_week(ctx: Context) -> Week:
    """This week's wins and invisible work, newest first, and the plans still open."""
    from levelup.services.cache import remembered

    return remembered(ctx, "this_week", lambda: _this_week(ctx))


def _this_week(ctx: Context) -> Week:
    from levelup.services.entries import list_entries
    from levelup.services.plans import list_plans

    done = list_entries(ctx, since="this week", until="this week",
                        kind=["win", "invisible"])
    return Week(wins=[e for e in done if e.kind == "win"],
                invisible=[e for e in done if e.kind == "invisible"], plans=list_plans(ctx))


def strongest_wins(ctx: Context, readiness: Readiness | None = None,
                   limit: int = 5) -> list[Win]:
    """The entries with the most recorded evidence in the readiness window, and who heard."""
    from levelup.services.cache import remembered

    return remembered(ctx, "strongest_wins", lambda: _strongest_wins(ctx, limit), limit)


def _strongest_wins(ctx: Context, limit: int) -> list[Win]:
    from levelup.readiness.evidence import candidates, window_start
    from levelup.services.readiness import thresholds
    from levelup.store.readiness import window_entries
    from levelup.store.records import audiences

    th = thresholds(ctx.settings)
    with ctx.read() as conn:
        entries = window_entries(conn, start=window_start(ctx.today, th.window_months),
                                 end=ctx.today)
        top = sorted(candidates(entries, limit), key=lambda e: (e.recorded_strength, e.date),
                     reverse=True)[:limit]
        heard = audiences(conn, entry_ids=[e.id for e in top])
    return [Win(e.id, e.date.isoformat(), e.title, heard.get(e.id, [])) for e in top]


def ledger_page(
    ctx: Context, *, since: str | None = None, until: str | None = None, query: str = "",
    kind: Sequence[str] = (), project: str | None = None, outcome: str | None = None,
    competency: str | None = None, unconfirmed: bool = False, limit: int = 50,
    offset: int = 0, after: str = "",
) -> Page:
    """One page of the entries matching the filters (and every word of ``query``), newest
    first: the ``limit`` after the entry ``after`` names (a ``Page.next_key``; then ``offset``
    only says how many came before), else after the first ``offset``. ``unconfirmed``: only
    entries with a suggested label not confirmed yet. A query without a word of ``MIN_QUERY``
    characters is no filter: a one-letter prefix matches most of a large ledger, and finding
    them all takes a scan (search as you type starts at two)."""
    from levelup.store.paging import entries_page, page_key, parse_key

    limit, offset = max(1, min(limit, PAGE_MAX)), max(0, offset)
    period = ctx.window(since, until)
    filters = {
        "kinds": [vocab.check(k, vocab.ENTRY_KINDS, "kind") for k in kind],
        "project": project or None,
        "outcome": vocab.check(outcome, vocab.OUTCOMES, "outcome") if outcome else None,
        "competency": (vocab.check(competency, vocab.COMPETENCIES, "competency")
                       if competency else None),
        "unconfirmed": unconfirmed,
    }
    searched = query if any(len(word) >= MIN_QUERY for word in query.split()) else ""
    key = parse_key(after) if after else None
    with ctx.read() as conn:
        found = entries_page(conn, start=period.start, end=period.end, query=searched,
                             after=key, limit=limit + 1, offset=0 if key else offset,
                             **filters)
    more = len(found) > limit
    return Page(found[:limit], offset, limit, more=more,
                next_key=page_key(found[limit - 1]) if more else "")


def week_start(ctx: Context) -> str:
    """The Monday of this week, ISO."""
    return (ctx.today - timedelta(days=ctx.today.weekday())).isoformat()
