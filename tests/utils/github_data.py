"""GitHub REST objects in the documented shape (search items, pull requests, reviews)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote_plus

from tests.utils.api_server import Reply, link


def search_item(api: str, repo: str, number: int, title: str, *, created: str,
                pr: bool = False, merged: str | None = None, closed: str | None = None,
                user: str = "ada", labels: tuple[str, ...] = (), body: str = "",
                state_reason: str | None = None) -> dict[str, Any]:
    """An item of ``GET /search/issues`` (issue-shaped; pull requests carry ``pull_request``)."""
    html = f"https://github.com/{repo}/{'pull' if pr else 'issues'}/{number}"
    item: dict[str, Any] = {
        "url": f"{api}/repos/{repo}/issues/{number}",
        "repository_url": f"{api}/repos/{repo}",
        "html_url": html,
        "id": 1000 + number,
        "node_id": f"I_kwDO{number:06d}",
        "number": number,
        "title": title,
        "user": {"login": user, "id": 7, "type": "User", "site_admin": False},
        "labels": [{"id": i, "name": name, "color": "d73a4a", "default": False}
                   for i, name in enumerate(labels)],
        "state": "closed" if closed else "open",
        "state_reason": state_reason or ("completed" if closed else None),
        "locked": False,
        "assignee": None,
        "comments": 2,
        "created_at": created,
        "updated_at": closed or created,
        "closed_at": closed,
        "author_association": "MEMBER",
        "body": body,
        "score": 1.0,
    }
    if pr:
        item["pull_request"] = {
            "url": f"{api}/repos/{repo}/pulls/{number}",
            "html_url": html,
            "diff_url": f"{html}.diff",
            "patch_url": f"{html}.patch",
            "merged_at": merged,
        }
    return item


def search_page(items: list[dict[str, Any]], total: int | None = None) -> dict[str, Any]:
    return {"total_count": len(items) if total is None else total,
            "incomplete_results": False, "items": items}


def pull(repo: str, number: int, title: str, *, created: str, merged: str | None = None,
         closed: str | None = None, user: str = "ada") -> dict[str, Any]:
    """An object of ``GET /repos/{owner}/{repo}/pulls`` (what ``gh api`` saves)."""
    html = f"https://github.com/{repo}/pull/{number}"
    return {
        "url": f"https://api.github.com/repos/{repo}/pulls/{number}",
        "id": 5000 + number,
        "node_id": f"PR_kwDO{number:06d}",
        "html_url": html,
        "number": number,
        "state": "closed" if closed else "open",
        "title": title,
        "user": {"login": user, "id": 7, "type": "User"},
        "body": "Adds a cache in front of the price service.\n\nDetails follow.",
        "labels": [],
        "created_at": created,
        "updated_at": closed or created,
        "closed_at": closed,
        "merged_at": merged,
        "merge_commit_sha": "9f2c1e0" if merged else None,
        "draft": False,
        "head": {"ref": "feature", "repo": {"full_name": repo}},
        "base": {"ref": "main", "repo": {"full_name": repo}},
    }


def review(user: str, state: str, submitted: str, body: str = "", *, repo: str = "acme/api",
           number: int = 77) -> dict[str, Any]:
    """An object of ``GET /repos/{owner}/{repo}/pulls/{n}/reviews``."""
    return {
        "id": int(submitted[:10].replace("-", "")),
        "node_id": "PRR_kwDOAAA",
        "user": {"login": user, "id": 7, "type": "User"},
        "body": body,
        "state": state,
        "html_url": f"https://github.com/{repo}/pull/{number}#pullrequestreview-1",
        "pull_request_url": f"https://api.github.com/repos/{repo}/pulls/{number}",
        "author_association": "MEMBER",
        "submitted_at": submitted,
        "commit_id": "ecdd80bb57125d7ba9641ffaa4d7d2c19d3f3091",
    }


SEARCH_CAP = 1000  # GitHub's search serves the first 1,000 results of a query, no more


def search_engine(base: str, items: list[dict[str, Any]]) -> Callable[[dict[str, str]], Reply]:
    """``GET /search/issues`` over ``items`` as GitHub answers it: the qualifiers levelup
    sends, ``per_page`` pages linked by ``Link`` headers, and only the first 1,000 results
    reachable (a later page is a 422) while ``total_count`` tells how many were found."""

    def answer(query: dict[str, str]) -> Reply:
        terms = query["q"].split()
        found = [item for item in items if all(_matches(item, term) for term in terms)]
        page, per_page = int(query.get("page", "1")), int(query.get("per_page", "30"))
        if (page - 1) * per_page >= SEARCH_CAP:
            return Reply({"message": "Cannot access beyond the first 1000 results, or the "
                          "first 30 pages, whichever is lower."}, status=422)
        body = search_page(found[(page - 1) * per_page : page * per_page], total=len(found))
        more = page * per_page < min(len(found), SEARCH_CAP)
        following = (f"{base}/search/issues?q={quote_plus(query['q'])}&per_page={per_page}"
                     f"&page={page + 1}")
        return Reply(body, headers=link(following) if more else {})

    return answer


def _matches(item: dict[str, Any], term: str) -> bool:
    qualifier, _, value = term.lstrip("-").partition(":")
    day = {"created": item["created_at"][:10], "updated": item["updated_at"][:10]}
    if qualifier == "type":
        held = ("pull_request" in item) == (value == "pr")
    elif qualifier == "author":
        held = item["user"]["login"] == value
    elif qualifier in ("reviewed-by", "assignee"):
        held = False  # these items have no reviews and no assignees
    elif qualifier == "is":
        held = item["state"] == value
    elif value.startswith(">="):
        held = day[qualifier] >= value[2:]
    elif value.startswith("<="):
        held = day[qualifier] <= value[2:]
    elif ".." in value:
        first, last = value.split("..")
        held = first <= day[qualifier] <= last
    else:
        raise AssertionError(f"the test search does not know {term!r}")
    return held != term.startswith("-")
