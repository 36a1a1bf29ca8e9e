import pytest
from hypothesis import given
from hypothesis import strategies as st

from levelup.domain.capture import title_metric
from levelup.domain.metrics import (
    MetricError,
    better_way,
    display_metric,
    format_metric,
    parse_metric,
)
from levelup.domain.models import Metric


def test_parses_the_documented_form() -> None:
    metric = parse_metric("p99 latency: 900 -> 250 ms")
    assert metric == Metric(name="p99 latency", baseline=900, result=250, unit="ms")


def test_result_only_and_units_on_both_sides() -> None:
    assert parse_metric("revenue: 12000 USD") == Metric(name="revenue", result=12000, unit="USD")
    assert parse_metric("conversion: 2.1% -> 2.6%") == Metric(
        name="conversion", baseline=2.1, result=2.6, unit="%"
    )


@pytest.mark.parametrize("text", ["latency 900 -> 250", "latency: fast -> faster", ": 3", "x:"])
def test_malformed_metrics_are_rejected(text: str) -> None:
    with pytest.raises(MetricError):
        parse_metric(text)


names = st.text(st.characters(categories=["L"]), min_size=1, max_size=20).map(str.strip).filter(
    bool
)
numbers = st.integers(-10**6, 10**6).map(float) | st.floats(0.01, 1e6, allow_nan=False).map(
    lambda x: round(x, 2)
)
units = st.sampled_from(["", "ms", "%", "pages/week", "USD", "h"])


@given(names, st.none() | numbers, numbers, units)
def test_format_then_parse_is_identity(name: str, baseline: float | None, result: float,
                                       unit: str) -> None:
    metric = Metric(name=name, baseline=baseline, result=result, unit=unit)
    assert parse_metric(format_metric(metric)) == metric


@pytest.mark.parametrize(("title", "metric"), [
    ("Cut infra cost $12k → $8k", ("infra cost", 12000.0, 8000.0, "$")),
    ("Cut infra cost $12k -> $8k per month", ("infra cost", 12000.0, 8000.0, "$/month")),
    ("Cloud bill €1,200 -> €800/month", ("Cloud bill", 1200.0, 800.0, "€/month")),
    ("Storage spend £3.5m to £2m", ("Storage spend", 3500000.0, 2000000.0, "£")),
    ("Cut support spend from $1.1k to 900", ("support spend", 1100.0, 900.0, "$")),
    ("Ad revenue $2M -> $3.3M/year", ("Ad revenue", 2000000.0, 3300000.0, "$/year")),
])
def test_money_in_a_title_is_a_metric_in_whole_units(
    title: str, metric: tuple[str, float, float, str]
) -> None:
    found = title_metric(title)
    assert found is not None
    assert (found.name, found.baseline, found.result, found.unit) == metric


@pytest.mark.parametrize("title", [
    "Cut cost $12k -> €8k",  # two currencies: not one metric
    "Spent $5 to fix the build",  # no second amount
    "$12k -> $8k",  # nothing before it to name it by
])
def test_money_that_is_no_before_and_after_is_no_metric(title: str) -> None:
    assert title_metric(title) is None


def test_a_money_metric_reads_and_shows_with_its_symbol_and_scale() -> None:
    cost = parse_metric("infra cost: $12k -> $8k per month")
    assert cost == Metric(name="infra cost", baseline=12000, result=8000, unit="$/month")
    assert display_metric(cost) == "infra cost: $12k → $8k per month, −33%"
    assert parse_metric(format_metric(cost)) == cost
    spend = parse_metric("spend: £3.5m -> £2m")
    assert (spend.baseline, spend.result, spend.unit) == (3500000, 2000000, "£")
    assert display_metric(spend) == "spend: £3.5m → £2m, −43%"
    bill = parse_metric("bill: €1,200 -> €800/month")
    assert (bill.baseline, bill.result, bill.unit) == (1200, 800, "€/month")
    assert better_way(bill) == "lower"
    with pytest.raises(MetricError):
        parse_metric("cost: $12k -> €8k")
