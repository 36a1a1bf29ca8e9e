"""Jira: your resolved issues, through the REST search API (JQL) or a CSV export.

``levelup import jira --url https://acme.atlassian.net`` searches with the default JQL
(issues assigned to you, resolved in the range); ``--jql`` replaces it. Credentials come
from ``JIRA_EMAIL`` + ``JIRA_TOKEN`` (Cloud: basic auth with an API token) or ``JIRA_TOKEN``
alone (Server/Data Center: a personal access token), never from the site's URL
(``https://user:token@...`` is refused). ``levelup import jira export.csv`` reads the issue
navigator's CSV export instead.
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
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
from levelup.importers.http import (
    DEFAULT_MAX_WAIT,
    INSECURE_HELP,
    JsonApi,
    refuse_credentials_in,
    site_origin,
)
from levelup.importers.jira_adf import adf_text
from levelup.importers.jira_csv import checked_header, read_csv
from levelup.importers.jira_issues import JiraIssue, issue_entry, points

PAGE = 100
CREDENTIALS_HINT = "set JIRA_EMAIL and JIRA_TOKEN (Cloud) or JIRA_TOKEN (Server/Data Center)"
FIELDS = ("summary", "issuetype", "status", "priority", "resolution", "resolutiondate",
          "created", "labels", "components", "project", "parent", "description")
STORY_POINT_NAMES = ("story points", "story point estimate")
ISSUE_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_]*-[0-9]+")  # only these go into a JQL lookup


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
        ImportOption(name="insecure", is_flag=True, help=INSECURE_HELP),
    )

    def read(self, inputs: list[str], ctx: ImportContext) -> Iterator[Record]:
        site, setting = _site(ctx)
        if inputs:
            for path in inputs:
                yield from _csv_records(path, ctx, site)
            return
        if not site:
            raise BadInput("no Jira site: pass --url https://acme.atlassian.net or set JIRA_URL "
                           "(or give a CSV export)")
        api = _api(site, setting, ctx)
        try:
            yield Detected(format="jira-api")
            yield from _api_records(api, str(site), ctx)
        finally:
            api.close()


def _site(ctx: ImportContext) -> tuple[str | None, str]:
    """The site (--url, else $JIRA_URL) and which of the two gave it; a site with
    credentials in its URL is refused, since its URL goes into every entry's link."""
    site, setting = ctx.options.get("url"), "--url"
    if not site:
        site, setting = os.environ.get("JIRA_URL"), "JIRA_URL"
    if site:
        refuse_credentials_in(str(site), setting=setting, credentials_hint=CREDENTIALS_HINT)
    return (str(site) if site else None), setting


def _csv_records(path: str, ctx: ImportContext, site: str | None) -> Iterator[Record]:
    text = read_text(path)
    checked_header(path, text)
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


def _api(site: str, setting: str, ctx: ImportContext) -> JsonApi:
    insecure = bool(ctx.options.get("insecure"))
    site_origin(site, setting=setting, credentials_hint=CREDENTIALS_HINT, insecure=insecure)
    email, token = os.environ.get("JIRA_EMAIL"), os.environ.get("JIRA_TOKEN")
    if not token:
        raise BadInput(f"no Jira credentials: {CREDENTIALS_HINT}")
    try:
        max_wait = float(ctx.options.get("max_wait") or DEFAULT_MAX_WAIT)
    except ValueError:
        raise BadInput("--max-wait: expected a number of seconds") from None
    return JsonApi(name="Jira", base_url=site,
                   headers={"Accept": "application/json", "User-Agent": "levelup"},
                   authorization=_authorization(email, token),
                   credentials_hint=CREDENTIALS_HINT, setting=setting, insecure=insecure,
                   max_wait=max_wait)


def _authorization(email: str | None, token: str) -> str:
    """Cloud: basic auth of the account's email and an API token; Server/Data Center: the
    personal access token as a bearer token."""
    if not email:
        return f"Bearer {token}"
    pair = base64.b64encode(f"{email}:{token}".encode()).decode("ascii")
    return f"Basic {pair}"


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
    epics = EpicNames(api=api, version=version)
    done = 0
    for page, url in _search(api, version, str(jql), fields):
        found: list[tuple[JiraIssue, str]] = []
        for raw in page:
            done += 1
            ctx.progress(done, None)
            issue = _parse(raw, custom, url, done)
            if isinstance(issue, Skipped):
                yield issue
            elif issue.day is not None and ctx.in_range(issue.day):
                found.append((issue, unnamed_epic(raw, custom)))
        yield from epics.look_up({key for _, key in found if key})
        for issue, key in found:
            if key:
                issue.epic = epics.name(key)
            yield issue_entry(issue, browse_url=site)


def _parse(raw: Any, custom: dict[str, list[str]], url: str, done: int) -> JiraIssue | Skipped:
    try:
        return parse_issue(raw, custom)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        key = raw.get("key") if isinstance(raw, dict) else None
        return Skipped(where=f"{url}#{key or done}", reason=f"unreadable issue: {exc}")


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


def _search(api: JsonApi, version: str, jql: str, fields: str,
            extra: dict[str, str] | None = None) -> Iterator[tuple[list[Any], str]]:
    """The issues the JQL finds, a page at a time with the page's URL (startAt for v2,
    nextPageToken for v3); ``extra`` adds query parameters."""
    if version == "3":
        yield from _search_v3(api, jql, fields, extra or {})
        return
    start = 0
    while True:
        data, response = api.get_json("/rest/api/2/search", {
            "jql": jql, "fields": fields, "startAt": start, "maxResults": PAGE, **(extra or {})})
        issues = _issues(data, str(response.url))
        yield issues, str(response.url).split("?")[0]
        start += len(issues)
        if not issues or start >= int(data.get("total", 0)):
            return


