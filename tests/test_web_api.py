"""The JSON API: the shapes of the CLI's --json, readiness, and bearer tokens for scripts."""

from __future__ import annotations

import json

from levelup.cli.common import Env
from tests.conftest import invoke
from tests.web_support import client_for, small_ledger


def _cli_json(env: Env, *args: str) -> object:
    result = invoke(env, *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_get_entries_has_the_shape_of_list_json(env: Env) -> None:
    small_ledger(env)
    client, _ = client_for(env)
    answer = client.get("/api/v1/entries", params={"since": "last month", "kind": "win"})
    assert answer.status_code == 200
    assert answer.json() == {"entries": _cli_json(env, "list", "--since", "last month",
                                                  "--kind", "win")}
    found = client.get("/api/v1/entries", params={"q": "queue"}).json()
    assert found == {"entries": _cli_json(env, "search", "queue")}


def test_post_entries_stores_what_log_json_prints(env: Env) -> None:
    small_ledger(env)
    client, guard = client_for(env, signed_in=False)
    token = invoke(env, "token", "create", "script").stdout.strip()
    auth = {"Authorization": f"Bearer {token}"}
    answer = client.post("/api/v1/entries", headers=auth, json={
        "title": "Shipped retries @payments", "date": "2026-11-17", "outcomes": ["sla"],
        "metrics": ["errors: 40 -> 2 /day"]})
    assert answer.status_code == 201
    stored = answer.json()
    assert stored == _cli_json(env, "show", str(stored["id"])) | {"heard_by": []} or (
        {k: v for k, v in _cli_json(env, "show", str(stored["id"])).items()
         if k != "heard_by"} == stored)
    assert stored["project"] == "payments" and stored["metrics"][0]["result"] == 2


def test_bad_input_is_422_naming_the_field_and_writes_nothing(env: Env) -> None:
    small_ledger(env)
    client, _ = client_for(env, signed_in=False)
    auth = {"Authorization": f"Bearer {invoke(env, 'token', 'create', 's').stdout.strip()}"}
    before = client.get("/api/v1/entries", headers=auth).json()
    until = client.post("/api/v1/entries", headers=auth, json={
        "title": "x", "date": "2026-11-10", "until": "2026-11-01"})
    assert until.status_code == 422
    assert until.json() == {"field": "until", "message": "until 2026-11-01 is before the "
                            "entry's date 2026-11-10"}
    date = client.post("/api/v1/entries", headers=auth, json={"title": "x", "date": "nope"})
    assert date.status_code == 422 and date.json()["field"] == "date"
    metric = client.post("/api/v1/entries", headers=auth, json={"title": "x",
                                                                "metrics": ["bad"]})
    assert metric.status_code == 422 and metric.json()["field"] == "metrics"
    assert client.get("/api/v1/entries", headers=auth).json() == before


def test_readiness_has_the_shape_of_readiness_json(env: Env) -> None:
    small_ledger(env)
    client, _ = client_for(env)
    api = client.get("/api/v1/readiness").json()
    cli = _cli_json(env, "readiness")
    assert isinstance(cli, dict)
    assert {k: v for k, v in api.items() if k != "actions"} == {
        k: v for k, v in cli.items() if k != "actions"}
    assert [(a["factor"], a["step"]) for a in api["actions"]] == [
        (a["factor"], a["step"]) for a in cli["actions"]]
    assert client.get("/api/v1/docs").status_code == 200
    assert "/api/v1/entries" in client.get("/api/v1/openapi.json").json()["paths"]


def test_tokens_are_listed_and_a_revoked_token_is_401(env: Env) -> None:
    small_ledger(env)
    client, _ = client_for(env, signed_in=False)
    token = invoke(env, "token", "create", "nightly").stdout.strip()
    assert invoke(env, "token", "create", "nightly").exit_code == 2  # names are unique
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/entries", headers=auth).status_code == 200
    listed = _cli_json(env, "token", "list")
    assert [t["name"] for t in listed] == ["nightly"]  # type: ignore[union-attr]
    assert token not in invoke(env, "token", "list").output
    assert invoke(env, "token", "revoke", "nightly").exit_code == 0
    assert client.get("/api/v1/entries", headers=auth).status_code == 401
    assert client.get("/api/v1/entries",
                      headers={"Authorization": "Bearer lvl_guessed"}).status_code == 401
    assert invoke(env, "token", "revoke", "nightly").exit_code == 2
