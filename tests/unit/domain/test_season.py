"""Derived lists honour hard requirements, tie equal fits, and follow the candidate's wishes."""

from __future__ import annotations

import random
from itertools import pairwise

import numpy as np
import pytest

from altmatch.domain.season import (
    Area,
    Candidate,
    HardRequirements,
    LocationPreferences,
    Request,
    Requirement,
    SchoolLevel,
    Season,
    SoftWeights,
    fit_points,
    matches_preferences,
    unmet_requirements,
)
from altmatch.domain.season_lists import SeasonLists, _Arrays, derive_lists
from altmatch.rulebook.vocabulary import Jlpt

pytestmark = pytest.mark.date_sensitive

ES = SchoolLevel.ELEMENTARY
JHS = SchoolLevel.JUNIOR_HIGH


def request(rid: str, prefecture: str = "Hyogo", **kw: object) -> Request:
    base: dict[str, object] = {"id": rid, "boe": f"{rid} BoE", "prefecture": prefecture}
    base["capacity"] = kw.pop("capacity", 1)
    return Request(**base, **kw)  # type: ignore[arg-type]


def wants(*prefectures: str, **kw: object) -> LocationPreferences:
    return LocationPreferences(prefectures=prefectures, **kw)  # type: ignore[arg-type]


def rows(indptr: np.ndarray, values: np.ndarray) -> tuple[tuple[int, ...], ...]:
    return tuple(tuple(values[a:b].tolist()) for a, b in pairwise(indptr.tolist()))


def candidate_lists(lists: SeasonLists) -> tuple[tuple[int, ...], ...]:
    return rows(*lists.candidate_prefs)


def request_lists(lists: SeasonLists) -> tuple[tuple[int, ...], ...]:
    return rows(*lists.request_prefs)


def request_ranks(lists: SeasonLists) -> tuple[tuple[int, ...], ...]:
    return rows(lists.request_prefs[0], lists.request_ranks)


def unmet(lists: SeasonLists) -> dict[tuple[int, int], tuple[Requirement, ...]]:
    return {
        (c, int(r)): lists.unmet(c, k)
        for c in range(lists.n_candidates)
        for k, r in enumerate(lists.candidate_list(c))
        if lists.unmet(c, k)
    }


def test_unmet_requirements_names_each_failed_requirement_in_a_fixed_order() -> None:
    strict = request(
        "R",
        requirements=HardRequirements(driving_licence=True, min_jlpt=Jlpt.N3, min_teaching_years=2),
    )
    novice = Candidate("C", jlpt=Jlpt.N4, teaching_years=1)
    assert unmet_requirements(strict, novice) == (
        Requirement.DRIVING_LICENCE,
        Requirement.MIN_JLPT,
        Requirement.MIN_TEACHING_YEARS,
    )
    expert = Candidate("E", jlpt=Jlpt.N1, teaching_years=2, driving_licence=True)
    assert unmet_requirements(strict, expert) == ()


def test_the_fit_score_is_interview_plus_weighted_soft_fit_in_sixtieths() -> None:
    r = request(
        "R",
        school_levels=frozenset({ES, JHS}),
        weights=SoftWeights(jlpt=2, teaching_years=1, school_levels=3, driving_licence=4),
    )
    c = Candidate(
        "C",
        jlpt=Jlpt.N3,
        teaching_years=7,
        driving_licence=True,
        school_experience=frozenset({ES}),
        interview_score=80,
    )
    # 80 + 2×(3/5) + 1×(5/5, capped) + 3×(1/2) + 4×1 = 87.7
    assert fit_points(r, c) == round(87.7 * 60)


