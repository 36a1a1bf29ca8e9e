"""Issue 19, "a case that convinces": the measured wins lead the packet, each highlight is told
as its story, a metric that moved the wrong way is never impact, the private bookkeeping stays
in the preview, every competency of the ladder shows, and no number is made up."""

from __future__ import annotations

import re
from typing import Any

import pytest

from levelup.cli.common import Env
from levelup.domain.metrics import (
    better_way,
    display_metric,
    format_metric,
    improved,
    parse_metric,
    percent_change,
)
from levelup.domain.models import Entry, Metric
from levelup.reports import content
from levelup.services import reports as service
from levelup.services.entries import log_entry
from tests import factories as f

LATENCY: dict[str, Any] = {
    "title": "Cut p99 checkout latency 900ms -> 250ms", "project": "checkout",
    "outcomes": ["sla"], "metrics": ["p99 latency: 900 -> 250 ms"],
    "context": "Checkout p99 was 900 ms at peak and carts were abandoned",
    "why": "Checkout carries the whole revenue of the shop",
    "did": "I profiled the gateway and removed two serial calls",
    "result_now": "Abandoned carts fell during the next peak",
    "result_later": "The SLA held through the sale season",
    "prevented": "A breach of the checkout SLA"}
COST: dict[str, Any] = {
    "title": "Moved the batch jobs to spot instances", "outcomes": ["profit"],
    "metrics": ["infra cost: 12000 -> 8000 USD/month"],
    "why": "Infrastructure is the largest cost line", "did": "I rewrote the scheduler"}
INVISIBLE: dict[str, Any] = {"title": "Reviewed 15 PRs for the search team", "kind": "invisible",
                             "competencies": ["collaboration"]}
WORSE: dict[str, Any] = {"title": "Tuned the disk alerts", "outcomes": ["sla"],
                         "metrics": ["pages/week: 1.3 -> 2"]}
STORY = ("Checkout p99 was 900 ms at peak and carts were abandoned",
         "Checkout carries the whole revenue of the shop",
         "I profiled the gateway and removed two serial calls",
         "Abandoned carts fell during the next peak",
         "The SLA held through the sale season", "A breach of the checkout SLA")


# --- metrics know which way is better (pure) -------------------------------------------------

@pytest.mark.parametrize(("text", "way", "better"), [
    ("p99 latency: 900 -> 250 ms", "lower", True),
    ("infra cost: 12000 -> 8000 USD/month", "lower", True),
    ("pages/week: 1.3 -> 2", "lower", False),
    ("incidents: 4 -> 1", "lower", True),
    ("conversion: 2.1% -> 2.6%", "higher", True),
    ("test coverage: 80 -> 70 %", "higher", False),
    ("uptime: 99.9 -> 99.95 %", "higher", True),
    ("weekly active users: 1000 -> 800", "higher", False),
    ("mood: 3 -> 4", None, None),
    ("queue depth: 5 -> 9 (lower is better)", "lower", False),
    ("queue depth: 9 -> 5 ↑", "higher", False),
    ("revenue: 12000 USD", "higher", None),
])
def test_a_metric_knows_which_way_is_better(text: str, way: str | None,
                                            better: bool | None) -> None:
    metric = parse_metric(text)
    assert better_way(metric) == way
    assert improved(metric) is better


def test_a_stated_direction_survives_the_round_trip() -> None:
    metric = parse_metric("queue depth: 5 -> 9 (lower is better)")
    assert metric == Metric(name="queue depth", baseline=5, result=9, better="lower")
    assert parse_metric(format_metric(metric)) == metric
    assert parse_metric("x: 1 -> 2 ↓").better == "lower"


def test_a_metric_is_shown_with_its_change_and_never_breaks_in_the_arrow() -> None:
    cost = parse_metric("infra cost: 12000 -> 8000 USD/month")
    assert display_metric(cost) == "infra cost: $12k → $8k per month, −33%"
    assert display_metric(cost, html=True) == (
        "infra cost: $12k\u00a0→\u00a0$8k\u00a0per month, −33%")
    assert percent_change(cost) == -33
    assert display_metric(parse_metric("p99 latency: 900 -> 250 ms")) == (
        "p99 latency: 900 → 250 ms, −72%")
    assert display_metric(parse_metric("conversion: 2.1% -> 2.6%")) == "conversion: 2.1% → 2.6%"


def test_a_regressed_metric_is_never_impact_in_an_item() -> None:
    entry = Entry(title="Tuned the disk alerts", date=f.TODAY,
                  metrics=[parse_metric("pages/week: 1.3 -> 2")])
    shown = content.item(entry)
    assert shown.metrics == [] and "moved the wrong way" in shown.regressed[0]
    assert content.impact_only([entry]) == []
    story = content.story(entry, None)
    assert story.now == [] and story.prevented == ""


def test_a_story_tells_only_recorded_parts() -> None:
    entry = Entry(title="Cut latency", date=f.TODAY, did="I removed two serial calls")
    told = content.story(entry, None)
    assert told.did == "I removed two serial calls"
    assert (told.context, told.why, told.now, told.later, told.prevented) == ([], [], [], [], "")
    gaps = " ".join(content.story_gaps(told))
    assert "context" in gaps and "--" not in gaps


