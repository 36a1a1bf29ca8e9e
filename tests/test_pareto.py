"""The Pareto analysis: pure arithmetic, the SQL aggregates on both databases, the charts."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from levelup.charts import pareto_svg, weekly_svg, write_chart
from levelup.domain.models import Incident
from levelup.domain.page_rate import page_rate_metric, rate_windows
from levelup.domain.pareto import (
    ProblemLoad,
    WeekCount,
    WorkHours,
    pareto,
    trend,
    vital_few,
    weekly,
)
from levelup.errors import LevelupError
from levelup.store.incidents import problem_loads, upsert_incidents, weekly_counts


def test_rows_are_largest_first_with_share_and_cumulative_share() -> None:
    rows = pareto([ProblemLoad(key="b", example_title="B", count=2),
                   ProblemLoad(key="a", example_title="A", count=6),
                   ProblemLoad(key="c", example_title="C", count=2)])
    assert [r.key for r in rows] == ["a", "b", "c"]  # ties by key
    assert [r.share for r in rows] == [0.6, 0.2, 0.2]
    assert [r.cumulative_share for r in rows] == pytest.approx([0.6, 0.8, 1.0])
    assert [r.key for r in vital_few(rows)] == ["a", "b"]  # 80% reached exactly at b


def test_vital_few_of_one_dominant_problem_and_of_nothing() -> None:
    rows = pareto([ProblemLoad(key="a", example_title="", count=90),
                   ProblemLoad(key="b", example_title="", count=10)])
    assert [r.key for r in vital_few(rows)] == ["a"]
    assert pareto([]) == [] and vital_few([]) == []


def test_weeks_without_pages_are_zero_and_the_trend_is_the_slope() -> None:
    series = weekly({date(2026, 11, 4): 3, date(2026, 11, 20): 1})
    assert [(w.week, w.count) for w in series] == [
        (date(2026, 11, 2), 3), (date(2026, 11, 9), 0), (date(2026, 11, 16), 1)]
    assert trend(series) == pytest.approx(-1.0)
    assert trend(series[:1]) is None


def test_off_hours_are_evenings_nights_and_weekends() -> None:
    hours = WorkHours()
    assert not hours.is_off_hours(datetime(2026, 11, 18, 9, 0))  # Wednesday 9:00
    assert hours.is_off_hours(datetime(2026, 11, 18, 8, 59))
    assert hours.is_off_hours(datetime(2026, 11, 18, 18, 0))
    assert hours.is_off_hours(datetime(2026, 11, 21, 12, 0))  # Saturday
    assert not WorkHours(weekends_off=False).is_off_hours(datetime(2026, 11, 21, 12, 0))
    with pytest.raises(ValueError):
        WorkHours(18, 9)


def test_fix_windows_are_equal_and_capped_at_eight_weeks() -> None:
    windows = rate_windows(date(2026, 6, 1), datetime(2026, 1, 1), datetime(2026, 6, 20))
    assert windows is not None and windows.weeks == 2  # 19 days of data after the fix
    assert windows.before_end - windows.before_start == windows.after_end - windows.after_start
    assert windows.after_start == datetime(2026, 6, 2)
    wide = rate_windows(date(2026, 6, 1), datetime(2025, 1, 1), datetime(2027, 1, 1))
    assert wide is not None and wide.weeks == 8
    assert rate_windows(date(2026, 6, 1), datetime(2026, 5, 30), datetime(2027, 1, 1)) is None
    metric = page_rate_metric("disk full on db-*", 52, 2, 8)
    assert (metric.name, metric.baseline, metric.result) == (
        "pages/week for 'disk full on db-*'", 6.5, 0.2)


def _incidents(count: int) -> list[Incident]:
    """Deterministic pages over ~10 weeks, every hour of the week, three problems."""
    start = datetime(2026, 8, 3, 0, 30)  # a Monday
    titles = ["Disk full on db-{}", "Disk full on db-{}", "CPU high on web-{}", "Cert expiry {}"]
    out = []
    for i in range(count):
        created = start + timedelta(hours=7 * i + i % 5)
        resolved = created + timedelta(minutes=15 * (i % 4)) if i % 6 else None
        out.append(Incident(source="test", source_id=f"T{i}", created=created,
                            resolved=resolved, title=titles[i % 4].format(i % 9),
                            service=f"svc{i % 3}", assignee="Ada" if i % 2 else "Grace"))
    return out


def test_sql_aggregates_match_the_same_sums_in_python(engine: Engine) -> None:
    incidents = _incidents(240)
    with engine.begin() as conn:
        counts = upsert_incidents(conn, incidents=incidents)
        assert counts["new"] == 240
        hours = WorkHours(8, 17)
        loads = {load.key: load for load in problem_loads(conn, start=None, end=None,
                                                          hours=hours)}
        weeks = weekly_counts(conn, start=date(2026, 8, 10), end=date(2026, 9, 6))
    by_key: dict[str, list[Incident]] = {}
    for incident in incidents:
        by_key.setdefault(incident.problem_key, []).append(incident)
    assert set(loads) == {"disk full on db-*", "cpu high on web-*", "cert expiry *"}
    for key, group in by_key.items():
        assert loads[key].count == len(group)
        assert loads[key].off_hours == sum(hours.is_off_hours(i.created) for i in group)
        toil = sum((i.resolved - i.created).total_seconds() / 3600 for i in group if i.resolved)
        assert loads[key].toil_hours == pytest.approx(toil)
    days = [i.created.date() for i in incidents]
    expected = Counter(d - timedelta(days=d.weekday())
                       for d in days if date(2026, 8, 10) <= d <= date(2026, 9, 6))
    assert weeks == dict(expected)


def test_the_pareto_chart_has_a_bar_per_problem_and_the_cumulative_line() -> None:
    rows = pareto([ProblemLoad(key="disk full on db-*", example_title="", count=8),
                   ProblemLoad(key="cpu <high> & web-*", example_title="", count=2)])
    svg = pareto_svg(rows)
    root = ET.fromstring(svg)  # well-formed, special characters escaped
    ns = "{http://www.w3.org/2000/svg}"
    bars = [r for r in root.iter(f"{ns}rect") if r.find(f"{ns}title") is not None]
    assert len(bars) == 2
    assert float(bars[0].get("height", 0)) == pytest.approx(4 * float(bars[1].get("height", 0)))
    line = root.find(f"{ns}polyline")
    assert line is not None and len(line.get("points", "").split()) == 2
    assert "cpu &lt;high&gt; &amp; web-*" in svg


def test_the_weekly_chart_and_writing_charts(tmp_path: Path) -> None:
    svg = weekly_svg([WeekCount(date(2026, 11, 2), 3), WeekCount(date(2026, 11, 9), 0)])
    ET.fromstring(svg)
    assert "2026-11-02" in svg and "week of 2026-11-09: 0" in svg
    assert write_chart(tmp_path / "w.svg", svg).read_text() == svg
    with pytest.raises(LevelupError):
        write_chart(tmp_path / "w.gif", svg)
