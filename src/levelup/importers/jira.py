"""Jira: your resolved issues, through the REST search API (JQL) or a CSV export.

``levelup import jira --url https://acme.atlassian.net`` searches with the default JQL
(issues assigned to you, resolved in the range); ``--jql`` replaces it. Credentials come
from ``JIRA_EMAIL`` + ``JIRA_TOKEN`` (Cloud: basic auth with an API token) or ``JIRA_TOKEN``
alone (Server/Data Center: a personal access token). ``levelup import jira export.csv``
reads the issue navigator's CSV export instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from typing import Any
from urllib.parse import urlparse

from levelup.importers.base import (
    Detected,
    ImportContext,
    Importer,
    ImportOption,
    Note,
    Record,
    Skipped,
)
from levelup.importers.common import BadInput, parse_timestamp, read_text
from levelup.importers.http import DEFAULT_MAX_WAIT, JsonApi
from levelup.importers.jira_csv import is_jira_csv, read_csv
from levelup.importers.jira_issues import JiraIssue, issue_entry, points

PAGE = 100
CREDENTIALS_HINT = "set JIRA_EMAIL and JIRA_TOKEN (Cloud) or JIRA_TOKEN (Server/Data Center)"
FIELDS = ("summary", "issuetype", "status", "priority", "resolution", "resolutiondate",
          "created", "labels", "components", "project", "parent", "description")
STORY_POINT_NAMES = ("story points", "story point estimate")


class JiraImporter(Importer):
    name = "jira"
    summary = ("Import your resolved Jira issues (REST API with JQL, or a CSV export). "
               "The API needs JIRA_EMAIL and JIRA_TOKEN (Cloud: an API token) or JIRA_TOKEN "
               "alone (Server/Data Center: a personal access token); the site is --url or "
               "JIRA_URL.")
    inputs = "[CSV]"
    inputs_required = False
    options = (
        ImportOption(name="url", help="Jira site, e.g. https://acme.atlassian.net "
                                      "(default: $JIRA_URL)."),
        ImportOption(name="jql", help="JQL instead of: your issues resolved in the range."),
        ImportOption(name="api_version", default="auto",
                     help="REST API version: 2, 3 or auto (3 on *.atlassian.net)."),
        ImportOption(name="max_wait", default=str(int(DEFAULT_MAX_WAIT)),
                     help="Seconds a rate limit may be waited out before stopping."),
        ImportOption(name="date_format",
                     help="CSV export: strptime format of its dates, e.g. %d/%m/%Y %H:%M; "
                          "needed when no date tells whether D/M/YYYY or M/D/YYYY is meant."),
    )

    def read(self, inputs: list[str], ctx: ImportContext) -> Iterator[Record]:
        site = ctx.options.get("url") or os.environ.get("JIRA_URL")
        if inputs:
            for path in inputs:
                yield from _csv_records(path, ctx, site)
            return
        if not site:
            raise BadInput("no Jira site: pass --url https://acme.atlassian.net or set JIRA_URL "
                           "(or give a CSV export)")
        api = _api(str(site), ctx)
        try:
            yield Detected(format="jira-api")
            yield from _api_records(api, str(site), ctx)
        finally:
            api.close()


def _csv_records(path: str, ctx: ImportContext, site: str | None) -> Iterator[Record]:
    text = read_text(path)
    if not is_jira_csv(text):
        raise BadInput(f"{path}:1: not a Jira CSV export: no 'Issue key' and 'Summary' columns")
    yield Detected(format="jira-csv")
    if not site:
        yield Note(text="no links back to Jira: pass --url https://acme.atlassian.net or set "
                        "JIRA_URL to link each entry to its issue")
    date_format = ctx.options.get("date_format") or None
    for done, (_, issue) in enumerate(read_csv(path, text, date_format), 1):
        if done % 200 == 0:
            ctx.progress(done, None)
        if isinstance(issue, Skipped):
            yield issue
        elif issue.day is not None and ctx.in_range(issue.day):
            yield issue_entry(issue, browse_url=site)


def _api(site: str, ctx: ImportContext) -> JsonApi:
    email, token = os.environ.get("JIRA_EMAIL"), os.environ.get("JIRA_TOKEN")
    if not token:
        raise BadInput(f"no Jira credentials: {CREDENTIALS_HINT}")
    headers = {"Accept": "application/json", "User-Agent": "levelup"}
    auth = (email, token) if email else None
    if not email:
        headers["Authorization"] = f"Bearer {token}"
    try:
        max_wait = float(ctx.options.get("max_wait") or DEFAULT_MAX_WAIT)
    except ValueError:
        raise BadInput("--max-wait: expected a number of seconds") from None
    return JsonApi(name="Jira", base_url=site, headers=headers, auth=auth,
                   credentials_hint=CREDENTIALS_HINT, max_wait=max_wait)


def default_jql(since: date | None, until: date | None) -> str:
    """The user's resolved issues in the range, oldest first."""
    clauses = ["assignee = currentUser()", "resolution IS NOT EMPTY"]
    if since:
        clauses.append(f'resolved >= "{since.isoformat()}"')
    if until:
        clauses.append(f'resolved < "{date.fromordinal(until.toordinal() + 1).isoformat()}"')
    return " AND ".join(clauses) + " ORDER BY resolved ASC"


