"""`levelup report --send` delivers over SMTP to a local server and records visibility."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import replace
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest

from levelup.cli.common import Env
from levelup.store.records import list_visibility
from tests import factories as f
from tests.conftest import invoke


class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], Message]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos),
                              message_from_bytes(envelope.original_content)))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def inbox(env: Env) -> Iterator[Inbox]:
    from aiosmtpd.controller import Controller

    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    env.settings = replace(env.settings, smtp_host="127.0.0.1", smtp_port=port,
                           smtp_security="none", email_from="ada@example.com")
    try:
        yield handler
    finally:
        controller.stop()


@pytest.fixture
def made(env: Env) -> dict[str, f.Entry]:
    with env.ctx.begin() as conn:
        return f.ledger(conn)


def test_send_delivers_a_parseable_message_and_records_visibility(
        env: Env, made: dict[str, f.Entry], inbox: Inbox) -> None:
    result = invoke(env, "report", "weekly", "--send", "--for", "Grace Hopper",
                    "--to", "grace@example.com", "--preview")
    assert result.exit_code == 0, result.output
    [(sender, recipients, message)] = inbox.messages
    assert (sender, recipients) == ("ada@example.com", ["grace@example.com"])
    assert message["Subject"] == "Weekly update, week of 2026-11-16"
    text, html = (p.get_payload(decode=True).decode() for p in message.get_payload())
    assert made["win"].title in text and made["win"].title in html
    assert "Private preview" not in text + html  # --preview never travels
    with env.ctx.read() as conn:
        [event] = [e for e in list_visibility(conn) if e.stakeholder == "Grace Hopper"]
    assert event.channel == "weekly-report" and event.date == f.TODAY
    assert made["win"].id in event.entry_ids and made["invisible"].id in event.entry_ids
    assert made["old"].id not in event.entry_ids


def test_sending_the_agenda_records_a_one_on_one(env: Env, made: dict[str, f.Entry],
                                                 inbox: Inbox) -> None:
    invoke(env, "report", "packet", "--send", "--for", "Alan Turing", "--to", "alan@example.com")
    invoke(env, "report", "agenda", "--send", "--for", "Grace Hopper", "--to", "g@example.com")
    with env.ctx.read() as conn:
        channels = {e.stakeholder: e.channel for e in list_visibility(conn)
                    if e.date == f.TODAY}
    assert channels == {"Alan Turing": "document", "Grace Hopper": "1:1"}
    assert len(inbox.messages) == 2


def test_send_logs_in_with_the_password_from_the_environment(
        env: Env, made: dict[str, f.Entry], monkeypatch: pytest.MonkeyPatch) -> None:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    seen: list[tuple[bytes, bytes]] = []

    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str,
                     data: Any) -> AuthResult:
        seen.append((data.login, data.password))
        return AuthResult(success=data.password == b"s3cret")

    handler, port = Inbox(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, authenticator=authenticate,
                            auth_require_tls=False)
    controller.start()
    try:
        env.settings = replace(env.settings, smtp_host="127.0.0.1", smtp_port=port,
                               smtp_security="none", smtp_user="ada",
                               email_from="ada@example.com")
        monkeypatch.setenv("LEVELUP_SMTP_PASSWORD", "s3cret")
        result = invoke(env, "report", "weekly", "--send", "--for", "Grace Hopper", "--to",
                        "g@example.com")
    finally:
        controller.stop()
    assert result.exit_code == 0, result.output
    assert seen == [(b"ada", b"s3cret")] and len(handler.messages) == 1


def test_send_needs_a_stakeholder_and_an_address(env: Env, made: dict[str, f.Entry]) -> None:
    result = invoke(env, "report", "weekly", "--send", "--for", "Grace Hopper")
    assert result.exit_code == 2
    assert "--to is needed: Grace Hopper has no e-mail address" in result.stderr
    assert "levelup stakeholder add 'Grace Hopper' --email ADDRESS" in result.stderr
    result = invoke(env, "report", "weekly", "--send", "--to", "g@example.com")
    assert result.exit_code == 2 and "--send needs --for STAKEHOLDER" in result.stderr


def test_unknown_stakeholder_fails_before_anything_is_sent(env: Env, made: dict[str, f.Entry],
                                                           inbox: Inbox) -> None:
    result = invoke(env, "report", "weekly", "--send", "--for", "Grace Hoper", "--to", "x@y.z")
    assert result.exit_code == 2 and "did you mean 'Grace Hopper'" in result.stderr
    assert inbox.messages == []


def test_unreachable_server_is_one_clear_error(env: Env, made: dict[str, f.Entry]) -> None:
    env.settings = replace(env.settings, smtp_host="127.0.0.1", smtp_port=free_port(),
                           smtp_security="none", email_from="ada@example.com")
    result = invoke(env, "report", "weekly", "--send", "--for", "Grace Hopper", "--to", "a@b.c")
    assert result.exit_code == 2 and "could not send through 127.0.0.1" in result.stderr
    with env.ctx.read() as conn:
        assert [e for e in list_visibility(conn) if e.stakeholder == "Grace Hopper"] == []
