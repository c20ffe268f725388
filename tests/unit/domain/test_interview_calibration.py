"""Interview calibration: hand-worked cases, a dense reference fit, recovery of a known truth,
the properties severity shifts and crossed designs must keep, and the design's warnings."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.linalg import null_space

from altmatch.domain.interview_calibration import Calibration, ScoreRow, calibrate
from altmatch.i18n import render

CRITERIA = ("communication", "adaptability", "motivation")


def crossed(
    table: dict[tuple[str, str], float], criterion: str = "communication"
) -> list[ScoreRow]:
    """Rows from {(candidate, assessor): score}, all heard by panel P1."""
    return [ScoreRow(c, "P1", a, criterion, s) for (c, a), s in table.items()]


def scores_of(result: Calibration) -> dict[str, float]:
    return {s.candidate_id: s.score for s in result.candidates}


def severities_of(result: Calibration) -> dict[str, float]:
    return {a.assessor_id: a.severity for a in result.assessors}


def messages(result: Calibration) -> list[str]:
    return [render(w, "en") for w in result.warnings]


def test_a_harsher_assessor_is_found_and_the_abilities_are_the_average_assessors_view() -> None:
    """A gives c1, c2, c3 the scores 4, 3, 5; B gives each one point less: 3, 2, 4.

    Severities sum to zero, and B is 1 point harsher than A, so s_A = -0.5 and s_B = +0.5.
    An average assessor (severity 0) gives the mean of A's and B's scores: c1 3.5, c2 2.5,
    c3 4.5. The data fit exactly, so every standard error is 0.
    """
    table = {("c1", "A"): 4, ("c2", "A"): 3, ("c3", "A"): 5}
    table |= {("c1", "B"): 3, ("c2", "B"): 2, ("c3", "B"): 4}
    result = calibrate(crossed(table))
    assert severities_of(result) == pytest.approx({"A": -0.5, "B": 0.5})
    assert scores_of(result) == pytest.approx({"c1": 3.5, "c2": 2.5, "c3": 4.5})
    assert [s.candidate_id for s in result.candidates] == ["c3", "c1", "c2"]
    assert result.residual_sd == pytest.approx(0, abs=1e-9)
    assert all(s.se == pytest.approx(0, abs=1e-9) for s in result.candidates)


def test_standard_errors_and_reliability_by_hand() -> None:
    """As above, but B gives c3 a 3 (A: 4, 3, 5; B: 3, 2, 3).

    Crossed and balanced, so abilities are the candidates' means: 3.5, 2.5, 4.0. Assessor
    means 4 and 8/3 around the grand mean 10/3: u_A = +2/3, so s_A = -2/3 and s_B = +2/3.
    Residuals y - (ability - severity): c1 -1/6, +1/6; c2 -1/6, +1/6; c3 +1/3, -1/3.
    RSS = 4/36 + 2/9 = 1/3 on 6 scores - (3 abilities + 1 free severity) = 2 degrees of freedom,
    so σ² = 1/6. An ability is its two scores' mean; both severities enter it and cancel
    (they sum to zero), so var = σ²/2 = 1/12, se = 0.2887. s_A is half the mean difference of
    A's and B's scores over three candidates: var = (2σ²/3)/4 = 1/36, se = 1/6.
    Reliability: the scores' variance (ddof 1) is 7/12; less the error 1/12 leaves 1/2, over
    7/12 = 6/7. ICC: 1/2 / (1/2 + σ²) = 0.75.
    """
    table = {("c1", "A"): 4, ("c2", "A"): 3, ("c3", "A"): 5}
    table |= {("c1", "B"): 3, ("c2", "B"): 2, ("c3", "B"): 3}
    result = calibrate(crossed(table))
    assert scores_of(result) == pytest.approx({"c1": 3.5, "c2": 2.5, "c3": 4.0})
    assert severities_of(result) == pytest.approx({"A": -2 / 3, "B": 2 / 3})
    assert result.residual_sd == pytest.approx((1 / 6) ** 0.5)
    assert [s.se for s in result.candidates] == pytest.approx([(1 / 12) ** 0.5] * 3)
    assert [a.se for a in result.assessors] == pytest.approx([1 / 6, 1 / 6])
    assert result.reliability == pytest.approx(6 / 7)
    assert result.icc == pytest.approx(0.75)


def random_design(seed: int, candidates: int = 14, assessors: int = 5) -> list[ScoreRow]:
    """Panels of two or three assessors drawn at random (each candidate meets assessor i % 5,
    which keeps the design connected), a tenth of the scores left out, integer scores."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(candidates):
        panel = {i % assessors, *rng.choice(assessors, size=rng.integers(1, 3), replace=False)}
        for a, k in itertools.product(sorted(panel), CRITERIA):
            if rng.random() > 0.1:
                rows.append(ScoreRow(f"c{i:02}", f"P{i % 4}", f"a{a}", k, int(rng.integers(1, 6))))
    return rows


