"""The engineer's side of sharing: choosing what goes in a bundle, showing exactly what the
recipient will see, and talking to the team server (send, list, revoke, who looked).

A bundle is a subset of the export: the chosen entries, the projects they belong to (without
their stakeholders), the profile and the agreed expectations. Conversations, check-ins and
feedback go only when named one by one; visibility (who has heard of what) never goes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from levelup.domain.steps import Step
from levelup.errors import FieldError, LevelupError

if TYPE_CHECKING:
    from levelup.context import Context

SERVER_VARIABLE = "LEVELUP_SERVER"
TOKEN_VARIABLE = "LEVELUP_TOKEN"
TIMEOUT = 60.0
_EXPIRES = re.compile(r"(\d{1,4})\s*([dwm])")
_DAYS = {"d": 1, "w": 7, "m": 30}


@dataclass(frozen=True, slots=True)
class Bundle:
    doc: dict[str, Any]
    entries: list[Any]
    feedback: list[Any]
    scope: dict[str, Any]

    def preview(self) -> list[str]:
        """Exactly what the recipient will see, one line per record."""
        lines = [f"{len(self.entries)} entries, {len(self.doc['projects'])} projects, "
                 f"{len(self.doc['expectations'])} agreed expectations, "
                 f"{len(self.feedback)} feedback; your profile (level and target)"]
        lines += [f"  {e.date}  {e.title}" for e in self.entries]
        lines += [f"  feedback {f.date}: {f.text}" for f in self.feedback]
        return lines


def expires_days(text: str | None) -> int | None:
    """``30d``, ``6w``, ``3m`` (30-day months) as days; ``never`` as None."""
    if text is None:
        return 30
    if text.strip().lower() == "never":
        return None
    found = _EXPIRES.fullmatch(text.strip().lower())
    if not found or int(found.group(1)) == 0:
        raise FieldError("expires", f"'{text[:40]}' is not a duration like 30d, 6w or 3m "
                         "(or never)")
    return int(found.group(1)) * _DAYS[found.group(2)]


def build_bundle(ctx: Context, *, since: str | None = None, until: str | None = None,
                 competencies: list[str] | None = None, entry_ids: list[int] | None = None,
                 feedback_ids: list[int] | None = None) -> Bundle:
    """The bundle of what was chosen: named entries, else the period's (the last 12 months
    by default) narrowed to the competencies given."""
    from levelup.domain import vocab
    from levelup.domain.serialize import to_json
    from levelup.services.portable import FORMAT, VERSION
    from levelup.store import entries as stored
    from levelup.store import people, projects, records

    wanted = [vocab.check(c, vocab.COMPETENCIES, "competency") for c in competencies or []]
    period = ctx.window(since or "12 months ago", until)
    with ctx.read() as conn:
        profile = people.find_profile(conn)
        if entry_ids:
            chosen = []
            for entry_id in entry_ids:
                chosen.append(stored.get_entry(conn, entry_id=entry_id))
        else:
            chosen = stored.list_entries(conn, start=period.start, end=period.end,
                                         newest_first=False)
        if wanted:
            chosen = [e for e in chosen if set(e.competency_ids) & set(wanted)]
        names = {e.project for e in chosen if e.project}
        shared_projects = [p for p in projects.list_projects(conn) if p.name in names]
        expectations = records.list_expectations(conn)
        known = {f.id: f for f in records.list_feedback(conn)}
    missing = [i for i in feedback_ids or [] if i not in known]
    if missing:
        raise FieldError("feedback", f"no feedback #{missing[0]}")
    feedback = [known[i] for i in feedback_ids or []]
    uid_of = {e.id: e.uid for e in chosen}

    def plain(item: Any) -> dict[str, Any]:
        return {k: v for k, v in to_json(item).items() if k != "id"}

    def project(item: Any) -> dict[str, Any]:
        return {**plain(item), "stakeholders": []}

    def pointed(item: Any) -> dict[str, Any]:
        data = plain(item)
        data["entry_ids"] = sorted(uid_of[i] for i in data.get("entry_ids", []) if i in uid_of)
        return data

    doc = {"format": FORMAT, "version": VERSION,
           "exported_at": datetime.now().replace(microsecond=0).isoformat(),
           "profile": to_json(profile), "stakeholders": [],
           "projects": [project(p) for p in shared_projects],
           "entries": [plain(e) for e in chosen],
           "expectations": [plain(x) for x in expectations], "visibility": [],
           "feedback": [pointed(f) for f in feedback], "conversations": [], "checkins": [],
           "incidents": [], "opportunities": [], "dismissed": []}
    def day(value: Any) -> str | None:
        return value.isoformat() if value and not entry_ids else None

    scope = {"since": day(period.start), "until": day(period.end),
             "competencies": wanted, "entries": len(chosen)}
    return Bundle(doc, chosen, feedback, scope)


@dataclass(frozen=True, slots=True)
class Server:
    """Where the team server is and the personal token that speaks for the engineer."""

    url: str
    token: str

    @classmethod
    def of(cls, url: str | None, token: str | None) -> Server:
        from levelup.importers.http import is_loopback

        if not url:
            raise FieldError("server", f"no team server: pass --server or set {SERVER_VARIABLE}")
        if not token:
            raise FieldError("token", f"no token: pass --token or set {TOKEN_VARIABLE}; an "
                             "admin makes one with", step=Step("server.token.create"))
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FieldError("server", f"'{url[:80]}' is not an http(s) address")
        if parts.scheme == "http" and not is_loopback(parts.hostname):
            raise FieldError("server", "plain http would send your token readable across the "
                             "network: use https://")
        return cls(url.rstrip("/"), token)

    def call(self, method: str, path: str, body: Any | None = None,
             params: dict[str, str] | None = None) -> Any:
        import httpx

        try:
            response = httpx.request(method, self.url + path, json=body, params=params,
                                     timeout=TIMEOUT,
                                     headers={"Authorization": f"Bearer {self.token}"})
        except httpx.HTTPError as exc:
            raise LevelupError(f"cannot reach the team server at {self.url}: "
                               f"{type(exc).__name__}") from None
        if response.status_code == 401:
            raise LevelupError(f"the team server at {self.url} refused the token")
        if response.status_code >= 400:
            try:
                message = str(response.json().get("message", ""))[:300]
            except ValueError:
                message = ""
            raise LevelupError(f"the team server answered {response.status_code}"
                               + (f": {message}" if message else ""))
        return response.json()


def send_bundle(server: Server, *, grantee: str, bundle: Bundle, expires: int | None,
                message: str = "", packet: bool = False) -> dict[str, Any]:
    """Send the bundle; the server's answer (``id``, ``replaced``)."""
    from levelup.reports.send import check_addresses

    check_addresses(grantee, field="with")
    answer: dict[str, Any] = server.call("POST", "/api/v1/shares", {
        "with": grantee, "bundle": bundle.doc, "expires_days": expires, "message": message,
        "packet": packet, "scope": bundle.scope})
    return answer


