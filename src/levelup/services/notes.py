"""What the recipient of a share adds for its engineer on the team server, and how the
engineer's `levelup pull` turns it into records of their own ledger.

Kinds: ``feedback`` (text, polarity, competency, follow-up, entries), ``presented`` (the work
shown to a named decision maker: person, relation, entries), ``business-need`` (why the
organisation needs someone at the target level), ``successor`` (who could take over the
engineer's current role). Only the recipient of a live share may add them.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING, Any

from levelup.domain import vocab
from levelup.errors import FieldError, NotFound

if TYPE_CHECKING:
    from levelup.context import Context
    from levelup.store.accounts import Account
    from levelup.store.notes import Note

KINDS = ("feedback", "presented", "business-need", "successor")
DECISION_RELATIONS = ("skip-level", "promotion-committee", "manager", "other")


def _text(value: str, field: str, *, required: bool = True, limit: int = 4000) -> str:
    value = (value or "").strip()
    if required and not value:
        raise FieldError(field, "is empty")
    if len(value) > limit:
        raise FieldError(field, f"must be at most {limit:,} characters")
    return value


def add_note(ctx: Context, *, author: Account, share_id: str, kind: str, text: str = "",
             polarity: str | None = None, competency: str | None = None, follow_up: str = "",
             person: str | None = None, relation: str | None = None, on: str | None = None,
             entries: list[str] | None = None) -> Note:
    """Record a note on a share made to ``author``; NotFound if they may not add to it."""
    from levelup.store.notes import add_note as store_note
    from levelup.store.notes import notes_for
    from levelup.store.shares import share_for

    if kind not in KINDS:
        raise FieldError("kind", f"'{kind[:40]}' is not one of {', '.join(KINDS)}")
    values: dict[str, Any] = {"kind": kind, "follow_up": _text(follow_up, "follow_up",
                                                                 required=False)}
    if kind == "feedback":
        values["text"] = _text(text, "text")
        values["polarity"] = vocab.check(polarity or "", vocab.FEEDBACK_POLARITIES, "polarity")
        values["competency"] = (vocab.check(competency, vocab.COMPETENCIES, "competency")
                                if competency else None)
    elif kind == "presented":
        values["person"] = _text(person or "", "person", limit=200)
        values["relation"] = vocab.check(relation or "skip-level", DECISION_RELATIONS,
                                         "relation")
        values["text"] = _text(text, "text", required=False)
    elif kind == "business-need":
        values["text"] = _text(text, "text")
    else:
        values["person"] = _text(person or "", "person", limit=200)
        values["text"] = _text(text, "text", required=False)
    day = ctx.day(on)
    if day > ctx.today:
        raise FieldError("on", f"{day} is in the future")
    now = datetime.now().replace(microsecond=0)
    uid = secrets.token_hex(16)
    with ctx.begin() as conn:
        share = share_for(conn, share_id=share_id, user_id=author.id, now=now)
        if share is None or share.grantee_id != author.id or not share.live(now):
            raise NotFound(f"no share {share_id[:40]} for you")
        store_note(conn, uid=uid, engineer_id=share.engineer_id, author_id=author.id,
                   share_id=share.id, on=day, created=now, entries=list(entries or [])[:200],
                   **values)
        return next(n for n in notes_for(conn, engineer_id=share.engineer_id,
                                         share_id=share.id) if n.uid == uid)


def notes_for_me(ctx: Context, *, engineer: Account) -> list[Note]:
    from levelup.store.notes import notes_for

    with ctx.read() as conn:
        return notes_for(conn, engineer_id=engineer.id)


def as_export(notes: list[dict[str, Any]], uid_of_space: dict[str, str]) -> dict[str, Any]:
    """The notes as an export document the engineer's ledger merges (once per note, by uid):
    feedback as feedback, a presentation as a visibility event with a decision maker, a
    business need as an expectation, a successor as a stakeholder who could take over.
    ``uid_of_space`` maps the share's entry ids back to the engineer's own."""
    from levelup.services.portable import FORMAT, VERSION

    people: dict[str, dict[str, Any]] = {}
    doc: dict[str, Any] = {"format": FORMAT, "version": VERSION, "profile": None,
                           "stakeholders": [], "projects": [], "entries": [],
                           "expectations": [], "visibility": [], "feedback": [],
                           "conversations": [], "checkins": []}

    def person(name: str, relation: str, decision_maker: bool, notes: str = "") -> None:
        people.setdefault(name.casefold(), {"name": name, "relation": relation,
                                            "decision_maker": decision_maker, "notes": notes,
                                            "email": "", "uid": secrets.token_hex(16)})

    for note in notes:
        mine = sorted({uid_of_space[u] for u in note.get("entries", []) if u in uid_of_space})
        author = str(note["author_name"])
        if note["kind"] == "feedback":
            doc["feedback"].append({
                "uid": note["uid"], "giver": author, "date": note["on"],
                "polarity": note["polarity"], "text": note["text"],
                "competency": note["competency"], "asked": False,
                "follow_up": note["follow_up"], "status": "open", "quotable": False,
                "entry_ids": mine})
        elif note["kind"] == "presented":
            person(str(note["person"]), str(note["relation"] or "skip-level"), True)
            said = f"presented by {author}" + (f": {note['text']}" if note["text"] else "")
            doc["visibility"].append({"uid": note["uid"], "stakeholder": note["person"],
                                      "date": note["on"], "channel": "presentation",
                                      "note": said, "entry_ids": mine})
        elif note["kind"] == "business-need":
            doc["expectations"].append({"uid": note["uid"], "kind": "business-need",
                                        "text": note["text"], "said_by": author,
                                        "agreed_on": note["on"], "outcome": "",
                                        "outcome_on": None})
        elif note["kind"] == "successor":
            person(str(note["person"]), "mentee", False,
                   f"could take over your role (named by {author})")
    doc["stakeholders"] = list(people.values())
    return doc

