"""Charts of a chances run as PNG and SVG files (matplotlib, no display needed)."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

import matplotlib
from matplotlib.figure import Figure

# Figures are built without pyplot, so no GUI backend is ever touched; a fixed hash salt
# gives SVG elements stable ids, so the same run writes the same bytes.
matplotlib.rcParams["svg.hashsalt"] = "altmatch"


def _render(figure: Figure, stem: str) -> dict[str, str | bytes]:
    png, svg = io.BytesIO(), io.StringIO()
    figure.savefig(png, format="png", dpi=120, bbox_inches="tight")
    figure.savefig(svg, format="svg", bbox_inches="tight", metadata={"Date": None})
    return {f"{stem}.png": png.getvalue(), f"{stem}.svg": svg.getvalue()}


def probability_histogram(probabilities: Sequence[float], *, title: str) -> dict[str, str | bytes]:
    """How many candidates have each chance of placement (20 bins from 0 to 1)."""
    figure = Figure(figsize=(7, 4))
    axes = figure.subplots()
    axes.hist(probabilities, bins=20, range=(0.0, 1.0), color="#2f6db5", edgecolor="white")
    axes.set_xlabel("Estimated probability of placement")
    axes.set_ylabel("Candidates")
    axes.set_title(title)
    axes.set_xlim(0, 1)
    return _render(figure, "probability_histogram")


def prefecture_chart(by_prefecture: Mapping[str, float], *, title: str) -> dict[str, str | bytes]:
    """Mean chance of placement by the candidates' first-choice prefecture."""
    names = list(by_prefecture)
    values = [by_prefecture[n] for n in names]
    figure = Figure(figsize=(7, max(3.0, 0.25 * len(names) + 1)))
    axes = figure.subplots()
    axes.barh(names, values, color="#b3282d")
    axes.invert_yaxis()
    axes.set_xlim(0, 1)
    axes.set_xlabel("Mean estimated probability of placement")
    axes.set_title(title)
    return _render(figure, "prefecture_chances")
