"""Reference-style Markdown links in a brag document, made inline before it is read.

``[text][label]``, ``[label][]`` and ``[label]`` point at a definition line such as
``[label]: https://example.com "Title"`` elsewhere in the document (labels ignore case and
runs of spaces; the first definition of a label wins). Each reference becomes
``[text](url)``, which the importer reads as its text and a link; the definition lines become
empty lines, so that line numbers stay as written and no definition is read as part of a
bullet. A reference without a definition, and images (``![alt][label]``), stay as they are.
"""

from __future__ import annotations

import re

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


def _label(text: str) -> str:
    return " ".join(text.split()).casefold()
