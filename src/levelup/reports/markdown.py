"""Text from the ledger, made inert in Markdown: it reads the same and executes nothing.

Titles and details come from other people's systems (pull requests, Jira issues, calendar
invites). Placed into a ``.md`` report they must not become raw HTML (``<script>``,
``<img onerror>``), links (``[x](javascript:…)``) or headings and fences that break the document.
Only what Markdown would act on is escaped, so ordinary text stays readable in the raw file.
"""

from __future__ import annotations

import re

# `<` that opens a tag, comment, declaration or autolink; `&` that spells an entity; the
# brackets of links and images; a backslash that would cancel the escape after it.
_INLINE = re.compile(r"<(?=[A-Za-z/!?])|&(?=#?[A-Za-z0-9]+;)|[\[\]]|\\(?=[!-/:-@\[-`{-~])")
_INLINE_ESCAPES = {"<": "&lt;", "&": "&amp;", "[": "\\[", "]": "\\]", "\\": "\\\\"}

# What a line may start with to become a heading, quote, list item, rule, setext underline,
# code fence or table row; the first character found is escaped.
_BLOCK_START = re.compile(r"""
    \#{1,6}(?=\s|$)          # ATX heading
  | >                        # block quote
  | [-+*](?=\s|$)            # bullet list item
  | [-*_=](?=[-*_=\s]*$)     # thematic break, setext underline
  | `{3,} | ~{3,}            # code fence
  | \|                       # table row
""", re.VERBOSE)
_ORDERED = re.compile(r"(\d{1,9})([.)])(?=\s|$)")


def escape_markdown(text: str) -> str:
    """``text`` as Markdown that renders as that very text.

    Lines after the first lose their indentation and blank lines are dropped, so a multi-line
    detail stays inside the list item or paragraph it was placed in.
    """
    first, *rest = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [first, *(line.strip() for line in rest)]
    return "\n".join(_escape_line(line) for n, line in enumerate(lines) if line or not n)


def _escape_line(line: str) -> str:
    line = _INLINE.sub(lambda found: _INLINE_ESCAPES[found.group()], line)
    start = len(line) - len(line.lstrip())
    if _BLOCK_START.match(line, start):
        return line[:start] + "\\" + line[start:]
    ordered = _ORDERED.match(line, start)
    if ordered:
        return line[:ordered.end(1)] + "\\" + line[ordered.end(1):]
    return line
