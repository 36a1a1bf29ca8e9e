"""The team server in a real Chromium: an engineer shares from the CLI, the manager signs in
through their link, reads the share, gives feedback and records presenting it to the
skip-level; the engineer pulls and readiness counts it; the engineer revokes and the manager
gets 404; the engineer's share log shows the manager's earlier looks. Screenshots go to
tests/artifacts/team-*.png."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from levelup.cli.common import Env
from tests.browser_support import (
    ARTIFACTS,
    LEVELUP,
    START_SECONDS,
    chromium_args,
    chromium_path,
    free_port,
    stop,
)
from tests.browser_support import _wait_until_answering as wait_until_answering
from tests.conftest import invoke

CHROMIUM = chromium_path()
if CHROMIUM is None:
    if os.environ.get("CI"):
        pytest.fail("Chromium is required in CI (apt-get install chromium)", pytrace=False)
    pytest.skip("no chromium installed (apt-get install chromium)", allow_module_level=True)

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("db_url", ["postgresql"],
                                                           indirect=True)]
TIMEOUT_MS = 15_000


def _shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"team-{name}.png"), full_page=True)


def test_share_read_feedback_pull_revoke(env: Env, db_url: str, tmp_path: Path) -> None:
    admin = ("--db", db_url)
    bob_link = invoke(env, "server", "user", "add", "bob@example.com", "--name", "Bob Manager",
                      "--role", "manager", *admin).stdout.strip()
    invoke(env, "server", "user", "add", "ann@example.com", "--name", "Ann Engineer", *admin)
    token = invoke(env, "server", "token", "create", "--user", "ann@example.com",
                   *admin).stdout.strip()
    for args in (("init", "--name", "Ann", "--level", "L3", "--target", "L4"),
                 ("log", "Cut checkout p99 900ms -> 250ms", "--date", "2026-11-02", "-c",
                  "delivery")):
        assert invoke(env, *args).exit_code == 0
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    environ = {k: v for k, v in os.environ.items() if not k.startswith("LEVELUP_")}
    process = subprocess.Popen(
        [str(LEVELUP), "server", "run", "--port", str(port), "--workers", "2", "--db", db_url],
        env=environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    remote = ("--server", base, "--token", token)
    try:
        wait_until_answering(base, process, START_SECONDS)
        sent = invoke(env, "share", "--with", "bob@example.com", "--yes", "--json",
                      "--message", "Evidence for L4", *remote)
        assert sent.exit_code == 0, sent.output
        share = json.loads(sent.stdout)["id"]
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=CHROMIUM, args=chromium_args())
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.set_default_timeout(TIMEOUT_MS)
            page.goto(bob_link.replace("http://127.0.0.1:8765", base))
            expect(page).to_have_url(f"{base}/team")
            expect(page.locator("h2")).to_contain_text(["Ann Engineer"])
            expect(page.locator("body")).to_contain_text("Evidence for L4")
            _shot(page, "shared-with-me")
            page.click("text=Ann Engineer")
            expect(page.locator("body")).to_contain_text("Cut checkout p99")
            _shot(page, "share")
            feedback = page.locator("form[action$='/notes/feedback']")
            feedback.locator("textarea[name=text]").fill("The latency write-up was excellent")
            feedback.locator("input[name=entries]").first.check()
            feedback.locator("button").click()
            expect(page).to_have_url(f"{base}/shares/{share}#added")
            presented = page.locator("form[action$='/notes/presented']")
            presented.locator("input[name=person]").fill("Grace Hopper")
            presented.locator("input[name=entries]").first.check()
            presented.locator("button").click()
            pulled = invoke(env, "pull", "--json", *remote)
            assert json.loads(pulled.stdout) == {"feedback": 1, "stakeholders": 1,
                                                 "visibility": 1}
            readiness = json.loads(invoke(env, "readiness", "--json").stdout)
            visibility = {f["id"]: f for f in readiness["factors"]}["visibility"]
            assert visibility["status"] == "met"
            assert invoke(env, "share", "revoke", share, *remote).exit_code == 0
            gone = page.goto(f"{base}/shares/{share}")
            assert gone is not None and gone.status == 404
            _shot(page, "revoked")
            browser.close()
        log = invoke(env, "share", "log", share, *remote).stdout
        assert "Bob Manager <bob@example.com>  team page" in log
        assert "Bob Manager <bob@example.com>  the share" in log
    finally:
        stop(process)
