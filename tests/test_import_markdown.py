"""`levelup import markdown`: a brag document with period and section headings."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from levelup.cli.common import Env
from levelup.domain.models import Entry
from levelup.importers.brag_periods import MONTH_HINT, Period
from levelup.importers.markdown import MarkdownImporter, UnreadableDate, parse_period
from levelup.store.entries import list_entries
from tests.conftest import invoke
from tests.utils.fuzz import entries_or_clean_error

BRAG = Path(__file__).parent / "fixtures" / "markdown" / "brag.md"


def stored(env: Env) -> dict[str, Entry]:
    with env.ctx.read() as conn:
        return {e.title: e for e in list_entries(conn, source="markdown")}


def test_headings_give_periods_sections_and_projects(env: Env) -> None:
    result = invoke(env, "import", "markdown", str(BRAG))
    assert result.exit_code == 0, result.output
    entries = stored(env)
    assert len(entries) == 8
    cache = entries["Shipped the checkout cache: p95 900 -> 200 ms"]
    assert (cache.kind, cache.date, cache.end_date) == ("win", date(2026, 3, 14), None)
    assert cache.details == "saved the team two days a week of firefighting"
    queue = entries["Led the payments migration to the new queue"]
    assert (queue.date, queue.end_date, queue.details) == (
        date(2026, 1, 1), date(2026, 3, 31), "with zero downtime")
    ana = entries["Onboarded Ana; she shipped her first feature on Feb 3"]
    assert (ana.kind, ana.date) == ("mentoring", date(2026, 2, 3))
    assert entries["Started the testing guild"].kind == "mentoring"
    load = entries["Ran the checkout load test before the sale"]
    assert (load.project, load.kind, load.date, load.end_date) == (
        "Checkout", "win", date(2026, 4, 1), date(2026, 4, 30))
    outage = entries["Apr 18 – Payments outage, led the response"]
    assert (outage.kind, outage.date) == ("incident", date(2026, 4, 18))
    rfc, talk = entries["Write the caching RFC"], entries["Present the cache at the all-hands"]
    assert (rfc.kind, rfc.status, talk.status) == ("plan", "open", "done")


def test_range_dry_run_and_idempotence(env: Env) -> None:
    result = invoke(env, "import", "markdown", str(BRAG), "--since", "2026-04-01", "--dry-run")
    assert result.exit_code == 0 and "would import 4 entries" in result.output
    assert stored(env) == {}
    assert invoke(env, "import", "markdown", str(BRAG)).exit_code == 0
    again = invoke(env, "import", "markdown", str(BRAG), "--json")
    summary = json.loads(again.stdout)
    assert (summary["new"], summary["unchanged"], summary["formats"]) == (
        0, 8, ["markdown-brag"])


def test_undated_bullets_and_wrong_files(env: Env, tmp_path: Path) -> None:
    doc = tmp_path / "brag.md"
    doc.write_text("## March 2026\n- Dated by its heading\n\n## Ideas\n- No date at all\n")
    result = invoke(env, "import", "markdown", str(doc))
    assert result.exit_code == 2
    assert f"{doc}:5: no date: put it under a dated heading" in result.output
    assert stored(env) == {}
    assert invoke(env, "import", "markdown", str(doc), "--skip-bad").exit_code == 0
    assert list(stored(env)) == ["Dated by its heading"]
    prose = tmp_path / "notes.md"
    prose.write_text("# Notes\n\nJust prose, no list.\n")
    result = invoke(env, "import", "markdown", str(prose))
    assert result.exit_code == 2 and f"{prose}:1: no bullet points found" in result.output


def test_period_headings() -> None:
    cases = {
        "2026": (date(2026, 1, 1), date(2026, 12, 31)),
        "Q3 2026": (date(2026, 7, 1), date(2026, 9, 30)),
        "2026-Q1 — payments": (date(2026, 1, 1), date(2026, 3, 31)),
        "H2 2026": (date(2026, 7, 1), date(2026, 12, 31)),
        "Sept 2026": (date(2026, 9, 1), date(2026, 9, 30)),
        "2026-02": (date(2026, 2, 1), date(2026, 2, 28)),
        "Week of 2026-03-02": (date(2026, 3, 2), date(2026, 3, 8)),
        "December 31, 2026": (date(2026, 12, 31), date(2026, 12, 31)),
        "2026-W01": (date(2025, 12, 29), date(2026, 1, 4)),
        "Week ending Friday March 6, 2026": (date(2026, 2, 28), date(2026, 3, 6)),
        "3–7 March 2026": (date(2026, 3, 3), date(2026, 3, 7)),
        "Dec 28, 2026 to Jan 3, 2027": (date(2026, 12, 28), date(2027, 1, 3)),
        "Dec 28 – Jan 3, 2027": (date(2026, 12, 28), date(2027, 1, 3)),
        "28 Feb—6 Mar 2026": (date(2026, 2, 28), date(2026, 3, 6)),
    }
    for text, (start, end) in cases.items():
        period = parse_period(text)
        assert period is not None and (period.start, period.end) == (start, end), text
    assert parse_period("Wins") is None
    for unreadable in ("Feb 30, 2026", "2026-W54", "Mar 13 - Mar 2, 2026", "03/02/2026",
                       "Week 10", "Week of March 3"):
        with pytest.raises(UnreadableDate):
            parse_period(unreadable)


def test_week_and_range_headings_take_their_days(env: Env, tmp_path: Path) -> None:
    """A week is seven days from the day it names (an ISO week: Monday to Sunday); a range
    runs from its first day to its last; the year may come from the heading above."""
    doc = tmp_path / "brag.md"
    doc.write_text("# 2026\n## Week of March 3\n- In that week\n## 2026-W10\n- In W10\n"
                   "## March 3–7, 2026\n- Five days\n## Mar 2 - Mar 13, 2026\n- Two weeks\n"
                   "## Sprint 12 (2026-03-02 → 2026-03-13)\n- In sprint 12\n"
                   "## April 27 to May 1\n### Wins\n- Into May\n- Shipped it on Apr 29\n")
    import_json(env, doc)
    periods = {title: (e.date, e.end_date) for title, e in stored(env).items()}
    assert periods == {
        "In that week": (date(2026, 3, 3), date(2026, 3, 9)),
        "In W10": (date(2026, 3, 2), date(2026, 3, 8)),
        "Five days": (date(2026, 3, 3), date(2026, 3, 7)),
        "Two weeks": (date(2026, 3, 2), date(2026, 3, 13)),
        "In sprint 12": (date(2026, 3, 2), date(2026, 3, 13)),
        "Into May": (date(2026, 4, 27), date(2026, 5, 1)),
        "Shipped it on Apr 29": (date(2026, 4, 29), None),
    }


def test_a_heading_with_a_date_it_cannot_read_skips_its_bullets(env: Env,
                                                                 tmp_path: Path) -> None:
    """Not the whole year above: the bullets are skipped, unless they carry their own day."""
    doc = tmp_path / "brag.md"
    doc.write_text("# 2026\n## Week 10\n- Cut CI time\n- Fixed the flaky test on Mar 5\n"
                   "## Feb 30, 2026\n### Wins\n- Shipped the cache\n## March\n- In March\n")
    result = invoke(env, "import", "markdown", str(doc))
    assert result.exit_code == 2
    assert (f"{doc}:3: its heading at {doc}:2 ('Week 10') holds a date this importer cannot "
            "read") in result.output
    assert stored(env) == {}
    summary = import_json(env, doc, "--skip-bad")
    skipped = summary["skipped"]
    assert isinstance(skipped, list) and [s["where"] for s in skipped] == [f"{doc}:3",
                                                                           f"{doc}:7"]
    assert f"heading at {doc}:5 ('Feb 30, 2026')" in skipped[1]["reason"]
    periods = {title: (e.date, e.end_date) for title, e in stored(env).items()}
    assert periods == {"Fixed the flaky test on Mar 5": (date(2026, 3, 5), None),
                       "In March": (date(2026, 3, 1), date(2026, 3, 31))}


def test_front_matter_is_not_read_as_bullets(env: Env, tmp_path: Path) -> None:
    doc = tmp_path / "brag2.md"
    doc.write_text("---\ntitle: Brag document\ntags:\n  - brag\n  - 2026\n---\n"
                   "## March 2026\n- Cut CI time\n\n---\n- After a rule\n")
    summary = import_json(env, doc)
    assert (summary["new"], summary["skipped"]) == (2, [])
    assert sorted(stored(env)) == ["After a rule", "Cut CI time"]
    unclosed = tmp_path / "rule.md"  # no closing line: a rule, not front matter
    unclosed.write_text("---\n- Undated\n")
    assert invoke(env, "import", "markdown", str(unclosed)).exit_code == 2


def test_table_rows_are_reported_not_dropped(env: Env, tmp_path: Path) -> None:
    doc = tmp_path / "brag.md"
    doc.write_text("## March 2026\n- Cut CI time\n\n| Date | What | Impact |\n"
                   "|------|:-----|-------:|\n| 2026-03-20 | Cut p99 latency | 900 -> 250 ms |\n"
                   "| 2026-03-24 | Ran the game day | 3 fixes |\n\n## April 2026\n"
                   "| 2026-04-02 | Wrote the RFC |\n- [ ] Present it\n  | inside | a bullet |\n")
    summary = import_json(env, doc)
    assert summary["new"] == 2
    assert summary["notes"] == [f"{doc}:4: 3 table rows were not read: bullets are entries "
                                "(write each as '- ...')"]


def import_json(env: Env, path: Path | str, *args: str) -> dict[str, object]:
    result = invoke(env, "import", "markdown", str(path), *args, "--json")
    assert result.exit_code == 0, result.output
    summary: dict[str, object] = json.loads(result.stdout)
    return summary


def test_reference_links_read_as_their_text_and_links(env: Env, tmp_path: Path) -> None:
    doc = tmp_path / "brag.md"
    doc.write_text(
        "## March 2026\n- Shipped [the cache][PR 12] and cut p95 by 70%\n"
        "[pr  12]: https://github.com/acme/shop/pull/12\n"
        "- Wrote the [RFC]\n- Mentored [Bob][] on on-call\n"
        "- Kept [an undefined][nowhere] reference and ![a chart][rfc]\n\n"
        "[RFC]: <https://docs.example.com/rfc-7> \"The RFC\"\n"
        "- [x] Closed the SSO ticket\n\n"
        "[bob]: https://example.com/bob 'Bob'\n[rfc]: https://example.com/second\n"
        "[x]: https://example.com/x\n")
    summary = import_json(env, doc)
    assert summary["new"] == 5
    assert stored(env)["Closed the SSO ticket"].status == "done"  # a box, not a reference
    links = {title: entry.links for title, entry in stored(env).items()}
    assert links == {
        "Shipped the cache and cut p95 by 70%": ["https://github.com/acme/shop/pull/12"],
        "Wrote the RFC": ["https://docs.example.com/rfc-7"],
        "Mentored Bob on on-call": ["https://example.com/bob"],
        "Kept [an undefined][nowhere] reference and ![a chart][rfc]": [],
        "Closed the SSO ticket": [],
    }


def test_month_quarter_and_half_headings_take_the_year_above(env: Env, tmp_path: Path) -> None:
    doc = tmp_path / "brag.md"
    doc.write_text("# Brag document — Ada (2026)\n## March\n- In March\n## q2\n- In Q2\n"
                   "### SEPT\n- In September\n## **Dec**\n- In December\n"
                   "## H2 goals\n- In H2\n## Marching orders\n- All year\n")
    import_json(env, doc)
    periods = {title: (e.date, e.end_date) for title, e in stored(env).items()}
    assert periods == {
        "In March": (date(2026, 3, 1), date(2026, 3, 31)),
        "In Q2": (date(2026, 4, 1), date(2026, 6, 30)),
        "In September": (date(2026, 9, 1), date(2026, 9, 30)),
        "In December": (date(2026, 12, 1), date(2026, 12, 31)),
        "In H2": (date(2026, 7, 1), date(2026, 12, 31)),
        "All year": (date(2026, 1, 1), date(2026, 12, 31)),
    }


def test_continuations_nested_bullets_and_links(env: Env, tmp_path: Path) -> None:
    doc = tmp_path / "brag.md"
    doc.write_text(
        "## March 2026\n"
        "- Shipped the [checkout cache](https://example.com/pr/812 \"PR\"): p95 900 -> 200 ms\n"
        "  - rolled out behind a flag\n\n"
        "  - see the [runbook](https://example.com/2025-01-02/runbook)\n\n"
        "  Took three sprints; saved $40k/yr.\n"
        "  More of that paragraph.\n\n"
        "- Cut CI time\n    1. cache layer\n    2. parallel tests\n\n"
        "Notes that belong to no bullet.\n")
    import_json(env, doc)
    entries = stored(env)
    assert sorted(entries) == ["Cut CI time", "Shipped the checkout cache: p95 900 -> 200 ms"]
    cache = entries["Shipped the checkout cache: p95 900 -> 200 ms"]
    assert cache.details == ("rolled out behind a flag\n\nsee the [runbook]"
                             "(https://example.com/2025-01-02/runbook)\n\n"
                             "Took three sprints; saved $40k/yr.\nMore of that paragraph.")
    assert cache.links == ["https://example.com/pr/812",
                           "https://example.com/2025-01-02/runbook"]
    assert (cache.date, cache.end_date) == (date(2026, 3, 1), date(2026, 3, 31))
    assert entries["Cut CI time"].details == "cache layer\nparallel tests"


def test_a_whole_import_retracts_bullets_gone_from_the_document(env: Env,
                                                                 tmp_path: Path) -> None:
    doc = tmp_path / "brag.md"
    doc.write_text("## March 2026\n- Cut CI time\n- Mentored Bob\n- Wrote the RFC\n")
    import_json(env, doc)
    ids = {title: e.id for title, e in stored(env).items()}
    assert invoke(env, "confirm", str(ids["Wrote the RFC"])).exit_code == 0
    doc.write_text("## March 2026\n- Cut CI time with caching\n- Mentored Bob\n")
    assert import_json(env, doc, "--since", "2026-01-01")["removed"] == 0  # not whole
    (tmp_path / "sub").mkdir()
    summary = import_json(env, tmp_path / "sub" / ".." / "brag.md")  # the same file
    assert (summary["new"], summary["removed"], summary["unchanged"]) == (0, 1, 2)
    assert summary["kept"] == [{"where": f"entry {ids['Wrote the RFC']} 'Wrote the RFC'",
                                "reason": "no longer stands, kept because you added to it"}]
    assert sorted(stored(env)) == ["Cut CI time with caching", "Mentored Bob", "Wrote the RFC"]
    assert import_json(env, doc)["unchanged"] == 2


def test_an_import_that_skipped_a_bullet_retracts_nothing(env: Env, tmp_path: Path) -> None:
    """A bullet it could not read may be one it imported before: it is not known to be gone."""
    doc = tmp_path / "brag.md"
    doc.write_text("## March 2026\n- Cut CI time\n- Mentored Bob\n")
    import_json(env, doc)
    doc.write_text("- Mentored Bob\n## March 2026\n- Cut CI time\n")  # now without a date
    summary = import_json(env, doc, "--skip-bad")
    assert (len(summary["skipped"]), summary["removed"]) == (1, 0)
    assert sorted(stored(env)) == ["Cut CI time", "Mentored Bob"]


def test_a_bullet_another_document_holds_stays(env: Env, tmp_path: Path) -> None:
    first, second = tmp_path / "a.md", tmp_path / "b.md"
    first.write_text("## March 2026\n- Mentored Bob\n- Cut CI time\n")
    second.write_text("## March 2026\n- Mentored Bob\n")
    import_json(env, first)
    import_json(env, second)
    first.write_text("## March 2026\n- Cut CI time\n")
    assert import_json(env, first)["removed"] == 0
    assert sorted(stored(env)) == ["Cut CI time", "Mentored Bob"]


def test_month_and_quarter_range_headings_take_the_whole_span(env: Env,
                                                              tmp_path: Path) -> None:
    """From the first day of the first month to the last day of the last, across New Year
    with the year of each end; a bullet's own day still wins, in the right year."""
    doc = tmp_path / "brag.md"
    doc.write_text("## Jan–Mar 2026\n- En dash\n## January - March 2026\n- Long names\n"
                   "## Jan to Mar 2026\n- With to\n## Nov 2025 – Feb 2026\n- Winter\n"
                   "- Fixed the alerting on Jan 3\n### Jan\n- In that January\n"
                   "## H1 2026\n- First half\n## Q1–Q2 2026\n- Two quarters\n"
                   "## 2026-Q3 → 2026-Q4\n- Second half\n# 2027\n## Sep–Oct\n- Year above\n"
                   "# 2024–2025\n- Two years\n")
    import_json(env, doc)
    periods = {title: (e.date, e.end_date) for title, e in stored(env).items()}
    q1, h1 = (date(2026, 1, 1), date(2026, 3, 31)), (date(2026, 1, 1), date(2026, 6, 30))
    assert periods == {
        "En dash": q1, "Long names": q1, "With to": q1,
        "Winter": (date(2025, 11, 1), date(2026, 2, 28)),
        "Fixed the alerting on Jan 3": (date(2026, 1, 3), None),
        "In that January": (date(2026, 1, 1), date(2026, 1, 31)),
        "First half": h1, "Two quarters": h1,
        "Second half": (date(2026, 7, 1), date(2026, 12, 31)),
        "Year above": (date(2027, 9, 1), date(2027, 10, 31)),
        "Two years": (date(2024, 1, 1), date(2025, 12, 31)),
    }


