"""The two inline SVG charts are drawn narrow enough that their labels stay legible on a phone,
and every bar stays inside the drawing."""

from __future__ import annotations

import datetime as dt

import pytest

from altmatch.services.advice.advisor import give_advice
from altmatch.services.advice.profile_input import ProfileInput
from altmatch.services.dispatch.coverage import MonthOut, TallyOut
from altmatch.web.pages.advice.chart import take_home_chart
from altmatch.web.pages.dispatch.coverage_chart import coverage_chart

PHONE_DRAWING = 390 - 2 * 16 - 2 * 8 - 2  # a 390 px phone less main's and the figure's padding
PHONE_LABEL_UNITS = 16  # site.css, below 40rem


def _rendered_label_px(viewbox_width: int) -> float:
    return PHONE_LABEL_UNITS * min(1.0, PHONE_DRAWING / viewbox_width)


def test_the_take_home_chart_keeps_its_labels_legible_on_a_phone() -> None:
    advice = give_advice(
        ProfileInput(degree="bachelor", citizenship="GB", english="native"),  # type: ignore[arg-type]
        today=dt.date(2026, 12, 6),
    )
    chart = take_home_chart(advice)
    assert _rendered_label_px(chart.width) >= 12
    assert chart.bars
    for bar in chart.bars:
        assert bar.x >= 70 and bar.x + bar.width <= chart.width  # right of the axis labels
        assert bar.y >= 0 and bar.y + bar.height <= chart.baseline + 0.01
    assert chart.baseline + 18 + 4 <= chart.height  # the year names fit under the bars


def _month(i: int, positions: int, covered: int) -> MonthOut:
    tally = TallyOut(
        positions=positions,
        assigned=covered,
        at_risk=0,
        expected_covered=covered,
        gap=positions - covered,
        released=0,
    )
    return MonthOut(month=dt.date(2027 + i // 12, i % 12 + 1, 1), total=tally, regions={})


@pytest.mark.parametrize("months", [1, 12, 24])
def test_the_coverage_chart_keeps_its_labels_legible_on_a_phone(months: int) -> None:
    chart = coverage_chart([_month(i, 55 - i, 50 - i) for i in range(months)])
    assert _rendered_label_px(chart.width) >= 12
    assert len(chart.columns) == months
    assert chart.left >= 36  # room for a two-digit tick at 16 units
    for column in chart.columns:
        assert chart.left <= column.x and column.x + column.width <= chart.right
        assert column.gap_y <= column.covered_y <= chart.baseline
    assert chart.baseline + 30 + 4 <= chart.height  # month and year names fit under the bars
