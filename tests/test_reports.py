"""Every report kind renders in every format from a factory-built ledger, and says only what was
recorded."""

from __future__ import annotations

import io
from email import message_from_string
from email.message import Message
from html import unescape
from pathlib import Path

import pytest

from levelup.cli.common import Env
from levelup.reports.model import KINDS, Report
from levelup.reports.renderers import formats
from levelup.services import reports as service
from tests import factories as f
from tests.conftest import invoke


@pytest.fixture
def made(env: Env) -> dict[str, f.Entry]:
    with env.ctx.begin() as conn:
        return f.ledger(conn)


def build(env: Env, kind: str, **options: str) -> Report:
    return service.build_report(env.ctx, kind=kind, **options)


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def text_of(env: Env, report: Report, fmt: str) -> str:
    rendered = service.render_report(env.ctx, report=report, fmt=fmt, to="boss@example.com").data
    if isinstance(rendered, bytes):
        return pdf_text(rendered)
    if fmt == "eml":
        parts = message_from_string(rendered).walk()
        return unescape("\n".join(str(p.get_payload(decode=True), "utf-8") for p in parts
                                  if not p.is_multipart()))
    return unescape(rendered)


@pytest.mark.parametrize("fmt", formats())
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_renders_in_every_format(env: Env, made: dict[str, f.Entry], kind: str,
                                            fmt: str) -> None:
    report = build(env, kind)
    text = text_of(env, report, fmt)
    assert made["win"].title in " ".join(text.split())  # PDF text may wrap lines
    assert "Ada Lovelace" in text
    shown = text.replace("\u00a0", " ")
    assert "p99 latency: 900 → 250 ms, −72%" in shown or kind == "agenda" and fmt == "pdf"


@pytest.mark.parametrize("kind", ["review", "packet"])
def test_pdf_text_has_the_competency_sections(env: Env, made: dict[str, f.Entry],
                                              kind: str) -> None:
    data = service.render_report(env.ctx, report=build(env, kind), fmt="pdf").data
    assert isinstance(data, bytes) and data.startswith(b"%PDF")
    text = pdf_text(data)
    for competency in ("Craft", "Delivery", "Ownership", "Mentoring", "Collaboration"):
        assert f"\n{competency}\n" in text


def test_html_is_self_contained_with_an_inline_svg_chart(env: Env, made: dict[str, f.Entry]
                                                         ) -> None:
    html = text_of(env, build(env, "packet"), "html")
    assert "<svg" in html and "<style>" in html
    assert "<link" not in html and "<script" not in html and "src=" not in html


def test_weekly_has_this_weeks_wins_and_not_last_months(env: Env,
                                                        made: dict[str, f.Entry]) -> None:
    result = invoke(env, "report", "weekly")
    assert result.exit_code == 0, result.output
    assert made["win"].title in result.output
    assert made["prevention"].title in result.output
    assert made["old"].title not in result.output
    assert "index time" not in result.output


def test_weekly_shows_what_became_of_last_weeks_plans(env: Env, made: dict[str, f.Entry]
                                                      ) -> None:
    out = invoke(env, "report", "weekly").output
    assert "Ship the retry budget — done" in out
    assert "Rewrite the cache layer — dropped" in out
    assert out.index("Next week:") < out.index("Write the rollout doc for checkout")


def test_weekly_lists_invisible_work_risks_feedback_and_asks(env: Env,
                                                             made: dict[str, f.Entry]) -> None:
    out = invoke(env, "report", "weekly", "--ask", "A second reviewer for the rollout",
                 "--feedback").output
    assert made["invisible"].title in out
    assert f"Incident: {made['incident'].title}" in out
    assert "Share a one-page design before each project (open)" in out
    assert "## Asks\n- A second reviewer for the rollout" in out


def test_entry_without_metric_is_phrased_without_a_number(env: Env,
                                                          made: dict[str, f.Entry]) -> None:
    out = invoke(env, "report", "weekly").output
    line = next(row for row in out.splitlines() if made["plain"].title in row and "**" in row)
    assert not any(ch.isdigit() for ch in line)


def test_agenda_tells_stories_since_the_last_one_on_one(env: Env,
                                                        made: dict[str, f.Entry]) -> None:
    out = invoke(env, "report", "agenda").output
    assert "Since our last 1:1 on 2026-11-13" in out
    story = out[out.index(f"### {made['win'].title}"):]
    story = story.replace("\u00a0", " ")
    for part in ("**Context:** Project checkout. Customers abandoned carts during peak hours",
                 "**Why it mattered:** it served the SLA",
                 "**Result now:** p99 latency: 900 → 250 ms, −72%",
                 "**Result later:** “Checkout finally feels instant” (Katherine Johnson)"):
        assert part in story
    assert "**What it prevents:** pages per week: 12\u00a0→\u00a03, −75%" in out
    assert made["old"].title not in out


