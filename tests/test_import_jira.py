"""`levelup import jira`: the REST search API (v2 and v3) on a local server, and CSV exports."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from levelup.cli.common import Env
from levelup.domain.models import Entry
from levelup.store.entries import list_entries
from tests.conftest import invoke
from tests.utils.api_server import ApiServer, Reply

FIXTURES = Path(__file__).parent / "fixtures" / "jira"
EXPORT = FIXTURES / "export.csv"
FIELDS = [
    {"id": "summary", "name": "Summary", "custom": False},
    {"id": "customfield_10016", "name": "Story point estimate", "custom": True},
    {"id": "customfield_10014", "name": "Epic Link", "custom": True},
]


@pytest.fixture(autouse=True)
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JIRA_EMAIL", raising=False)
    monkeypatch.delenv("JIRA_URL", raising=False)
    monkeypatch.setenv("JIRA_TOKEN", "pat-secret")


@pytest.fixture
def server() -> Iterator[ApiServer]:
    with ApiServer().running() as api:
        yield api


def issue(key: str, summary: str, type_: str, *, resolved: str | None, points: float | None = None,
          epic: str | None = None, labels: tuple[str, ...] = (), priority: str = "Medium",
          description: Any = None, parent: dict[str, Any] | None = None) -> dict[str, Any]:
    """An issue of a search response, in Jira's documented shape."""
    return {
        "expand": "operations,versionedRepresentations,editmeta,changelog,renderedFields",
        "id": str(10000 + int(key.split("-")[1])),
        "self": f"https://jira.example.com/rest/api/2/issue/{key}",
        "key": key,
        "fields": {
            "summary": summary,
            "issuetype": {"id": "10001", "name": type_, "subtask": False},
            "status": {"name": "Done" if resolved else "In Progress",
                       "statusCategory": {"key": "done" if resolved else "indeterminate"}},
            "priority": {"id": "3", "name": priority},
            "resolution": {"name": "Done"} if resolved else None,
            "resolutiondate": resolved,
            "created": "2026-03-01T09:00:00.000+0000",
            "labels": list(labels),
            "components": [{"id": "1", "name": "Checkout"}],
            "project": {"id": "1", "key": key.split("-")[0], "name": "Shop"},
            "parent": parent,
            "description": description,
            "customfield_10016": points,
            "customfield_10014": epic,
        },
    }


def parent(key: str, type_: str) -> dict[str, Any]:
    """The parent field of a search result, as Jira Cloud gives it (with the summary)."""
    return {"id": "1", "key": key, "fields": {"summary": f"{key} summary",
                                              "issuetype": {"name": type_, "subtask": False}}}


def node(type_: str, *content: Any, **attrs: Any) -> dict[str, Any]:
    """An Atlassian Document Format node with its children and attributes."""
    made: dict[str, Any] = {"type": type_}
    if content:
        made["content"] = list(content)
    if attrs:
        made["attrs"] = attrs
    return made


def para(*parts: str | dict[str, Any]) -> dict[str, Any]:
    return node("paragraph", *({"type": "text", "text": p} if isinstance(p, str) else p
                               for p in parts))


def doc(*blocks: dict[str, Any]) -> dict[str, Any]:
    return {"version": 1, **node("doc", *blocks)}


def v2_page(issues: list[dict[str, Any]], start: int, total: int) -> dict[str, Any]:
    return {"expand": "schema,names", "startAt": start, "maxResults": 2, "total": total,
            "issues": issues}


def epic_lookup(qs: dict[str, str]) -> bool:
    return qs.get("jql", "").startswith("key in (")


