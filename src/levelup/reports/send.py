"""Delivering a report e-mail over SMTP (STARTTLS, SSL or plain), password from the environment."""

from __future__ import annotations

import os
import smtplib
import ssl
from email.message import EmailMessage

from levelup.errors import LevelupError
from levelup.settings import Settings

PASSWORD_VARIABLE = "LEVELUP_SMTP_PASSWORD"
SECURITIES = ("starttls", "ssl", "none")


def send_message(message: EmailMessage, settings: Settings, *, timeout: float = 30) -> None:
    """Send ``message`` through the configured SMTP server; one clear error line on failure."""
    security = settings.smtp_security.lower()
    if security not in SECURITIES:
        raise LevelupError(f"smtp_security '{settings.smtp_security}' is not one of "
                           f"{', '.join(SECURITIES)}")
    try:
        with _connect(settings, security, timeout) as smtp:
            password = os.environ.get(PASSWORD_VARIABLE, "")
            if settings.smtp_user:
                if not password:
                    raise LevelupError(f"smtp_user is set but {PASSWORD_VARIABLE} is empty")
                smtp.login(settings.smtp_user, password)
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise LevelupError(f"could not send through {settings.smtp_host}:{settings.smtp_port}: "
                           f"{exc}") from None


def _connect(settings: Settings, security: str, timeout: float) -> smtplib.SMTP:
    if security == "ssl":
        return smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=timeout,
                                context=ssl.create_default_context())
    smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout)
    if security == "starttls":
        smtp.starttls(context=ssl.create_default_context())
    return smtp
