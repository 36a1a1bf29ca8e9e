"""End to end through real processes: `levelup server run` (two workers) on PostgreSQL, an
admin adding people, an engineer's `levelup share` from their own ledger, the manager reading it,
`share log` showing the look, and `share revoke` making it 404 at once."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import httpx
import pytest

from levelup.cli.common import Env
from tests.browser_support import LEVELUP, START_SECONDS, free_port, stop
from tests.browser_support import _wait_until_answering as wait_until_answering
from tests.conftest import invoke

pytestmark = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)


def test_share_from_the_cli_to_a_running_server(env: Env, db_url: str, tmp_path: Path) -> None:
    admin = ("--db", db_url)
    assert invoke(env, "server", "user", "add", "bob@example.com", "--name", "Bob",
                  "--role", "manager", *admin).exit_code == 0
    assert invoke(env, "server", "user", "add", "ann@example.com", "--name", "Ann",
                  *admin).exit_code == 0
    ann_token = invoke(env, "server", "token", "create", "--user", "ann@example.com",
                       *admin).stdout.strip()
    bob_token = invoke(env, "server", "token", "create", "--user", "bob@example.com",
                       *admin).stdout.strip()
    for args in (("init", "--name", "Ann", "--level", "L3", "--target", "L4"),
                 ("log", "Cut checkout p99 900ms -> 250ms", "--date", "2026-11-02", "-c",
                  "delivery"),
                 ("log", "Notes to self", "--date", "2026-11-03", "-c", "mentoring")):
        assert invoke(env, *args).exit_code == 0

    port = free_port()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("LEVELUP_")}
    process = subprocess.Popen(
        [str(LEVELUP), "server", "run", "--port", str(port), "--workers", "2", "--db", db_url],
        env=environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(base, process, START_SECONDS)
        remote = ("--server", base, "--token", ann_token)
        preview = invoke(env, "share", "--with", "bob@example.com", "--competency", "delivery",
                         "--dry-run")
        assert preview.exit_code == 0 and "Cut checkout p99" in preview.stderr
        assert "Notes to self" not in preview.stderr
        sent = invoke(env, "share", "--with", "bob@example.com", "--competency", "delivery",
                      "--message", "for my case", "--yes", "--json", *remote)
        assert sent.exit_code == 0, sent.output
        share = json.loads(sent.stdout)["id"]
        bob = {"Authorization": f"Bearer {bob_token}"}
        seen = httpx.get(f"{base}/api/v1/shares/{share}", headers=bob)
        assert seen.status_code == 200 and "Cut checkout p99" in seen.text
        assert "Notes to self" not in seen.text
        listed = json.loads(invoke(env, "share", "list", "--json", *remote).stdout)
        assert [(s["id"], s["with"], s["live"]) for s in listed] == [
            (share, "bob@example.com", True)]
        entry_uid = seen.json()["entries"][0]["uid"]
        feedback = httpx.post(f"{base}/api/v1/shares/{share}/feedback", headers=bob, json={
            "text": "Your latency work convinced the on-call review", "polarity": "positive",
            "competency": "delivery", "entries": [entry_uid]})
        assert feedback.status_code == 201, feedback.text
        shown = httpx.post(f"{base}/api/v1/shares/{share}/presented", headers=bob, json={
            "person": "Grace Hopper", "relation": "skip-level", "entries": [entry_uid]})
        assert shown.status_code == 201, shown.text
        ann = {"Authorization": f"Bearer {ann_token}"}
        assert httpx.post(f"{base}/api/v1/shares/{share}/feedback", headers=ann, json={
            "text": "I am great", "polarity": "positive"}).status_code == 404
        before = json.loads(invoke(env, "readiness", "--json").stdout)
        pulled = invoke(env, "pull", "--json", *remote)
        assert pulled.exit_code == 0, pulled.output
        assert json.loads(pulled.stdout) == {"feedback": 1, "stakeholders": 1, "visibility": 1}
        again = invoke(env, "pull", "--json", *remote)
        assert json.loads(again.stdout) == {}
        given = json.loads(invoke(env, "feedback", "list", "--json").stdout)
        assert [(f["giver"], f["text"]) for f in given] == [
            ("Bob", "Your latency work convinced the on-call review")]
        after = json.loads(invoke(env, "readiness", "--json").stdout)
        seen_by = {f["id"]: f for f in after["factors"]}["visibility"]
        assert seen_by != {f["id"]: f for f in before["factors"]}["visibility"]
        assert seen_by["status"] == "met" and seen_by["evidence"] == [1]
        heard = json.loads(invoke(env, "show", "1", "--json").stdout)["heard_by"]
        assert "Grace Hopper" in json.dumps(heard)
        log = invoke(env, "share", "log", share, *remote)
        assert log.exit_code == 0 and "Bob <bob@example.com>" in log.stdout
        gone = invoke(env, "share", "revoke", share, *remote)
        assert gone.exit_code == 0 and "revoked share" in gone.stdout
        assert httpx.get(f"{base}/api/v1/shares/{share}", headers=bob).status_code == 404
        refused = invoke(env, "share", "list", "--server", base, "--token", "lvl_wrong")
        assert refused.exit_code != 0 and "refused the token" in refused.stderr
        assert "lvl_wrong" not in refused.output
    finally:
        stop(process)
