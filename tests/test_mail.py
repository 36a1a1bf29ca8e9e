"""Mail that arrives: Date and Message-ID, the PDF attached, a configured From, checked
addresses, the stakeholder's own address, and STARTTLS whenever the server offers it (a real
local aiosmtpd server, a self-signed certificate made with openssl)."""

from __future__ import annotations

import io
import socket
import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from email import message_from_string
from email.message import Message
from pathlib import Path
from typing import Any

import pytest

from levelup.cli.common import Env
from levelup.store.records import list_visibility
from tests import factories as f
from tests.conftest import invoke
from tests.test_report_send import Inbox, free_port


class TlsInbox(Inbox):
    """Also remembers whether each message came over TLS."""

    def __init__(self) -> None:
        super().__init__()
        self.encrypted: list[bool] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.encrypted.append(session.ssl is not None)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def made(env: Env) -> dict[str, f.Entry]:
    with env.ctx.begin() as conn:
        return f.ledger(conn)


def serve(env: Env, handler: Inbox, *, host: str = "127.0.0.1", security: str = "none",
          **smtp: Any) -> Any:
    from aiosmtpd.controller import Controller

    port = free_port()
    controller = Controller(handler, hostname=host, port=port, **smtp)
    controller.start()
    env.settings = replace(env.settings, smtp_host=host, smtp_port=port, smtp_security=security,
                           email_from="ada@example.com")
    return controller


@pytest.fixture
def inbox(env: Env) -> Iterator[Inbox]:
    handler = Inbox()
    controller = serve(env, handler)
    yield handler
    controller.stop()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True)
    return cert, key


@pytest.fixture
def tls(certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> ssl.SSLContext:
    """A server context for the certificate, which the client trusts (SSL_CERT_FILE)."""
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    return context


def heard(env: Env, who: str = "Grace Hopper") -> list[Any]:
    with env.ctx.read() as conn:
        return [e for e in list_visibility(conn) if e.stakeholder == who]


def test_sent_mail_and_eml_files_have_date_and_message_id(env: Env, made: dict[str, f.Entry],
                                                          inbox: Inbox) -> None:
    sent = invoke(env, "report", "weekly", "--send", "--for", "Grace Hopper", "--to",
                  "grace@example.com")
    assert sent.exit_code == 0, sent.output
    [(_, _, message)] = inbox.messages
    assert message["Date"] and message["Message-ID"].endswith("@example.com>")
    eml: Message = message_from_string(invoke(env, "report", "weekly", "-f", "eml").output)
    assert eml["Date"] and eml["Message-ID"] and eml["From"] == "ada@example.com"


def test_pdf_format_is_sent_as_an_attachment(env: Env, made: dict[str, f.Entry],
                                             inbox: Inbox) -> None:
    from pypdf import PdfReader

    result = invoke(env, "report", "weekly", "-f", "pdf", "--send", "--for", "Grace Hopper",
                    "--to", "grace@example.com")
    assert result.exit_code == 0, result.output
    [(_, _, message)] = inbox.messages
    [pdf] = [p for p in message.walk() if p.get_content_type() == "application/pdf"]
    assert pdf.get_filename() == f"weekly-{f.TODAY.isoformat()}.pdf"
    data = pdf.get_payload(decode=True)
    assert isinstance(data, bytes)
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert made["win"].title in " ".join(text.split())


def test_no_send_without_a_configured_from(env: Env, made: dict[str, f.Entry],
                                           inbox: Inbox) -> None:
    env.settings = replace(env.settings, email_from="")
    result = invoke(env, "report", "weekly", "--send", "--for", "Grace Hopper", "--to", "g@x.io")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "levelup: error: no From address: set email_from "
        "(levelup config set email_from you@example.com)"]
    assert inbox.messages == [] and heard(env) == []


@pytest.mark.parametrize("address", ["not-an-email", "a@b", "grace@example.com, x y@z.io"])
def test_a_bad_address_is_refused_before_anything_is_sent(env: Env, made: dict[str, f.Entry],
                                                          inbox: Inbox, address: str) -> None:
    result = invoke(env, "report", "weekly", "--send", "--for", "Grace Hopper", "--to", address)
    assert result.exit_code == 2 and "is not an e-mail address" in result.stderr
    assert result.stderr.startswith("levelup: error: --to '")
    assert inbox.messages == [] and heard(env) == []
    assert invoke(env, "report", "weekly", "-f", "eml", "--to", address).exit_code == 2


