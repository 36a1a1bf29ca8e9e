"""Text from other people's systems stays text: Markdown reports escape what Markdown would act on
(raw HTML, links, block starts), HTML and PDF reports escape it as HTML."""

from __future__ import annotations

import io
from html import unescape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from levelup.cli.common import Env
from levelup.reports.markdown import escape_markdown
from levelup.services import reports as service
from tests import factories as f

HOSTILE_TITLE = "<script>alert(1)</script> see [docs](javascript:alert(1)) & <img src=x onerror=y>"
HOSTILE_DETAILS = "# Injected heading\n\n    indented code\n```\n---\n1. listed\n> quoted\n![i](http://x/i.png)"
ACTIVE = {"html_inline", "html_block", "link_open", "image", "fence", "code_block", "hr",
          "blockquote_open", "ordered_list_open"}


def tokens(markdown: str) -> list[Token]:
    flat = []
    for token in MarkdownIt("commonmark").parse(markdown):
        flat.append(token)
        flat.extend(token.children or [])
    return flat


def test_ordinary_text_is_left_readable() -> None:
    for text in ("Cut p99 latency: 900 -> 250 ms", "R&D sync with Ada's team", "a < b, c > d",
                 "C:\\Users\\ada", "fix foo_bar in *core*", "#42 merged", "2024 was good"):
        assert escape_markdown(text) == text


@pytest.mark.parametrize(("text", "escaped"), [
    ("<script>x</script>", "&lt;script>x&lt;/script>"),
    ("<!-- hidden -->", "&lt;!-- hidden -->"),
    ("[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"),
    ("\\[x](javascript:y)", "\\\\\\[x\\](javascript:y)"),
    ("&lt;b&gt;", "&amp;lt;b&amp;gt;"),
    ("# Heading", "\\# Heading"),
    ("a\n---", "a\n\\---"),
    ("a\n\n   > quote", "a\n\\> quote"),
    ("a\n3) item", "a\n3\\) item"),
    ("a\n```", "a\n\\```"),
])
def test_what_markdown_would_act_on_is_escaped(text: str, escaped: str) -> None:
    assert escape_markdown(text) == escaped


MARKDOWNISH = st.text(alphabet=st.sampled_from(list("ab <>/[]()!&;#*_-=+`~|>\\:1.)\n ")),
                      max_size=60)


@settings(max_examples=300, deadline=None)
@given(MARKDOWNISH)
def test_an_escaped_value_never_adds_markup_or_blocks(text: str) -> None:
    document = f"# Report\n\n- **{escape_markdown(text)}** — done\n- second item\n"
    found = tokens(document)
    assert not {t.type for t in found} & ACTIVE
    assert sum(t.type == "heading_open" for t in found) == 1
    assert sum(t.type == "list_item_open" for t in found) == 2


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab <>/[]()!&;:\\")), max_size=40))
def test_one_line_of_text_renders_as_itself(text: str) -> None:
    html = MarkdownIt("commonmark").render(f"{escape_markdown(text)}\n")
    assert unescape(html.removeprefix("<p>").removesuffix("</p>\n")) == text.strip()


@pytest.fixture
def hostile(env: Env) -> f.Entry:
    with env.ctx.begin() as conn:
        f.ledger(conn)
        return f.win_with_metric(conn, HOSTILE_TITLE, day=f.days_ago(1),
                                 details=HOSTILE_DETAILS)


@pytest.mark.parametrize("kind", ["weekly", "agenda", "packet", "review", "brag"])
def test_a_hostile_entry_stays_text_in_markdown_reports(env: Env, hostile: f.Entry,
                                                        kind: str) -> None:
    report = service.build_report(env.ctx, kind=kind)
    markdown = service.render_report(env.ctx, report=report, fmt="md").data
    assert isinstance(markdown, str) and "<script>" not in markdown
    found = tokens(markdown)
    assert not {t.type for t in found} & {"html_inline", "html_block", "link_open", "image",
                                          "fence", "code_block"}
    headings = [found[i + 1].content for i, t in enumerate(found) if t.type == "heading_open"]
    assert "Injected heading" not in headings
    rendered = MarkdownIt("commonmark").render(markdown)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; see [docs](javascript:alert(1))" in rendered


def test_a_hostile_title_is_text_in_html_and_pdf(env: Env, hostile: f.Entry) -> None:
    from pypdf import PdfReader

    report = service.build_report(env.ctx, kind="weekly")
    html = service.render_report(env.ctx, report=report, fmt="html").data
    assert isinstance(html, str)
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    data = service.render_report(env.ctx, report=report, fmt="pdf").data
    assert isinstance(data, bytes)
    text = " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
                    .split())
    assert "<script>alert(1)</script>" in text
