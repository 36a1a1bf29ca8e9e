"""HTML: one self-contained page (inline style and SVG charts), private notes when previewing."""

from __future__ import annotations

from levelup.reports.model import Report
from levelup.reports.render import render_text
from levelup.reports.renderers.base import Renderer, RenderOptions


class HtmlRenderer(Renderer):
    name = "html"
    media_type = "text/html; charset=utf-8"

    def render(self, report: Report, options: RenderOptions) -> str:
        return render_text(report, "html", home=options.home, preview=options.preview)