def serve_v2(api: ApiServer, *, second: Reply | None = None) -> None:
    """Two pages of issues; the epic lookups find SHOP-90 (deleted OPS-3 is not found)."""
    api.add("/rest/api/2/field", FIELDS)
    api.add("/rest/api/2/search", v2_page([{"key": "SHOP-90", "fields": {
        "summary": "Faster checkout"}}], 0, 1), match=epic_lookup)
    api.add("/rest/api/2/search", v2_page([
        issue("SHOP-101", "Cache product prices at the edge", "Story", points=5,
              epic="SHOP-90", resolved="2026-03-14T15:42:00.000+0000", priority="High",
              description="Prices were fetched on every page view.\n\nNow cached."),
        issue("SHOP-117", "Checkout returns 500 for gift cards", "Bug",
              resolved="2026-03-21T07:45:00.000+0000", priority="Highest"),
    ], 0, 3), match=lambda qs: qs.get("startAt") == "0")
    api.add("/rest/api/2/search", second or v2_page([
        issue("SHOP-120", "Add alert on payment queue depth", "Task", points=2, epic="SHOP-90",
              labels=("postmortem",), resolved="2026-03-25T17:00:00.000+0000"),
        issue("SHOP-121", "Retire the old queue", "Task", epic="OPS-3",
              resolved="2026-03-26T17:00:00.000+0000"),
    ], 2, 4), match=lambda qs: qs.get("startAt") == "2")


def jira_entries(env: Env) -> dict[str, Entry]:
    with env.ctx.read() as conn:
        return {e.source_id or "": e for e in list_entries(conn, source="jira")}


def run(env: Env, api: ApiServer, *extra: str) -> Any:
    return invoke(env, "import", "jira", "--url", api.url, "--since", "2026-01-01",
                  "--until", "2026-06-30", *extra)


def test_v2_search_with_pagination_and_a_personal_access_token(env: Env,
                                                               server: ApiServer) -> None:
    serve_v2(server)
    result = run(env, server)
    assert result.exit_code == 0, result.output
    entries = jira_entries(env)
    assert set(entries) == {"SHOP-101", "SHOP-117", "SHOP-120", "SHOP-121"}
    story = entries["SHOP-101"]
    assert (story.kind, str(story.date), str(story.end_date)) == ("win", "2026-03-01",
                                                                  "2026-03-14")
    for fact in ("type: Story", "priority: High", "story points: 5", "epic: Faster checkout",
                 "components: Checkout", "Prices were fetched"):
        assert fact in story.details
    assert story.links == [f"{server.url}/browse/SHOP-101"]
    assert entries["SHOP-117"].kind == "incident"
    assert entries["SHOP-120"].kind == "prevention"
    searches = [r for r in server.requests if r.path == "/rest/api/2/search"
                and not epic_lookup(r.query)]
    assert searches[0].headers["Authorization"] == "Bearer pat-secret"
    jql = searches[0].query["jql"]
    assert jql.startswith("assignee = currentUser() AND resolution IS NOT EMPTY")
    assert 'resolved >= "2026-01-01"' in jql and 'resolved < "2026-07-01"' in jql
    assert "customfield_10016" in searches[0].query["fields"]
    assert "pat-secret" not in result.output


def test_epic_link_keys_are_named_by_summary_with_one_lookup_per_page(
    env: Env, server: ApiServer
) -> None:
    """The Epic Link field holds only a key: each page's new keys go into one search."""
    serve_v2(server)
    result = run(env, server)
    assert result.exit_code == 0, result.output
    entries = jira_entries(env)
    assert "epic: Faster checkout" in entries["SHOP-120"].details  # named from the cache
    assert "epic: OPS-3" in entries["SHOP-121"].details  # Jira did not find it: its key
    assert "epic:" not in entries["SHOP-117"].details
    lookups = [r.query for r in server.requests if epic_lookup(r.query)]
    assert [q["jql"] for q in lookups] == ["key in (SHOP-90)", "key in (OPS-3)"]
    assert {(q["fields"], q["validateQuery"]) for q in lookups} == {("summary", "warn")}


def test_a_refused_epic_lookup_keeps_the_keys_and_says_so(env: Env, server: ApiServer) -> None:
    server.add("/rest/api/3/field", FIELDS)
    server.add("/rest/api/3/search/jql", Reply({"errorMessages": [
        "An issue with key 'SHOP-90' does not exist for field 'key'."]}, status=400),
        match=epic_lookup)
    server.add("/rest/api/3/search/jql", {"issues": [
        issue("SHOP-101", "Cache prices", "Story", epic="SHOP-90",
              resolved="2026-03-14T15:42:00.000+0000")], "isLast": True})
    result = run(env, server, "--api-version", "3")
    assert result.exit_code == 0, result.output
    assert "epic: SHOP-90" in jira_entries(env)["SHOP-101"].details
    assert "note: epics named by their key: Jira gave no summaries" in result.output
    assert "does not exist for field 'key'" in result.output


