"""Parsing and phrasing of metrics: ``"p99 latency: 900 -> 250 ms"``, and which way is better.

A metric may say which way is better after its unit: ``(lower is better)``/``(higher is
better)``, or a trailing ``↓``/``↑``. Otherwise the direction is inferred from its name and unit
(latency, cost, pages: lower; revenue, coverage, conversion: higher), or unknown (None).
"""

from __future__ import annotations

import re

from levelup.domain.models import Metric

LOWER, HIGHER = "lower", "higher"
_DIRECTION = re.compile(
    r"\s*(?:\((?P<word>lower|higher|less|more)\s+is\s+better\)|(?P<arrow>[↓↑]))\s*$",
    re.IGNORECASE,
)
# Words in a metric's name or unit that say which way is better; the first match wins.
_LOWER_WORDS = ("page", "incident", "latency", "p50", "p90", "p95", "p99", "error", "cost",
                "spend", "time", "minute", "hour", "ms", "toil", "ticket", "bug", "outage",
                "downtime", "mttr", "churn", "failure", "alert", "duration", "lead time",
                "usd", "eur", "$", "€", "£")
_HIGHER_WORDS = ("conversion", "revenue", "coverage", "throughput", "uptime", "nps", "user",
                 "adoption", "availability", "retention", "signup", "sales", "savings",
                 "saved", "deploys", "deployments", "satisfaction", "csat", "hit rate")

_NUMBER = r"[-+]?\d+(?:[.,]\d+)?"
_METRIC = re.compile(
    rf"^\s*(?P<name>[^:]+?)\s*:\s*(?:(?P<baseline>{_NUMBER})\s*(?P<bunit>[^\d\s>-][^>]*?)?\s*->\s*)?"
    rf"(?P<result>{_NUMBER})\s*(?P<unit>.*?)\s*$"
)


# An amount of money in a metric's value: "$12k", "€1,200", "£3.5m".
_MONEY = re.compile(r"(?P<sym>[$€£])\s?(?P<amount>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
                    r"(?P<scale>k|m|bn)?(?![^\W\d_])", re.IGNORECASE)
_SCALES = {"": 1, "k": 1_000, "m": 1_000_000, "bn": 1_000_000_000}


class MetricError(ValueError):
    """A metric that does not read as NAME: BASELINE -> RESULT UNIT."""


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def parse_metric(text: str) -> Metric:
    """Parse ``NAME: BASELINE -> RESULT UNIT`` or ``NAME: RESULT UNIT``, optionally followed by
    ``(lower is better)``, ``(higher is better)``, ``↓`` or ``↑``."""
    better = None
    direction = _DIRECTION.search(text)
    if direction:
        word = (direction.group("word") or "").lower()
        better = LOWER if word in ("lower", "less") or direction.group("arrow") == "↓" else HIGHER
        text = text[: direction.start()]
    text, symbol = _plain_money(text)
    match = _METRIC.match(text)
    if not match:
        raise MetricError(
            f"metric '{text}' is not NAME: BASELINE -> RESULT UNIT "
            "(e.g. 'p99 latency: 900 -> 250 ms')"
        )
    unit = match.group("unit") or (match.group("bunit") or "").strip()
    if symbol:  # "$12k -> $8k per month": the unit is "$/month"
        per = unit.strip().removeprefix("/").strip().removeprefix("per ").strip()
        unit = f"{symbol}/{per}" if per else symbol
    baseline = match.group("baseline")
    return Metric(
        name=match.group("name").strip(),
        baseline=_number(baseline) if baseline is not None else None,
        result=_number(match.group("result")),
        unit=unit.strip(),
        better=better,
    )


def _plain_money(text: str) -> tuple[str, str]:
    """``text`` with its amounts of money as plain numbers ("$12k" → "12000"), and their
    symbol; unchanged with "" when it holds no money, or more than one currency."""
    name, colon, value = text.partition(":")
    found = list(_MONEY.finditer(value))
    if not colon or not found or len({m.group("sym") for m in found}) > 1:
        return text, ""

    from decimal import Decimal  # only for money: `levelup log` starts without it

    def plain(m: re.Match[str]) -> str:
        amount = Decimal(m.group("amount").replace(",", ""))
        return format_number(float(amount * _SCALES[(m.group("scale") or "").lower()]))

    return f"{name}:{_MONEY.sub(plain, value)}", found[0].group("sym")


def format_number(value: float) -> str:
    """A recorded number as the user would write it: no trailing .0."""
    return str(int(value)) if float(value).is_integer() else f"{value:.12g}"


