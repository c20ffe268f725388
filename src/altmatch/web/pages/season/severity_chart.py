"""Geometry of the assessors' severity dot plot, drawn as inline SVG without scripts: one row
per assessor, harshest at the top, a dot at their severity and a bar over its 95% interval,
around a line at the average assessor (0).

440 units wide like the site's other charts (pages/advice/chart.py), so its text stays legible
on a phone; the assessors' table beside it on the page gives every figure as text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from altmatch.services.season.interview_report import AssessorOut

WIDTH = 440
LEFT, RIGHT, TOP, BOTTOM = 132, 14, 8, 40  # LEFT: the assessors' ids, right-aligned at LEFT-6
ROW = 20  # units per assessor: the 16-unit labels of a phone fit
Z95 = 1.96  # a normal interval covering 95%
LABEL_CHARS = 14  # longer ids are cut (the full id is the row's tooltip and in the table)
STEPS = (0.1, 0.2, 0.25, 0.5, 1.0, 2.0)


@dataclass(frozen=True)
class Dot:
    assessor_id: str
    label: str  # the id as drawn
    y: float
    x: float
    low: float | None  # the 95% interval's ends; None without a standard error
    high: float | None
    severity: float
    se: float | None


@dataclass(frozen=True)
class Tick:
    x: float
    value: float


@dataclass(frozen=True)
class SeverityChart:
    width: int
    height: int
    left: int
    right: int
    top: int
    baseline: float  # the axis's y
    zero: float  # x of the average assessor
    dots: list[Dot]
    ticks: list[Tick]


def severity_chart(assessors: Sequence[AssessorOut]) -> SeverityChart:
    """The plot of `assessors` (at least one), on an axis symmetric around 0."""
    ordered = sorted(assessors, key=lambda a: (-a.severity, a.assessor_id))
    reach = max((abs(a.severity) + Z95 * (a.se or 0.0) for a in ordered), default=0.0)
    step = next((s for s in STEPS if reach / s <= 3), STEPS[-1])  # at most 7 ticks
    edge = max(step, math.ceil(reach / step) * step)
    plot_w = WIDTH - LEFT - RIGHT

    def x(value: float) -> float:
        return round(LEFT + plot_w * (value + edge) / (2 * edge), 2)

    dots = [
        Dot(
            assessor_id=a.assessor_id,
            label=_cut(a.assessor_id),
            y=TOP + i * ROW + ROW / 2,
            x=x(a.severity),
            low=None if a.se is None else x(a.severity - Z95 * a.se),
            high=None if a.se is None else x(a.severity + Z95 * a.se),
            severity=a.severity,
            se=a.se,
        )
        for i, a in enumerate(ordered)
    ]
    count = round(edge / step)
    ticks = [Tick(x(k * step), round(k * step, 2) + 0.0) for k in range(-count, count + 1)]
    baseline = TOP + len(ordered) * ROW
    return SeverityChart(
        width=WIDTH,
        height=int(baseline + BOTTOM),
        left=LEFT,
        right=WIDTH - RIGHT,
        top=TOP,
        baseline=baseline,
        zero=x(0.0),
        dots=dots,
        ticks=ticks,
    )


def _cut(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"
