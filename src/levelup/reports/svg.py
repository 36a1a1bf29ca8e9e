"""A horizontal bar chart as inline SVG, so HTML reports stay one self-contained file."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from levelup.reports.model import Bar

ROW = 22
LABEL_WIDTH = 120
BAR_WIDTH = 300


def bar_chart(bars: Sequence[Bar], *, title: str = "") -> str:
    """SVG markup: one labelled bar per item, lengths proportional to the counts."""
    if not bars:
        return ""
    top = max(b.value for b in bars) or 1
    height = ROW * len(bars) + 8
    width = LABEL_WIDTH + BAR_WIDTH + 50
    rows = [_row(i, bar, top) for i, bar in enumerate(bars)]
    label = f' aria-label="{escape(title)}"' if title else ""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" role="img"{label}>'
            + "".join(rows) + "</svg>")


def _row(index: int, bar: Bar, top: int) -> str:
    y = index * ROW + 4
    length = max(2, round(BAR_WIDTH * bar.value / top))
    name = escape(bar.label)
    return (f'<g><title>{name}: {bar.value}</title>'
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 14}" text-anchor="end" '
            f'font-size="12">{name}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{ROW - 8}" '
            f'fill="#3b6ea5" rx="2"/>'
            f'<text x="{LABEL_WIDTH + length + 4}" y="{y + 14}" font-size="11" '
            f'fill="#555">{bar.value}</text></g>')