def test_v3_search_jql_with_token_pages_and_basic_auth(env: Env, server: ApiServer,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIRA_EMAIL", "ada@example.com")
    adf = doc(node("bulletList", node("listItem", para("Rolled back in 20 min.")),
                   node("listItem", para("Paged ", node("mention", id="5b10", text="@Ada")))))
    server.add("/rest/api/3/field", FIELDS)
    server.add("/rest/api/3/search/jql", {"issues": [
        issue("OPS-7", "Payments down for 20 minutes", "Incident", description=adf,
              resolved="2026-04-04T02:30:00.000+0000", parent=parent("OPS-1", "Epic"))],
        "nextPageToken": "CAEaAggD", "isLast": False},
        match=lambda qs: "nextPageToken" not in qs)
    server.add("/rest/api/3/search/jql", {"issues": [
        issue("SHOP-130", "Write the caching RFC", "Story", resolved=None,
              parent=parent("SHOP-129", "Story"))], "isLast": True},
        match=lambda qs: qs.get("nextPageToken") == "CAEaAggD")
    result = run(env, server, "--api-version", "3", "--jql", "project = OPS")
    assert result.exit_code == 0, result.output
    entries = jira_entries(env)
    assert entries["OPS-7"].kind == "incident"
    assert "- Rolled back in 20 min.\n- Paged @Ada" in entries["OPS-7"].details
    assert "epic: OPS-1 summary" in entries["OPS-7"].details  # Cloud's parent names its epic
    assert "epic:" not in entries["SHOP-130"].details  # a story is not an epic
    assert "parent: SHOP-129 summary" in entries["SHOP-130"].details  # as the CSV names it
    assert "parent:" not in entries["OPS-7"].details
    assert not any(epic_lookup(r.query) for r in server.requests)
    assert (entries["SHOP-130"].kind, entries["SHOP-130"].status) == ("plan", "open")
    sent = server.requests[-1]
    expected = base64.b64encode(b"ada@example.com:pat-secret").decode()
    assert sent.headers["Authorization"] == f"Basic {expected}"
    assert sent.query["jql"] == "project = OPS"


def test_api_import_is_idempotent_and_dry_run_writes_nothing(env: Env,
                                                             server: ApiServer) -> None:
    serve_v2(server)
    result = run(env, server, "--dry-run")
    assert result.exit_code == 0, result.output
    assert jira_entries(env) == {}
    assert run(env, server).exit_code == 0
    summary = json.loads(run(env, server, "--json").stdout)
    assert (summary["new"], summary["unchanged"]) == (0, 4)


def test_rate_limit_beyond_max_wait_stops_cleanly(env: Env, server: ApiServer) -> None:
    serve_v2(server, second=Reply({"errorMessages": ["Rate limit exceeded."]}, status=429,
                                  headers={"Retry-After": "900"}))
    result = run(env, server)
    assert result.exit_code == 2
    assert "Jira rate limit reached; it resets in 15 min" in result.output
    assert jira_entries(env) == {}


def test_malformed_page_is_refused_and_nothing_written(env: Env, server: ApiServer) -> None:
    serve_v2(server, second=Reply({"startAt": 2, "total": 3, "issues": "oops"}))
    result = run(env, server)
    assert result.exit_code == 2
    assert "/rest/api/2/search: malformed response from Jira" in result.output
    assert jira_entries(env) == {}


def test_missing_site_or_credentials(env: Env, server: ApiServer,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    result = invoke(env, "import", "jira")
    assert result.exit_code == 2 and "no Jira site: pass --url" in result.output
    monkeypatch.delenv("JIRA_TOKEN")
    result = run(env, server)
    assert result.exit_code == 2 and "no Jira credentials" in result.output


# --- the issue navigator's CSV export -----------------------------------------------------


def test_csv_export_keeps_type_epic_points_priority(env: Env) -> None:
    result = invoke(env, "import", "jira", str(EXPORT), "--since", "2026-01-01")
    assert result.exit_code == 0, result.output
    entries = jira_entries(env)
    assert set(entries) == {"SHOP-101", "SHOP-117", "SHOP-120", "OPS-7", "SHOP-130"}
    story = entries["SHOP-101"]
    assert (str(story.date), str(story.end_date)) == ("2026-03-02", "2026-03-14")
    for fact in ("story points: 5", "epic: SHOP-90", "priority: High",
                 "labels: performance, checkout", "Now cached for 60 s."):
        assert fact in story.details
    assert entries["SHOP-117"].kind == "incident"
    assert entries["OPS-7"].kind == "incident"
    assert entries["SHOP-120"].kind == "prevention"
    assert entries["SHOP-130"].kind == "plan"
    again = invoke(env, "import", "jira", str(EXPORT), "--since", "2026-01-01", "--json")
    assert json.loads(again.stdout)["new"] == 0


def test_csv_export_names_the_parent_not_its_numeric_id(env: Env, tmp_path: Path) -> None:
    """Newer exports give the parent's id in `Parent` and its name in `Parent summary`; a
    task's parent is its epic, as the API import says."""
    export = tmp_path / "team.csv"
    export.write_text(
        "Summary,Issue key,Issue id,Issue Type,Status,Created,Resolved,Parent,Parent summary\n"
        "Write runbook,SHOP-103,10103,Task,Done,20/Oct/25 11:00 AM,21/Oct/25 9:00 AM,"
        "10001,Checkout epic\n"
        "Tidy alerts,SHOP-104,10104,Task,Done,20/Oct/25 11:00 AM,22/Oct/25 9:00 AM,10001,\n",
        encoding="utf-8")
    result = invoke(env, "import", "jira", str(export), "--since", "2025-01-01")
    assert result.exit_code == 0, result.output
    assert "note: no links back to Jira: pass --url" in result.output  # nor a site to link to
    entries = jira_entries(env)
    assert "epic: Checkout epic" in entries["SHOP-103"].details
    assert "parent:" not in entries["SHOP-103"].details
    assert "10001" not in entries["SHOP-103"].details + entries["SHOP-104"].details
    linked = invoke(env, "import", "jira", str(export), "--since", "2025-01-01",
                    "--url", "https://acme.atlassian.net")
    assert "note:" not in linked.output
    assert jira_entries(env)["SHOP-103"].links == ["https://acme.atlassian.net/browse/SHOP-103"]


def test_csv_epics_and_parents_are_named_from_the_export_itself(env: Env,
                                                                 tmp_path: Path) -> None:
    export = tmp_path / "server.csv"
    export.write_text(
        "Summary,Issue key,Issue id,Issue Type,Created,Resolved,Parent id,Parent summary,"
        "Custom field (Epic Link)\n"
        "Faster checkout,SHOP-90,10090,Epic,01/Mar/26 9:00 AM,,,,\n"
        "Cache prices,SHOP-101,10101,Story,02/Mar/26 9:00 AM,14/Mar/26 3:00 PM,,,SHOP-90\n"
        "Write the runbook,SHOP-102,10102,Sub-task,03/Mar/26 9:00 AM,04/Mar/26 9:00 AM,"
        "10101,Cache prices,\n"
        "Check the TTL,SHOP-103,10103,Subtask,03/Mar/26 9:00 AM,05/Mar/26 9:00 AM,30001,"
        "Old story,\n"
        "Retire the cron,SHOP-104,10104,Task,03/Mar/26 9:00 AM,06/Mar/26 9:00 AM,,,OPS-3\n"
        "Plan Q2,SHOP-105,10105,Epic,03/Mar/26 9:00 AM,07/Mar/26 9:00 AM,20001,Growth,\n"
        "Pair on it,SHOP-106,10106,Checklist item,03/Mar/26 9:00 AM,08/Mar/26 9:00 AM,10101,"
        "Cache prices,\n",
        encoding="utf-8")
    result = invoke(env, "import", "jira", str(export), "--since", "2026-01-01")
    assert result.exit_code == 0, result.output
    details = {key: entry.details for key, entry in jira_entries(env).items()}
    assert "epic: Faster checkout" in details["SHOP-101"]  # the Epic Link key, by its row
    assert "epic: OPS-3" in details["SHOP-104"]  # not in the export: its key
    # a sub-task's parent is its story; so is that of a sub-task type of another name,
    # told by the parent's own row
    for sub_task, story in (("SHOP-102", "Cache prices"), ("SHOP-103", "Old story"),
                            ("SHOP-106", "Cache prices")):
        assert f"parent: {story}" in details[sub_task], details[sub_task]
        assert "epic:" not in details[sub_task]
    assert "parent: Growth" in details["SHOP-105"]  # an epic's parent is above it
    assert "epic:" not in details["SHOP-105"]


def test_csv_bad_row_names_file_and_line(env: Env, tmp_path: Path) -> None:
    lines = EXPORT.read_text(encoding="utf-8").splitlines()
    lines[4] = lines[4].replace("20/Mar/26 11:02 PM", "someday")
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = invoke(env, "import", "jira", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:5: SHOP-117: not a date: 'someday'" in result.output
    assert jira_entries(env) == {}
    result = invoke(env, "import", "jira", str(bad), "--skip-bad")
    assert result.exit_code == 0 and len(jira_entries(env)) == 5


def test_csv_dates_with_two_digit_years_read_in_the_files_order(env: Env,
                                                                tmp_path: Path) -> None:
    """Jira's dd/MM/yy h:mm a: a day over 12 tells the order; none asks with %y."""
    header = "Summary,Issue key,Issue Type,Status,Created,Resolved\n"
    export = tmp_path / "yy.csv"
    export.write_text(header + "Cache prices,X-1,Task,Done,28/06/24 9:26 AM,29/06/24 9:26 AM\n"
                      "Tidy alerts,X-2,Task,Done,03/07/24 9:26 AM,04/07/24 9:26 AM\n")
    result = invoke(env, "import", "jira", str(export), "--since", "2024-01-01")
    assert result.exit_code == 0, result.output
    days = {key: (str(e.date), str(e.end_date)) for key, e in jira_entries(env).items()}
    assert days == {"X-1": ("2024-06-28", "2024-06-29"), "X-2": ("2024-07-03", "2024-07-04")}
    unclear = tmp_path / "unclear.csv"
    unclear.write_text(header + "Write runbook,X-3,Task,Done,08/06/24 9:26 AM,09/06/24 9:26 AM\n")
    result = invoke(env, "import", "jira", str(unclear), "--since", "2024-01-01")
    assert result.exit_code == 2
    assert "pass --date-format %d/%m/%y or --date-format %m/%d/%y" in result.output


def test_a_csv_that_is_not_a_jira_export(env: Env, tmp_path: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_text("name,size\nx,1\n")
    result = invoke(env, "import", "jira", str(other))
    assert result.exit_code == 2
    assert (f"{other}:1: not a Jira CSV export: no 'Issue key' and 'Summary' columns in a "
            "language levelup reads; the header is: name, size") in result.output


JIRA_HEADER = "Summary,Issue key,Issue Type,Status,Created,Resolved\n"


def spans(env: Env) -> dict[str, tuple[str, str | None]]:
    return {key: (str(e.date), e.end_date and str(e.end_date))
            for key, e in jira_entries(env).items()}


def test_csv_numeric_dates_read_one_way_for_the_whole_file(env: Env, tmp_path: Path) -> None:
    """A day over 12 anywhere (here 14/03) tells the file is day first; dots are day first."""
    export = tmp_path / "uk.csv"
    export.write_text(JIRA_HEADER + "A,UK-1,Story,Done,01/03/2026 09:00,03/04/2026 17:00\n"
                      "B,UK-2,Story,Done,10/03/2026 09:00,14/03/2026 17:00\n"
                      "C,UK-3,Story,Done,01.03.2026 09:00,03.04.2026 17:00\n", encoding="utf-8")
    result = invoke(env, "import", "jira", str(export), "--since", "2026-01-01")
    assert result.exit_code == 0, result.output
    assert spans(env) == {"UK-1": ("2026-03-01", "2026-04-03"),
                          "UK-2": ("2026-03-10", "2026-03-14"),
                          "UK-3": ("2026-03-01", "2026-04-03")}


def test_csv_numeric_dates_that_cannot_tell_need_a_date_format(env: Env,
                                                               tmp_path: Path) -> None:
    vague = tmp_path / "vague.csv"
    vague.write_text(JIRA_HEADER + "A,UK-1,Story,Done,01/03/2026 09:00,03/04/2026 17:00\n",
                     encoding="utf-8")
    result = invoke(env, "import", "jira", str(vague), "--since", "2026-01-01")
    assert result.exit_code == 2
    assert (f"{vague}:2: cannot tell whether '01/03/2026 09:00' in column 'Created' is day or "
            "month first") in result.output and "--date-format %d/%m/%Y" in result.output
    assert len(result.output.strip().splitlines()) == 1 and jira_entries(env) == {}
    result = invoke(env, "import", "jira", str(vague), "--since", "2026-01-01",
                    "--date-format", "%m/%d/%Y %H:%M")
    assert result.exit_code == 0, result.output
    assert spans(env) == {"UK-1": ("2026-01-03", "2026-03-04")}
    mixed = tmp_path / "mixed.csv"
    mixed.write_text(JIRA_HEADER + "A,UK-1,Story,Done,13/03/2026 09:00,\n"
                     "B,UK-2,Story,Done,03/14/2026 09:00,\n", encoding="utf-8")
    result = invoke(env, "import", "jira", str(mixed))
    assert result.exit_code == 2
    assert f"{mixed}:3: this file has dates day first ('13/03/2026 09:00')" in result.output


def test_an_issue_resolved_before_it_was_created_is_dated_by_its_resolution(
    env: Env, tmp_path: Path, server: ApiServer
) -> None:
    """Migrated issues carry the migration as their creation: the resolution is the work."""
    export = tmp_path / "reversed.csv"
    export.write_text(JIRA_HEADER + "A,UK-1,Story,Done,2026-03-05 09:00,2026-03-01 17:00\n"
                      "B,UK-2,Story,Done,2026-03-05 09:00,2026-03-06 17:00\n", encoding="utf-8")
    result = invoke(env, "import", "jira", str(export))
    assert result.exit_code == 0, result.output
    dates = {key: (e.date, e.end_date) for key, e in jira_entries(env).items()}
    assert dates == {"UK-1": (date(2026, 3, 1), None),
                     "UK-2": (date(2026, 3, 5), date(2026, 3, 6))}
    server.add("/rest/api/2/field", FIELDS)
    server.add("/rest/api/2/search", v2_page([
        issue("OPS-1", "Migrated", "Task", resolved="2026-02-20T10:00:00.000+0000")], 0, 1))
    result = run(env, server)
    assert result.exit_code == 0, result.output
    migrated = jira_entries(env)["OPS-1"]
    assert (migrated.date, migrated.end_date) == (date(2026, 2, 20), None)


def test_help_names_the_environment_variables(env: Env) -> None:
    result = invoke(env, "import", "jira", "--help")
    assert result.exit_code == 0
    for name in ("JIRA_EMAIL", "JIRA_TOKEN", "JIRA_URL", "--date-format"):
        assert name in result.output


def test_either_of_a_cloud_sites_two_story_point_fields_is_read(
    env: Env, server: ApiServer
) -> None:
    """Company-managed projects fill "Story point estimate", team-managed "Story Points"."""
    server.add("/rest/api/2/field", [*FIELDS, {"id": "customfield_10026", "name": "Story Points",
                                               "custom": True}])
    team = issue("TM-2", "Team-managed story", "Story", resolved="2026-03-20T10:00:00.000+0000")
    team["fields"]["customfield_10026"] = 8
    server.add("/rest/api/2/search", v2_page([
        issue("CM-1", "Company-managed story", "Story", resolved="2026-03-19T10:00:00.000+0000",
              points=3), team], 0, 2))
    result = run(env, server)
    assert result.exit_code == 0, result.output
    entries = jira_entries(env)
    assert "story points: 3" in entries["CM-1"].details
    assert "story points: 8" in entries["TM-2"].details
    fields = server.requests[-1].query["fields"].split(",")
    assert {"customfield_10016", "customfield_10026"} <= set(fields)
