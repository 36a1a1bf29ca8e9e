"""GitHub objects (pull requests, issues, reviews, search items) as ledger entries.

Pure functions shared by the API import and the offline import of ``gh api`` output.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from levelup.domain.models import Entry
from levelup.importers.base import SameAs
from levelup.importers.common import first_paragraph, parse_timestamp


class NotAnItem(ValueError):
    """A JSON object that is not a pull request or issue (the message says what is missing)."""


@dataclass(slots=True)
class Item:
    """What levelup needs of a pull request or an issue, whatever JSON shape it came in."""

    url: str
    repo: str
    number: int
    title: str
    body: str
    author: str
    is_pr: bool
    state: str
    created: date
    closed: date | None
    merged: date | None
    labels: list[str]
    state_reason: str = ""


def local_day(value: str) -> date:
    """The day of a GitHub timestamp (sent in UTC) on this machine's clock."""
    return parse_timestamp(value).astimezone().date()


def _day(value: Any) -> date | None:
    return local_day(str(value)) if value else None


def parse_item(raw: Any) -> Item:
    """An Item from an issue, a pull request, or a search result; NotAnItem if it is none."""
    if not isinstance(raw, dict):
        raise NotAnItem("not a JSON object")
    missing = [k for k in ("html_url", "number", "title", "created_at") if raw.get(k) is None]
    if missing:
        raise NotAnItem(f"not a GitHub issue or pull request: no {', '.join(missing)}")
    url = str(raw["html_url"])
    pull = raw.get("pull_request")
    # The API of 2012-13 gave every issue a "pull_request" whose fields were all null.
    real_pull = isinstance(pull, dict) and any(value for value in pull.values())
    is_pr = real_pull or "/pull/" in url or "merged_at" in raw
    merged = raw.get("merged_at") or (pull.get("merged_at") if isinstance(pull, dict) else None)
    try:
        return Item(
            url=url, repo=_repo(raw, url), number=int(raw["number"]), title=str(raw["title"]),
            body=str(raw.get("body") or ""), author=_login(raw.get("user")), is_pr=is_pr,
            state=str(raw.get("state") or "open"), created=_day(raw["created_at"]) or date.min,
            closed=_day(raw.get("closed_at")), merged=_day(merged),
            labels=[str(lab.get("name")) for lab in raw.get("labels") or ()
                    if isinstance(lab, dict)],
            state_reason=str(raw.get("state_reason") or ""),
        )
    except (TypeError, ValueError) as exc:
        raise NotAnItem(f"unreadable field: {exc}") from None


def _login(user: Any) -> str:
    return str(user.get("login") or "") if isinstance(user, dict) else ""


def _repo(raw: dict[str, Any], url: str) -> str:
    base = raw.get("base")
    if isinstance(base, dict) and isinstance(base.get("repo"), dict):
        return str(base["repo"].get("full_name"))
    api_repo = str(raw.get("repository_url") or "")
    if "/repos/" in api_repo:
        return api_repo.split("/repos/", 1)[1]
    parts = url.split("/")
    return "/".join(parts[3:5]) if len(parts) > 5 else ""


def event_day(item: Item) -> date:
    """The day that counts for the range: merged or closed, else opened."""
    return item.merged or item.closed or item.created


def authored_records(item: Item) -> Iterator[SameAs | Entry]:
    """The entry of an authored item; a pull request first says which git entry it matches."""
    try:
        host = urlsplit(item.url).hostname
    except ValueError:  # not a URL at all ("[[[…"): nothing to match a git entry by
        host = None
    if item.is_pr and host and item.repo:
        yield SameAs(source="github", source_id=item.url, other_source="git",
                     other_source_id=f"{host}/{item.repo}:pr:{item.number}")
    yield authored_entry(item)


def authored_entry(item: Item) -> Entry:
    """A pull request or issue the user opened (or an issue the user closed)."""
    ref = f"{item.repo}#{item.number}"
    kind, status, what = _outcome(item)
    details = f"{'Pull request' if item.is_pr else 'Issue'} {ref} {what}."
    if item.labels:
        details += f" Labels: {', '.join(item.labels)}."
    if item.body.strip():
        details += "\n\n" + first_paragraph(item.body)
    return Entry(
        title=item.title, date=item.created, details=details, kind=kind, status=status,
        end_date=_end(item), links=[item.url], source="github", source_id=item.url,
    )


def _end(item: Item) -> date | None:
    end = item.merged or item.closed
    return end if end is not None and end != item.created else None


def _outcome(item: Item) -> tuple[str, str | None, str]:
    """(kind, plan status, phrase) of an item from its state."""
    incident = any("incident" in label.lower() for label in item.labels)
    if item.merged:
        return "win", None, f"merged on {item.merged}"
    if item.closed and (item.is_pr or item.state_reason == "not_planned"):
        return "other", None, f"closed without {'merging' if item.is_pr else 'a fix'}"
    if item.closed:
        return ("incident" if incident else "win"), None, f"closed on {item.closed}"
    if item.is_pr:
        return "plan", "open", "open"
    return ("incident" if incident else "other"), None, f"opened on {item.created}"


@dataclass(slots=True)
class Review:
    """A review the user submitted on someone else's pull request."""

    state: str
    body: str
    submitted: date
    url: str


def parse_review(raw: Any) -> Review | None:
    if not isinstance(raw, dict) or not raw.get("submitted_at"):
        return None  # a pending review has no submission date
    return Review(state=str(raw.get("state") or ""), body=str(raw.get("body") or ""),
                  submitted=local_day(str(raw["submitted_at"])),
                  url=str(raw.get("html_url") or ""))


def review_entry(item: Item, reviews: list[Review]) -> Entry:
    """One entry per reviewed pull request, however many reviews it took."""
    states = sorted({r.state.lower().replace("_", " ") for r in reviews})
    substantive = any(r.state == "CHANGES_REQUESTED" or r.body.strip() for r in reviews)
    first, last = min(r.submitted for r in reviews), max(r.submitted for r in reviews)
    by = f" by @{item.author}" if item.author else ""
    return Entry(
        title=f"Reviewed: {item.title}", date=first, end_date=last if last != first else None,
        details=f"Reviewed pull request {item.repo}#{item.number}{by}: {len(reviews)} "
                f"review{'s' if len(reviews) != 1 else ''} ({', '.join(states)}).",
        kind="mentoring" if substantive else "other", links=[item.url],
        source="github", source_id=f"{item.url}#reviews",
    )