def test_the_stakeholders_address_is_enough(env: Env, made: dict[str, f.Entry],
                                            inbox: Inbox) -> None:
    added = invoke(env, "stakeholder", "add", "Grace", "--relation", "manager", "--email",
                   "grace@example.com")
    assert added.exit_code == 0 and "<grace@example.com>" in added.output
    invoke(env, "stakeholder", "add", "Grace", "--decision-maker")  # keeps the address
    assert "grace@example.com" in invoke(env, "stakeholder", "list").output
    result = invoke(env, "report", "weekly", "--send", "--for", "Grace")
    assert result.exit_code == 0, result.output
    assert "to grace@example.com" in result.output
    [(_, recipients, _)] = inbox.messages
    assert recipients == ["grace@example.com"] and heard(env, "Grace")
    bad = invoke(env, "stakeholder", "add", "Linus", "--email", "linus")
    assert bad.exit_code == 2 and "--email 'linus' is not an e-mail address" in bad.stderr


def test_starttls_is_used_when_offered_even_with_security_none(
        env: Env, made: dict[str, f.Entry], tls: ssl.SSLContext,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from aiosmtpd.smtp import AuthResult

    logins: list[bytes] = []

    def authenticate(*args: Any) -> AuthResult:
        logins.append(args[-1].password)
        return AuthResult(success=True)

    handler = TlsInbox()
    controller = serve(env, handler, tls_context=tls, authenticator=authenticate)
    env.settings = replace(env.settings, smtp_user="ada")
    monkeypatch.setenv("LEVELUP_SMTP_PASSWORD", "s3cret")
    try:
        result = invoke(env, "report", "weekly", "--send", "--for", "Grace Hopper", "--to",
                        "g@example.com")
    finally:
        controller.stop()
    assert result.exit_code == 0, result.output
    assert handler.encrypted == [True] and logins == [b"s3cret"]


def test_plain_never_upgrades(env: Env, made: dict[str, f.Entry], tls: ssl.SSLContext) -> None:
    handler = TlsInbox()
    controller = serve(env, handler, security="plain", tls_context=tls)
    try:
        result = invoke(env, "report", "weekly", "--send", "--for", "Grace Hopper", "--to",
                        "g@example.com")
    finally:
        controller.stop()
    assert result.exit_code == 0, result.output
    assert handler.encrypted == [False]


def test_starttls_required_but_not_offered_is_one_error(env: Env, made: dict[str, f.Entry],
                                                        inbox: Inbox) -> None:
    env.settings = replace(env.settings, smtp_security="starttls")
    result = invoke(env, "report", "weekly", "--send", "--for", "Grace Hopper", "--to", "g@x.io")
    assert result.exit_code == 2 and "offers no STARTTLS" in result.stderr
    assert inbox.messages == [] and heard(env) == []


def outward_address() -> str:
    """This machine's address on its network (not loopback), if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(("192.0.2.1", 9))  # no packet is sent: this only picks a route
            return str(sock.getsockname()[0])
        except OSError:
            return "127.0.0.1"


def test_no_password_in_clear_to_a_host_that_is_not_this_machine(
        env: Env, made: dict[str, f.Entry], monkeypatch: pytest.MonkeyPatch) -> None:
    from aiosmtpd.smtp import AuthResult

    host = outward_address()
    if host.startswith("127."):
        pytest.skip("this machine has no address besides loopback")
    logins: list[bytes] = []

    def authenticate(*args: Any) -> AuthResult:
        logins.append(args[-1].password)
        return AuthResult(success=True)

    handler = Inbox()
    controller = serve(env, handler, host=host, authenticator=authenticate,
                       auth_require_tls=False)
    monkeypatch.setenv("LEVELUP_SMTP_PASSWORD", "s3cret")
    env.settings = replace(env.settings, smtp_user="ada")
    try:
        result = invoke(env, "report", "weekly", "--send", "--for", "Grace Hopper", "--to",
                        "g@example.com")
        env.settings = replace(env.settings, smtp_security="plain")
        plain = invoke(env, "report", "weekly", "--send", "--for", "Grace Hopper", "--to",
                       "g@example.com")
    finally:
        controller.stop()
    for refused, why in ((result, "it offers no STARTTLS"), (plain, "smtp_security is plain")):
        assert refused.exit_code == 2
        assert refused.stderr.splitlines() == [
            f"levelup: error: refusing to send the SMTP password in clear to {host}: {why} "
            "(set smtp_security to starttls or ssl)"]
    assert logins == [] and handler.messages == [] and heard(env) == []