def dense_reference(rows: list[ScoreRow], result: Calibration) -> tuple[np.ndarray, np.ndarray]:
    """(estimates, standard errors) for candidates then assessors, by ordinary constrained
    least squares: parameters restricted to the null space T of the constraints, so
    β = T (XT)⁺ y and Cov β = σ² T (T'X'XT)⁻¹ T'."""
    cs = sorted({r.candidate_id for r in rows})
    as_ = sorted({r.assessor_id for r in rows})
    ks = sorted({r.criterion for r in rows})
    x = np.zeros((len(rows), len(cs) + len(as_) + len(ks)))
    for i, r in enumerate(rows):
        x[i, cs.index(r.candidate_id)] = 1
        x[i, len(cs) + as_.index(r.assessor_id)] = -1  # minus severity
        x[i, len(cs) + len(as_) + ks.index(r.criterion)] = 1
    constraints = []
    for part in result.design.components:
        row = np.zeros(x.shape[1])
        row[[len(cs) + as_.index(a) for a in part.assessors]] = 1
        constraints.append(row)
    row = np.zeros(x.shape[1])
    row[len(cs) + len(as_) :] = 1
    constraints.append(row)
    t = null_space(np.array(constraints))
    xt = x @ t
    y = np.array([r.score for r in rows])
    phi = np.linalg.lstsq(xt, y, rcond=None)[0]
    beta = t @ phi
    residual = y - x @ beta
    sigma2 = residual @ residual / (len(rows) - np.linalg.matrix_rank(xt))
    cov = sigma2 * t @ np.linalg.inv(xt.T @ xt) @ t.T
    n = len(cs) + len(as_)
    return beta[:n], np.sqrt(np.diag(cov))[:n]


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_estimates_and_standard_errors_equal_a_dense_constrained_fit(seed: int) -> None:
    rows = random_design(seed)
    result = calibrate(rows)
    assert result.design.connected
    expected, expected_se = dense_reference(rows, result)
    by_id = {s.candidate_id: s for s in result.candidates}
    got = [by_id[c].score for c in sorted(by_id)] + [a.severity for a in result.assessors]
    got_se = [by_id[c].se for c in sorted(by_id)] + [a.se for a in result.assessors]
    assert got == pytest.approx(list(expected), abs=1e-9)
    assert got_se == pytest.approx(list(expected_se), abs=1e-9)


