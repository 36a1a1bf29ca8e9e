"""`levelup import jira` at the edges of what Jira sends: v3 pages without `isLast`, and
CSV cells longer than Python's csv module reads by default."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from levelup.cli.common import Env
from levelup.store.entries import list_entries
from tests.conftest import invoke
from tests.utils.api_server import ApiServer, Reply

EXPORT = Path(__file__).parent / "fixtures" / "jira" / "export.csv"
CSV_DEFAULT_LIMIT = 131_072  # Python's csv.field_size_limit() out of the box


@pytest.fixture(autouse=True)
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIRA_EMAIL", "ada@example.com")
    monkeypatch.setenv("JIRA_TOKEN", "api-token")


@pytest.fixture
def server() -> Iterator[ApiServer]:
    with ApiServer().running() as api:
        yield api


@pytest.fixture
def default_csv_limit() -> Iterator[None]:
    """The csv module as a fresh process has it (the limit is process-wide)."""
    before = csv.field_size_limit(CSV_DEFAULT_LIMIT)
    yield
    csv.field_size_limit(before)


def keys(env: Env) -> set[str]:
    with env.ctx.read() as conn:
        return {e.source_id or "" for e in list_entries(conn, source="jira")}


def issue(n: int) -> dict[str, Any]:
    return {"id": str(1000 + n), "key": f"SHOP-{n}", "fields": {
        "summary": f"Issue {n}", "issuetype": {"name": "Story"}, "status": {"name": "Done"},
        "resolution": {"name": "Done"}, "created": f"2026-02-{n:02d}T09:00:00.000+0000",
        "resolutiondate": f"2026-03-{n:02d}T15:00:00.000+0000"}}


def pages_without_is_last(tokens: list[str]) -> Any:
    """/rest/api/3/search/jql over 7 issues, 3 a page, each page but the last naming the
    next by ``tokens``, and none saying ``isLast``."""
    issues = [issue(n) for n in range(1, 8)]

    def answer(query: dict[str, str]) -> Reply:
        page = tokens.index(query["nextPageToken"]) + 1 if "nextPageToken" in query else 0
        body: dict[str, Any] = {"issues": issues[page * 3:page * 3 + 3]}
        if page * 3 + 3 < len(issues):
            body["nextPageToken"] = tokens[page]
        return Reply(body)

    return answer


def run(env: Env, server: ApiServer) -> Any:
    return invoke(env, "import", "jira", "--url", server.url, "--api-version", "3",
                  "--since", "2026-01-01")


def test_v3_pages_on_while_there_is_a_next_page_token(env: Env, server: ApiServer) -> None:
    server.add("/rest/api/3/field", [])
    server.answer("/rest/api/3/search/jql", pages_without_is_last(["Cg3", "Cg6"]))
    result = run(env, server)
    assert result.exit_code == 0, result.output
    assert keys(env) == {f"SHOP-{n}" for n in range(1, 8)}
    asked = [r.query.get("nextPageToken") for r in server.requests if r.path.endswith("/jql")]
    assert asked == [None, "Cg3", "Cg6"]


def test_v3_the_same_page_token_twice_stops_with_an_error(env: Env,
                                                          server: ApiServer) -> None:
    server.add("/rest/api/3/field", [])
    server.answer("/rest/api/3/search/jql", pages_without_is_last(["Cg3", "Cg3"]))
    result = run(env, server)
    assert result.exit_code == 2
    assert ("/rest/api/3/search/jql: malformed response from Jira: the same nextPageToken "
            "twice") in result.output
    assert keys(env) == set()


def long_description_export(tmp_path: Path) -> tuple[Path, int]:
    """The export with SHOP-101's description a pasted log of 150,000 characters on many
    lines, and the line where the row after it begins."""
    log = "\n".join(f"2026-03-14 15:42:{n % 60:02d} ERROR price cache miss {n:06d}"
                    for n in range(3_100))
    assert len(log) > 150_000
    text = EXPORT.read_text(encoding="utf-8").replace(
        "Prices were fetched on every page view.\n\nNow cached for 60 s.", log)
    path = tmp_path / "long.csv"
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    return path, next(n for n, line in enumerate(lines, 1) if line.startswith("Checkout "))


def test_csv_a_cell_longer_than_csvs_default_limit_is_read(
        env: Env, tmp_path: Path, default_csv_limit: None) -> None:
    path, next_row = long_description_export(tmp_path)
    result = invoke(env, "import", "jira", str(path), "--since", "2026-01-01")
    assert result.exit_code == 0, result.output
    assert keys(env) == {"SHOP-101", "SHOP-117", "SHOP-120", "OPS-7", "SHOP-130"}
    bad = tmp_path / "bad.csv"  # the rows after the long cell keep their own line numbers
    bad.write_text(path.read_text(encoding="utf-8").replace("20/Mar/26 11:02 PM", "someday"),
                   encoding="utf-8")
    result = invoke(env, "import", "jira", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:{next_row}: SHOP-117: not a date: 'someday'" in result.output


def test_csv_a_row_csv_cannot_read_is_named_by_its_first_line(
        env: Env, tmp_path: Path, default_csv_limit: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from levelup.importers import jira_csv

    monkeypatch.setattr(jira_csv, "FIELD_LIMIT", 1000)  # the limit stays csv's default
    path, _ = long_description_export(tmp_path)
    result = invoke(env, "import", "jira", str(path))
    assert result.exit_code == 2
    assert f"{path}:2: not valid CSV: field larger than field limit" in result.output
    assert keys(env) == set()
