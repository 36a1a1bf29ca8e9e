"""Reading JSON saved with ``gh api``: a list of pull requests or issues, search results
``{"items": [...]}``, ``--paginate`` output (documents back to back) or ``--slurp`` output (one
array of pages), and the reviews of pull requests. Each item is named by the line it starts on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from levelup.importers.common import BadInput, item_lines, json_documents

# What `gh pr list --json`/`gh search prs --json` name differently from the REST API.
GH_CLI_FIELDS = frozenset({"url", "createdAt", "updatedAt", "closedAt", "mergedAt", "author",
                           "isDraft"})
GH_CLI_OUTPUT = ("this is `gh pr list`/`gh search --json` output, which levelup does not read: "
                 "save with `gh api --paginate 'search/issues?q=type:pr+author:LOGIN'` instead "
                 "(see README)")


def file_items(path: str, text: str) -> list[tuple[int, Any]]:
    """(line where it starts, object) for every item of the documents in a saved file; none
    for an empty list or search (a pull request nobody reviewed, a search that found none)."""
    found = [item for line, doc_text, doc in json_documents(path, text)
             for item in _document_items(path, line, doc_text, doc)]
    cli = next((line for line, raw in found if _is_gh_cli(raw)), None)
    if cli is not None:
        raise BadInput(f"{path}:{cli}: {GH_CLI_OUTPUT}")
    return found


def _document_items(path: str, line: int, doc_text: str, doc: Any) -> list[tuple[int, Any]]:
    """(line, object) of the items of one document starting on ``line``: a list of them,
    search results, a single one, or pages of those in one array (``--paginate --slurp``)."""
    if _is_page(doc) and isinstance(doc, dict):
        return _located(line, item_lines(doc_text, "items"), doc["items"])
    if isinstance(doc, dict) and ("html_url" in doc or _is_gh_cli(doc)):
        return [(line, doc)]  # a single pull request or issue
    if isinstance(doc, list) and any(_is_page(part) for part in doc):
        return [found for (at, text), part in zip(_parts(doc_text), doc, strict=True)
                for found in (_document_items(path, line + at - 1, text, part)
                              if _is_page(part) else [(line + at - 1, part)])]
    if isinstance(doc, list):
        return _located(line, item_lines(doc_text), doc)
    raise BadInput(f"{path}:{line}: not GitHub JSON: expected a list of pull requests, issues "
                   "or reviews, or search results with 'items'")


def _is_page(doc: Any) -> bool:
    """A page of ``gh api`` output: a list, or search results with their ``items``."""
    return isinstance(doc, list) or isinstance(doc, dict) and isinstance(doc.get("items"), list)


def _located(line: int, lines: list[int], items: list[Any]) -> list[tuple[int, Any]]:
    """Items paired with their lines, counted in the file from a document on ``line``."""
    return [(line + at - 1, item) for at, item in zip(lines, items, strict=True)]


def _parts(text: str) -> Iterator[tuple[int, str]]:
    """(line from 1, text) of each element of the valid JSON array that ``text`` is."""
    decoder = json.JSONDecoder()
    pos, line, counted = _next_part(text, text.index("[") + 1), 1, 0
    while text[pos] != "]":
        end = decoder.raw_decode(text, pos)[1]
        line, counted = line + text.count("\n", counted, pos), pos
        yield line, text[pos:end]
        pos = _next_part(text, end)


def _next_part(text: str, pos: int) -> int:
    """Past the blanks and comma between two elements of a valid JSON array."""
    while text[pos] in " \t\n\r,":
        pos += 1
    return pos


def _is_gh_cli(raw: Any) -> bool:
    """An object in the shape ``gh pr list --json`` and ``gh search --json`` write."""
    return isinstance(raw, dict) and "html_url" not in raw and bool(GH_CLI_FIELDS & raw.keys())
