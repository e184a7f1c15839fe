"""Charts as server-rendered SVG: stacked bars per day, and horizontal bars.

No chart library and no script: the SVG is part of the page (its colours come from
classes in console.css, as the CSP allows no inline style).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Sequence, Tuple

WIDTH, HEIGHT = 720, 220
LEFT, BOTTOM, TOP = 44, 28, 10
SERIES_CLASSES = 6


@dataclass(frozen=True)
class Bar:
    """One rectangle: where, how big, its series (a CSS class) and its tooltip."""

    x: float
    y: float
    width: float
    height: float
    series: int
    title: str


@dataclass(frozen=True)
class Chart:
    """What the chart template draws."""

    width: int
    height: int
    bars: List[Bar]
    labels: List[Tuple[float, str]]  # x, text under the axis
    ticks: List[Tuple[float, str]]  # y, value on the left axis
    legend: List[Tuple[int, str]]  # series, name
    empty: bool


def stacked_days(
    days: Sequence[str], values: Dict[str, Dict[str, float]], percent: bool = False
) -> Chart:
    """One stacked bar per day; `values` is day -> series -> value."""
    names = sorted({name for per_day in values.values() for name in per_day})
    series = {name: number % SERIES_CLASSES for number, name in enumerate(names)}
    peak = max((sum(v.values()) for v in values.values()), default=0) or 1
    if percent:
        peak = max(peak, 1)
    plot_width = WIDTH - LEFT - 8
    plot_height = HEIGHT - BOTTOM - TOP
    step = plot_width / max(1, len(days))
    bars, labels = [], []
    every = max(1, len(days) // 10)
    for position, day in enumerate(days):
        x = LEFT + position * step + step * 0.15
        base = HEIGHT - BOTTOM
        for name in names:
            value = values.get(day, {}).get(name, 0)
            if not value:
                continue
            height = value / peak * plot_height
            base -= height
            shown = f"{value:.0%}" if percent else f"{value:g}"
            bars.append(
                Bar(x, base, step * 0.7, height, series[name], f"{day} {name}: {shown}")
            )
        if position % every == 0:
            labels.append((LEFT + position * step + step / 2, day[5:]))
    ticks = [
        (
            HEIGHT - BOTTOM - fraction * plot_height,
            f"{peak * fraction:.0%}" if percent else f"{peak * fraction:g}",
        )
        for fraction in (0, 0.5, 1)
    ]
    legend = [(series[name], name) for name in names]
    return Chart(WIDTH, HEIGHT, bars, labels, ticks, legend, not values)


def ranking(items: Sequence[Tuple[str, float]]) -> Chart:
    """Horizontal bars, biggest first (the most asked topics)."""
    row = 22
    height = TOP + row * max(1, len(items)) + 4
    peak = max((value for _, value in items), default=0) or 1
    label_width = 230
    bars, labels, values = [], [], []
    for position, (name, value) in enumerate(items):
        y = TOP + position * row
        width = value / peak * (WIDTH - label_width - 60)
        bars.append(Bar(label_width, y, width, row - 6, 0, f"{name}: {value:g}"))
        # For a ranking, labels are the names at each bar's middle and ticks the
        # values, drawn after the bar's end.
        labels.append((y + row / 2, name))
        values.append((y + row / 2, f"{value:g}"))
    return Chart(WIDTH, height, bars, labels, values, [], not items)
