import pytest
from hypothesis import given
from hypothesis import strategies as st

from levelup.domain.metrics import MetricError, format_metric, parse_metric
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
