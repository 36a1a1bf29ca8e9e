"""`levelup import markdown`: text pasted from docs and chats, code spans, links of any
kind, and what a whole import that skipped a bullet says."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from levelup.cli.common import Env
from tests.test_import_markdown import import_json, stored


def test_bullets_pasted_from_docs_and_chats_are_entries(env: Env, tmp_path: Path) -> None:
    """• ● – are bullets like - * +, after a bullet (not its details) and on their own."""
    doc = tmp_path / "brag.md"
    doc.write_text("# 2026\n## October\n- Shipped the reranker\n• Led the vendor evaluation\n"
                   "•Ran the security review\n\n## November\n– Wrote the migration guide\n"
                   "●\tMentored Ana\n  ○ paired on her first on-call\n"
                   "- [x] Closed the SSO ticket\n▪ [ ] Present the cache\n")
    assert import_json(env, doc)["new"] == 7
    entries = stored(env)
    october, november = (date(2026, 10, 1), date(2026, 10, 31)), (date(2026, 11, 1),
                                                                   date(2026, 11, 30))
    assert {title: (e.date, e.end_date) for title, e in entries.items()} == {
        "Shipped the reranker": october, "Led the vendor evaluation": october,
        "Ran the security review": october, "Wrote the migration guide": november,
        "Mentored Ana": november, "Closed the SSO ticket": november,
        "Present the cache": november,
    }
    assert entries["Shipped the reranker"].details == ""
    assert entries["Mentored Ana"].details == "paired on her first on-call"
    assert entries["Present the cache"].status == "open"


def test_code_spans_keep_their_underscores_and_stars(env: Env, tmp_path: Path) -> None:
    doc = tmp_path / "brag.md"
    doc.write_text("## November 2026\n- Fixed the `__init__` import cycle in `core/__init__.py`\n"
                   "- Made ``**kwargs`` forwarding work in the **client**\n"
                   "- Documented `[x](y)` and __bold__ [links](https://example.com/docs)\n")
    import_json(env, doc)
    entries = stored(env)
    assert sorted(entries) == [
        "Documented `[x](y)` and bold links",
        "Fixed the `__init__` import cycle in `core/__init__.py`",
        "Made ``**kwargs`` forwarding work in the client",
    ]
    assert entries["Documented `[x](y)` and bold links"].links == ["https://example.com/docs"]


def test_autolinks_bare_urls_and_urls_with_parentheses_are_links(env: Env,
                                                                  tmp_path: Path) -> None:
    doc = tmp_path / "brag.md"
    doc.write_text(
        "## March 2026\n- Shipped the cache <https://github.com/acme/shop/pull/12>\n"
        "  (see https://docs.example.com/cache.) and `curl https://localhost:8080`\n"
        "- Wrote up [Amdahl](https://en.wikipedia.org/wiki/Amdahl%27s_law_(computing))\n"
        "- Drew ![a chart](https://example.com/chart.png) of https://grafana.example.com/d/1,\n")
    import_json(env, doc)
    links = {title: entry.links for title, entry in stored(env).items()}
    assert links == {
        "Shipped the cache https://github.com/acme/shop/pull/12": [
            "https://github.com/acme/shop/pull/12", "https://docs.example.com/cache"],
        "Wrote up Amdahl": ["https://en.wikipedia.org/wiki/Amdahl%27s_law_(computing)"],
        "Drew ![a chart](https://example.com/chart.png) of https://grafana.example.com/d/1,": [
            "https://grafana.example.com/d/1"],
    }


def test_an_import_that_skipped_a_bullet_says_what_it_did_not_remove(env: Env,
                                                                      tmp_path: Path) -> None:
    """Nothing is removed while a bullet is skipped (it may be one of those gone), and the
    summary says so; once the bullet reads again, what is gone is removed."""
    doc = tmp_path / "brag.md"
    doc.write_text("# 2026\n## October\n- Shipped the reranker\n- Led the on-call handover\n"
                   "## Week 44\n- Paired with Bob\n")
    assert import_json(env, doc, "--skip-bad")["notes"] == []
    doc.write_text("# 2026\n## October\n- Shipped the reranker\n## Week 44\n- Paired with Bob\n")
    summary = import_json(env, doc, "--skip-bad")
    assert (summary["removed"], summary["notes"]) == (0, [
        f"{doc}: 1 entry not removed though its bullet is gone (deleted or edited), since a "
        "skipped bullet may be it: fix the skipped bullets and import again"])
    assert sorted(stored(env)) == ["Led the on-call handover", "Shipped the reranker"]
    doc.write_text("# 2026\n## October\n- Shipped the reranker\n## Week of October 26\n"
                   "- Paired with Bob\n")
    summary = import_json(env, doc)
    assert (summary["new"], summary["removed"], summary["notes"]) == (1, 1, [])
    assert sorted(stored(env)) == ["Paired with Bob", "Shipped the reranker"]


def test_a_heading_that_names_a_day_without_a_year_says_so(env: Env, tmp_path: Path) -> None:
    doc = tmp_path / "brag.md"
    doc.write_text("# Brag doc\n\n## 2026\n- Kicked off the year\n\n## Week of March 2\n"
                   "- Paired with Bob on the migration\n")
    summary = import_json(env, doc, "--skip-bad")
    assert summary["skipped"] == [{
        "where": f"{doc}:7",
        "reason": f"its heading at {doc}:6 ('Week of March 2') names a day but no year: put "
                  "it under a year heading such as '# 2026', or write the year in it"}]