def test_the_coach_flags_a_metric_that_moved_the_wrong_way() -> None:
    from levelup.coach import coach

    assert any("wrong way" in s for s in coach("Tuned alerts; pages/week: 1.3 -> 2").suggestions)
    assert not any("wrong way" in s for s in coach("Cut alerts; pages/week: 2 -> 1").suggestions)


# --- the scenario, end to end -------------------------------------------------------

@pytest.fixture
def scenario(env: Env) -> Env:
    with env.ctx.begin() as conn:
        f.profile(conn)
    for fields in (LATENCY, COST, INVISIBLE):
        log_entry(env.ctx, **fields)
    return env


def render(env: Env, kind: str, *, preview: bool = False, fmt: str = "md") -> str:
    report = service.build_report(env.ctx, kind=kind)
    data = service.render_report(env.ctx, report=report, fmt=fmt, preview=preview).data
    assert isinstance(data, str)
    return data.replace("\u00a0", " ")


def highlights(packet: str) -> str:
    return packet[packet.index("## Impact highlights"):packet.index("## Evidence by competency")]


def test_the_measured_wins_lead_the_packet(scenario: Env) -> None:
    packet = render(scenario, "packet")
    top = highlights(packet)
    assert top.index("Cut p99 checkout latency") < top.index("Reviewed 15 PRs")
    assert top.index("Moved the batch jobs") < top.index("Reviewed 15 PRs")
    assert "p99 latency: 900 → 250 ms, −72%" in top
    assert "infra cost: $12k → $8k per month, −33%" in top
    summary = packet[packet.index("## Summary"):packet.index("## Impact highlights")]
    assert "Cut p99 checkout latency" in summary and "making the case for L4" in summary


def test_the_private_bookkeeping_is_only_in_the_preview(scenario: Env) -> None:
    for fmt in ("md", "html"):
        sent = render(scenario, "packet", fmt=fmt)
        assert "Who has seen what" not in sent and "Not yet seen" not in sent
        private = render(scenario, "packet", fmt=fmt, preview=True)
        assert "Who has seen what" in private and "Not yet seen by a decision maker" in private


def test_each_report_tells_each_highlight_as_its_story(scenario: Env) -> None:
    for kind in ("packet", "review", "agenda"):
        text = " ".join(render(scenario, kind).split())
        for part in STORY:
            assert part in text, (kind, part)
        assert "I rewrote the scheduler" in text, kind


def test_a_regressed_metric_is_never_a_highlight_and_is_flagged(scenario: Env) -> None:
    logged = log_entry(scenario.ctx, **WORSE)
    assert any("moved the wrong way" in w for w in logged.warnings)
    for kind in ("packet", "review", "brag", "agenda"):
        assert "1.3" not in render(scenario, kind), kind
    assert "Tuned the disk alerts" not in highlights(render(scenario, "packet"))
    assert "pages/week: 1.3 -> 2' moved the wrong way" in render(scenario, "packet",
                                                                 preview=True)


def test_every_competency_of_the_ladder_appears(scenario: Env) -> None:
    packet = render(scenario, "packet")
    evidence = packet[packet.index("## Evidence by competency"):]
    for competency in ("Craft", "Delivery", "Ownership", "Influence", "Mentoring",
                       "Communication", "Strategy", "Collaboration"):
        assert f"### {competency}\n" in evidence
    assert "No evidence yet in this period." in evidence


NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def test_no_number_in_the_packet_that_the_ledger_does_not_hold(scenario: Env) -> None:
    from levelup.services.entries import list_entries

    entries = list_entries(scenario.ctx)
    held: set[float] = set()
    for entry in entries:
        held |= {float(n.replace(",", ".")) for n in NUMBER.findall(entry.title)}
        for m in entry.metrics:
            held |= {float(n) for n in NUMBER.findall(m.name)}
            values = [m.result] + ([m.baseline] if m.baseline is not None else [])
            held |= set(values) | {v / 1000 for v in values}  # $12k
            change = percent_change(m)
            held |= {float(abs(change))} if change is not None else set()
        held |= {float(entry.date.year), float(entry.date.month), float(entry.date.day)}
    report = service.build_report(scenario.ctx, kind="packet")
    for day in (report.start, report.end):
        assert day is not None
        held |= {float(day.year), float(day.month), float(day.day)}
    from levelup.reports.documents import ladder_expectations

    recorded = " ".join([report.profile.level, report.profile.target_level] if report.profile
                        else [])
    recorded += " ".join(ladder_expectations(report.profile, scenario.ctx.settings.home).values())
    held |= {float(n) for n in NUMBER.findall(recorded)}
    projects = {e.project for e in entries if e.project}
    held |= {float(len(projects)), float(scenario.ctx.settings.window_months)}  # counts
    packet = render(scenario, "packet")
    found = {float(n.replace(",", ".")) for n in NUMBER.findall(packet)}
    assert found <= held, sorted(found - held)