def test_agenda_asks_a_question_not_asked_recently_and_a_career_item(
        env: Env, made: dict[str, f.Entry]) -> None:
    out = invoke(env, "report", "agenda").output
    assert "## Question for you\n- Am I working on the right projects?" in out
    assert "I want to be promoted to L4" in out
    with env.ctx.begin() as conn:
        f.conversation(conn, day=f.days_ago(1), kind="career", aspiration=True)
    assert "I want to be promoted" not in invoke(env, "report", "agenda").output


def test_packet_sets_evidence_against_the_ladder_and_shows_who_saw_what(
        env: Env, made: dict[str, f.Entry]) -> None:
    out = invoke(env, "report", "packet").output
    assert "making the case for L4" in out
    assert "*Expected at L4:*" in out
    assert "Who has seen what" not in out and "Alan Turing (decision maker)" not in out
    assert "- Delivery: 2026-10" in out
    private = invoke(env, "report", "packet", "--preview").output
    assert "- Alan Turing (decision maker): Migrated search to the new cluster" in private
    assert "“Checkout finally feels instant” — Katherine Johnson" in out


def test_preview_notes_never_reach_the_sent_version(env: Env, made: dict[str, f.Entry]) -> None:
    private = invoke(env, "report", "weekly", "--preview").output
    assert "Private preview" in private and "missing a metric" in private
    assert "Private preview" not in invoke(env, "report", "weekly").output
    eml = invoke(env, "report", "weekly", "--format", "eml", "--preview").output
    assert "Private preview" not in eml and "missing a metric" not in eml


def test_eml_is_a_standard_message_with_text_and_html(env: Env, made: dict[str, f.Entry]
                                                      ) -> None:
    out = invoke(env, "report", "agenda", "--format", "eml", "--to", "boss@example.com").output
    message: Message = message_from_string(out)
    assert message["To"] == "boss@example.com"
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.get_payload()] == ["text/plain", "text/html"]


def test_writing_a_file_says_how_to_record_who_heard(env: Env, made: dict[str, f.Entry],
                                                     tmp_path: Path) -> None:
    target = tmp_path / "out" / "packet.pdf"
    result = invoke(env, "report", "packet", "-f", "pdf", "-o", str(target), "--for", "Alan Turing")
    assert result.exit_code == 0
    assert target.read_bytes().startswith(b"%PDF")
    assert "levelup tell 'Alan Turing'" in result.stderr and "--via document" in result.stderr


def test_pdf_needs_an_output_file(env: Env, made: dict[str, f.Entry]) -> None:
    result = invoke(env, "report", "weekly", "--format", "pdf")
    assert result.exit_code == 2 and "--output" in result.stderr


def test_brag_groups_by_period_and_section(env: Env, made: dict[str, f.Entry]) -> None:
    out = invoke(env, "report", "brag", "--by", "month").output
    assert out.index("## 2026-11") < out.index("## 2026-10")
    assert "### Fires prevented" in out and "### Mentoring and growing others" in out


def test_user_template_overrides_the_packaged_one(env: Env, made: dict[str, f.Entry]) -> None:
    listing = invoke(env, "report", "templates", "--copy", "weekly").output
    mine = env.settings.home / "templates" / "weekly.md.j2"
    assert f"copied {mine}" in listing and "(yours)" in listing
    mine.write_text("Custom: {{ body.wins[0].entry.title }}\n", encoding="utf-8")
    assert invoke(env, "report", "weekly").output == f"Custom: {made['win'].title}\n"


def test_demo_reports_are_written(env: Env, made: dict[str, f.Entry], tmp_path: Path) -> None:
    paths = service.write_demo_reports(env.ctx, tmp_path / "demo")
    assert sorted(p.suffix for p in paths) == [".md", ".md", ".pdf", ".pdf"]
    assert all(p.stat().st_size > 0 for p in paths)


def test_an_unknown_format_or_kind_is_named_by_its_flag(env: Env) -> None:
    result = invoke(env, "report", "weekly", "--format", "docx")
    assert result.exit_code == 2
    assert "--format 'docx' is not a report format; choose from md, html, pdf, eml" in result.stderr
    copied = invoke(env, "report", "templates", "--copy", "memo")
    assert copied.exit_code == 2 and "--copy 'memo' is not a report" in copied.stderr
