"""Atlassian Document Format (ADF), the rich text of Jira Cloud's REST API v3, as plain text.

Blocks are set apart by a blank line; list items are ``- item`` / ``1. item`` lines with
nested lists indented under their item; a table is one line per row, its cells joined by
`` | ``. Inline nodes keep what a reader sees: a mention's name, an emoji, a link card's
URL, a status lozenge's text, a date. A node type not known here renders its content, if
any, so a document from a newer Jira still reads.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

Node = dict[str, Any]

INLINE = frozenset({"text", "hardBreak", "mention", "emoji", "inlineCard", "status", "date",
                    "mediaInline", "placeholder", "inlineExtension"})
ATTACHMENT = "[attachment]"


def adf_text(value: Any) -> str:
    """Plain text of a Jira description: a string (API v2) as it is, an ADF document (v3)
    rendered, anything else empty. ValueError when a document nests too deep to walk."""
    if isinstance(value, str):
        return value
    try:
        return _render(value).strip("\n")
    except RecursionError:
        raise ValueError("description nested too deeply to read") from None


def _render(node: Any) -> str:
    if not isinstance(node, dict):
        return ""
    return HANDLERS.get(str(node.get("type")), _unknown)(node)


def _items(node: Node, key: str = "content") -> list[Any]:
    value = node.get(key)
    return value if isinstance(value, list) else []


def _attr(node: Node, name: str) -> Any:
    attrs = node.get("attrs")
    return attrs.get(name) if isinstance(attrs, dict) else None


def _attr_text(node: Node, name: str) -> str:
    value = _attr(node, name)
    return "" if value is None else str(value)


def _inline(node: Node) -> str:
    """Content that runs on as one text: a paragraph's, a heading's, a code block's."""
    return "".join(_render(child) for child in _items(node))


def _blocks(node: Node, separator: str = "\n\n") -> str:
    """Block content, each block apart from the next; empty blocks left out."""
    parts = (_render(child) for child in _items(node))
    return separator.join(part for part in parts if part.strip())


def _unknown(node: Node) -> str:
    children = _items(node)
    if all(isinstance(c, dict) and c.get("type") in INLINE for c in children):
        return _inline(node)
    return _blocks(node)


def _text(node: Node) -> str:
    text = str(node.get("text") or "")
    links = (_attr_text(mark, "href") for mark in _items(node, "marks")
             if isinstance(mark, dict) and mark.get("type") == "link")
    href = next(links, "")
    return f"{text} ({href})" if href and href != text else text


def _bullet_list(node: Node) -> str:
    return _list(node, lambda _: "- ")


def _ordered_list(node: Node) -> str:
    try:
        start = max(0, int(_attr(node, "order")))
    except (TypeError, ValueError, OverflowError):
        start = 1
    return _list(node, lambda n: f"{start + n}. ")


def _list(node: Node, marker: Callable[[int], str]) -> str:
    items = [child for child in _items(node) if isinstance(child, dict)]
    return "\n".join(_list_item(child, marker(n)) for n, child in enumerate(items))


def _list_item(node: Node, marker: str) -> str:
    """One item's lines: the first after its marker, the rest (a nested list, a second
    paragraph) indented under the item's text."""
    body = _blocks(node, "\n") if node.get("type") == "listItem" else _render(node)
    first, *rest = body.split("\n")
    pad = " " * len(marker)
    return "\n".join([f"{marker}{first}".rstrip(), *(pad + line if line else "" for line in rest)])


def _blockquote(node: Node) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in _blocks(node).split("\n"))


def _table(node: Node) -> str:
    rows = (_render(row) for row in _items(node))
    return "\n".join(row for row in rows if row.strip(" |"))


def _table_row(node: Node) -> str:
    return " | ".join(_render(cell) for cell in _items(node))


def _table_cell(node: Node) -> str:
    lines = (line.strip() for line in _blocks(node, "\n").split("\n"))
    return " ".join(line for line in lines if line)


def _expand(node: Node) -> str:
    parts = (_attr_text(node, "title"), _blocks(node))
    return "\n\n".join(part for part in parts if part.strip())


def _emoji(node: Node) -> str:
    return _attr_text(node, "text") or _attr_text(node, "shortName")


def _card(node: Node) -> str:
    """An inline, block or embed card: its URL (given directly or in its JSON-LD data)."""
    data = _attr(node, "data")
    return _attr_text(node, "url") or (str(data.get("url") or "") if isinstance(data, dict)
                                       else "")


def _date(node: Node) -> str:
    """A date node: its timestamp (milliseconds since the epoch, UTC) as an ISO date."""
    stamp = _attr_text(node, "timestamp")
    try:
        return datetime.fromtimestamp(float(stamp) / 1000, UTC).date().isoformat()
    except (ValueError, OverflowError, OSError):
        return stamp


HANDLERS: dict[str, Callable[[Node], str]] = {
    "doc": _blocks, "paragraph": _inline, "heading": _inline, "codeBlock": _inline,
    "bulletList": _bullet_list, "orderedList": _ordered_list, "blockquote": _blockquote,
    "rule": lambda _: "---", "panel": _blocks, "expand": _expand, "nestedExpand": _expand,
    "table": _table, "tableRow": _table_row, "tableHeader": _table_cell,
    "tableCell": _table_cell,
    "mediaSingle": lambda node: _blocks(node, "\n"), "mediaGroup": lambda node: _blocks(node, "\n"),
    "media": lambda _: ATTACHMENT, "mediaInline": lambda _: ATTACHMENT, "caption": _inline,
    "text": _text, "hardBreak": lambda _: "\n", "mention": lambda node: _attr_text(node, "text"),
    "emoji": _emoji, "inlineCard": _card, "blockCard": _card, "embedCard": _card,
    "status": lambda node: _attr_text(node, "text"), "date": _date,
    "placeholder": lambda _: "",  # the editor's hint to whoever types, not content
}
