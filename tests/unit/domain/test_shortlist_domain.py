"""The shortlist from calibrated scores (domain.shortlist): ranking, the cuts, alternates in
order, who calibration moved across the cut against raw means, statistical ties within the
standard errors, and exact ties by the seeded lottery. Hand-worked cases; then properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from altmatch.domain.shortlist import (
    Entry,
    ShortlistDecision,
    ShortlistReason,
    decide,
    match_tier,
    statistical_tie,
    tier_message,
)

D = ShortlistDecision


def entry(key: int, raw: float, score: float, se: float | None = 0.0, lottery: int = 0) -> Entry:
    return Entry(key, raw, score, se, lottery if lottery else key)


# Five candidates, no standard errors (no statistical ties):
#   key  raw   calibrated
#   1    4.0   3.2   lenient panel: raw first, calibrated third
#   2    3.0   3.8   harsh panel: raw fourth, calibrated first
#   3    3.5   3.5
#   4    3.6   3.0
#   5    2.0   2.1
# calibrated order 2, 3, 1, 4, 5; raw order 1, 4, 3, 2, 5.
FIVE = [
    entry(1, 4.0, 3.2),
    entry(2, 3.0, 3.8),
    entry(3, 3.5, 3.5),
    entry(4, 3.6, 3.0),
    entry(5, 2.0, 2.1),
]


def test_two_places_and_two_alternates_by_calibrated_score() -> None:
    """Shortlist 2, 3 (calibrated 3.8, 3.5); alternates 1 then 4; 5 not selected. Raw means
    would have shortlisted 1 and 4: 2 and 3 crossed in, 1 and 4 crossed out. The cut is 3.5,
    the alternates' cut 3.0."""
    result = decide(FIVE, places=2, alternates=2)
    order = [(p.entry.key, p.decision, p.alternate_position) for p in result.placed]
    assert order == [
        (2, D.SHORTLISTED, None),
        (3, D.SHORTLISTED, None),
        (1, D.ALTERNATE, 1),
        (4, D.ALTERNATE, 2),
        (5, D.NOT_SELECTED, None),
    ]
    assert [p.raw_position for p in result.placed] == [4, 3, 1, 2, 5]
    assert {p.entry.key for p in result.crossed_in} == {2, 3}
    assert {p.entry.key for p in result.crossed_out} == {1, 4}
    assert (result.cut, result.alternate_cut) == (3.5, 3.0)
    assert result.ties == ()
    assert result.placed[2].reasons == (
        ShortlistReason.ALTERNATE_RANGE,
        ShortlistReason.CROSSED_OUT,
    )


def test_more_places_than_candidates_shortlists_everyone_and_nobody_crosses() -> None:
    result = decide(FIVE, places=9, alternates=3)
    assert [p.decision for p in result.placed] == [D.SHORTLISTED] * 5
    assert result.crossed_in == result.crossed_out == ()
    assert result.alternate_cut is None and result.cut == 2.1


def test_no_places_lists_only_alternates() -> None:
    result = decide(FIVE, places=0, alternates=2)
    assert result.cut is None and result.alternate_cut == 3.5
    assert [p.alternate_position for p in result.placed][:2] == [1, 2]
    assert result.count(D.NOT_SELECTED) == 3


def test_a_difference_within_the_standard_errors_is_a_statistical_tie() -> None:
    """3.50 ± 0.10 against 3.25 ± 0.05: the margin is 1.96 × √(0.01 + 0.0025) = 1.96 × 0.1118
    = 0.219, less than the difference 0.25: no tie. With ± 0.15 the margin is 1.96 × √(0.0225 +
    0.0025) = 1.96 × 0.158 = 0.310, more than 0.25: a tie."""
    assert not statistical_tie(entry(1, 3, 3.50, 0.10), entry(2, 3, 3.25, 0.05))
    assert statistical_tie(entry(1, 3, 3.50, 0.15), entry(2, 3, 3.25, 0.05))
    assert statistical_tie(entry(1, 3, 3.50, None), entry(2, 3, 3.50, None))  # equal, no SE


def test_ties_are_flagged_on_both_sides_of_the_cut_and_not_reordered() -> None:
    """One place. A 3.40 ± 0.05, B 3.35 ± 0.05, C 3.00 ± 0.05. The cut falls between A and B:
    A − B = 0.05 ≤ 1.96 × 0.0707 = 0.139, a tie; C is 0.40 below A, no tie. A keeps the place."""
    people = [entry(1, 3, 3.40, 0.05), entry(2, 3, 3.35, 0.05), entry(3, 3, 3.00, 0.05)]
    result = decide(people, places=1, alternates=0)
    assert result.placed[0].entry.key == 1 and result.placed[0].decision is D.SHORTLISTED
    assert {p.entry.key for p in result.ties} == {1, 2}
    assert ShortlistReason.STATISTICAL_TIE in result.placed[1].reasons


