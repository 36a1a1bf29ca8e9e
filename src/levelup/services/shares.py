"""The team server's side of sharing: receiving an engineer's bundle for one named person,
what a recipient may open, revoking, and the log of who looked.

A share's records are imported under an owner of their own (the share's space), so the
recipient reads them through a context scoped to that owner: the same services that serve a
local ledger (readiness, reports, entries) serve a shared one, and can reach nothing else.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from levelup.errors import FieldError, LevelupError, NotFound

if TYPE_CHECKING:
    from levelup.context import Context
    from levelup.store.accounts import Account
    from levelup.store.shares import Share, View

MAX_EXPIRES_DAYS = 366
FAILURES_ALLOWED = 5  # failed sign-ins per e-mail or address ...
FAILURE_WINDOW = timedelta(minutes=15)  # ... within this long


@dataclass(frozen=True, slots=True)
class Received:
    id: str
    replaced: bool
    added: dict[str, int]


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def share_json(share: Share, now: datetime | None = None) -> dict[str, Any]:
    now = now or _now()
    return {"id": share.id, "engineer": share.engineer_email, "engineer_name": share.engineer_name,
            "with": share.grantee_email, "created": share.created.isoformat(),
            "updated": share.updated.isoformat(),
            "expires": share.expires.isoformat() if share.expires else None,
            "revoked": share.revoked.isoformat() if share.revoked else None,
            "live": share.live(now), "message": share.message, "packet": share.packet,
            "scope": share.scope}


def view_json(view: View) -> dict[str, Any]:
    return {"share": view.share_id, "viewer": view.viewer_email, "viewer_name": view.viewer_name,
            "at": view.at.isoformat(), "what": view.what}


def space_context(ctx: Context, space_id: int) -> Context:
    """A context reading the share's records only (it shares the server's connection pool)."""
    from levelup.store.scope import scoped

    return replace(ctx, owner=space_id, _engine=scoped(ctx.engine(), space_id))


def receive_share(ctx: Context, *, engineer: Account, grantee: str, bundle: Any,
                  expires_days: int | None, message: str = "", packet: bool = False,
                  scope: dict[str, Any] | None = None) -> Received:
    """Store ``bundle`` for ``grantee``; a live share to the same person is replaced, not
    duplicated. All or nothing."""
    from levelup.services.portable import FORMAT, VERSION, import_document
    from levelup.store import shares as store
    from levelup.store.accounts import account_by_email
    from levelup.store.scope import OWNER_OPTION

    if not isinstance(bundle, dict) or bundle.get("format") != FORMAT:
        raise FieldError("bundle", f"is not a levelup export (no \"format\": \"{FORMAT}\")")
    if bundle.get("version") != VERSION:
        raise FieldError("bundle", f"has version {bundle.get('version')!r}; this server reads "
                         f"version {VERSION}")
    if expires_days is not None and not 1 <= expires_days <= MAX_EXPIRES_DAYS:
        raise FieldError("expires_days", f"must be 1 to {MAX_EXPIRES_DAYS} days")
    if len(message) > 2000:
        raise FieldError("message", "must be at most 2,000 characters")
    now = _now()
    expires = now + timedelta(days=expires_days) if expires_days else None
    with ctx.begin() as conn:
        person = account_by_email(conn, grantee.strip())
        if person is None or person.disabled:
            raise FieldError("with", f"no one on this server has the address {grantee[:80]}")
        if person.id == engineer.id:
            raise FieldError("with", "is you: share with someone else")
        live = store.live_share_between(conn, engineer_id=engineer.id, grantee_id=person.id,
                                        now=now)
        if live is not None:
            share_id, space = live.id, live.space_id
            store.clear_space(conn, space)
            store.renew_share(conn, share_id=share_id, now=now, expires=expires,
                              message=message, packet=packet, scope=scope or {})
        else:
            share_id = secrets.token_hex(8)
            space = store.new_space(conn, name=f"share {share_id}", created=now)
            store.add_share(conn, share_id=share_id, engineer_id=engineer.id,
                            grantee_id=person.id, space_id=space, now=now, expires=expires,
                            message=message, packet=packet, scope=scope or {})
        mine = conn.get_execution_options().get(OWNER_OPTION)
        conn.execution_options(**{OWNER_OPTION: space})
        try:
            added = import_document(conn, respace(_shareable(bundle), share_id), path="bundle")
        finally:
            conn.execution_options(**{OWNER_OPTION: mine})
    return Received(share_id, live is not None, dict(added))


def _shareable(bundle: dict[str, Any]) -> dict[str, Any]:
    """The bundle without what a share never carries, whatever the client sent."""
    doc = dict(bundle)
    for private in ("visibility", "dismissed", "ladders", "templates"):
        doc.pop(private, None)
    return doc


def space_uid(share_id: str, uid: str) -> str:
    """The id a record of the engineer's ledger has inside one share: record ids are unique
    across the server's database, and one entry may be in several people's shares."""
    import hashlib

    return hashlib.sha256(f"{share_id}:{uid}".encode()).hexdigest()[:32]


def respace(doc: dict[str, Any], share_id: str) -> dict[str, Any]:
    """``doc`` with every record id and every reference to one made the share's own."""
    def fix(item: Any) -> Any:
        if not isinstance(item, dict):
            return item
        item = dict(item)
        if isinstance(item.get("uid"), str):
            item["uid"] = space_uid(share_id, item["uid"])
        if isinstance(item.get("entry_ids"), list):
            item["entry_ids"] = [space_uid(share_id, str(u)) for u in item["entry_ids"]]
        if isinstance(item.get("done_entry_id"), str):
            item["done_entry_id"] = space_uid(share_id, item["done_entry_id"])
        return item

    return {key: [fix(i) for i in value] if isinstance(value, list) else value
            for key, value in doc.items()}


