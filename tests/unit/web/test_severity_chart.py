"""The assessors' severity dot plot: harshest first, 0 in the middle, 95% bars, a tight axis."""

from __future__ import annotations

from altmatch.services.season.interview_report import AssessorOut
from altmatch.web.pages.season.severity_chart import LEFT, RIGHT, ROW, TOP, WIDTH, severity_chart


def _assessor(name: str, severity: float, se: float | None) -> AssessorOut:
    return AssessorOut(assessor_id=name, severity=severity, se=se, candidates=8, component=1)


def test_rows_go_harshest_first_around_the_average_assessor_in_the_middle() -> None:
    chart = severity_chart(
        [_assessor("b", -0.4, 0.1), _assessor("a", 0.6, 0.1), _assessor("c", 0.0, None)]
    )
    assert [d.assessor_id for d in chart.dots] == ["a", "c", "b"]
    assert [d.y for d in chart.dots] == [TOP + ROW / 2, TOP + 1.5 * ROW, TOP + 2.5 * ROW]
    assert chart.zero == LEFT + (WIDTH - LEFT - RIGHT) / 2
    harsh, average, lenient = chart.dots
    assert lenient.x < average.x == chart.zero < harsh.x
    assert average.low is None and average.high is None  # no standard error, no bar


def test_the_bar_is_the_95_percent_interval_and_the_axis_holds_it() -> None:
    """0.6 ± 1.96 × 0.1 reaches 0.796: steps of 0.5 hold it in 2, so the axis runs −1 to 1."""
    chart = severity_chart([_assessor("a", 0.6, 0.1), _assessor("b", -0.4, 0.1)])
    assert [t.value for t in chart.ticks] == [-1.0, -0.5, 0.0, 0.5, 1.0]
    a = chart.dots[0]
    per_point = (WIDTH - LEFT - RIGHT) / 2.0  # rubric points -1..1 across the plot
    assert a.high is not None and a.low is not None
    assert abs((a.high - a.low) - 2 * 1.96 * 0.1 * per_point) < 0.05
    assert chart.height == TOP + 2 * ROW + 40


def test_long_ids_are_cut_for_the_drawing_and_kept_whole_for_its_tooltip() -> None:
    chart = severity_chart([_assessor("washington-educator-1", 0.1, 0.05)])
    dot = chart.dots[0]
    assert dot.label == "washington-ed…" and dot.assessor_id == "washington-educator-1"
