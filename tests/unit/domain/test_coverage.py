"""Coverage arithmetic, worked by hand: positions, assigned, at risk, gaps and hiring targets."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pytest

from altmatch.domain.coverage import (
    AltTerm,
    ContractTerm,
    CoverageRules,
    MonthCoverage,
    PositionTerm,
    Tally,
    active_in,
    forecast,
    month_end,
    month_starts,
)
from altmatch.rulebook.vocabulary import RenewalIntention

pytestmark = pytest.mark.date_sensitive

RULES = CoverageRules(horizon_months=12, undecided_counts_as_at_risk=True, start_months=(4, 8, 9))
TODAY = date(2026, 11, 25)
LEAVING, UNDECIDED, RENEWING = (
    RenewalIntention.LEAVING,
    RenewalIntention.UNDECIDED,
    RenewalIntention.RENEWING,
)


def contract(
    cid: int,
    alts: list[int | None],
    *,
    region: str = "Hyogo",
    start: date = date(2026, 4, 1),
    end: date = date(2028, 3, 31),
) -> ContractTerm:
    positions = tuple(PositionTerm(cid * 100 + i, a) for i, a in enumerate(alts))
    return ContractTerm(cid, region, start, end, positions)


def gaps(series: Sequence[MonthCoverage], region: str | None = None) -> list[int]:
    return [(m.by_region[region] if region else m.total).gap for m in series]


def test_months_start_in_the_month_of_today_and_cross_the_year() -> None:
    months = month_starts(TODAY, 3)
    assert months == (date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1))
    assert month_end(date(2026, 12, 1)) == date(2026, 12, 31)
    assert month_end(date(2028, 2, 1)) == date(2028, 2, 29)


def test_three_positions_two_assigned_one_leaving_in_july() -> None:
    # ALT 1 leaves when their contract ends on 30 June 2027; ALT 2 renews.
    alts = [
        AltTerm(1, date(2027, 6, 30), LEAVING),
        AltTerm(2, date(2027, 6, 30), RENEWING),
    ]
    result = forecast([contract(1, [1, 2, None])], alts, TODAY, RULES)
    # Nov..Jun: 3 positions - (2 assigned - 0 at risk) = 1; Jul..Oct: 3 - (2 - 1) = 2.
    assert gaps(result.series) == [1] * 8 + [2] * 4
    july = result.series[8]
    assert july.month == date(2027, 7, 1)
    assert july.total == Tally(positions=3, assigned=2, at_risk=1, leaving=1)
    assert july.total.expected_covered == 1
    # April closes the gap of 1; August the one that opened in July; September nothing more.
    targets = [(t.start_month, t.gap, t.already_targeted, t.hires) for t in result.targets]
    assert targets == [
        (date(2027, 4, 1), 1, 0, 1),
        (date(2027, 8, 1), 2, 1, 1),
        (date(2027, 9, 1), 2, 2, 0),
    ]
    assert result.hires_by_start_month() == {
        date(2027, 4, 1): 1,
        date(2027, 8, 1): 1,
        date(2027, 9, 1): 0,
    }
    [risk] = result.at_risk
    assert (risk.alt_id, risk.position_id, risk.from_month) == (1, 100, date(2027, 7, 1))


def test_an_alt_leaving_on_the_first_of_a_month_is_still_there_that_month() -> None:
    # Contract end 1 July: they work on 1 July, so they are at risk from August.
    alts = [AltTerm(1, date(2027, 7, 1), LEAVING)]
    result = forecast([contract(1, [1])], alts, TODAY, RULES)
    assert gaps(result.series) == [0] * 9 + [1] * 3
    assert result.at_risk[0].from_month == date(2027, 8, 1)


def test_a_contract_ending_mid_horizon_leaves_the_count_the_month_after() -> None:
    # Ends 31 March 2027: counted through March, gone from April; its ALT is released.
    alts = [AltTerm(1, date(2028, 3, 31), RENEWING)]
    ending = contract(1, [1, None], end=date(2027, 3, 31))
    result = forecast([ending], alts, TODAY, RULES)
    assert [m.total.positions for m in result.series] == [2] * 5 + [0] * 7
    assert gaps(result.series) == [1] * 5 + [0] * 7
    assert [m.total.released for m in result.series] == [0] * 5 + [1] * 7
    assert [t.hires for t in result.targets] == [0, 0, 0]


def test_a_contract_ending_mid_month_counts_for_that_month() -> None:
    ending = contract(1, [None], end=date(2027, 3, 15))
    assert active_in(ending, date(2027, 3, 1))
    assert not active_in(ending, date(2027, 4, 1))


def test_a_contract_starting_in_april_counts_from_april_and_is_hired_for() -> None:
    starting = contract(1, [None, None], start=date(2027, 4, 1), region="Osaka")
    result = forecast([starting], [], TODAY, RULES)
    assert gaps(result.series, "Osaka") == [0] * 5 + [2] * 7
    assert [(t.region, t.hires) for t in result.targets] == [
        ("Osaka", 2),
        ("Osaka", 0),
        ("Osaka", 0),
    ]


def test_undecided_counts_as_at_risk_only_when_the_rulebook_says_so() -> None:
    alts = [AltTerm(1, date(2027, 3, 31), UNDECIDED)]
    strict = forecast([contract(1, [1])], alts, TODAY, RULES)
    assert gaps(strict.series) == [0] * 5 + [1] * 7
    assert [a.alt_id for a in strict.at_risk] == [1]
    lenient_rules = CoverageRules(12, undecided_counts_as_at_risk=False, start_months=(4, 8, 9))
    lenient = forecast([contract(1, [1])], alts, TODAY, lenient_rules)
    assert gaps(lenient.series) == [0] * 12
    assert lenient.at_risk == ()


def test_an_alt_whose_contract_ends_before_theirs_is_released_not_at_risk() -> None:
    # The client contract ends in March; the ALT's own contract (leaving) ends in June.
    alts = [AltTerm(1, date(2027, 6, 30), LEAVING)]
    result = forecast([contract(1, [1], end=date(2027, 3, 31))], alts, TODAY, RULES)
    assert result.at_risk == ()
    # Released April-June (still employed), then gone.
    assert [m.total.released for m in result.series] == [0] * 5 + [1] * 3 + [0] * 4


def test_targets_are_per_region_and_totals_add_them_up() -> None:
    alts = [
        AltTerm(1, date(2027, 3, 31), LEAVING),
        AltTerm(2, date(2027, 7, 31), LEAVING),
        AltTerm(3, date(2027, 7, 31), RENEWING),
    ]
    contracts = [
        contract(1, [1, None], region="Hyogo"),
        contract(2, [2, 3], region="Kyoto"),
    ]
    result = forecast(contracts, alts, TODAY, RULES)
    # Hyogo: gap 1 now, 2 from April. Kyoto: 0 until August, 1 from August.
    assert gaps(result.series, "Hyogo") == [1] * 5 + [2] * 7
    assert gaps(result.series, "Kyoto") == [0] * 9 + [1] * 3
    by = {(t.start_month.month, t.region): t.hires for t in result.targets}
    assert by == {
        (4, "Hyogo"): 2,
        (4, "Kyoto"): 0,
        (8, "Hyogo"): 0,
        (8, "Kyoto"): 1,
        (9, "Hyogo"): 0,
        (9, "Kyoto"): 0,
    }
    assert sum(result.hires_by_start_month().values()) == 3
    assert result.series[0].total == Tally(positions=4, assigned=3, at_risk=0)


def test_a_gap_that_closes_again_does_not_ask_for_more_hires_later() -> None:
    # April: a 2-position contract starts (hire 2). It ends in July; another needing 1 starts
    # in September: the ALTs hired for April still count, so September needs none.
    contracts = [
        contract(1, [None, None], start=date(2027, 4, 1), end=date(2027, 7, 31)),
        contract(2, [None], start=date(2027, 9, 1)),
    ]
    result = forecast(contracts, [], TODAY, RULES)
    assert [t.hires for t in result.targets] == [2, 0, 0]


def test_a_longer_horizon_meets_each_start_month_twice() -> None:
    rules = CoverageRules(24, True, (4, 8, 9))
    result = forecast([contract(1, [None])], [], TODAY, rules)
    assert [t.start_month for t in result.targets] == [
        date(2027, 4, 1),
        date(2027, 8, 1),
        date(2027, 9, 1),
        date(2028, 4, 1),
        date(2028, 8, 1),
        date(2028, 9, 1),
    ]
    # The contract ends March 2028: one hire for April 2027 covers it all.
    assert [t.hires for t in result.targets] == [1, 0, 0, 0, 0, 0]


def test_hiring_targets_subtract_alts_released_by_ended_contracts() -> None:
    """Hyogo: contract 1 (ALTs 1 and 2, both renewing) ends 31 March 2027; contract 2 starts
    1 April 2027 with 3 empty posts. April: gross need 3 − redeployable 2 + leavers 0 = hire 1.
    The code before the netting hired 3 (the gap) and left ALTs 1 and 2 idle."""
    alts = [AltTerm(1, date(2028, 3, 31), RENEWING), AltTerm(2, date(2028, 3, 31), RENEWING)]
    contracts = [
        contract(1, [1, 2], end=date(2027, 3, 31)),
        contract(2, [None, None, None], start=date(2027, 4, 1)),
    ]
    result = forecast(contracts, alts, TODAY, RULES)
    april = result.targets[0]
    assert april.start_month == date(2027, 4, 1)
    assert (april.gross_need, april.redeployable, april.expected_leavers) == (3, 2, 0)
    assert (april.net_need, april.hires, april.gap) == (1, 1, 3)
    assert [t.hires for t in result.targets] == [1, 0, 0]


def test_hiring_targets_add_leavers_and_half_of_the_undecided_rounded_up() -> None:
    """One contract, 4 posts all filled, ALTs' contracts end 31 July 2027: ALT 1 leaving, ALTs
    2, 3 and 4 undecided, share 0.5. August: gross 0 − redeployable 0 + leavers (1 + ⌈0.5 × 3⌉
    = 1 + 2) = 3 hires; the series still counts all three undecided at risk (gap 4)."""
    alts = [
        AltTerm(1, date(2027, 7, 31), LEAVING),
        AltTerm(2, date(2027, 7, 31), UNDECIDED),
        AltTerm(3, date(2027, 7, 31), UNDECIDED),
        AltTerm(4, date(2027, 7, 31), UNDECIDED),
    ]
    rules = CoverageRules(12, True, (4, 8, 9), undecided_leaving_share=0.5)
    result = forecast([contract(1, [1, 2, 3, 4])], alts, TODAY, rules)
    by = {t.start_month.month: t for t in result.targets}
    assert (by[4].expected_leavers, by[4].hires) == (0, 0)
    august = by[8]
    assert (august.gross_need, august.redeployable, august.expected_leavers) == (0, 0, 3)
    assert (august.net_need, august.hires, august.gap) == (3, 3, 4)
    assert by[9].hires == 0  # already targeted for August


def test_redeployable_alts_never_make_a_target_negative() -> None:
    """Two renewing ALTs released in April, one empty post: net need max(0, 1 − 2) = 0."""
    alts = [AltTerm(1, date(2028, 3, 31), RENEWING), AltTerm(2, date(2028, 3, 31), RENEWING)]
    contracts = [
        contract(1, [1, 2], end=date(2027, 3, 31)),
        contract(2, [None], start=date(2027, 4, 1)),
    ]
    april = forecast(contracts, alts, TODAY, RULES).targets[0]
    assert (april.gross_need, april.redeployable, april.net_need, april.hires) == (1, 2, 0, 0)


def test_each_contract_shows_its_own_part_of_a_start_months_need() -> None:
    """Contract 1: posts [ALT 1 leaving 31 Jul 2027, empty]; contract 2: [ALT 2 undecided
    31 Jul 2027]; share 0.5. April: contract 1 has 1 unfilled and nobody gone; August: contract
    1 has 1 unfilled + 1 leaver, contract 2 has 0 unfilled + ⌈0.5 × 1⌉ = 1 leaver."""
    from altmatch.domain.coverage import contract_needs

    alts = [AltTerm(1, date(2027, 7, 31), LEAVING), AltTerm(2, date(2027, 7, 31), UNDECIDED)]
    rules = CoverageRules(12, True, (4, 8, 9), undecided_leaving_share=0.5)
    result = forecast([contract(1, [1, None]), contract(2, [2])], alts, TODAY, rules)
    needs = contract_needs(result, 0.5)
    assert [(n.start_month.month, n.gross_need, n.expected_leavers) for n in needs[1]] == [
        (4, 1, 0),
        (8, 1, 1),
        (9, 1, 1),
    ]
    assert [(n.start_month.month, n.gross_need, n.expected_leavers) for n in needs[2]] == [
        (4, 0, 0),
        (8, 0, 1),
        (9, 0, 1),
    ]