def test_an_exact_tie_across_the_cut_goes_by_the_lottery_and_is_marked() -> None:
    """B and C both 3.5; lottery numbers 7 (B) and 2 (C): C, the lower, takes the one place
    left after A. Swap the numbers and B takes it."""
    people = [
        entry(1, 3, 3.9, lottery=5),
        entry(2, 3, 3.5, lottery=7),
        entry(3, 3, 3.5, lottery=2),
    ]
    result = decide(people, places=2, alternates=0)
    assert [p.entry.key for p in result.placed] == [1, 3, 2]
    assert [ShortlistReason.LOTTERY in p.reasons for p in result.placed] == [False, True, True]
    swapped = [people[0], entry(2, 3, 3.5, lottery=2), entry(3, 3, 3.5, lottery=7)]
    assert [p.entry.key for p in decide(swapped, 2, 0).placed] == [1, 2, 3]


def test_equal_scores_inside_the_shortlist_are_no_lottery_decision() -> None:
    people = [entry(1, 3, 3.5, lottery=2), entry(2, 3, 3.5, lottery=1), entry(3, 3, 2.0)]
    result = decide(people, places=2, alternates=0)
    assert not any(ShortlistReason.LOTTERY in p.reasons for p in result.placed)


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="0 or more"):
        decide(FIVE, places=-1, alternates=0)
    with pytest.raises(ValueError, match="once"):
        decide([*FIVE, FIVE[0]], places=1, alternates=0)


scores = st.floats(min_value=1, max_value=5, allow_nan=False)


@st.composite
def rounds(draw: st.DrawFn) -> list[Entry]:
    n = draw(st.integers(0, 30))
    lottery = draw(st.permutations(list(range(n))))
    return [
        Entry(i, draw(scores), draw(scores), draw(st.none() | st.floats(0, 1)), lottery[i])
        for i in range(n)
    ]


@given(rounds(), st.integers(0, 40), st.integers(0, 40))
def test_properties(people: list[Entry], places: int, alternates: int) -> None:
    """Counts add up; the shortlist's scores are never below a not-shortlisted one's; the
    crossings balance; alternates are numbered 1..k in order; the same input gives the same
    result."""
    result = decide(people, places, alternates)
    n = len(people)
    assert result.count(D.SHORTLISTED) == min(places, n)
    assert result.count(D.ALTERNATE) == min(alternates, max(0, n - places))
    shortlisted = [p.entry.score for p in result.placed if p.decision is D.SHORTLISTED]
    others = [p.entry.score for p in result.placed if p.decision is not D.SHORTLISTED]
    if shortlisted and others:
        assert min(shortlisted) >= max(others) - 1e-9
    assert len(result.crossed_in) == len(result.crossed_out)
    numbers = [p.alternate_position for p in result.placed if p.decision is D.ALTERNATE]
    assert numbers == list(range(1, len(numbers) + 1))
    assert decide(people, places, alternates) == result


def test_the_decision_gives_each_application_its_tier_in_the_match() -> None:
    """Shortlisted 0, alternate number p tier p, not selected left out (None), and an
    application the decision did not cover ranked as if shortlisted."""
    assert match_tier(D.SHORTLISTED, None) == 0
    assert [match_tier(D.ALTERNATE, p) for p in (1, 2, 7)] == [1, 2, 7]
    assert match_tier(D.NOT_SELECTED, None) is None
    assert match_tier(None, None) == 0
    with pytest.raises(ValueError, match="position"):
        match_tier(D.ALTERNATE, None)
    with pytest.raises(ValueError, match="position"):
        match_tier(D.ALTERNATE, 0)


def test_every_decided_shortlist_ranks_its_shortlisted_ahead_of_its_alternates_in_order() -> None:
    """The tiers of a decision, sorted, give its order: shortlisted, then alternates by
    position; nobody not selected enters."""
    decided = decide(FIVE, places=2, alternates=2)
    tiers = {p.entry.key: match_tier(p.decision, p.alternate_position) for p in decided.placed}
    assert tiers == {2: 0, 3: 0, 1: 1, 4: 2, 5: None}
    assert tier_message(0).template == "Shortlisted"
    assert tier_message(3).params == {"position": 3}
    assert tier_message(None).template == "Not selected at interview"
