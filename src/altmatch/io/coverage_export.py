"""A company's coverage as files: coverage.csv (month × region), targets.csv and a chart of
positions against expected coverage as PNG and SVG (matplotlib, no display needed).

Plain rows in, file contents out; the CLI gathers the rows from the service's read model.
Text cells are neutralised against spreadsheet formulas; CSV is UTF-8 without BOM.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import matplotlib
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from altmatch.io.export import neutralise
from altmatch.io.outputs import csv_text

# No pyplot (no GUI backend), and stable SVG ids, so the same input gives the same file.
matplotlib.rcParams["svg.hashsalt"] = "altmatch"

COVERAGE = "coverage.csv"
TARGETS = "targets.csv"
CHART_STEM = "coverage_chart"
COVERAGE_HEADER = (
    "month",
    "region",
    "positions",
    "assigned",
    "at_risk",
    "expected_covered",
    "gap",
    "released",
)
TARGETS_HEADER = (
    "region",
    "start_month",
    "gap",
    "already_targeted",
    "hires",
    "gross_need",
    "redeployable",
    "expected_leavers",
    "net_need",
)
TOTAL = "total"  # the region column of the rows summing every region


@dataclass(frozen=True)
class CoverageRow:
    month: date
    region: str
    positions: int
    assigned: int
    at_risk: int
    expected_covered: int
    gap: int
    released: int


@dataclass(frozen=True)
class TargetRow:
    region: str
    start_month: date
    gap: int
    already_targeted: int
    hires: int
    gross_need: int = 0
    redeployable: int = 0
    expected_leavers: int = 0
    net_need: int = 0


def coverage_csv(rows: Iterable[CoverageRow]) -> str:
    """One row per month and region (and per month a `total` row), months as YYYY-MM."""
    return csv_text(
        COVERAGE_HEADER,
        (
            (
                f"{r.month:%Y-%m}",
                neutralise(r.region),
                r.positions,
                r.assigned,
                r.at_risk,
                r.expected_covered,
                r.gap,
                r.released,
            )
            for r in rows
        ),
    )


def targets_csv(rows: Iterable[TargetRow]) -> str:
    """One row per region and start month: the hires to target and how they were reached."""
    return csv_text(
        TARGETS_HEADER,
        (
            (
                neutralise(r.region),
                f"{r.start_month:%Y-%m}",
                r.gap,
                r.already_targeted,
                r.hires,
                r.gross_need,
                r.redeployable,
                r.expected_leavers,
                r.net_need,
            )
            for r in rows
        ),
    )


def coverage_chart_files(
    months: Sequence[date],
    positions: Sequence[int],
    covered: Sequence[int],
    *,
    title: str,
) -> dict[str, str | bytes]:
    """Bars of the positions expected to be covered, the gap stacked above them (hatched), and
    the positions as a step line; `coverage_chart.png` and `coverage_chart.svg`."""
    figure = Figure(figsize=(8, 4))
    axes = figure.subplots()
    x = list(range(len(months)))
    gaps = [p - c for p, c in zip(positions, covered, strict=True)]
    axes.bar(x, covered, color="#2f6db5", width=0.7)
    axes.bar(x, gaps, bottom=covered, color="#f3d3d4", edgecolor="#b3282d", hatch="//", width=0.7)
    axes.step(
        [i - 0.5 for i in x] + [len(x) - 0.5],
        list(positions) + list(positions[-1:]),
        where="post",
        color="#1d2330",
        linewidth=2,
    )
    axes.set_xticks(x, [f"{m:%Y-%m}" for m in months], rotation=45, ha="right")
    axes.set_ylabel("ALTs")
    axes.set_ylim(0, max([*positions, 1]) * 1.15)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title(title)
    axes.legend(
        handles=[
            Patch(color="#2f6db5", label="Expected covered"),
            Patch(facecolor="#f3d3d4", edgecolor="#b3282d", hatch="//", label="Gap"),
            Line2D([], [], color="#1d2330", linewidth=2, label="Positions"),
        ],
        loc="upper left",
        bbox_to_anchor=(1.01, 1),
        frameon=False,
    )
    png, svg = io.BytesIO(), io.StringIO()
    figure.savefig(png, format="png", dpi=120, bbox_inches="tight")
    figure.savefig(svg, format="svg", bbox_inches="tight", metadata={"Date": None})
    return {f"{CHART_STEM}.png": png.getvalue(), f"{CHART_STEM}.svg": svg.getvalue()}
