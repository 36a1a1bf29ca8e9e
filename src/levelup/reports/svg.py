"""A horizontal bar chart as inline SVG, so HTML reports stay one self-contained file: whole
number ticks for counts, axis titles, and a bar for every label (a zero as a hairline)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from levelup.reports.model import Bar

ROW = 22
LABEL_WIDTH = 120
BAR_WIDTH = 300
TOP = 8  # room above the bars
AXIS = 40  # room below the bars: tick labels and the value axis title


def nice_top(value: int) -> int:
    """A round axis maximum >= value (1, 2, 5 x 10^n), so count ticks are whole numbers."""
    step = 1
    while step * 10 < max(value, 1):
        step *= 10
    return next(f * step for f in (1, 2, 5, 10) if f * step >= max(value, 1))


def ticks(top: int) -> list[int]:
    """Whole-number ticks from 0 to ``top`` (at most six)."""
    intervals = next(n for n in (5, 4, 2, 1) if top % n == 0)
    return [top * i // intervals for i in range(intervals + 1)]


def bar_chart(bars: Sequence[Bar], *, title: str = "", value_title: str = "Entries",
              label_title: str = "Competency") -> str:
    """SVG markup: one labelled bar per item, lengths proportional to the counts, on an axis
    of whole-number ticks with its title; the labels' axis titled too."""
    if not bars:
        return ""
    top = nice_top(max(b.value for b in bars))
    plot_h = ROW * len(bars)
    height = TOP + plot_h + AXIS
    width = LABEL_WIDTH + BAR_WIDTH + 50
    rows = [_row(i, bar, top) for i, bar in enumerate(bars)]
    label = f' aria-label="{escape(title)}"' if title else ""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" '
            f'height="{height}" viewBox="0 0 {width} {height}" role="img"{label}>'
            + "".join(_axis(top, plot_h, value_title, label_title)) + "".join(rows)
            + "</svg>")


def _axis(top: int, plot_h: int, value_title: str, label_title: str) -> list[str]:
    base = TOP + plot_h
    out = [f'<line class="axis" x1="{LABEL_WIDTH}" y1="{TOP}" x2="{LABEL_WIDTH}" y2="{base}" '
           f'stroke="#999"/>',
           f'<line class="axis" x1="{LABEL_WIDTH}" y1="{base}" x2="{LABEL_WIDTH + BAR_WIDTH}" '
           f'y2="{base}" stroke="#999"/>']
    for tick in ticks(top):
        x = LABEL_WIDTH + BAR_WIDTH * tick // top
        out.append(f'<line x1="{x}" y1="{TOP}" x2="{x}" y2="{base}" stroke="#eee"/>'
                   f'<text class="tick" x="{x}" y="{base + 14}" text-anchor="middle" '
                   f'font-size="10" fill="#555">{tick}</text>')
    out.append(f'<text class="axis-title" x="{LABEL_WIDTH + BAR_WIDTH // 2}" y="{base + 32}" '
               f'text-anchor="middle" font-size="11">{escape(value_title)}</text>')
    out.append(f'<text class="axis-title" x="12" y="{TOP + plot_h // 2}" text-anchor="middle" '
               f'font-size="11" transform="rotate(-90 12 {TOP + plot_h // 2})">'
               f'{escape(label_title)}</text>')
    return out


def _row(index: int, bar: Bar, top: int) -> str:
    y = TOP + index * ROW + 4
    length = round(BAR_WIDTH * bar.value / top) if bar.value else 1  # a zero: a hairline
    name = escape(bar.label)
    return (f'<g class="bar"><title>{name}: {bar.value}</title>'
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 10}" text-anchor="end" '
            f'font-size="12">{name}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{ROW - 8}" '
            f'fill="#3b6ea5" rx="2"/>'
            f'<text x="{LABEL_WIDTH + length + 4}" y="{y + 11}" font-size="11" '
            f'fill="#555">{bar.value}</text></g>')
