"""E-mail: a standard message, the Markdown as text with the HTML as the alternative, dated and
with a Message-ID; the PDF attached when one is asked for."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from levelup.reports.model import Report
from levelup.reports.render import render_text
from levelup.reports.renderers.base import Renderer, RenderOptions

NO_RECIPIENT = "undisclosed-recipients:;"


def email_message(report: Report, options: RenderOptions, *,
                  attachment: bytes | None = None) -> EmailMessage:
    """The message as sent: never the private preview. ``attachment`` is the report's PDF."""
    message = EmailMessage()
    message["Subject"] = report.title
    if options.sender:
        message["From"] = options.sender
    message["To"] = options.to or NO_RECIPIENT
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid("levelup", domain=_domain(options.sender))
    message.set_content(render_text(report, "md", home=options.home))
    message.add_alternative(render_text(report, "html", home=options.home), subtype="html")
    if attachment is not None:
        message.add_attachment(attachment, maintype="application", subtype="pdf",
                               filename=f"{report.kind}-{report.today.isoformat()}.pdf")
    return message


def _domain(sender: str) -> str:
    """The sender's domain names the Message-ID (never a DNS look-up of this machine)."""
    domain = sender.rpartition("@")[2].strip(" >")
    return domain or "localhost"


class EmailRenderer(Renderer):
    name = "eml"
    media_type = "message/rfc822"

    def render(self, report: Report, options: RenderOptions) -> str:
        return email_message(report, options).as_string()
