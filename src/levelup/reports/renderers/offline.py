"""What WeasyPrint may load while it lays out a PDF: the package's own assets, nothing else.

A report holds text from other people's systems, and a user's template may reference anything;
neither may make a PDF fetch a URL or read a file. Imported by the PDF renderer only (it loads
WeasyPrint).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

from levelup.reports.render import PACKAGE_TEMPLATES

ASSETS = PACKAGE_TEMPLATES / "assets"


class Refused(ValueError):
    """A resource a PDF may not load; WeasyPrint leaves it out and goes on."""


class OfflineFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint is untyped
    """Serves ``file:`` URLs inside ``ASSETS`` and ``data:`` URLs; refuses every other URL."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data",), allow_redirects=False)

    def fetch(self, url: str, headers: Any = None) -> Any:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":  # decoded in memory: no network, no disk
            return super().fetch(url, headers)
        if scheme == "file":
            return _asset(url)
        raise Refused(f"a PDF loads nothing from the network: {url}")


def _asset(url: str) -> Any:
    path = Path(url2pathname(unquote(urlsplit(url).path))).resolve()
    if not path.is_relative_to(ASSETS.resolve()) or not path.is_file():
        raise Refused(f"a PDF reads no file outside levelup's own assets: {url}")
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": media_type})


def base_url() -> str:
    """Where a template's relative URLs (``assets/…``) point: the packaged templates."""
    return PACKAGE_TEMPLATES.as_uri() + "/"
