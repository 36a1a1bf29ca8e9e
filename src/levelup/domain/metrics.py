"""Parsing and phrasing of metrics: ``"p99 latency: 900 -> 250 ms"``."""

from __future__ import annotations

import re

from levelup.domain.models import Metric

_NUMBER = r"[-+]?\d+(?:[.,]\d+)?"
_METRIC = re.compile(
    rf"^\s*(?P<name>[^:]+?)\s*:\s*(?:(?P<baseline>{_NUMBER})\s*(?P<bunit>[^\d\s>-][^>]*?)?\s*->\s*)?"
    rf"(?P<result>{_NUMBER})\s*(?P<unit>.*?)\s*$"
)


class MetricError(ValueError):
    """A metric that does not read as NAME: BASELINE -> RESULT UNIT."""


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def parse_metric(text: str) -> Metric:
    """Parse ``NAME: BASELINE -> RESULT UNIT`` or ``NAME: RESULT UNIT``."""
    match = _METRIC.match(text)
    if not match:
        raise MetricError(
            f"metric '{text}' is not NAME: BASELINE -> RESULT UNIT "
            "(e.g. 'p99 latency: 900 -> 250 ms')"
        )
    unit = match.group("unit") or (match.group("bunit") or "").strip()
    baseline = match.group("baseline")
    return Metric(
        name=match.group("name").strip(),
        baseline=_number(baseline) if baseline is not None else None,
        result=_number(match.group("result")),
        unit=unit.strip(),
    )


def format_number(value: float) -> str:
    """A recorded number as the user would write it: no trailing .0."""
    return str(int(value)) if float(value).is_integer() else f"{value:.12g}"


def format_metric(metric: Metric) -> str:
    unit = f" {metric.unit}" if metric.unit else ""
    if metric.baseline is None:
        return f"{metric.name}: {format_number(metric.result)}{unit}"
    change = f"{format_number(metric.baseline)} -> {format_number(metric.result)}"
    return f"{metric.name}: {change}{unit}"


def change_ratio(metric: Metric) -> float | None:
    """Relative change from baseline to result, or None when there is no baseline or it is 0."""
    if metric.baseline in (None, 0):
        return None
    return (metric.result - metric.baseline) / abs(metric.baseline)
