"""Feedback the user marks as quotable is the only feedback the packet quotes; the report bar
chart has whole-number ticks, axis titles and a bar for every label, zeros included."""

from __future__ import annotations

import json
import re
from pathlib import Path

from levelup.cli.common import Env
from levelup.reports.model import Bar, Packet
from levelup.reports.svg import bar_chart, ticks
from levelup.services import reports as service
from levelup.settings import load
from tests.conftest import TODAY, invoke


def _quoted(env: Env) -> list[str]:
    body = service.build_report(env.ctx, kind="packet").body
    assert isinstance(body, Packet)
    return [q.quote for q in body.quotes]


def test_packet_quotes_only_feedback_marked_quotable(env: Env, tmp_path: Path) -> None:
    plain = invoke(env, "feedback", "add", "Nice work on the migration", "--from", "Dana")
    marked = invoke(env, "feedback", "add", "Sam's runbook saved the night", "--from",
                    "Marcus", "--quotable")
    assert plain.exit_code == 0 and marked.exit_code == 0, plain.output + marked.output
    assert _quoted(env) == ["Sam's runbook saved the night"]
    review = service.build_report(env.ctx, kind="review").body
    assert "Nice work on the migration" in [q.quote for q in review.quotes]  # type: ignore[union-attr]

    first = json.loads(invoke(env, "feedback", "list", "--json").stdout)
    plain_id = next(f["id"] for f in first if f["giver"] == "Dana")
    marked_id = next(f["id"] for f in first if f["giver"] == "Marcus")
    assert invoke(env, "feedback", "update", str(plain_id), "--quotable").exit_code == 0
    assert invoke(env, "feedback", "update", str(marked_id), "--not-quotable").exit_code == 0
    assert _quoted(env) == ["Nice work on the migration"]
    listed = {f["giver"]: f["quotable"] for f in
              json.loads(invoke(env, "feedback", "list", "--json").stdout)}
    assert listed == {"Dana": True, "Marcus": False}

    out = tmp_path / "export.json"
    assert invoke(env, "export", "--output", str(out)).exit_code == 0, "export"
    copy = Env(settings=load(environ={}, home=tmp_path / "copy"), today=TODAY)
    assert invoke(copy, "import", "json", str(out)).exit_code == 0
    copied = {f["giver"]: f["quotable"] for f in
              json.loads(invoke(copy, "feedback", "list", "--json").stdout)}
    assert copied == {"Dana": True, "Marcus": False}


def test_an_export_without_quotable_still_imports(env: Env, tmp_path: Path) -> None:
    invoke(env, "feedback", "add", "Good call", "--from", "Dana", "--quotable")
    out = tmp_path / "export.json"
    assert invoke(env, "export", "--output", str(out)).exit_code == 0
    doc = json.loads(out.read_text())
    for item in doc["feedback"]:
        del item["quotable"]
    out.write_text(json.dumps(doc))
    copy = Env(settings=load(environ={}, home=tmp_path / "copy"), today=TODAY)
    assert invoke(copy, "import", "json", str(out)).exit_code == 0
    assert [f["quotable"] for f in
            json.loads(invoke(copy, "feedback", "list", "--json").stdout)] == [False]


def test_bar_chart_has_integer_ticks_axis_titles_and_zero_bars() -> None:
    bars = [Bar(label="Craft", value=7), Bar(label="Influence", value=0),
            Bar(label="Delivery", value=3)]
    svg = bar_chart(bars, title="Entries by competency")
    tick_labels = re.findall(r'class="tick"[^>]*>([^<]*)<', svg)
    assert tick_labels and all(t.isdigit() for t in tick_labels)
    assert tick_labels[0] == "0" and int(tick_labels[-1]) >= 7
    assert re.findall(r'class="axis-title"[^>]*>([^<]*)<', svg) == ["Entries", "Competency"]
    assert svg.count('<g class="bar">') == 3 and "<title>Influence: 0</title>" in svg
    assert all(t == int(t) for t in ticks(10)) and ticks(5) == [0, 1, 2, 3, 4, 5]
    assert ticks(1) == [0, 1]