def format_metric(metric: Metric) -> str:
    """The metric as it is typed (``parse_metric`` reads it back), its stated direction kept."""
    unit = f" {metric.unit}" if metric.unit else ""
    said = f" ({metric.better} is better)" if metric.better in (LOWER, HIGHER) else ""
    if metric.baseline is None:
        return f"{metric.name}: {format_number(metric.result)}{unit}{said}"
    change = f"{format_number(metric.baseline)} -> {format_number(metric.result)}"
    return f"{metric.name}: {change}{unit}{said}"


def better_way(metric: Metric) -> str | None:
    """``"lower"`` or ``"higher"``: as stated on the metric, else inferred from its name and
    unit; None when neither says."""
    if metric.better in (LOWER, HIGHER):
        return metric.better
    words = f" {metric.name} {metric.unit} ".lower()
    lower = _first(words, _LOWER_WORDS)
    higher = _first(words, _HIGHER_WORDS)
    if lower is None and higher is None:
        return None
    if higher is None or (lower is not None and lower < higher):
        return LOWER
    return HIGHER


def _first(words: str, vocabulary: tuple[str, ...]) -> int | None:
    """Where the first word of ``vocabulary`` starts in ``words`` (a word start), or None."""
    found = [m.start() for w in vocabulary
             for m in re.finditer(rf"(?<![a-z]){re.escape(w)}", words)]
    return min(found) if found else None


def improved(metric: Metric) -> bool | None:
    """True if the metric moved the better way, False if the worse way (or not at all), None
    when there is no baseline or no known better way."""
    way = better_way(metric)
    if way is None or metric.baseline is None:
        return None
    if way == LOWER:
        return metric.result < metric.baseline
    return metric.result > metric.baseline


def regressed(metric: Metric) -> bool:
    """A metric that moved the wrong way (or stayed put): never to be shown as impact."""
    return improved(metric) is False


def percent_change(metric: Metric) -> int | None:
    """The change from baseline to result in whole percent, or None without a baseline/at 0."""
    ratio = change_ratio(metric)
    return None if ratio is None else round(ratio * 100)


_CURRENCY = {"usd": "$", "$": "$", "eur": "€", "€": "€", "gbp": "£", "£": "£"}


def display_metric(metric: Metric, *, html: bool = False) -> str:
    """For a reader: ``infra cost: $12k → $8k per month, −33%``. In HTML the arrow is held
    to its numbers with non-breaking spaces so a line never breaks inside it."""
    space = "\u00a0" if html else " "
    symbol, unit = _split_unit(metric.unit)
    pair = (metric.baseline, metric.result)
    result = _amount(metric.result, symbol, pair)
    baseline = _amount(metric.baseline, symbol, pair) if metric.baseline is not None else ""
    if unit == "%":  # 2.1% -> 2.6%: a relative change of a rate would read as points
        baseline = baseline + "%" if baseline else ""
        result, unit = result + "%", ""
    tail = f"{space}{unit}" if unit else ""
    if metric.baseline is None:
        return f"{metric.name}: {result}{tail}"
    change = f"{baseline}{space}\u2192{space}{result}{tail}"
    pct = percent_change(metric) if metric.unit != "%" else None
    if pct is not None and pct != 0:
        sign = "+" if pct > 0 else "\u2212"
        change += f", {sign}{abs(pct)}%"
    return f"{metric.name}: {change}"


def _split_unit(unit: str) -> tuple[str, str]:
    """A currency symbol to put before the amounts, and the rest of the unit in words."""
    head, _, per = unit.partition("/")
    symbol = _CURRENCY.get(head.strip().lower(), "")
    if not symbol:
        return "", unit
    return symbol, f"per {per.strip()}" if per.strip() else ""


def _amount(value: float, symbol: str, others: tuple[float | None, ...] = ()) -> str:
    """A number as recorded; money in millions or thousands (``$3.5m``, ``$12k``) when that
    loses nothing for it and the ``others`` shown beside it, so both sides share a scale."""
    if symbol:
        shown = [abs(v) for v in (value, *others) if v is not None]
        for size, suffix in ((1_000_000, "m"), (1000, "k")):
            if min(shown) >= size and all(v * 10 / size == int(v * 10 / size) for v in shown):
                return f"{symbol}{format_number(value / size)}{suffix}"
    return f"{symbol}{format_number(value)}"


def regression_note(metric: Metric) -> str:
    """One line saying a metric moved the wrong way; for the author, never for a reader."""
    way = better_way(metric) or "?"
    return (f"'{format_metric(metric)}' moved the wrong way ({way} is better): it is not shown "
            "as impact; say why, or correct the numbers")


def change_ratio(metric: Metric) -> float | None:
    """Relative change from baseline to result, or None when there is no baseline or it is 0."""
    if metric.baseline in (None, 0):
        return None
    return (metric.result - metric.baseline) / abs(metric.baseline)
