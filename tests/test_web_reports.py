"""The Reports page: each kind previewed in a sandboxed frame of our own, the private preview
toggle, downloads with the right headers (a real PDF), and sending to a stakeholder over a real
local SMTP server, which records visibility as the CLI does."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterator

import pytest

from levelup.cli.common import Env
from levelup.reports.model import KINDS
from levelup.store.records import list_visibility
from tests.conftest import invoke
from tests.test_report_send import Inbox
from tests.test_report_send import inbox as inbox  # noqa: F401 (the fixture)
from tests.web_support import client_for, csrf_of, small_ledger


@pytest.fixture
def ledger(env: Env) -> Iterator[Env]:
    small_ledger(env)
    assert invoke(env, "stakeholder", "add", "Linus", "--relation", "skip-level",
                  "--decision-maker", "--email", "linus@example.com").exit_code == 0
    yield env


def test_each_report_is_previewed_in_a_sandboxed_frame(ledger: Env) -> None:
    client, _ = client_for(ledger)
    page = client.get("/reports", params={"kind": "weekly"})
    assert page.status_code == 200
    assert '<iframe class="report"' in page.text and " sandbox " in page.text
    frame_url = html.unescape(re.search(r'sandbox src="([^"]+)"', page.text).group(1))
    frame = client.get(frame_url)
    assert frame.status_code == 200 and frame.headers["content-type"].startswith("text/html")
    assert "Cut p99 checkout latency" in frame.text  # the report's entries
    assert "Helped Marcus debug the queue" in frame.text
    policy = frame.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "sandbox" in policy and "script" not in policy
    assert frame.headers["x-frame-options"] == "SAMEORIGIN"
    assert client.get("/reports").headers["x-frame-options"] == "DENY"  # pages stay unframed
    for kind in KINDS:
        assert client.get("/reports", params={"kind": kind}).status_code == 200, kind
        assert client.get("/reports/preview", params={"kind": kind}).status_code == 200, kind


def test_the_private_preview_is_shown_only_when_asked(ledger: Env) -> None:
    client, _ = client_for(ledger)
    private = "Private preview (not in the sent version)"
    params = {"kind": "packet", "since": "last year"}
    assert private not in client.get("/reports/preview", params=params).text
    asked = client.get("/reports/preview", params={**params, "preview": "true"}).text
    assert private in asked
    page = client.get("/reports", params={**params, "preview": "true"}).text
    assert "preview=true" in page
    download = client.get("/reports/download", params={**params, "format": "html",
                                                        "preview": "true"})
    assert private not in download.text  # a file is never the private preview


def test_downloads_carry_their_type_and_a_file_name(ledger: Env) -> None:
    from pypdf import PdfReader

    client, _ = client_for(ledger)
    expected = {"md": "text/markdown", "html": "text/html", "pdf": "application/pdf",
                "eml": "message/rfc822"}
    for fmt, media in expected.items():
        answer = client.get("/reports/download", params={"kind": "weekly", "format": fmt})
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith(media)
        assert answer.headers["content-disposition"] == (
            f'attachment; filename="weekly-2026-11-20.{fmt}"')
    pdf = client.get("/reports/download", params={"kind": "weekly", "format": "pdf"})
    assert pdf.content.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Cut p99 checkout latency" in text


def test_a_bad_period_is_shown_beside_its_input(ledger: Env) -> None:
    client, _ = client_for(ledger)
    answer = client.get("/reports", params={"kind": "weekly", "since": "notaday"})
    assert answer.status_code == 422
    shown = re.search(r'id="report-since-error" role="alert">([^<]*)<', answer.text)
    cli = invoke(ledger, "report", "review", "--since", "notaday")
    assert shown is not None and cli.exit_code == 2
    assert html.unescape(shown.group(1)).split(":", 1)[1] in cli.stderr
    assert "<iframe" not in answer.text


def test_sending_mails_the_stakeholder_and_records_visibility(ledger: Env,
                                                              inbox: Inbox) -> None:
    client, _ = client_for(ledger)
    token = csrf_of(client.get("/reports").text)
    answer = client.post("/reports/send", data={"kind": "weekly", "stakeholder": "Linus",
                                                "format": "pdf", "csrf": token})
    assert answer.status_code == 200, answer.text
    assert "Sent" in answer.text and "linus@example.com" in answer.text
    [(_, rcpts, message)] = inbox.messages
    assert rcpts == ["linus@example.com"]
    assert any(part.get_content_type() == "application/pdf" for part in message.walk())
    with ledger.ctx.read() as conn:
        [event] = [e for e in list_visibility(conn) if e.stakeholder == "Linus"]
    assert event.channel == "weekly-report" and 1 in event.entry_ids
    assert "Linus (decision maker)" in client.get("/entries/1").text


def test_send_errors_are_shown_and_nothing_is_recorded(ledger: Env, inbox: Inbox) -> None:
    client, _ = client_for(ledger)
    token = csrf_of(client.get("/reports").text)
    nobody = client.post("/reports/send", data={"kind": "weekly", "csrf": token})
    assert nobody.status_code == 422 and 'id="send-stakeholder-error"' in nobody.text
    bad_to = client.post("/reports/send", data={"kind": "weekly", "stakeholder": "Linus",
                                                "to": "not-an-address", "csrf": token})
    assert bad_to.status_code == 422
    assert "is not an e-mail address" in re.search(
        r'id="send-to-error" role="alert">([^<]*)<', bad_to.text).group(1)
    unknown = client.post("/reports/send", data={"kind": "weekly", "stakeholder": "Zed",
                                                 "csrf": token})
    assert unknown.status_code == 422 and 'id="send-stakeholder-error"' in unknown.text
    forged = client.post("/reports/send", data={"kind": "weekly", "stakeholder": "Linus"})
    assert forged.status_code == 403
    assert inbox.messages == []
    with ledger.ctx.read() as conn:
        assert list_visibility(conn) == []


def test_an_smtp_failure_is_shown_on_the_page(ledger: Env) -> None:
    from dataclasses import replace

    from tests.test_report_send import free_port

    ledger.settings = replace(ledger.settings, smtp_host="127.0.0.1", smtp_port=free_port(),
                              smtp_security="none", email_from="ada@example.com")
    client, _ = client_for(ledger)
    token = csrf_of(client.get("/reports").text)
    answer = client.post("/reports/send", data={"kind": "weekly", "stakeholder": "Linus",
                                                "csrf": token})
    assert answer.status_code == 422
    assert "could not send through 127.0.0.1" in answer.text
    with ledger.ctx.read() as conn:
        assert list_visibility(conn) == []
