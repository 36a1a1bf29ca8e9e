"""A PDF loads nothing from the network or the disk beyond levelup's own assets, whatever an
entry's text or a user's template references; a refused resource is left out, the PDF is made."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from levelup.cli.common import Env
from levelup.reports.renderers import offline
from levelup.services import reports as service
from tests import factories as f

MARKER = "MARKER-7f3a-SECRET"
# One transparent pixel.
PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJ"
       "RU5ErkJggg==")


class Counter(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.hits.append(self.path)
        body = b"body::after { content: 'FETCHED-FROM-NETWORK' }"
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    hits: list[str] = []
    handler = type("Handler", (Counter,), {"hits": hits})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", hits
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.css"
    path.write_text(f"body::after {{ content: '{MARKER}' }}\n", encoding="utf-8")
    return path


def hostile_html(base: str, secret: Path) -> str:
    """A template override that trusts entry text and loads resources of every kind."""
    return f"""<html><head>
<link rel="stylesheet" href="{base}/linked.css">
<link rel="stylesheet" href="{secret.as_uri()}">
<style>@import url("{base}/imported.css"); @import url("{secret.as_uri()}");
body {{ background: url("{base}/background.png"); }}</style>
</head><body>
<h1>{{{{ report.title }}}}</h1>
{{% for it in body.wins %}}<p>{{{{ it.entry.title | safe }}}} {{{{ it.entry.details | safe }}}}</p>
{{% endfor %}}
<img src="ftp://127.0.0.1:1/x.png"><img src="file:///etc/passwd"><img src="/etc/hostname">
<img src="../../../../../../etc/passwd">
</body></html>
"""


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def pdf_images(data: bytes) -> int:
    from pypdf import PdfReader

    return sum(len(page.images) for page in PdfReader(io.BytesIO(data)).pages)


def weekly_pdf(env: Env) -> bytes:
    report = service.build_report(env.ctx, kind="weekly")
    data = service.render_report(env.ctx, report=report, fmt="pdf").data
    assert isinstance(data, bytes) and data.startswith(b"%PDF")
    return data


def ledger_naming(env: Env, base: str, secret: Path) -> None:
    with env.ctx.begin() as conn:
        f.ledger(conn)
        f.win_with_metric(
            conn, f'Tracked pixel <img src="{base}/title.png">', day=f.days_ago(1),
            details=f'See <img src="{base}/details.png"> and <img src="{secret.as_uri()}"> '
                    f'and <link rel="stylesheet" href="{secret.as_uri()}">')


def test_a_pdf_requests_nothing_and_reads_no_file(env: Env, server: tuple[str, list[str]],
                                                  secret: Path) -> None:
    base, hits = server
    ledger_naming(env, base, secret)
    templates = env.settings.home / "templates"
    templates.mkdir(parents=True)
    (templates / "weekly.html.j2").write_text(hostile_html(base, secret), encoding="utf-8")
    text = pdf_text(weekly_pdf(env))
    assert hits == []
    assert MARKER not in text and "FETCHED-FROM-NETWORK" not in text
    assert "Tracked pixel" in text and "Cut checkout p99 latency" in text


def test_the_packaged_reports_render_with_the_entry_text_as_text(
        env: Env, server: tuple[str, list[str]], secret: Path) -> None:
    base, hits = server
    ledger_naming(env, base, secret)
    text = " ".join(pdf_text(weekly_pdf(env)).split())
    assert hits == [] and MARKER not in text
    assert f'Tracked pixel <img src="{base}/title.png">' in text


def test_the_packages_own_assets_and_data_urls_still_load(
        env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assets = tmp_path / "assets"
    assets.mkdir()
    (assets / "brand.css").write_text(f"body::after {{ content: '{MARKER}' }}\n",
                                      encoding="utf-8")
    monkeypatch.setattr(offline, "ASSETS", assets)
    with env.ctx.begin() as conn:
        f.ledger(conn)
    templates = env.settings.home / "templates"
    templates.mkdir(parents=True)
    (templates / "weekly.html.j2").write_text(
        f'<html><head><link rel="stylesheet" href="{(assets / "brand.css").as_uri()}"></head>'
        f'<body><p>{{{{ report.title }}}}</p><img src="data:image/png;base64,{PNG}"></body>'
        "</html>\n", encoding="utf-8")
    data = weekly_pdf(env)
    assert MARKER in pdf_text(data) and pdf_images(data) == 1


def test_a_path_out_of_the_assets_is_refused(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    assets = tmp_path / "assets"
    assets.mkdir()
    (tmp_path / "outside.css").write_text(MARKER, encoding="utf-8")
    (assets / "link.css").symlink_to(tmp_path / "outside.css")
    monkeypatch.setattr(offline, "ASSETS", assets)
    fetcher = offline.OfflineFetcher()
    for url in (f"{assets.as_uri()}/../outside.css", f"{assets.as_uri()}/link.css",
                "http://127.0.0.1:1/x.css", "https://example.com/x.css", "ftp://x/y",
                "file:///etc/passwd"):
        with pytest.raises(offline.Refused):
            fetcher.fetch(url)
