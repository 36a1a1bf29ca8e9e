"""E-mail: a standard message, the Markdown as text with the HTML as the alternative."""

from __future__ import annotations

from email.message import EmailMessage

from levelup.reports.model import Report
from levelup.reports.render import render_text
from levelup.reports.renderers.base import Renderer, RenderOptions

NO_RECIPIENT = "undisclosed-recipients:;"


def email_message(report: Report, options: RenderOptions) -> EmailMessage:
    """The message as sent: never the private preview."""
    message = EmailMessage()
    message["Subject"] = report.title
    message["From"] = options.sender
    message["To"] = options.to or NO_RECIPIENT
    message.set_content(render_text(report, "md", home=options.home))
    message.add_alternative(render_text(report, "html", home=options.home), subtype="html")
    return message


class EmailRenderer(Renderer):
    name = "eml"
    media_type = "message/rfc822"

    def render(self, report: Report, options: RenderOptions) -> str:
        return email_message(report, options).as_string()