def my_shares(ctx: Context, *, engineer: Account) -> list[Share]:
    from levelup.store.shares import shares_by

    with ctx.read() as conn:
        return shares_by(conn, engineer_id=engineer.id)


def shared_with_me(ctx: Context, *, viewer: Account) -> list[Share]:
    from levelup.store.shares import shares_with

    with ctx.read() as conn:
        return shares_with(conn, grantee_id=viewer.id, now=_now())


def open_share(ctx: Context, *, viewer: Account, share_id: str, what: str) -> Share:
    """The share if ``viewer`` may open it (NotFound otherwise, the same for a revoked,
    expired or never-made one); a recipient's look is logged for the engineer."""
    from levelup.store.shares import add_view, share_for

    now = _now()
    with ctx.begin() as conn:
        share = share_for(conn, share_id=share_id, user_id=viewer.id, now=now)
        if share is None:
            raise NotFound(f"no share {share_id[:40]} for you")
        if viewer.id != share.engineer_id:
            add_view(conn, share_id=share.id, viewer_id=viewer.id, at=now, what=what)
    return share


def revoke_share(ctx: Context, *, engineer: Account, share_id: str) -> Share:
    """Revoke one of the engineer's shares: its recipient gets 404 from now on."""
    from levelup.store.shares import revoke

    with ctx.begin() as conn:
        share = revoke(conn, share_id=share_id, engineer_id=engineer.id, now=_now())
    if share is None:
        raise NotFound(f"you have no share {share_id[:40]}")
    return share


def share_log(ctx: Context, *, engineer: Account, share_id: str | None = None) -> list[View]:
    """Who opened the engineer's shares, what and when (one share, or all of them)."""
    from levelup.store.shares import share_for, views_of

    with ctx.read() as conn:
        if share_id is not None:
            share = share_for(conn, share_id=share_id, user_id=engineer.id, now=_now())
            if share is None or share.engineer_id != engineer.id:
                raise NotFound(f"you have no share {share_id[:40]}")
        return views_of(conn, engineer_id=engineer.id, share_id=share_id)


class TooManyAttempts(LevelupError):
    """Sign-in refused for a while after repeated failures."""


def check_attempts(ctx: Context, *, keys: list[str]) -> None:
    """Refuse a sign-in while its e-mail or address has failed too often recently."""
    from levelup.store.shares import failures_since

    with ctx.read() as conn:
        failed = failures_since(conn, keys=keys, since=_now() - FAILURE_WINDOW)
    if failed >= FAILURES_ALLOWED:
        minutes = int(FAILURE_WINDOW.total_seconds() // 60)
        raise TooManyAttempts(f"too many failed sign-ins; try again in {minutes} minutes")


def record_failure(ctx: Context, *, keys: list[str]) -> None:
    from levelup.store.shares import add_failures

    with ctx.begin() as conn:
        add_failures(conn, keys=keys, at=_now())


@dataclass(frozen=True, slots=True)
class Contents:
    """What a share holds, as its recipient sees it."""

    share: Share
    entries: list[Any]
    expectations: list[Any]
    feedback: list[Any]
    readiness: Any | None  # None when the engineer's ladder is not known on this server
    readiness_problem: str = ""

    def to_json(self) -> dict[str, Any]:
        from levelup.domain.serialize import to_json

        return {**share_json(self.share), "entries": to_json(self.entries),
                "expectations": to_json(self.expectations), "feedback": to_json(self.feedback),
                "readiness": self.readiness.to_json() if self.readiness else None}


def share_contents(ctx: Context, *, share: Share) -> Contents:
    """The share's entries (newest first), expectations, feedback and readiness, read through
    a context that can reach nothing but the share's own records."""
    from levelup.services.readiness import readiness_for
    from levelup.store import records
    from levelup.store.entries import list_entries

    space = space_context(ctx, share.space_id)
    with space.read() as conn:
        entries = list_entries(conn)
        expectations = records.list_expectations(conn)
        feedback = records.list_feedback(conn)
    try:
        readiness, problem = readiness_for(space), ""
    except LevelupError as exc:
        readiness, problem = None, exc.message
    return Contents(share, entries, expectations, feedback, readiness, problem)


@dataclass(frozen=True, slots=True)
class Member:
    """One person who shared with the viewer, as the team page shows them: no ranking, no
    activity counts; their readiness by competency and factor, and what they asked for."""

    share: Share
    readiness: Any | None
    readiness_problem: str

    def to_json(self) -> dict[str, Any]:
        return {"engineer": self.share.engineer_email, "name": self.share.engineer_name,
                "share": self.share.id, "updated": self.share.updated.isoformat(),
                "expires": self.share.expires.isoformat() if self.share.expires else None,
                "message": self.share.message,
                "readiness": self.readiness.to_json() if self.readiness else None,
                "readiness_problem": self.readiness_problem or None}


def team(ctx: Context, *, viewer: Account) -> list[Member]:
    """Everyone with a live share to ``viewer``, by name; each look is logged for them."""
    from levelup.services.readiness import readiness_for
    from levelup.store.shares import add_view, shares_with

    now = _now()
    with ctx.begin() as conn:
        found = shares_with(conn, grantee_id=viewer.id, now=now)
        for share in found:
            add_view(conn, share_id=share.id, viewer_id=viewer.id, at=now, what="team page")
    members = []
    for share in sorted(found, key=lambda s: (s.engineer_name.casefold(), s.id)):
        try:
            readiness, problem = readiness_for(space_context(ctx, share.space_id)), ""
        except LevelupError as exc:
            readiness, problem = None, exc.message
        members.append(Member(share, readiness, problem))
    return members
