"""Geometry for the take-home bar chart, drawn as inline SVG (no script, readable without JS)."""

from __future__ import annotations

from dataclasses import dataclass

from altmatch.services.advice.advisor import AdviceOut

# A narrow drawing (440 units) so that on a 390 px phone it shrinks little and its labels stay
# about 12 px (site.css gives them 16 units there, 11 on a desk, where the figure is at most
# 44rem wide). LEFT leaves room for the widest axis label, '350万円'; advisor.html draws the
# gridlines from x=70 and the labels at x=64.
WIDTH, HEIGHT = 440, 260
LEFT, RIGHT, TOP, BOTTOM = 70, 10, 12, 40


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: int
    label: str


@dataclass(frozen=True)
class Tick:
    y: float
    value: int


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    ticks: list[Tick]
    years: list[tuple[float, int]]
    series: list[str]
    baseline: float


def take_home_chart(advice: AdviceOut) -> Chart:
    """Grouped bars: one group per contract year, one bar per path."""
    top_value = max(y.take_home for p in advice.paths for y in p.pay) or 1
    step = 500_000
    axis_max = ((top_value // step) + 1) * step
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    years = len(advice.paths[0].pay)
    group_w = plot_w / years
    bar_w = group_w * 0.8 / len(advice.paths)
    bars = []
    for s, path in enumerate(advice.paths):
        for i, year in enumerate(path.pay):
            h = plot_h * year.take_home / axis_max
            bars.append(
                Bar(
                    x=LEFT + i * group_w + group_w * 0.1 + s * bar_w,
                    y=TOP + plot_h - h,
                    width=bar_w,
                    height=h,
                    series=s,
                    label=f"{path.name}, {year.year}: ¥{year.take_home:,}",
                )
            )
    ticks = [
        Tick(y=TOP + plot_h - plot_h * v / axis_max, value=v) for v in range(0, axis_max + 1, step)
    ]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        bars=bars,
        ticks=ticks,
        years=[(LEFT + i * group_w + group_w / 2, i + 1) for i in range(years)],
        series=[p.name for p in advice.paths],
        baseline=TOP + plot_h,
    )
