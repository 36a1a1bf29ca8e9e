"""The demo shows the case at its best on any weekday: a weekly with wins, and its strongest
wins leading its own packet, each told with its recorded story fields."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from levelup.context import Context
from levelup.domain.models import STORY_FIELDS
from levelup.reports.model import Packet, Weekly
from levelup.services.demo import build_demo, overview
from levelup.services.reports import build_report
from levelup.settings import load

MONDAY = date(2026, 12, 7)


@pytest.mark.parametrize("offset", range(7), ids=["mon", "tue", "wed", "thu", "fri", "sat",
                                                  "sun"])
def test_demo_weekly_and_packet_show_its_strongest_wins(tmp_path: Path, offset: int) -> None:
    today = MONDAY + timedelta(days=offset)
    user = Context(settings=load(environ={}, home=tmp_path / "mine"), today=today)
    demo = build_demo(user, tmp_path / "demo")
    try:
        weekly = build_report(demo, kind="weekly")
        assert isinstance(weekly.body, Weekly)
        assert weekly.body.wins, f"empty showcase weekly on {today:%A}"
        assert weekly.start is not None and weekly.end is not None
        assert all(weekly.start <= i.entry.date <= weekly.end <= today
                   for i in weekly.body.wins)

        strongest = overview(demo)["strongest_wins"]
        assert len(strongest) >= 3
        packet = build_report(demo, kind="packet")
        assert isinstance(packet.body, Packet)
        stories = {s.item.entry.id: s for s in packet.body.highlights}
        for win in strongest:
            story = stories.get(win["id"])
            assert story is not None, f"{win['title']} missing from the packet's highlights"
            entry = story.item.entry
            recorded = {f: getattr(entry, f) for f in STORY_FIELDS if getattr(entry, f)}
            assert {"context", "why", "did", "result_now"} <= set(recorded), win["title"]
            told = [*story.context, *story.why, story.did, *story.now, *story.later,
                    story.prevented]
            for text in recorded.values():
                assert text in told, (win["title"], text)
    finally:
        demo.close()


def test_story_parts_read_as_sentences_in_every_format(tmp_path: Path) -> None:
    """A recorded phrase that ends a sentence is followed by a space, never by "; "."""
    from levelup.services.reports import render_report

    user = Context(settings=load(environ={}, home=tmp_path / "mine"), today=MONDAY)
    demo = build_demo(user, tmp_path / "demo")
    try:
        packet = build_report(demo, kind="packet")
        for fmt in ("md", "html"):
            text = str(render_report(demo, report=packet, fmt=fmt).data)
            assert "under the 300 ms target." in text
            assert ".;" not in text and ".</span>; " not in text, fmt
    finally:
        demo.close()
