"""The web app in a real browser: Debian's Chromium (Playwright) against `levelup serve`.

Skipped only where no `chromium` is installed and CI is not set; in CI a missing Chromium
is a failure (`.ci/run` installs it). Each page visited is saved as a screenshot under
tests/artifacts/ (look at them). A new page joins `test_every_page_in_the_nav_bar_opens`
by being in the navigation bar, or gets its own test with the `page` fixture and `shot`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser_support import (
    ARTIFACTS,
    Server,
    build_ledger,
    chromium_args,
    chromium_path,
    serving,
)

CHROMIUM = chromium_path()
if CHROMIUM is None:
    if os.environ.get("CI"):
        pytest.fail("Chromium is required in CI (apt-get install chromium)", pytrace=False)
    pytest.skip("no chromium installed (apt-get install chromium)", allow_module_level=True)

from playwright.sync_api import (  # noqa: E402  (only where a browser can run)
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    expect,
    sync_playwright,
)

pytestmark = pytest.mark.browser
TIMEOUT_MS = 15_000
LEDGER = [
    ("init", "--name", "Ada", "--level", "L3", "--target", "L4", "--manager", "Grace"),
    ("stakeholder", "add", "Linus", "--relation", "skip-level", "--decision-maker"),
    ("log", "Cut p99 checkout latency 900ms to 250ms", "--project", "checkout",
     "--outcome", "sla", "--competency", "craft"),
    ("log", "Helped Marcus debug the queue", "--kind", "invisible"),
    ("log", "Migrated billing to the new queue", "--date", "60 days ago"),
    ("log", "Wrote the rollout doc for the kafka upgrade", "--date", "3 days ago"),
    ("plan", "add", "Write the rollout doc"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    home = tmp_path_factory.mktemp("browser") / "home"
    build_ledger(home, LEDGER)
    with serving(home) as running:
        yield running


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    launched = playwright.chromium.launch(executable_path=CHROMIUM, args=chromium_args())
    yield launched
    launched.close()


@pytest.fixture(scope="module")
def signed_in(browser: Browser, server: Server) -> dict[str, Any]:
    """Signs in once through the printed URL; the session cookie, for every later context."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(server.signin, timeout=TIMEOUT_MS)
    expect(page).to_have_url(f"{server.base}/")
    expect(page.locator("h1")).to_have_text("Dashboard")
    shot(page, "signed-in-dashboard")
    state: dict[str, Any] = dict(context.storage_state())
    cookie = next(c for c in state["cookies"] if c["domain"] == "127.0.0.1")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    again = context.new_page()  # the printed URL works once
    answer = again.goto(server.signin, timeout=TIMEOUT_MS)
    assert answer is not None and answer.status == 403
    context.close()
    return state


def open_context(browser: Browser, state: dict[str, Any], **options: Any) -> BrowserContext:
    context = browser.new_context(storage_state=state, viewport={"width": 1200, "height": 800},
                                  **options)
    context.set_default_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def page(browser: Browser, signed_in: dict[str, Any], server: Server) -> Iterator[Page]:
    """A signed-in page; fails the test on any script error or console error (a CSP
    violation is one)."""
    context = open_context(browser, signed_in, base_url=server.base)
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda error: problems.append(str(error)))

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(message.text)

    tab.on("console", on_console)
    yield tab
    context.close()
    assert not problems, problems


def shot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^a-z0-9-]+', '-', name.lower())}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def visit(page: Page, path: str, name: str) -> Page:
    answer = page.goto(path)
    assert answer is not None and answer.ok, (path, answer and answer.status)
    shot(page, name)
    return page


def test_without_a_session_a_page_asks_to_sign_in(browser: Browser, server: Server) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{server.base}/ledger", timeout=TIMEOUT_MS)
    expect(page).to_have_url(re.compile(r"/signin"))
    expect(page.locator("body")).not_to_contain_text("Cut p99")
    shot(page, "signin-needed")
    context.close()