def test_a_month_range_it_cannot_read_skips_its_bullets(env: Env, tmp_path: Path) -> None:
    """Backwards, open-ended, half a day and half a month: never a single month instead."""
    year = Period(date(2026, 1, 1), date(2026, 12, 31))
    for unreadable in ("Mar–Jan 2026", "Q3 - Q1 2026", "Nov – Feb 2026", "Q1–Q5 2026",
                       "March 2026 – present", "Jan 5 – Mar 2026", "Jan 2026 to Mar 5",
                       "2026–2025"):
        with pytest.raises(UnreadableDate):
            parse_period(unreadable, year)
    with pytest.raises(UnreadableDate):
        parse_period("Jan–Mar")  # no year, and none above
    doc = tmp_path / "brag.md"
    doc.write_text("# 2026\n## Mar–Jan\n- Backwards\n## Q2–Q3\n- Readable\n")
    summary = import_json(env, doc, "--skip-bad")
    assert summary["skipped"] == [{
        "where": f"{doc}:3", "reason": f"its heading at {doc}:2 ('Mar–Jan') holds a date this "
                                       f"importer cannot read: {MONTH_HINT}"}]
    assert {t: (e.date, e.end_date) for t, e in stored(env).items()} == {
        "Readable": (date(2026, 4, 1), date(2026, 9, 30))}


MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")


@given(first=st.tuples(st.integers(2020, 2030), st.integers(1, 12)),
       last=st.tuples(st.integers(2020, 2030), st.integers(1, 12)),
       short=st.booleans(), to=st.sampled_from(["-", " – ", "—", " to ", " → ", " through "]))
def test_a_range_of_months_spans_them_or_is_unreadable(first: tuple[int, int],
                                                        last: tuple[int, int], short: bool,
                                                        to: str) -> None:
    def name(month: int) -> str:
        return MONTH_NAMES[month - 1][:3] if short else MONTH_NAMES[month - 1]

    text = f"{name(first[1])} {first[0]}{to}{name(last[1])} {last[0]}"
    if last < first:
        with pytest.raises(UnreadableDate):
            parse_period(text)
        return
    end = date(last[0] + last[1] // 12, last[1] % 12 + 1, 1)
    assert parse_period(text) == Period(date(*first, 1), date.fromordinal(end.toordinal() - 1))


def moved(tmp_path: Path, bullets: list[str]) -> tuple[Path, Path]:
    """A brag document at notes/brag.md and the path it will move to, brag/2026.md."""
    (tmp_path / "notes").mkdir()
    (tmp_path / "brag").mkdir()
    old = tmp_path / "notes" / "brag.md"
    old.write_text("## March 2026\n" + "".join(f"- {bullet}\n" for bullet in bullets))
    return old, tmp_path / "brag" / "2026.md"


def test_a_moved_document_still_retracts_what_was_removed(env: Env, tmp_path: Path) -> None:
    """Recognised by its bullets once its old path is gone: nothing is left behind, not at
    the move and not later (the old path's cursor no longer holds its bullets)."""
    bullets = ["Cut CI time", "Mentored Bob", "Wrote the RFC", "Ran the game day"]
    old, new = moved(tmp_path, bullets)
    import_json(env, old)
    old.rename(new)
    new.write_text("## March 2026\n- Cut CI time\n- Mentored Bob\n- Ran the game day\n")
    summary = import_json(env, new)
    assert (summary["new"], summary["unchanged"], summary["removed"]) == (0, 3, 1)
    assert summary["notes"] == [
        f"{new}: read as {old} moved here (3 of its 4 bullets are in it, and {old} no longer "
        "exists): its bullets gone since its last import are retracted"]
    new.write_text("## March 2026\n- Cut CI time\n- Ran the game day\n")
    summary = import_json(env, new)
    assert (summary["removed"], summary["notes"]) == (1, [])
    assert sorted(stored(env)) == ["Cut CI time", "Ran the game day"]


def test_another_document_is_not_taken_for_a_moved_one(env: Env, tmp_path: Path) -> None:
    """A copy whose first path still exists, or a gone document with few bullets in common,
    is another document: the bullets it gave stay."""
    old, copy = moved(tmp_path, ["Cut CI time", "Mentored Bob", "Wrote the RFC"])
    import_json(env, old)
    copy.write_text("## March 2026\n- Cut CI time\n- Mentored Bob\n")
    summary = import_json(env, copy)
    assert (summary["removed"], summary["notes"]) == (0, [])
    copy.unlink()
    old.rename(tmp_path / "other.md")
    (tmp_path / "other.md").write_text("## March 2026\n- Cut CI time\n- Led the offsite\n")
    summary = import_json(env, tmp_path / "other.md")
    assert (summary["removed"], summary["notes"]) == (0, [])
    assert sorted(stored(env)) == ["Cut CI time", "Led the offsite", "Mentored Bob",
                                   "Wrote the RFC"]


def test_the_bigger_part_of_a_split_document_is_not_taken_for_it(env: Env,
                                                                 tmp_path: Path) -> None:
    """brag.md split into two files and deleted: the part with 3 of its 5 bullets is not
    the document moved, so the other part's bullets are not retracted before it is read."""
    titles = ["Cut CI time", "Mentored Bob", "Wrote the RFC", "Led the offsite", "Fixed SSO"]
    old, _ = moved(tmp_path, titles)
    import_json(env, old)
    old.unlink()
    bigger = tmp_path / "bigger.md"
    bigger.write_text("## March 2026\n" + "".join(f"- {t}\n" for t in titles[:3]))
    summary = import_json(env, bigger)
    assert (summary["removed"], summary["notes"]) == (0, [])
    assert sorted(stored(env)) == sorted(titles)


MARKDOWNISH = st.lists(st.one_of(
    st.text(max_size=30),
    st.builds(lambda h, t: f"{'#' * h} {t}", st.integers(1, 6),
              st.sampled_from(["2026 Q1", "March 2026", "Wins", "Q9 2026", "2026-13", "",
                              "Jan–Mar 2026", "Mar–Jan", "Q1 to Q5 2026", "Nov 2025 - Feb"])),
    st.builds(lambda i, t: f"{' ' * i}- {t}", st.integers(0, 4), st.text(max_size=30)),
    st.sampled_from(["- [x] done", "```", "- Feb 30 2026", "* 2026-02-30 bad day", "1. x",
                     "[x]: https://example.com/x", "- [a][x] and [x] and [x][]", "[]: <>"]),
), max_size=15).map("\n".join)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=MARKDOWNISH)
def test_any_text_gives_records_or_one_clean_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "fuzz.md"
    path.write_text(text, encoding="utf-8")
    for entry in entries_or_clean_error(MarkdownImporter(), path):
        assert entry.source_id and (entry.end_date is None or entry.end_date > entry.date)
