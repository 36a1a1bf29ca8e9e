"""Charts as self-contained SVG strings (inline-able in HTML reports), and files."""

from levelup.charts.svg import pareto_svg, weekly_svg, write_chart

__all__ = ["pareto_svg", "weekly_svg", "write_chart"]
