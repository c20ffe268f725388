"""Transfer proposals: a vacancy, a swap, a chain, or why none keeps coverage."""

from __future__ import annotations

import pytest

from altmatch.domain.roster_plan import AltInput, PositionInput, Weights, evaluate
from altmatch.domain.transfers import CHAIN, SWAP, VACANCY, move_kind, propose_transfer
from altmatch.engine import assign_roster
from altmatch.i18n import render
from altmatch.rulebook import load_rulebook
from altmatch.rulebook.vocabulary import Jlpt

pytestmark = pytest.mark.date_sensitive

MODEL = load_rulebook().dispatch_operations.commute
WEIGHTS = Weights(30, 15, 90)
KOBE, OSAKA = (34.69, 135.19), (34.69, 135.50)
MID = (34.69, 135.345)  # halfway: within reach of both by car


def solve(n, m, indptr, indices, costs, pinned):  # type: ignore[no-untyped-def]
    return list(assign_roster(n, m, (indptr, indices), costs, pinned=pinned).alt_of_position)


def alt(i: int, home: tuple[float, float], at: int | None, licence: bool = True) -> AltInput:
    return AltInput(i, f"A{i}", *home, driving_licence=licence, jlpt=Jlpt.N3, current_position=at)


def pos(
    j: int, where: tuple[float, float], prefecture: str, muni: str = "", jlpt: Jlpt = Jlpt.NONE
) -> PositionInput:
    return PositionInput(
        j, f"P{j}", *where, prefecture, "junior_high", min_jlpt=jlpt, municipality=muni
    )


def test_a_move_into_a_vacancy_is_proposed_when_coverage_holds() -> None:
    alts = [alt(1, MID, 10), alt(2, KOBE, None)]
    positions = [pos(10, KOBE, "Hyogo"), pos(20, OSAKA, "Osaka")]
    found = propose_transfer(evaluate(alts, positions, WEIGHTS, MODEL), solve, 1, "Osaka", None)
    assert found.feasible
    assert found.target_position == 20
    moves = {(m.alt_id, m.from_position, m.to_position) for m in found.moves}
    assert moves == {(1, 10, 20), (2, None, 10)}
    assert found.kind == CHAIN and found.filled_after == 2 and found.filled_before == 1


def test_two_alts_who_each_want_the_others_area_are_swapped() -> None:
    alts = [alt(1, MID, 10), alt(2, MID, 20)]
    positions = [pos(10, KOBE, "Hyogo"), pos(20, OSAKA, "Osaka")]
    found = propose_transfer(evaluate(alts, positions, WEIGHTS, MODEL), solve, 1, "Osaka", None)
    assert found.feasible and found.kind == SWAP


def test_moving_the_only_alt_who_can_cover_a_post_is_refused_with_the_count() -> None:
    alts = [alt(1, MID, 10), alt(2, OSAKA, 20, licence=False)]
    positions = [pos(10, KOBE, "Hyogo"), pos(20, OSAKA, "Osaka")]
    found = propose_transfer(evaluate(alts, positions, WEIGHTS, MODEL), solve, 1, "Osaka", None)
    assert not found.feasible and found.moves == ()
    assert render(found.reasons[0], "en") == (
        "Moving A1 to Osaka would lower the number of filled positions by 1."
    )


def test_an_area_out_of_reach_names_each_position_and_why() -> None:
    alts = [alt(1, KOBE, 10, licence=False)]
    positions = [pos(10, KOBE, "Hyogo"), pos(20, OSAKA, "Osaka", "Kita", jlpt=Jlpt.N2)]
    found = propose_transfer(evaluate(alts, positions, WEIGHTS, MODEL), solve, 1, "osaka", "kita")
    assert not found.feasible
    texts = [render(r, "en") for r in found.reasons]
    assert texts[0] == "None of the positions in kita, osaka (1) is open to A1."
    assert texts[1] == "P20: it needs JLPT N2 and the ALT has N3"


SAPPORO = (43.06, 141.35)  # far beyond any daily commute from Kobe


def test_the_alt_moves_home_so_a_far_area_is_within_reach() -> None:
    alts = [alt(1, KOBE, 10), alt(2, KOBE, None)]
    positions = [pos(10, KOBE, "Hyogo"), pos(20, SAPPORO, "Hokkaido")]
    grid = evaluate(alts, positions, WEIGHTS, MODEL)
    assert not grid.allowed[0, 1]  # from Kobe, Sapporo is out of reach
    found = propose_transfer(grid, solve, 1, "Hokkaido", None, relocation_minutes=10)
    assert found.feasible
    assert {(m.alt_id, m.from_position, m.to_position) for m in found.moves} == {
        (1, 10, 20),
        (2, None, 10),
    }


def test_nobody_else_moves_unless_coverage_needs_it() -> None:
    # A2 and A3 would each save a long commute by swapping, and A4 could fill the vacant P40:
    # a full re-plan would do both, but a transfer proposal touches neither.
    near_p30 = (34.69, 135.26)
    near_p20 = (34.69, 135.43)
    alts = [alt(1, MID, 10), alt(2, near_p30, 20), alt(3, near_p20, 30), alt(4, KOBE, None)]
    positions = [
        pos(10, KOBE, "Hyogo"),
        pos(20, (34.69, 135.45), "Hyogo"),
        pos(30, (34.69, 135.25), "Hyogo"),
        pos(40, KOBE, "Hyogo"),
        pos(50, OSAKA, "Osaka"),
    ]
    found = propose_transfer(evaluate(alts, positions, WEIGHTS, MODEL), solve, 1, "Osaka", None)
    assert found.feasible
    assert {(m.alt_id, m.from_position, m.to_position) for m in found.moves} == {
        (1, 10, 50),
        (4, None, 10),
    }


def test_an_area_without_positions_says_so() -> None:
    grid = evaluate([alt(1, KOBE, 10)], [pos(10, KOBE, "Hyogo")], WEIGHTS, MODEL)
    found = propose_transfer(grid, solve, 1, "Hokkaido", None)
    assert render(found.reasons[0], "en") == "No position of a contract in force lies in Hokkaido."


def test_move_kinds() -> None:
    from altmatch.domain.roster_plan import Move

    assert move_kind((Move(1, 10, 20),)) == VACANCY
    assert move_kind((Move(1, 10, 20), Move(2, 20, 10))) == SWAP
    assert move_kind((Move(1, 10, 20), Move(2, 20, 30), Move(3, 30, 10))) == CHAIN


def test_a_colleague_on_a_long_commute_today_keeps_their_post() -> None:
    # A2 lives in Sapporo but works in Kobe today (a new plan would never propose that); the
    # transfer of A1 does not turn into fixing A2's roster.
    alts = [alt(1, MID, 10), alt(2, SAPPORO, 30), alt(3, KOBE, None)]
    positions = [pos(10, KOBE, "Hyogo"), pos(30, KOBE, "Hyogo"), pos(50, OSAKA, "Osaka")]
    grid = evaluate(alts, positions, WEIGHTS, MODEL)
    assert not grid.allowed[1, 1]
    found = propose_transfer(grid, solve, 1, "Osaka", None)
    assert found.feasible
    assert {(m.alt_id, m.from_position, m.to_position) for m in found.moves} == {
        (1, 10, 50),
        (3, None, 10),
    }
