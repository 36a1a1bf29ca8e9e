"""PDF: the HTML rendering laid out by WeasyPrint (imported only when a PDF is made)."""

from __future__ import annotations

import warnings

from levelup.reports.model import Report
from levelup.reports.render import render_text
from levelup.reports.renderers.base import Renderer, RenderOptions


class PdfRenderer(Renderer):
    name = "pdf"
    media_type = "application/pdf"
    binary = True

    def render(self, report: Report, options: RenderOptions) -> bytes:
        """Never the private preview: a PDF is made to be shared."""
        html = render_text(report, "html", home=options.home)
        with warnings.catch_warnings():
            # fontTools and WeasyPrint report font-table quirks as warnings; the PDF is fine.
            warnings.filterwarnings("ignore", category=UserWarning,
                                    module=r"(fontTools|weasyprint)")
            warnings.filterwarnings("ignore", category=DeprecationWarning,
                                    module=r"(fontTools|weasyprint|pydyf)")
            from weasyprint import HTML

            from levelup.reports.renderers.offline import OfflineFetcher, base_url

            # Only the package's own assets load: never a URL or file a ledger or template names.
            document = HTML(string=html, base_url=base_url(), url_fetcher=OfflineFetcher())
            return bytes(document.write_pdf())
