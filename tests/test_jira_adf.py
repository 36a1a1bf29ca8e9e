"""Jira Cloud descriptions in the Atlassian Document Format, read as plain text."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from levelup.importers.jira_adf import HANDLERS, adf_text
from tests.test_import_jira import doc, node, para

# --- descriptions in the Atlassian Document Format (API v3) ----------------------------------


def test_adf_blocks_lists_and_tables_read_as_plain_text() -> None:
    def cell(kind: str, text: str) -> dict[str, Any]:
        return node(kind, para(text))

    def item(*blocks: dict[str, Any]) -> dict[str, Any]:
        return node("listItem", *blocks)

    description = doc(
        node("heading", {"type": "text", "text": "Plan"}, level=2),
        node("bulletList", item(para("Cache prices"), node("orderedList", item(para("edge")),
                                                          item(para("origin")), order=3)),
             item(para("Alert on queue depth"))),
        node("table", node("tableRow", cell("tableHeader", "Metric"), cell("tableHeader", "p95")),
             node("tableRow", cell("tableCell", "before"), cell("tableCell", "900 ms"))),
        node("codeBlock", {"type": "text", "text": "make\nmake test"}, language="sh"),
        node("blockquote", para("Ship it")), node("rule"),
        node("panel", para("Owned by payments"), panelType="info"),
        node("expand", para("Hidden notes"), title="Details"),
        node("mediaSingle", node("media", id="a1", type="file", collection="")),
        node("blockCard", url="https://wiki.example.com/runbook"),
        node("layoutSection", node("layoutColumn", para("from a newer Jira")), width=50),
    )
    assert adf_text(description) == (
        "Plan\n\n- Cache prices\n  3. edge\n  4. origin\n- Alert on queue depth\n\n"
        "Metric | p95\nbefore | 900 ms\n\nmake\nmake test\n\n> Ship it\n\n---\n\n"
        "Owned by payments\n\nDetails\n\nHidden notes\n\n[attachment]\n\n"
        "https://wiki.example.com/runbook\n\nfrom a newer Jira")


def test_adf_inline_nodes_keep_what_a_reader_sees() -> None:
    description = doc(para(
        node("mention", id="5b10", text="@Ada"), " shipped ",
        node("emoji", shortName=":tada:", text="🎉"), node("emoji", shortName=":awthanks:"),
        node("hardBreak"), "see ", node("inlineCard", url="https://jira.example.com/browse/A-1"),
        " and ", {"type": "text", "text": "the runbook",
                  "marks": [{"type": "link", "attrs": {"href": "https://wiki.example.com/rb"}}]},
        ", ", node("status", text="DONE", color="green"), " on ",
        node("date", timestamp="1774310400000")))
    assert adf_text(description) == (
        "@Ada shipped 🎉:awthanks:\nsee https://jira.example.com/browse/A-1 and the runbook "
        "(https://wiki.example.com/rb), DONE on 2026-03-24")


ADF_ATTRS = st.dictionaries(st.sampled_from(["order", "text", "url", "timestamp", "title",
                                             "shortName", "href", "data"]),
                            st.none() | st.integers() | st.floats() | st.text(max_size=4))
ADF_NODES = st.recursive(
    st.none() | st.integers() | st.text(max_size=4),
    lambda inner: st.lists(inner, max_size=3) | st.fixed_dictionaries(
        {"type": st.sampled_from([*HANDLERS, "taskList", "newNode"]) | st.integers()},
        optional={"content": st.lists(inner, max_size=3) | inner, "attrs": ADF_ATTRS | inner,
                  "text": inner, "marks": st.lists(inner, max_size=2) | inner}),
    max_leaves=25)


@settings(max_examples=300, deadline=None)
@given(ADF_NODES)
def test_any_adf_document_renders_without_crashing(document: Any) -> None:
    assert isinstance(adf_text(document), str)


def test_an_adf_document_nested_too_deep_is_an_unreadable_issue() -> None:
    deep: dict[str, Any] = para("bottom")
    for _ in range(5000):
        deep = node("blockquote", deep)
    with pytest.raises(ValueError, match="nested too deeply"):
        adf_text(doc(deep))