def _search_v3(api: JsonApi, jql: str, fields: str,
               extra: dict[str, str]) -> Iterator[tuple[list[Any], str]]:
    """Pages while Jira gives a ``nextPageToken``: some answers leave ``isLast`` out, so
    only an explicit ``isLast: true`` ends the search before the tokens do."""
    token: str | None = None
    asked: set[str] = set()
    while True:
        params: dict[str, Any] = {"jql": jql, "fields": fields, "maxResults": PAGE, **extra}
        if token:
            params["nextPageToken"] = token
        data, response = api.get_json("/rest/api/3/search/jql", params)
        issues = _issues(data, str(response.url))
        url = str(response.url).split("?")[0]
        yield issues, url
        token = str(data.get("nextPageToken") or "")
        if data.get("isLast") is True or not token:
            return
        if token in asked:  # the same page again: paging on would never end
            raise BadInput(f"{url}: malformed response from Jira: the same "
                           "nextPageToken twice")
        asked.add(token)


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
    """A JiraIssue from a search result, its epic named by key when only the Epic Link field
    gives it; KeyError/TypeError/ValueError/AttributeError when malformed."""
    fields = raw["fields"]
    estimates = (points(fields.get(id_)) for id_ in custom.get("points", []))
    created, resolved = _day(fields.get("created")), _day(fields.get("resolutiondate"))
    return JiraIssue(
        key=str(raw["key"]), summary=str(fields["summary"]),
        issue_type=_name(fields.get("issuetype")), status=_name(fields.get("status")),
        priority=_name(fields.get("priority")), resolution=_name(fields.get("resolution")),
        created=created, resolved=resolved,
        story_points=next((n for n in estimates if n is not None), None),
        epic=_epic(fields, custom), parent=_parent(fields),
        project=_name(fields.get("project")),
        labels=[str(label) for label in fields.get("labels") or ()],
        components=[_name(c) for c in fields.get("components") or ()],
        description=adf_text(fields.get("description")),
    )


def _parent_field(fields: Any) -> tuple[str, str, bool]:
    """(key, summary, whether it is an epic) of the parent field; empty without one."""
    parent = fields.get("parent") or {}
    parent_fields = parent.get("fields") or {}
    is_epic = _name(parent_fields.get("issuetype")).lower() == "epic"
    return str(parent.get("key") or ""), str(parent_fields.get("summary") or ""), is_epic


def _epic_parts(fields: Any, custom: dict[str, list[str]]) -> tuple[str, str, str]:
    """(Epic Link key, parent's key, parent's summary), the parent's only when it is an epic."""
    link = str((fields.get(custom["epic"][0]) if "epic" in custom else None) or "")
    key, summary, is_epic = _parent_field(fields)
    return (link, key, summary) if is_epic else (link, "", "")


def _parent(fields: Any) -> str:
    """The parent by its summary when it is not an epic (a sub-task's story, an epic's
    initiative), as the CSV export names it."""
    key, summary, is_epic = _parent_field(fields)
    return "" if is_epic else summary or key


def _epic(fields: Any, custom: dict[str, list[str]]) -> str:
    """The epic by its summary when the parent field gives it (Jira Cloud), else its key."""
    link, key, summary = _epic_parts(fields, custom)
    return summary if summary and link in ("", key) else link or key


def unnamed_epic(raw: Any, custom: dict[str, list[str]]) -> str:
    """The key of an issue's epic when only the Epic Link field names it (a key without a
    summary), to look up; "" when there is no epic or its summary is already known."""
    link, key, summary = _epic_parts(raw["fields"], custom)
    return "" if summary and link == key else link


def _summaries(issues: list[Any]) -> dict[str, str]:
    """Key -> summary of the issues of a search page that have both."""
    found: dict[str, str] = {}
    for raw in issues:
        fields = raw.get("fields") if isinstance(raw, dict) else None
        if isinstance(fields, dict) and raw.get("key") and fields.get("summary"):
            found[str(raw["key"])] = str(fields["summary"])
    return found


@dataclass(slots=True)
class EpicNames:
    """Epic summaries for the keys the Epic Link field gives, looked up with one search per
    page of issues (``key in (...)``) and kept for the whole import. A key Jira gives no
    summary for (a deleted epic, one you cannot see) stays a key."""

    api: JsonApi
    version: str
    names: dict[str, str] = field(default_factory=dict)
    asked: set[str] = field(default_factory=set)

    def name(self, key: str) -> str:
        return self.names.get(key, key)

    def look_up(self, keys: set[str]) -> Iterator[Note]:
        """Ask for the summaries of the ``keys`` not asked before; a Note when Jira refuses."""
        wanted = sorted(key for key in keys - self.asked if ISSUE_KEY.fullmatch(key))
        self.asked.update(keys)
        if not wanted:
            return
        # A key Jira cannot find fails the whole search unless validation is relaxed: "warn"
        # on Cloud's v2, anything but "true" on Data Center (where the flag is a boolean).
        extra = {"validateQuery": "warn"} if self.version == "2" else None
        try:
            for page, _ in _search(self.api, self.version, f"key in ({','.join(wanted)})",
                                   "summary", extra):
                self.names.update(_summaries(page))
        except BadInput as exc:
            yield Note(text=f"epics named by their key: Jira gave no summaries ({exc})")