def test_scores_made_by_the_model_without_noise_give_back_the_truth() -> None:
    rng = np.random.default_rng(5)
    ability = rng.normal(3, 0.8, 24)
    severity = rng.normal(0, 0.6, 8)
    severity -= severity.mean()
    offset = np.array([0.3, -0.1, -0.2])
    rows = [
        ScoreRow(f"c{i:02}", f"P{i % 8}", f"a{a}", k, ability[i] + offset[j] - severity[a])
        for i in range(24)
        for a in ((i + d) % 8 for d in (0, 1, 3))  # rotating panels of three
        for j, k in enumerate(CRITERIA)
    ]
    result = calibrate(rows)
    assert scores_of(result) == pytest.approx({f"c{i:02}": ability[i] for i in range(24)})
    assert severities_of(result) == pytest.approx({f"a{a}": severity[a] for a in range(8)})
    assert dict(result.criteria) == pytest.approx(dict(zip(CRITERIA, offset, strict=True)))


def test_severities_sum_to_zero_in_each_group_and_offsets_overall() -> None:
    rows = random_design(7) + [
        ScoreRow(f"d{i}", "Q", f"b{b}", k, (i + b) % 5 + 1)
        for i in range(4)
        for b in range(2)
        for k in CRITERIA[:2]
    ]
    result = calibrate(rows)
    assert len(result.design.components) == 2
    for number in (1, 2):
        group = [a.severity for a in result.assessors if a.component == number]
        assert sum(group) == pytest.approx(0, abs=1e-9)
    assert sum(offset for _, offset in result.criteria) == pytest.approx(0, abs=1e-9)


@st.composite
def designs(draw: st.DrawFn) -> list[ScoreRow]:
    """Connected designs: candidate i meets assessors i and i+1 (mod the number of assessors),
    and maybe one more; every score on 1..5, on one to three criteria."""
    n_c = draw(st.integers(3, 9))
    n_a = draw(st.integers(2, 5))
    criteria = CRITERIA[: draw(st.integers(1, 3))]
    rows = []
    for i in range(n_c):
        extra = draw(st.integers(0, n_a - 1))
        panel = sorted({i % n_a, (i + 1) % n_a, extra})
        for a, k in itertools.product(panel, criteria):
            rows.append(ScoreRow(f"c{i}", f"P{i}", f"a{a}", k, draw(st.integers(1, 5))))
    return rows


@settings(max_examples=60, deadline=None)
@given(rows=designs(), pick=st.integers(0, 10), shift=st.integers(-2, 2))
def test_shifting_one_assessors_scores_moves_only_their_severity(
    rows: list[ScoreRow], pick: int, shift: int
) -> None:
    """Adding `shift` to every score of one assessor makes them `shift` more lenient than each
    of the others; the others' severities keep their differences, and every candidate moves by
    the same amount (shift / assessors: the average assessor moved), so order and gaps stay."""
    assessors = sorted({r.assessor_id for r in rows})
    who = assessors[pick % len(assessors)]
    moved = [
        ScoreRow(r.candidate_id, r.panel_id, r.assessor_id, r.criterion, r.score + shift)
        if r.assessor_id == who
        else r
        for r in rows
    ]
    before, after = calibrate(rows), calibrate(moved)
    s0, s1 = severities_of(before), severities_of(after)
    for other in assessors:
        expected = s0[who] - s0[other] - (0 if other == who else shift)
        assert s1[who] - s1[other] == pytest.approx(expected, abs=1e-8)
    level = shift / len(assessors)
    assert scores_of(after) == pytest.approx(
        {c: v + level for c, v in scores_of(before).items()}, abs=1e-8
    )
    assert [s.se for s in after.candidates] == pytest.approx(
        [s.se for s in before.candidates], abs=1e-8
    )