def test_bulk_scoring_agrees_with_the_documented_fit_and_requirements() -> None:
    rng = random.Random(7)
    levels = list(SchoolLevel)
    requests = [
        request(
            f"R{i}",
            school_levels=frozenset(rng.sample(levels, rng.randint(0, 4))),
            requirements=HardRequirements(
                rng.random() < 0.3, rng.choice(list(Jlpt)), rng.randint(0, 3)
            ),
            weights=SoftWeights(*(rng.randint(0, 10) for _ in range(4))),
            area=rng.choice([None, *Area]),
        )
        for i in range(15)
    ]
    candidates = [
        Candidate(
            f"C{i}",
            jlpt=rng.choice(list(Jlpt)),
            teaching_years=rng.randint(0, 8),
            driving_licence=rng.random() < 0.5,
            school_experience=frozenset(rng.sample(levels, rng.randint(0, 4))),
            interview_score=rng.randint(0, 100),
            preferences=LocationPreferences(
                area=rng.choice([None, *Area]),
                school_levels=frozenset(rng.sample(levels, rng.randint(0, 2))),
            ),
        )
        for i in range(20)
    ]
    r_idx, c_idx = (a.ravel().astype(np.int64) for a in np.meshgrid(range(15), range(20)))
    arrays = _Arrays.of(requests, candidates, {"hyogo": 0})
    fit, unmet = arrays.score(r_idx, c_idx)
    agrees = arrays.agrees(r_idx, c_idx)
    for r, c, f, u, a in zip(r_idx, c_idx, fit, unmet, agrees, strict=True):
        assert f == fit_points(requests[r], candidates[c])
        assert (u != 0) == bool(unmet_requirements(requests[r], candidates[c]))
        assert a == matches_preferences(candidates[c], requests[r])


def test_a_derived_request_list_leaves_out_candidates_failing_a_hard_requirement() -> None:
    rural = request("RURAL", requirements=HardRequirements(driving_licence=True))
    season = Season(
        (rural,),
        (
            Candidate("DRIVES", driving_licence=True, preferences=wants("Hyogo")),
            Candidate("WALKS", interview_score=99, preferences=wants("Hyogo")),
        ),
    )
    lists = derive_lists(season)
    assert request_lists(lists) == ((0,),)
    assert candidate_lists(lists) == ((0,), (0,))  # WALKS still lists it: the reason is kept
    assert unmet(lists) == {(1, 0): (Requirement.DRIVING_LICENCE,)}


def test_equal_fit_scores_share_a_rank_and_the_next_rank_skips() -> None:
    r = request("R", weights=SoftWeights(jlpt=5))
    season = Season(
        (r,),
        (
            Candidate("A", interview_score=70, jlpt=Jlpt.N2, preferences=wants("Hyogo")),
            Candidate("B", interview_score=72, preferences=wants("Hyogo")),
            Candidate("C", interview_score=70, jlpt=Jlpt.N2, preferences=wants("Hyogo")),
            Candidate("D", interview_score=60, preferences=wants("Hyogo")),
        ),
    )
    lists = derive_lists(season)
    # A and C: 70 + 5×3/5 = 73 > B's 72; equal, so tied at rank 1 (file order inside the tie)
    assert request_lists(lists) == ((0, 2, 1, 3),)
    assert request_ranks(lists) == ((1, 1, 3, 4),)


def test_a_candidate_list_follows_their_prefecture_order_then_anywhere_by_wishes_and_fit() -> None:
    requests = (
        request("OSAKA", "Osaka"),
        request("HYOGO-URBAN", "Hyogo", area=Area.URBAN),
        request("HYOGO-RURAL", "Hyogo", area=Area.RURAL),
        request("NAGANO-RURAL", "Nagano", area=Area.RURAL),
        request("NAGANO-LICENCE", "Nagano", requirements=HardRequirements(driving_licence=True)),
        request("TOKYO-URBAN", "Tokyo", area=Area.URBAN, weights=SoftWeights(jlpt=10)),
    )
    picky = Candidate("P", preferences=wants(" hyogo", "Osaka", area=Area.RURAL))
    open_ = Candidate("O", jlpt=Jlpt.N1, preferences=wants("Osaka", area=Area.RURAL, anywhere=True))
    lists = derive_lists(Season(requests, (picky, open_)))
    assert candidate_lists(lists)[0] == (2, 0)  # Hyogo (rural only) first, then Osaka
    # Osaka first; then the eligible rest: rural ones, then the others by fit (Tokyo's JLPT
    # weight puts it ahead), never the licence request this candidate is not eligible for
    assert candidate_lists(lists)[1] == (0, 2, 3, 5, 1)
    assert lists.candidate_lists_derived and lists.request_lists_derived


