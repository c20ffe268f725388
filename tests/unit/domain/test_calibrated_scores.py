"""Calibrated scores on the season's 0-100 scale, their ranks, and the adjustment explained."""

from __future__ import annotations

import pytest

from altmatch.domain.calibrated_scores import (
    MATCH_SCALE,
    Adjustment,
    ScoreFacts,
    adjustment_of,
    explain_adjustment,
    match_score,
    ranks,
)
from altmatch.i18n import render
from altmatch.io.season_files import MAX_INTERVIEW


def test_the_match_scale_is_the_season_files_interview_scale() -> None:
    assert MATCH_SCALE == MAX_INTERVIEW


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (1.0, 0),  # the rubric's bottom is the season's 0
        (5.0, 100),  # and its top 100
        (3.0, 50),
        (3.9, 73),  # 100 × 2.9 / 4 = 72.5, rounded half up
        (3.89, 72),  # 72.25
        (1.02, 1),  # 0.5 rounds up
        (0.7, 0),  # below the rubric: held at 0
        (5.3, 100),  # above it: held at 100
    ],
)
def test_a_calibrated_score_maps_linearly_from_the_rubric_onto_0_to_100(
    score: float, expected: int
) -> None:
    assert match_score(score, 1, 5) == expected


def test_the_mapping_follows_the_rubric_it_is_given() -> None:
    """On a 0-10 rubric a 7.5 is 75 (100 × 7.5 / 10)."""
    assert match_score(7.5, 0, 10) == 75
    with pytest.raises(ValueError):
        match_score(3.0, 5, 5)


def test_ranks_go_highest_first_and_ties_share_the_better_rank() -> None:
    assert ranks([3.2, 4.1, 3.2, 1.0]) == [2, 1, 2, 4]
    assert ranks([2.0, 2.0 + 1e-12]) == [1, 1]  # float noise is no difference
    assert ranks([]) == []


@pytest.mark.parametrize(
    ("raw", "score", "way"),
    [
        (3.5, 3.9, Adjustment.RAISED),
        (3.5, 3.1, Adjustment.LOWERED),
        (3.5, 3.53, Adjustment.UNCHANGED),
        (3.5, 3.45, Adjustment.LOWERED),  # exactly the threshold (0.05) counts
    ],
)
def test_the_adjustment_is_the_calibrated_score_against_the_raw_mean(
    raw: float, score: float, way: Adjustment
) -> None:
    assert adjustment_of(raw, score) is way


def test_the_candidate_is_told_how_much_harsher_their_assessors_were() -> None:
    """Raw mean 3.46, calibrated 3.94 ± 0.21: their assessors were 0.48 points harsher."""
    facts = ScoreFacts(raw_mean=3.46, score=3.94, se=0.21, low=1, high=5)
    text = render(explain_adjustment(facts, own=True), "en")
    assert text == (
        "Your assessors scored, on average, 0.48 points harsher than the average assessor, so "
        "your interview score was raised: your calibrated score is 3.94 ± 0.21 (raw mean 3.46) "
        "on the rubric's 1–5 scale."
    )


def test_a_coordinator_reads_the_same_in_the_third_person_and_without_an_unknown_se() -> None:
    facts = ScoreFacts(raw_mean=4.2, score=3.8, se=None, low=1, high=5)
    text = render(explain_adjustment(facts, own=False), "en")
    assert text.startswith("Their assessors scored, on average, 0.40 points more leniently")
    assert "calibrated 3.80 (raw mean 4.20)" in text and "±" not in text