def list_shares(server: Server) -> list[dict[str, Any]]:
    shares: list[dict[str, Any]] = server.call("GET", "/api/v1/shares")["shares"]
    return shares


def revoke(server: Server, *, share_id: str) -> dict[str, Any]:
    answer: dict[str, Any] = server.call("DELETE", f"/api/v1/shares/{quote(share_id, safe='')}")
    return answer


def share_log(server: Server, *, share_id: str | None = None) -> list[dict[str, Any]]:
    params = {"share": share_id} if share_id else None
    views: list[dict[str, Any]] = server.call("GET", "/api/v1/shares/log", params=params)["views"]
    return views


def pull(ctx: Context, server: Server) -> dict[str, int]:
    """Bring what others added on your shares (feedback, presentations to decision makers,
    the business need, successors) into the ledger, each once; how many of each were new."""
    from levelup.services.notes import as_export
    from levelup.services.portable import import_document
    from levelup.services.shares import space_uid
    from levelup.store.entries import list_entries

    notes: list[dict[str, Any]] = server.call("GET", "/api/v1/pull")["notes"]
    if not notes:
        return {}
    shares = {str(n["share"]) for n in notes}
    with ctx.begin() as conn:
        uids = [e.uid for e in list_entries(conn)]
        back = {space_uid(share, uid): uid for share in shares for uid in uids}
        added = import_document(conn, as_export(notes, back), path="pull")
    return {kind: count for kind, count in added.items() if count}