def test_school_level_wishes_filter_preferred_requests() -> None:
    es = request("ES", school_levels=frozenset({ES}))
    jhs = request("JHS", school_levels=frozenset({JHS}))
    anything = request("ANY")
    who = Candidate("C", preferences=wants("Hyogo", school_levels=frozenset({JHS})))
    assert not matches_preferences(who, es)
    assert matches_preferences(who, jhs) and matches_preferences(who, anything)
    assert candidate_lists(derive_lists(Season((es, jhs, anything), (who,)))) == ((1, 2),)


def test_explicit_ranks_replace_derived_lists_and_keep_their_ties() -> None:
    requests = (request("R1"), request("R2"))
    candidates = (Candidate("A"), Candidate("B"), Candidate("C"))
    season = Season(
        requests,
        candidates,
        candidate_ranks={"A": ("R2", "R1"), "C": ("R1",)},
        request_ranks={"R1": (("C", 1), ("A", 1)), "R2": (("B", 2), ("A", 5))},
    )
    lists = derive_lists(season)
    assert candidate_lists(lists) == ((1, 0), (), (0,))
    assert request_lists(lists) == ((2, 0), (1, 0))
    assert request_ranks(lists) == ((1, 1), (2, 5))
    assert not lists.candidate_lists_derived and not lists.request_lists_derived


def test_too_many_anywhere_pairs_is_refused_with_advice() -> None:
    from altmatch.domain import season_lists

    season = Season(
        (request("R1"), request("R2")),
        (Candidate("A", preferences=wants(anywhere=True)),),
    )
    original = season_lists.MAX_DERIVED_PAIRS
    season_lists.MAX_DERIVED_PAIRS = 1
    try:
        with pytest.raises(ValueError, match="candidate_ranks and request_ranks"):
            derive_lists(season)
    finally:
        season_lists.MAX_DERIVED_PAIRS = original


def test_the_season_has_no_field_for_protected_characteristics() -> None:
    from dataclasses import fields

    names = {f.name for cls in (Request, Candidate, LocationPreferences) for f in fields(cls)}
    for banned in ("sex", "gender", "age", "birth", "nationality", "religion", "race"):
        assert not any(banned in name for name in names), banned


def _agrees_with_the_reference(season: Season) -> None:
    """The lists derived at once equal the one-candidate-at-a-time derivation's."""
    from tests.unit.domain import season_lists_reference as reference

    old, new = reference.derive_lists(season), derive_lists(season)
    assert candidate_lists(new) == old.candidate_lists
    assert request_lists(new) == old.request_lists
    assert request_ranks(new) == old.request_ranks
    assert unmet(new) == dict(old.unmet)
    assert tuple(new.stated.tolist()) == old.stated_lengths


