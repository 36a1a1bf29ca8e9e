from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from levelup.domain.dates import DateError, parse_day, parse_range, window

TODAY = date(2026, 11, 20)  # a Friday


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("today", date(2026, 11, 20), date(2026, 11, 20)),
        ("yesterday", date(2026, 11, 19), date(2026, 11, 19)),
        ("this week", date(2026, 11, 16), date(2026, 11, 22)),
        ("last week", date(2026, 11, 9), date(2026, 11, 15)),
        ("last month", date(2026, 10, 1), date(2026, 10, 31)),
        ("this quarter", date(2026, 10, 1), date(2026, 12, 31)),
        ("last quarter", date(2026, 7, 1), date(2026, 9, 30)),
        ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30)),
        ("Q1 2025", date(2025, 1, 1), date(2025, 3, 31)),
        ("since March", date(2026, 3, 1), None),
        ("until 2026-02", None, date(2026, 2, 28)),
        ("2026-01-01..2026-03-31", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026-01-15..", date(2026, 1, 15), None),
        ("December", date(2025, 12, 1), date(2025, 12, 31)),
        ("last 7 days", date(2026, 11, 13), date(2026, 11, 20)),
        ("3 days ago", date(2026, 11, 17), date(2026, 11, 17)),
        ("last friday", date(2026, 11, 13), date(2026, 11, 13)),
        ("monday", date(2026, 11, 16), date(2026, 11, 16)),
        ("2024", date(2024, 1, 1), date(2024, 12, 31)),
    ],
)
def test_natural_periods(text: str, start: date | None, end: date | None) -> None:
    found = parse_range(text, TODAY)
    assert (found.start, found.end) == (start, end)


@pytest.mark.parametrize(
    "text", ["someday", "2026-13", "2026-02-30", "Q5", "2026-03-01..2026-01-01"]
)
def test_bad_periods_raise_one_clear_error(text: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_range(text, TODAY)
    assert text.split("..")[0].lower()[:4] in str(caught.value).lower() or "range" in str(
        caught.value
    )


def test_a_period_is_not_a_day() -> None:
    with pytest.raises(DateError):
        parse_day("last week", TODAY)
    assert parse_day("2026-03-14", TODAY) == date(2026, 3, 14)


def test_window_combines_since_and_until() -> None:
    found = window("since March", "2026-Q3", TODAY)
    assert (found.start, found.end) == (date(2026, 3, 1), date(2026, 9, 30))
    with pytest.raises(DateError):
        window("2026-10-01", "2026-09-01", TODAY)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 1, 1)), st.integers(0, 400))
def test_iso_ranges_round_trip(start: date, days: int) -> None:
    end = start + timedelta(days=days)
    found = parse_range(f"{start.isoformat()}..{end.isoformat()}", TODAY)
    assert (found.start, found.end) == (start, end)
    assert found.contains(start) and found.contains(end)
    assert not found.contains(end + timedelta(days=1))
