"""Geometry of the coverage chart, drawn as inline SVG without scripts: one bar per month for
the positions expected to be covered, the gap stacked above it up to the positions line."""

from __future__ import annotations

from dataclasses import dataclass

from altmatch.services.dispatch.coverage import MonthOut

# A narrow drawing (440 units) so that on a 390 px phone it shrinks little and its labels stay
# about 12 px (site.css gives them 16 units there and shows every other month's name; 11 units
# on a desk, where the figure is at most 44rem wide). The month and year names sit 16 and 30
# units under the baseline (dispatch_coverage.html).
WIDTH, HEIGHT = 440, 280
LEFT, RIGHT, TOP, BOTTOM = 40, 8, 14, 46


@dataclass(frozen=True)
class MonthColumn:
    index: int
    x: float  # the bar's left edge
    width: float
    centre: float
    covered_y: float
    covered_height: float
    gap_y: float
    gap_height: float
    positions_y: float
    positions: int
    covered: int
    gap: int


@dataclass(frozen=True)
class Tick:
    y: float
    value: int


@dataclass(frozen=True)
class CoverageChart:
    width: int
    height: int
    left: int
    right: float
    baseline: float
    columns: list[MonthColumn]
    ticks: list[Tick]
    positions_line: str  # SVG polyline points, a step at each month


def _step(top: int) -> int:
    """A tick step giving at most about six gridlines."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if top / step <= 6:
            return step
    return max(1, top // 5)


def coverage_chart(series: list[MonthOut]) -> CoverageChart:
    """Columns for each month: expected covered (bar), gap (bar above), positions (line)."""
    top_value = max([m.total.positions for m in series] + [1])
    step = _step(top_value)
    axis_max = -(-top_value // step) * step
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    baseline = TOP + plot_h
    slot = plot_w / max(len(series), 1)

    def y(value: int) -> float:
        return round(baseline - plot_h * value / axis_max, 2)

    columns = []
    points = []
    for i, month in enumerate(series):
        t = month.total
        x0 = LEFT + i * slot
        covered_y, positions_y = y(t.expected_covered), y(t.positions)
        columns.append(
            MonthColumn(
                index=i,
                x=round(x0 + slot * 0.15, 2),
                width=round(slot * 0.7, 2),
                centre=round(x0 + slot / 2, 2),
                covered_y=covered_y,
                covered_height=round(baseline - covered_y, 2),
                gap_y=positions_y,
                gap_height=round(covered_y - positions_y, 2),
                positions_y=positions_y,
                positions=t.positions,
                covered=t.expected_covered,
                gap=t.gap,
            )
        )
        points += [f"{round(x0, 2)},{positions_y}", f"{round(x0 + slot, 2)},{positions_y}"]
    return CoverageChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=WIDTH - RIGHT,
        baseline=baseline,
        columns=columns,
        ticks=[Tick(y(v), v) for v in range(0, axis_max + 1, step)],
        positions_line=" ".join(points),
    )
