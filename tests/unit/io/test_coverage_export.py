"""Coverage files: month × region rows, targets, formula-safe text and a reproducible chart."""

from __future__ import annotations

import csv
import io
from datetime import date

from altmatch.io.coverage_export import (
    CoverageRow,
    TargetRow,
    coverage_chart_files,
    coverage_csv,
    targets_csv,
)


def test_coverage_rows_are_written_by_month_and_region() -> None:
    text = coverage_csv([CoverageRow(date(2027, 4, 1), "Hyogo", 3, 2, 1, 1, 2, 0)])
    assert text.splitlines() == [
        "month,region,positions,assigned,at_risk,expected_covered,gap,released",
        "2027-04,Hyogo,3,2,1,1,2,0",
    ]


def test_a_region_that_looks_like_a_formula_is_neutralised() -> None:
    text = targets_csv([TargetRow("=HYPERLINK(1)", date(2027, 8, 1), 2, 1, 1)])
    [row] = list(csv.DictReader(io.StringIO(text)))
    assert not row["region"].startswith("=")
    assert (row["start_month"], row["hires"]) == ("2027-08", "1")


def test_the_chart_is_a_png_and_an_svg_and_the_same_input_gives_the_same_svg() -> None:
    months = [date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1)]
    first = coverage_chart_files(months, [5, 5, 3], [4, 3, 3], title="Sakura ALT")
    second = coverage_chart_files(months, [5, 5, 3], [4, 3, 3], title="Sakura ALT")
    assert set(first) == {"coverage_chart.png", "coverage_chart.svg"}
    png = first["coverage_chart.png"]
    assert isinstance(png, bytes) and png.startswith(b"\x89PNG")
    assert first["coverage_chart.svg"] == second["coverage_chart.svg"]
    assert "Sakura ALT" in str(first["coverage_chart.svg"])