def test_every_page_in_the_nav_bar_opens(page: Page) -> None:
    visit(page, "/", "dashboard")
    links = page.locator("nav a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert {"/", "/ledger", "/readiness"} <= set(hrefs)
    for href in hrefs:
        assert href is not None
        page.goto("/")
        with page.expect_navigation() as navigated:
            page.locator(f'nav a[href="{href}"]').click()
        answer = navigated.value
        assert answer is not None and answer.ok, (href, answer and answer.status)
        expect(page.locator(f'nav a[href="{href}"]')).to_have_attribute("aria-current", "page")
        expect(page.locator("main h1").first).to_be_visible()
        shot(page, f"nav-{href.strip('/') or 'dashboard'}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{href} is {overflow} px wider than the window"


def test_the_dashboard_shows_this_week_and_readiness(page: Page) -> None:
    visit(page, "/", "dashboard-week")
    week = page.locator("section.week")
    expect(week).to_contain_text("Cut p99 checkout latency")
    expect(week).to_contain_text("Helped Marcus debug the queue")
    expect(week).to_contain_text("Write the rollout doc")
    expect(page.locator("section.readiness")).to_contain_text("Readiness for L4")


def test_capture_shows_coach_hints_then_labels_are_confirmed(page: Page) -> None:
    visit(page, "/ledger", "ledger")
    title = page.locator('input[name="title"]')
    title.press_sequentially("Fixed the flaky deploy", delay=10)
    coach = page.locator("#coach")
    expect(coach).to_contain_text("Tip: Add a number that shows the effect")
    shot(page, "ledger-coach-hint")
    title.fill("Shipped retries for checkout payments, cutting failed orders 4% to 1%")
    page.locator('input[name="metrics"]').fill("failed orders: 4 -> 1 %")
    page.get_by_role("button", name="Log it").click()
    expect(page).to_have_url(re.compile(r"/entries/\d+\?logged=1$"))
    expect(page.locator(".notice")).to_contain_text("Logged #")
    expect(page.locator("main")).to_contain_text("failed orders: 4.0 → 1.0 %")
    suggested = page.locator(".label.suggested")
    assert suggested.count() > 0, "the classifier suggested no label"
    labels = page.locator(".label").all_inner_texts()
    shot(page, "entry-logged")
    page.get_by_role("button", name="Confirm the suggested labels").click()
    expect(page.locator(".label.suggested")).to_have_count(0)
    assert page.locator(".label").all_inner_texts() == labels
    expect(page.get_by_role("button", name="Confirm the suggested labels")).to_have_count(0)
    shot(page, "entry-confirmed")


def test_search_as_you_type_narrows_the_timeline(page: Page) -> None:
    visit(page, "/ledger", "ledger-before-search")
    results = page.locator("#results")
    expect(results).to_contain_text("Migrated billing")
    page.locator('input[name="q"]').press_sequentially("kafka", delay=20)
    expect(page.locator("#results")).not_to_contain_text("Migrated billing")
    expect(page.locator("#results")).to_contain_text("kafka upgrade")
    assert "q=" not in page.url  # narrowed in place, not by submitting the form
    shot(page, "ledger-search-as-you-type")


def test_readiness_shows_competencies_factors_and_actions(page: Page) -> None:
    visit(page, "/readiness", "readiness")
    expect(page.locator("h1")).to_have_text("Readiness for L4")
    expect(page.locator("table").first).to_contain_text("craft")
    expect(page.locator("ol.actions li").first).to_be_visible()


def test_telling_a_stakeholder_shows_who_heard(page: Page) -> None:
    visit(page, "/ledger", "ledger-for-tell")
    page.get_by_role("link", name="Migrated billing to the new queue").click()
    expect(page.locator("h1")).to_have_text("Migrated billing to the new queue")
    heard = page.locator("ul.heard")
    expect(heard).to_have_text("Nobody yet.")
    shot(page, "entry-before-tell")
    page.locator('select[name="stakeholder"]').select_option("Linus")
    page.locator('select[name="channel"]').select_option("demo")
    page.locator('input[name="note"]').fill("at the sprint demo")
    page.get_by_role("button", name="Record").click()
    heard_when = r"^Linus \(decision maker\), \d{4}-\d\d-\d\d, through demo$"
    expect(heard).to_have_text(re.compile(heard_when))
    shot(page, "entry-after-tell")


def test_an_entry_is_deleted_after_confirming(page: Page) -> None:
    visit(page, "/ledger", "ledger-for-delete")
    page.get_by_role("link", name="Helped Marcus debug the queue").click()
    page.get_by_role("link", name="Delete this entry…").click()
    shot(page, "entry-delete-confirm")
    page.locator("main form button").click()
    expect(page).to_have_url(re.compile(r"/ledger$"))
    expect(page.locator("#results")).not_to_contain_text("Helped Marcus")
    shot(page, "ledger-after-delete")


def test_the_capture_form_works_without_javascript(
    browser: Browser, signed_in: dict[str, Any], server: Server
) -> None:
    context = open_context(browser, signed_in, base_url=server.base, java_script_enabled=False)
    page = context.new_page()
    try:
        visit(page, "/ledger", "nojs-ledger")
        page.locator('input[name="title"]').fill("Rotated the TLS certificates")
        page.locator('input[name="date"]').fill("notaday")
        page.get_by_role("button", name="Log it").click()
        expect(page.locator("#date-error")).to_be_visible()
        expect(page.locator('input[name="title"]')).to_have_value("Rotated the TLS certificates")
        shot(page, "nojs-bad-date")
        page.locator('input[name="date"]').fill("yesterday")
        page.get_by_role("button", name="Log it").click()
        expect(page).to_have_url(re.compile(r"/entries/\d+\?logged=1$"))
        expect(page.locator("h1")).to_have_text("Rotated the TLS certificates")
        expect(page.locator(".tip").first).to_contain_text("Tip:")  # the coach, server-side
        shot(page, "nojs-entry-logged")
        page.goto("/ledger?q=certificates")
        expect(page.locator("#results")).to_contain_text("Rotated the TLS certificates")
        shot(page, "nojs-ledger-search")
    finally:
        context.close()


def test_the_packet_is_previewed_and_its_pdf_downloaded(page: Page) -> None:
    visit(page, "/reports?kind=packet&since=last+year", "reports-packet")
    preview = page.frame_locator("iframe.report").locator("body")
    expect(preview).to_contain_text("Cut p99 checkout latency")
    shot(page, "reports-packet-preview")
    with page.expect_download() as downloading:
        page.locator("p.downloads a", has_text="pdf").click()
    saved = Path(downloading.value.path())
    assert saved.read_bytes().startswith(b"%PDF"), saved.read_bytes()[:40]


def test_a_csv_is_imported_after_its_dry_run(page: Page, tmp_path: Path) -> None:
    day = (dt.date.today() - dt.timedelta(days=2)).isoformat()
    upload = tmp_path / "work.csv"
    upload.write_text(f"title,date\nRebuilt the search indexer,{day}\n"
                      f"Documented the paging runbook,{day}\n")
    visit(page, "/import", "import-form")
    page.locator('select[name="source"]').select_option("csv")
    page.locator('input[name="file"]').set_input_files(str(upload))
    page.get_by_role("button", name="Show what it would import").click()
    expect(page.locator(".dry-run")).to_contain_text("Nothing has been written")
    expect(page.locator('td[data-count="new"]')).to_have_text("2")
    shot(page, "import-csv-dry-run")
    ledger = page.context.new_page()  # nothing is written by the dry run
    ledger.goto("/ledger?since=last+month")
    expect(ledger.locator("#results")).to_contain_text("Cut p99 checkout latency")
    expect(ledger.locator("#results")).not_to_contain_text("Rebuilt the search indexer")
    ledger.close()
    page.get_by_role("button", name="Import it").click()
    expect(page.locator("h1")).to_contain_text("Imported")
    expect(page.locator('td[data-count="new"]')).to_have_text("2")
    shot(page, "import-csv-done")
    visit(page, "/ledger?since=last+month", "import-csv-ledger")
    expect(page.locator("#results")).to_contain_text("Rebuilt the search indexer")
    expect(page.locator("#results")).to_contain_text("Documented the paging runbook")


def test_a_story_field_is_edited_through_the_form(page: Page) -> None:
    visit(page, "/ledger", "ledger-for-edit")
    page.get_by_role("link", name="Wrote the rollout doc for the kafka upgrade").click()
    page.get_by_role("link", name="Edit this entry").click()
    shot(page, "entry-edit-form")
    page.locator('textarea[name="did"]').fill("I wrote the upgrade plan and ran the dry run")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/entries/\d+\?saved=1$"))
    expect(page.locator("dl.story")).to_contain_text("I wrote the upgrade plan and ran the dry run")
    shot(page, "entry-edited")
