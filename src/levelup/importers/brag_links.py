"""Links in a brag document: inline, autolinks, bare URLs, and reference-style links.

``[text](url)`` reads as its text (a URL may hold balanced parentheses, as Wikipedia's do),
``<https://…>`` as its URL; either, and a bare ``https://…`` in the prose, is a link. Code
spans are left as written and give no links. Reference-style links are made inline before
the document is read:

``[text][label]``, ``[label][]`` and ``[label]`` point at a definition line such as
``[label]: https://example.com "Title"`` elsewhere in the document (labels ignore case and
runs of spaces; the first definition of a label wins). Each reference becomes
``[text](url)``, which the importer reads as its text and a link; the definition lines become
empty lines, so that line numbers stay as written and no definition is read as part of a
bullet. A reference without a definition, and images (``![alt][label]``), stay as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(\s*<?((?:[^()\s<>]|\([^()\s<>]*\))+)>?"
                  r"(?:\s+\"[^\"]*\")?\s*\)")
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^<>\s]+)>")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_BARE_URL = re.compile(r"(?<!\w)https?://[^\s<>\[\]]+")
# An image, or a link of one of the three kinds: the URL is group 2, 3 or 4.
_ANY_LINK = re.compile(f"{_IMAGE.pattern}|{LINK.pattern}|{_AUTOLINK.pattern}|({_BARE_URL.pattern})")
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)")
_TRAILING = ".,;:!?'\"*_"
_DEFINITION = re.compile(
    r"^ {0,3}\[([^\]]+)\]:\s*(?:<([^<>\s]+)>|(\S+))(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*$")
_REFERENCE = re.compile(r"(?<![!\]\\])\[([^\[\]]+)\](?:\[([^\[\]]*)\])?(?![(:\[])")


def inline_references(text: str) -> str:
    """``text`` with its reference links made inline and its definition lines emptied."""
    lines = text.split("\n")
    urls: dict[str, str] = {}
    for number, line in enumerate(lines):
        if (found := _DEFINITION.match(line)) is not None:
            urls.setdefault(_label(found.group(1)), found.group(2) or found.group(3))
            lines[number] = ""
    if not urls:
        return text

    def inline(match: re.Match[str]) -> str:
        shown, label = match.group(1), match.group(2)
        if label is None and shown.strip().lower() in ("", "x"):
            return match.group(0)  # a task's box, "- [x] done", whatever is defined
        url = urls.get(_label(label or shown))
        return match.group(0) if url is None else f"[{shown}]({url})"

    return "\n".join(_REFERENCE.sub(inline, line) for line in lines)


def outside_code(text: str, change: Callable[[str], str]) -> str:
    """``text`` with ``change`` made to all of it but its code spans, which stay as written."""
    parts, at = [], 0
    for span in _CODE_SPAN.finditer(text):
        parts += [change(text[at:span.start()]), span.group(0)]
        at = span.end()
    return "".join([*parts, change(text[at:])])


def plain_links(text: str) -> str:
    """``text`` with each ``[text](url)`` as its text and each ``<url>`` as its URL."""
    return outside_code(text, lambda part: _AUTOLINK.sub(r"\1", LINK.sub(r"\1", part)))


def urls_in(text: str) -> Iterator[str]:
    """The URLs ``text`` links to, in order: inline links, autolinks and bare URLs."""
    for found in _ANY_LINK.finditer(_CODE_SPAN.sub(" ", text)):
        url = found.group(2) or found.group(3) or _trimmed(found.group(4) or "")
        if url:
            yield url


def _trimmed(url: str) -> str:
    """A bare URL without the punctuation of the sentence around it."""
    url = url.rstrip(_TRAILING)
    while url.endswith(")") and url.count(")") > url.count("("):
        url = url[:-1].rstrip(_TRAILING)
    return url


def _label(text: str) -> str:
    return " ".join(text.split()).casefold()
