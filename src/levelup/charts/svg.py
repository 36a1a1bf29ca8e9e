"""Hand-written SVG: a Pareto chart (bars + cumulative line) and a weekly trend chart.

No plotting library: the markup is small, deterministic (tests compare it) and inlines
into HTML reports as is. PNG files are rendered from the SVG by CairoSVG when installed.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path

from levelup.domain.pareto import VITAL_SHARE, ParetoRow, WeekCount
from levelup.domain.problems import problem_label
from levelup.errors import LevelupError

WIDTH, HEIGHT = 720, 400
LEFT, RIGHT, TOP, BOTTOM = 110, 56, 40, 150  # room for the first rotated label
BAR, VITAL_BAR, LINE, GRID, TEXT = "#9aa5b1", "#c0392b", "#1f4e79", "#e4e7eb", "#222"
FONT = 'font-family="system-ui, sans-serif"'


def _svg(body: list[str], title: str) -> str:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}">'
    )
    caption = (
        f'<text x="{LEFT}" y="24" {FONT} font-size="15" font-weight="600" fill="{TEXT}">'
        f"{escape(title)}</text>"
    )
    background = f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>'
    return "\n".join([head, f"<title>{escape(title)}</title>", background, caption, *body,
                      "</svg>"]) + "\n"


def _nice_max(value: float) -> float:
    """A round axis maximum ≥ value (1, 2, 5 × 10^n)."""
    if value <= 0:
        return 1.0
    step = 1.0
    while step * 10 <= value:
        step *= 10
    for factor in (1, 2, 5, 10):
        if factor * step >= value:
            return factor * step
    return 10 * step


def _f(value: float) -> str:
    return f"{value:.1f}"


def _intervals(top: float) -> int:
    """Grid intervals so that every tick of a count axis is a whole number."""
    return next(n for n in (5, 4, 2, 1) if float(top / n).is_integer())


def _height(count: int, top: float, plot_h: float) -> float:
    """A bar's height; a zero still shows as a hairline on the axis."""
    return plot_h * count / top if count else 1.5


def _axes(top: float, right_label: str | None, *, y_title: str, x_title: str) -> list[str]:
    plot_h = HEIGHT - TOP - BOTTOM
    lines = []
    for i in range(5):  # the share axis on the right: 0, 25 … 100 %
        y = TOP + plot_h * i / 4
        if right_label is not None:
            lines.append(f'<text x="{WIDTH - RIGHT + 6}" y="{_f(y + 4)}" {FONT} font-size="11" '
                         f'fill="{LINE}">{(4 - i) * 25}%</text>')
    steps = _intervals(top)
    for i in range(steps + 1):
        y = TOP + plot_h * i / steps
        lines.append(f'<line x1="{LEFT}" y1="{_f(y)}" x2="{WIDTH - RIGHT}" y2="{_f(y)}" '
                     f'stroke="{GRID}"/>')
        lines.append(f'<text x="{LEFT - 6}" y="{_f(y + 4)}" {FONT} font-size="11" '
                     f'text-anchor="end" fill="{TEXT}">{round(top * (steps - i) / steps)}</text>')
    middle = TOP + plot_h / 2
    lines.append(f'<text x="{LEFT - 40}" y="{_f(middle)}" {FONT} font-size="12" '
                 f'text-anchor="middle" fill="{TEXT}" transform="rotate(-90 {LEFT - 40} '
                 f'{_f(middle)})">{escape(y_title)}</text>')
    lines.append(f'<text x="{_f(LEFT + (WIDTH - LEFT - RIGHT) / 2)}" y="{HEIGHT - 8}" {FONT} '
                 f'font-size="12" text-anchor="middle" fill="{TEXT}">{escape(x_title)}</text>')
    if right_label is not None:
        lines.append(f'<text x="{WIDTH - 14}" y="{_f(middle)}" {FONT} font-size="12" '
                     f'text-anchor="middle" fill="{LINE}" transform="rotate(90 {WIDTH - 14} '
                     f'{_f(middle)})">cumulative %</text>')
    return lines