@settings(max_examples=60, deadline=None)
@given(
    n_c=st.integers(2, 8),
    n_a=st.integers(1, 4),
    n_k=st.integers(1, 3),
    data=st.data(),
)
def test_in_a_fully_crossed_design_calibration_keeps_the_raw_mean_order(
    n_c: int, n_a: int, n_k: int, data: st.DataObject
) -> None:
    """Every assessor scores every candidate on every criterion: whatever the severities, each
    candidate's calibrated score is their raw mean plus one common constant, so the calibrated
    order is the raw-mean order (with no severity differences, and with them)."""
    rows = [
        ScoreRow(f"c{i}", "P", f"a{a}", CRITERIA[k], data.draw(st.integers(1, 5)))
        for i, a, k in itertools.product(range(n_c), range(n_a), range(n_k))
    ]
    result = calibrate(rows)
    gaps = [s.score - s.raw_mean for s in result.candidates]
    assert gaps == pytest.approx([gaps[0]] * n_c, abs=1e-9)
    raw_order = sorted(result.candidates, key=lambda s: (-s.raw_mean, s.candidate_id))
    assert raw_order == list(result.candidates)


def two_groups() -> list[ScoreRow]:
    """Panels P1 (a1, a2, a3) and P2 (a2, a3, a4) share assessors; panel P3 (b1, b2) shares
    none with them."""
    panels = {"P1": ("a1", "a2", "a3"), "P2": ("a2", "a3", "a4"), "P3": ("b1", "b2")}
    rows = []
    for n, (panel, members) in enumerate(panels.items()):
        for i, a in itertools.product(range(3), members):
            candidate = f"{panel}-c{i}"
            rows.append(ScoreRow(candidate, panel, a, "communication", (n + i + len(a)) % 5 + 1))
    return rows


def test_panels_sharing_no_assessor_are_reported_with_a_move_that_joins_them() -> None:
    result = calibrate(two_groups())
    design = result.design
    assert not design.connected
    assert [len(c.candidates) for c in design.components] == [6, 3]
    assert design.components[1].assessors == ("b1", "b2")
    assert any("2 groups that share no assessor" in m for m in messages(result))
    (move,) = design.moves
    assert (move.assessor_id, move.panel_id) == ("a2", "P3")  # a2 scored most (6 candidates)
    assert (move.from_component, move.to_component) == (1, 2)
    joined = two_groups() + [
        ScoreRow(s.candidate_id, "P3", move.assessor_id, "communication", 3)
        for s in result.candidates
        if s.component == 2
    ]
    after = calibrate(joined)
    assert after.design.connected
    assert not any("share no assessor" in m for m in messages(after))


def test_candidates_seen_by_one_assessor_and_assessors_of_few_candidates_are_named() -> None:
    rows = random_design(3)
    rows += [ScoreRow("solo", "P9", "a0", k, 4) for k in CRITERIA]
    rows += [ScoreRow("c00", "P0", "guest", k, 2) for k in CRITERIA]
    result = calibrate(rows, min_candidates=2)
    found = messages(result)
    assert "Candidates scored by one assessor only (1): solo." in found[0]
    assert "fewer than 2 candidates (1): guest." in found[1]
    assert len(found) == 2
    assert next(s for s in result.candidates if s.candidate_id == "solo").assessors == 1


def test_assessors_who_each_score_a_different_criterion_are_confounded_with_it() -> None:
    """a1 scores only communication and a2 only motivation: a2 scoring lower could be a2's
    severity or motivation's difficulty, and the fit says it cannot tell."""
    rows = [
        ScoreRow(f"c{i}", "P1", a, k, (i + j) % 5 + 1)
        for i in range(6)
        for j, (a, k) in enumerate([("a1", "communication"), ("a2", "motivation")])
    ]
    result = calibrate(rows)
    assert result.design.connected
    assert any("cannot be told apart from the criteria" in m for m in messages(result))
    assert not any("told apart" in m for m in messages(calibrate(random_design(1))))


def test_too_few_scores_give_no_standard_errors_and_say_why() -> None:
    result = calibrate([ScoreRow("c1", "P1", "a1", "communication", 4)])
    assert result.candidates[0].score == pytest.approx(4)
    assert result.candidates[0].se is None and result.residual_sd is None
    assert result.reliability is None and result.icc is None
    assert any("Too few scores" in m for m in messages(result))


def test_no_scores_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one score"):
        calibrate([])
