"""The report and plan services, called directly with a Context on a real ledger."""

from __future__ import annotations

import textwrap
from datetime import timedelta
from pathlib import Path

import pytest

from levelup.cli.common import Env
from levelup.context import Context
from levelup.errors import FieldError, LevelupError, NotFound
from levelup.reports.model import KINDS
from levelup.reports.renderers import Renderer, formats, renderer
from levelup.services import plans
from levelup.services import reports as service
from levelup.store.records import list_visibility
from tests import factories as f


@pytest.fixture
def ctx(env: Env) -> Context:
    return env.ctx


@pytest.fixture
def made(ctx: Context) -> dict[str, f.Entry]:
    with ctx.begin() as conn:
        return f.ledger(conn)


def test_the_registry_lists_the_built_in_formats() -> None:
    assert formats()[:4] == ("md", "html", "pdf", "eml")
    for fmt in ("md", "html", "pdf", "eml"):
        found = renderer(fmt)
        assert isinstance(found, Renderer) and found.name == fmt
    assert [fmt for fmt in formats() if renderer(fmt).binary] == ["pdf"]


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_is_built_and_renders_in_every_registered_format(
        ctx: Context, made: dict[str, f.Entry], kind: str) -> None:
    report = service.build_report(ctx, kind=kind)
    assert report.kind == kind and made["win"].id in report.entry_ids
    for fmt in formats():
        rendered = service.render_report(ctx, report=report, fmt=fmt, to="boss@example.com")
        assert (rendered.fmt, rendered.media_type) == (fmt, renderer(fmt).media_type)
        assert isinstance(rendered.data, bytes) == renderer(fmt).binary
        if isinstance(rendered.data, str):
            assert made["win"].title in rendered.data
    markdown = service.render_report(ctx, report=report, fmt="md").data
    assert "Private preview" not in markdown


def test_the_period_is_named_in_words(ctx: Context, made: dict[str, f.Entry]) -> None:
    report = service.build_report(ctx, kind="weekly", since="2026-10-01", until="2026-10-31")
    assert (str(report.start), str(report.end)) == ("2026-10-01", "2026-10-31")
    assert made["old"].id in report.entry_ids and made["win"].id not in report.entry_ids


def test_preview_notes_go_only_into_text_formats(ctx: Context, made: dict[str, f.Entry]) -> None:
    report = service.build_report(ctx, kind="weekly")
    assert report.warnings
    for fmt, shown in (("md", True), ("html", True), ("eml", False)):
        data = service.render_report(ctx, report=report, fmt=fmt, preview=True).data
        assert ("Private preview" in str(data)) is shown


def test_unknown_kind_and_format_are_field_errors(ctx: Context, made: dict[str, f.Entry]) -> None:
    with pytest.raises(FieldError) as kind:
        service.build_report(ctx, kind="memo")
    assert kind.value.field == "kind"
    report = service.build_report(ctx, kind="weekly")
    with pytest.raises(FieldError) as fmt:
        service.render_report(ctx, report=report, fmt="docx")
    assert fmt.value.field == "fmt" and "md, html, pdf, eml" in fmt.value.problem


def test_recording_visibility_names_every_entry_of_the_report(
        ctx: Context, made: dict[str, f.Entry]) -> None:
    report = service.build_report(ctx, kind="agenda", audience="Alan Turing")
    event = service.record_visibility(ctx, report=report, stakeholder="Alan Turing")
    assert (event.channel, event.date, event.entry_ids) == ("1:1", ctx.today, report.entry_ids)
    with ctx.read() as conn:
        stored = [e for e in list_visibility(conn) if e.note == report.title]
    assert [e.entry_ids for e in stored] == [report.entry_ids]


def test_demo_reports_are_written_as_markdown_and_pdf(ctx: Context, made: dict[str, f.Entry],
                                                      tmp_path: Path) -> None:
    paths = service.write_demo_reports(ctx, tmp_path)
    assert sorted(p.name for p in paths) == ["packet-2026-11-20.md", "packet-2026-11-20.pdf",
                                             "weekly-2026-11-20.md", "weekly-2026-11-20.pdf"]
    assert (tmp_path / "packet-2026-11-20.pdf").read_bytes().startswith(b"%PDF")


def test_copying_templates_checks_the_kind(ctx: Context) -> None:
    copied = service.copy_report_templates(ctx, kind="weekly")
    assert sorted(p.name for p in copied) == ["weekly.html.j2", "weekly.md.j2"]
    mine = {name for name, _, yours in service.report_templates(ctx).templates if yours}
    assert mine == {"weekly.html.j2", "weekly.md.j2"}
    with pytest.raises(FieldError):
        service.copy_report_templates(ctx, kind="memo")


def test_a_plan_is_recorded_open_on_the_day_named(ctx: Context) -> None:
    plan = plans.add_plan(ctx, title="  Ship the retry budget ", date="yesterday",
                          project="checkout")
    assert (plan.title, plan.kind, plan.status) == ("Ship the retry budget", "plan", "open")
    assert plan.date == ctx.today - timedelta(days=1) and plan.project == "checkout"
    with pytest.raises(LevelupError):
        plans.add_plan(ctx, title="  ")


def test_plan_status_changes_are_all_or_nothing(ctx: Context, made: dict[str, f.Entry]) -> None:
    plan = made["next_plan"]
    assert plan.id is not None and made["win"].id is not None
    with pytest.raises(NotFound):
        plans.set_plan_status(ctx, ids=[plan.id, 999], status="done")
    with pytest.raises(LevelupError, match="is a win, not a plan"):
        plans.set_plan_status(ctx, ids=[plan.id, made["win"].id], status="done")
    assert [p.id for p in plans.list_plans(ctx)] == [plan.id]
    assert plans.set_plan_status(ctx, ids=[plan.id], status="Done") == [plan.id]
    assert plans.list_plans(ctx) == []
    everything = plans.list_plans(ctx, everything=True, since="2026-11-01")
    assert {p.title: p.status for p in everything} == {
        "Ship the retry budget": "done", "Rewrite the cache layer": "dropped",
        "Write the rollout doc for checkout": "done"}


PLUGIN = '''
from levelup.reports.renderers import Renderer


class TextRenderer(Renderer):
    name = "txt"
    media_type = "text/plain"

    def render(self, report, options):
        return report.title + "\\n"
'''


def test_a_third_party_format_is_one_module_and_an_entry_point(
        ctx: Context, made: dict[str, f.Entry], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "levelup_txt.py").write_text(textwrap.dedent(PLUGIN), encoding="utf-8")
    info = tmp_path / "levelup_txt-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: levelup-txt\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[levelup.renderers.v1]\n"
                                           "txt = levelup_txt:TextRenderer\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert formats() == ("md", "html", "pdf", "eml", "txt")
    report = service.build_report(ctx, kind="weekly")
    rendered = service.render_report(ctx, report=report, fmt="txt")
    assert (rendered.data, rendered.media_type) == (report.title + "\n", "text/plain")


def test_the_reports_package_stays_below_the_services_and_the_cli() -> None:
    import grimp

    graph = grimp.build_graph("levelup")
    for upper in ("levelup.cli", "levelup.services"):
        assert not graph.chain_exists(importer="levelup.reports", imported=upper,
                                      as_packages=True), upper