def _random_season(seed: int, *, ranks: bool = False) -> Season:
    rng = random.Random(seed)
    levels = list(SchoolLevel)
    prefectures = ["Hyogo", "Osaka", "Nagano", "Tokyo", "Kochi"]
    requests = tuple(
        request(
            f"R{i}",
            rng.choice(prefectures),
            capacity=rng.randint(0, 3),
            school_levels=frozenset(rng.sample(levels, rng.randint(0, 3))),
            requirements=HardRequirements(
                rng.random() < 0.2, rng.choice(list(Jlpt)), rng.randint(0, 2)
            ),
            weights=SoftWeights(*(rng.randint(0, 5) for _ in range(4))),
            area=rng.choice([None, *Area]),
        )
        for i in range(rng.randint(0, 25))
    )
    candidates = tuple(
        Candidate(
            f"C{i}",
            jlpt=rng.choice(list(Jlpt)),
            teaching_years=rng.randint(0, 6),
            driving_licence=rng.random() < 0.5,
            school_experience=frozenset(rng.sample(levels, rng.randint(0, 3))),
            interview_score=rng.choice([50, 60, 70, rng.randint(0, 100)]),  # ties happen
            preferences=LocationPreferences(
                prefectures=tuple(rng.sample([*prefectures, "Nowhere"], rng.randint(0, 3))),
                area=rng.choice([None, *Area]),
                school_levels=frozenset(rng.sample(levels, rng.randint(0, 2))),
                anywhere=rng.random() < 0.5,
            ),
        )
        for i in range(rng.randint(0, 30))
    )
    if not ranks:
        return Season(requests, candidates)
    ids = [r.id for r in requests]
    return Season(
        requests,
        candidates,
        candidate_ranks={
            c.id: tuple(rng.sample(ids, rng.randint(0, len(ids)))) for c in candidates
        },
        request_ranks={
            r.id: tuple(
                (c.id, rng.randint(1, 4)) for c in rng.sample(candidates, len(candidates) // 2)
            )
            for r in requests
        },
    )


@pytest.mark.parametrize("seed", range(40))
def test_the_lists_agree_with_the_one_candidate_at_a_time_derivation_they_replaced(
    seed: int,
) -> None:
    season = _random_season(seed, ranks=seed % 4 == 3)
    _agrees_with_the_reference(season)


@pytest.mark.parametrize("packed", [True, False])
@pytest.mark.parametrize("grid", [1, 7, 40, 1 << 17])
@pytest.mark.parametrize("seed", range(12))
def test_the_anywhere_tails_scored_in_blocks_agree_with_the_reference(
    seed: int, grid: int, packed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Blocks of one candidate, of a few, or all of them at once: each row's order is its own,
    # so the lists never depend on the block size. Unpacked: the sort keys too wide for one
    # int64 (as with huge fit ranges), sorted by an argsort and a lexsort instead.
    from altmatch.domain import season_lists

    monkeypatch.setattr(season_lists, "_GRID", grid)
    if not packed:
        monkeypatch.setattr(season_lists, "_bit_fields", lambda *sizes: None)
    season = _random_season(1000 + seed)
    _agrees_with_the_reference(season)


def test_a_lower_tier_ranks_first_whatever_the_fit_and_fits_tie_only_within_a_tier() -> None:
    """Tier 0 (the interview round's shortlisted) before tier 1 and tier 2 (its alternates in
    order), then fit: S2's 50 ranks above A1's 99, A1 above A2 although A2's fit is higher."""
    r = request("R")
    season = Season(
        (r,),
        (
            Candidate("A2", interview_score=99, tier=2, preferences=wants("Hyogo")),
            Candidate("S1", interview_score=70, preferences=wants("Hyogo")),
            Candidate("A1", interview_score=60, tier=1, preferences=wants("Hyogo")),
            Candidate("S2", interview_score=50, preferences=wants("Hyogo")),
            Candidate("A1B", interview_score=60, tier=1, preferences=wants("Hyogo")),
            Candidate("S3", interview_score=60, preferences=wants("Hyogo")),
        ),
    )
    lists = derive_lists(season)
    assert request_lists(lists) == ((1, 5, 3, 2, 4, 0),)
    # S3 (60, tier 0) does not tie with A1 and A1B (60, tier 1); A1 and A1B tie
    assert request_ranks(lists) == ((1, 2, 3, 4, 4, 6),)


def test_given_request_ranks_put_a_lower_tier_first_too() -> None:
    season = Season(
        (request("R"),),
        (Candidate("A"), Candidate("B", tier=1), Candidate("C"), Candidate("D")),
        request_ranks={"R": (("B", 1), ("A", 2), ("C", 2), ("D", 9))},
    )
    lists = derive_lists(season)
    assert request_lists(lists) == ((0, 2, 3, 1),)
    assert request_ranks(lists) == ((1, 1, 3, 4),)