def pareto_svg(rows: Sequence[ParetoRow], *, title: str = "Recurring problems (Pareto)",
               limit: int = 15) -> str:
    """Bars of pages per problem, largest first, with the cumulative-share line and 80% mark."""
    shown = list(rows[:limit])
    if not shown:
        return _svg([_empty()], title)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = _nice_max(max(row.count for row in shown))
    slot = plot_w / len(shown)
    body = _axes(top, "%", y_title="pages", x_title="problem")
    vital_cut = next((i for i, r in enumerate(shown) if r.cumulative_share >= VITAL_SHARE - 1e-9),
                     len(shown))
    points = []
    for i, row in enumerate(shown):
        x = LEFT + i * slot
        h = _height(row.count, top, plot_h)
        colour = VITAL_BAR if i <= vital_cut else BAR
        body.append(f'<rect x="{_f(x + slot * 0.15)}" y="{_f(TOP + plot_h - h)}" '
                    f'width="{_f(slot * 0.7)}" height="{_f(h)}" fill="{colour}">'
                    f"<title>{escape(row.key)}: {row.count} pages, {row.share:.0%}</title></rect>")
        cx, cy = x + slot / 2, TOP + plot_h * (1 - row.cumulative_share)
        points.append(f"{_f(cx)},{_f(cy)}")
        body.append(_label(cx, TOP + plot_h + 8, problem_label(row.key, 28)))
    body.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{LINE}" '
                'stroke-width="2"/>')
    body += [f'<circle cx="{p.split(",")[0]}" cy="{p.split(",")[1]}" r="3" fill="{LINE}"/>'
             for p in points]
    y80 = TOP + plot_h * (1 - VITAL_SHARE)
    body.append(f'<line x1="{LEFT}" y1="{_f(y80)}" x2="{WIDTH - RIGHT}" y2="{_f(y80)}" '
                f'stroke="{LINE}" stroke-dasharray="4 3"/>')
    return _svg(body, title)


def _label(x: float, y: float, text: str) -> str:
    return (f'<text x="{_f(x)}" y="{_f(y)}" {FONT} font-size="10" fill="{TEXT}" '
            f'text-anchor="end" transform="rotate(-40 {_f(x)} {_f(y)})">{escape(text)}</text>')


def _empty() -> str:
    return (f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" {FONT} font-size="13" text-anchor="middle" '
            f'fill="{TEXT}">no pages in this period</text>')


def weekly_svg(weeks: Sequence[WeekCount], *, title: str = "Pages per week") -> str:
    """A column per week (Monday dates on the axis) with the pages counted in it."""
    if not weeks:
        return _svg([_empty()], title)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = _nice_max(max(w.count for w in weeks))
    slot = plot_w / len(weeks)
    every = max(1, len(weeks) // 12)
    body = _axes(top, None, y_title="pages", x_title="week (Monday)")
    for i, week in enumerate(weeks):
        x, h = LEFT + i * slot, _height(week.count, top, plot_h)
        body.append(f'<rect x="{_f(x + slot * 0.1)}" y="{_f(TOP + plot_h - h)}" '
                    f'width="{_f(max(slot * 0.8, 0.5))}" height="{_f(h)}" fill="{LINE}">'
                    f"<title>week of {week.week.isoformat()}: {week.count}</title></rect>")
        if i % every == 0:
            body.append(_label(x + slot / 2, TOP + plot_h + 8, week.week.isoformat()))
    return _svg(body, title)


def write_chart(path: Path, svg: str) -> Path:
    """Write ``svg`` to ``path``: as is for .svg, rendered for .png (needs CairoSVG)."""
    suffix = path.suffix.lower()
    if suffix == ".svg":
        path.write_text(svg, encoding="utf-8")
        return path
    if suffix != ".png":
        raise LevelupError(f"chart file {path} must end in .svg or .png")
    try:
        import cairosvg  # type: ignore[import-untyped, unused-ignore]
    except (ImportError, OSError):
        raise LevelupError(
            "PNG charts need CairoSVG (pip install cairosvg); write an .svg file instead"
        ) from None
    cairosvg.svg2png(bytestring=svg.encode(), write_to=str(path))
    return path
