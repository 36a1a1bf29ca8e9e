"""Markdown: the report as plain text, the coach's private notes when previewing."""

from __future__ import annotations

from levelup.reports.model import Report
from levelup.reports.render import render_text
from levelup.reports.renderers.base import Renderer, RenderOptions


class MarkdownRenderer(Renderer):
    name = "md"
    media_type = "text/markdown; charset=utf-8"

    def render(self, report: Report, options: RenderOptions) -> str:
        return render_text(report, "md", home=options.home, preview=options.preview)