def _version(site: str, wanted: str) -> str:
    if wanted in ("2", "3"):
        return wanted
    if wanted != "auto":
        raise BadInput(f"--api-version: expected 2, 3 or auto, not {wanted!r}")
    return "3" if (urlparse(site).hostname or "").endswith(".atlassian.net") else "2"


def _api_records(api: JsonApi, site: str, ctx: ImportContext) -> Iterator[Record]:
    version = _version(site, str(ctx.options.get("api_version") or "auto"))
    custom = _custom_fields(api, version)
    jql = ctx.options.get("jql") or default_jql(ctx.since, ctx.until)
    fields = ",".join((*FIELDS, *(id_ for ids in custom.values() for id_ in ids)))
    done = 0
    for raw, url in _search(api, version, str(jql), fields):
        done += 1
        ctx.progress(done, None)
        try:
            issue = parse_issue(raw, custom)
        except (KeyError, TypeError, ValueError) as exc:
            key = raw.get("key") if isinstance(raw, dict) else None
            yield Skipped(where=f"{url}#{key or done}", reason=f"unreadable issue: {exc}")
            continue
        if issue.day is not None and ctx.in_range(issue.day):
            yield issue_entry(issue, browse_url=site)


def _custom_fields(api: JsonApi, version: str) -> dict[str, list[str]]:
    """Ids of the story points and epic link custom fields, which differ per site. A Cloud
    site often has two story point fields (company- and team-managed projects): both."""
    data, _ = api.get_json(f"/rest/api/{version}/field")
    found: dict[str, list[str]] = {}
    for item in data if isinstance(data, list) else ():
        name = str(item.get("name", "")).lower() if isinstance(item, dict) else ""
        if name in STORY_POINT_NAMES:
            found.setdefault("points", []).append(str(item["id"]))
        elif name == "epic link":
            found["epic"] = [str(item["id"])]
    return found


def _search(api: JsonApi, version: str, jql: str, fields: str) -> Iterator[tuple[Any, str]]:
    """Every issue the JQL finds, page by page (startAt for v2, nextPageToken for v3)."""
    if version == "3":
        yield from _search_v3(api, jql, fields)
        return
    start = 0
    while True:
        data, response = api.get_json("/rest/api/2/search", {
            "jql": jql, "fields": fields, "startAt": start, "maxResults": PAGE})
        issues = _issues(data, str(response.url))
        yield from ((issue, str(response.url).split("?")[0]) for issue in issues)
        start += len(issues)
        if not issues or start >= int(data.get("total", 0)):
            return


def _search_v3(api: JsonApi, jql: str, fields: str) -> Iterator[tuple[Any, str]]:
    token: str | None = None
    while True:
        params: dict[str, Any] = {"jql": jql, "fields": fields, "maxResults": PAGE}
        if token:
            params["nextPageToken"] = token
        data, response = api.get_json("/rest/api/3/search/jql", params)
        issues = _issues(data, str(response.url))
        yield from ((issue, str(response.url).split("?")[0]) for issue in issues)
        token = data.get("nextPageToken")
        if data.get("isLast", True) or not token:
            return


def _issues(data: Any, url: str) -> list[Any]:
    if not isinstance(data, dict) or not isinstance(data.get("issues"), list):
        raise BadInput(f"{url.split('?')[0]}: malformed response from Jira: "
                       "expected search results with 'issues'")
    return list(data["issues"])


def _name(value: Any) -> str:
    return str(value.get("name") or "") if isinstance(value, dict) else ""


def _day(value: Any) -> date | None:
    return parse_timestamp(str(value)).date() if value else None


def parse_issue(raw: Any, custom: dict[str, list[str]]) -> JiraIssue:
    """A JiraIssue from a search result; KeyError/TypeError/ValueError when malformed."""
    fields = raw["fields"]
    parent = fields.get("parent") or {}
    parent_type = _name((parent.get("fields") or {}).get("issuetype"))
    epic = fields.get(custom["epic"][0]) if "epic" in custom else None
    estimates = (points(fields.get(id_)) for id_ in custom.get("points", []))
    created, resolved = _day(fields.get("created")), _day(fields.get("resolutiondate"))
    return JiraIssue(
        key=str(raw["key"]), summary=str(fields["summary"]),
        issue_type=_name(fields.get("issuetype")), status=_name(fields.get("status")),
        priority=_name(fields.get("priority")), resolution=_name(fields.get("resolution")),
        created=created, resolved=resolved,
        story_points=next((n for n in estimates if n is not None), None),
        epic=str(epic or (parent.get("key") if parent_type.lower() == "epic" else "") or ""),
        project=_name(fields.get("project")),
        labels=[str(label) for label in fields.get("labels") or ()],
        components=[_name(c) for c in fields.get("components") or ()],
        description=_text(fields.get("description")),
    )


def _text(value: Any) -> str:
    """Plain text of a description: a string (v2) or an Atlassian document (v3)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        if value.get("type") == "text":
            return str(value.get("text", ""))
        parts = [_text(child) for child in value.get("content") or ()]
        joiner = "\n\n" if value.get("type") == "doc" else ""
        return joiner.join(parts)
    return ""
