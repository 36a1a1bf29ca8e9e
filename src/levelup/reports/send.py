"""Delivering a report e-mail over SMTP, password from the environment.

``smtp_security``: ``starttls`` requires STARTTLS, ``ssl`` is TLS from the first byte, ``none``
requires nothing but still upgrades with STARTTLS whenever the server offers it, and ``plain``
never encrypts (for a relay on this machine). Whatever the setting, the password never travels
in clear to a host that is not this machine.
"""

from __future__ import annotations

import ipaddress
import os
import re
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import getaddresses

from levelup.errors import FieldError, LevelupError
from levelup.settings import Settings

PASSWORD_VARIABLE = "LEVELUP_SMTP_PASSWORD"
SECURITIES = ("starttls", "ssl", "none", "plain")
# One address: something@domain.tld, no spaces; what a mail server would accept as a recipient.
_ADDRESS = re.compile(r"[^@\s<>(),;:\"]+@[^@\s<>(),;:\"]+\.[^@\s<>(),;:\".]+")
_SHOWN = 80  # characters of a bad value quoted in a message


def check_addresses(text: str, *, field: str = "to") -> list[str]:
    """The addresses in ``text`` (comma-separated, ``Name <a@b.c>`` allowed); FieldError names
    the first one that is not an e-mail address."""
    parts = [p.strip() for p in text.split(",")]
    found = getaddresses(parts)
    if not parts or len(found) != len(parts):
        raise FieldError(field, f"'{_cut(text)}' is not an e-mail address")
    for part, (_, address) in zip(parts, found, strict=True):
        if not _ADDRESS.fullmatch(address):
            raise FieldError(field, f"'{_cut(part)}' is not an e-mail address")
    return parts


def _cut(text: str) -> str:
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


def check_sender(settings: Settings) -> str:
    """The configured From address; sending without one is refused with the setting's name."""
    if not settings.email_from:
        raise LevelupError("no From address: set email_from "
                           "(levelup config set email_from you@example.com)")
    check_addresses(settings.email_from, field="email_from")
    return settings.email_from


def send_message(message: EmailMessage, settings: Settings, *, timeout: float = 30) -> None:
    """Send ``message`` through the configured SMTP server; one clear error line on failure."""
    security = settings.smtp_security.lower()
    if security not in SECURITIES:
        raise LevelupError(f"smtp_security '{_cut(settings.smtp_security)}' is not one of "
                           f"{', '.join(SECURITIES)}")
    password = os.environ.get(PASSWORD_VARIABLE, "")
    if settings.smtp_user and not password:
        raise LevelupError(f"smtp_user is set but {PASSWORD_VARIABLE} is empty")
    if settings.smtp_user and security == "plain" and not _loopback(settings.smtp_host):
        raise _in_clear(settings, "smtp_security is plain")
    try:
        with _connect(settings, security, timeout) as smtp:
            if settings.smtp_user:
                if not _encrypted(smtp) and not _loopback(_peer(smtp)):
                    raise _in_clear(settings, "it offers no STARTTLS")
                smtp.login(settings.smtp_user, password)
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise LevelupError(f"could not send through {settings.smtp_host}:{settings.smtp_port}: "
                           f"{_cut(str(exc))}") from None


def _in_clear(settings: Settings, why: str) -> LevelupError:
    return LevelupError(f"refusing to send the SMTP password in clear to {settings.smtp_host}: "
                        f"{why} (set smtp_security to starttls or ssl)")


def _connect(settings: Settings, security: str, timeout: float) -> smtplib.SMTP:
    if security == "ssl":
        return smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=timeout,
                                context=ssl.create_default_context())
    smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout)
    try:
        if security == "plain":
            return smtp
        smtp.ehlo()
        if smtp.has_extn("starttls"):
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
        elif security == "starttls":
            raise LevelupError(f"{settings.smtp_host} offers no STARTTLS (smtp_security=starttls "
                               "requires it; none sends unencrypted where it is not offered)")
    except BaseException:
        smtp.close()
        raise
    return smtp


def _encrypted(smtp: smtplib.SMTP) -> bool:
    return isinstance(smtp.sock, ssl.SSLSocket)


def _peer(smtp: smtplib.SMTP) -> str:
    return str(smtp.sock.getpeername()[0]) if smtp.sock else ""


def _loopback(host: str) -> bool:
    """True for this machine: localhost, 127.0.0.0/8, ::1 (what the host resolves to is checked
    again on the open connection)."""
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False
