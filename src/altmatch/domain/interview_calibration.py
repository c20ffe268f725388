"""Interview panel calibration: each assessor's severity and each candidate's ability on one scale.

**Model** (additive facets): every score is

    score = ability[candidate] + offset[criterion] - severity[assessor] + noise

with independent noise of one variance σ². A harsh assessor has a positive severity. The model
is fitted by least squares and identified by two constraints: the severities of each connected
group of assessors (`interview_design`) sum to zero, and the criterion offsets sum to zero. So a
candidate's calibrated score is the mean score, over the criteria, that an assessor of average
severity would give them: a number on the rubric's own scale (it may fall a little outside it).

**Solving.** Each candidate's ability appears only in their own scores, so it is eliminated
first (ability = raw mean minus the average effect of who scored them on what), which leaves
one small symmetric system M in the assessors and criteria (the Schur complement of the normal
equations; M is assessors + criteria square, whatever the number of candidates). M is singular
exactly along the constraints: one all-ones direction per group of assessors and one across the
criteria. The constrained least-squares solution is therefore M's Moore-Penrose solution, which
is computed from M's eigen-decomposition.

**Standard errors.** σ² is the residual sum of squares over n − rank (rank = candidates + rank
of M). Severities and offsets have covariance σ²·M⁺. A candidate's ability is their raw mean
(variance σ²/n_c) minus b_c·γ/n_c, where b_c counts the candidate's scores by each assessor and
on each criterion; the two parts are uncorrelated, so var = σ²/n_c + b_c' (σ²M⁺) b_c / n_c².

**Reliability.** `reliability` is the separation reliability of the calibrated scores (as in
many-facet Rasch reports): the share of their variance across candidates that is not
measurement error, (var(score) − mean(se²)) / var(score), clipped to [0, 1]. `icc` is the
inter-rater intraclass correlation of one severity-corrected score: estimated true ability
variance over that plus σ², i.e. how far two assessors agree on the same candidate and criterion.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import csr_matrix, diags

from altmatch.domain.interview_design import Design, design_of
from altmatch.i18n import N_, Message

MODEL = "additive-facets-least-squares"
# A severity rests on how an assessor's scores differ from their co-assessors' on the same
# candidates: a mean over those candidates. Below five, one unusual interview moves it by a fifth
# of its surprise or more, so fewer is worth a warning (callers may choose another threshold).
MIN_CANDIDATES_PER_ASSESSOR = 5
# Eigenvalues of M below this share of the largest are taken as zero (M holds score counts).
RANK_TOLERANCE = 1e-9
TIE = 9  # decimals: scores closer than this are equal (float noise), ordered by id
Vector = NDArray[np.float64]


@dataclass(frozen=True)
class ScoreRow:
    """One assessor's score for one candidate on one criterion, heard by one panel."""

    candidate_id: str
    panel_id: str
    assessor_id: str
    criterion: str
    score: float


@dataclass(frozen=True)
class CandidateScore:
    candidate_id: str
    score: float  # expected mean score from an assessor of average severity
    se: float | None  # None when the noise cannot be estimated (too few scores)
    raw_mean: float
    assessors: int  # how many assessors scored them
    component: int  # their design group (1 = the largest)


@dataclass(frozen=True)
class AssessorSeverity:
    assessor_id: str
    severity: float  # points below the average assessor of their group; negative: lenient
    se: float | None
    candidates: int  # how many candidates they scored
    component: int


@dataclass(frozen=True)
class Calibration:
    """The fitted model and what limits it (see the module docstring for every figure)."""

    candidates: tuple[CandidateScore, ...]  # best first (score descending, then id)
    assessors: tuple[AssessorSeverity, ...]  # by id
    criteria: tuple[tuple[str, float], ...]  # criterion -> offset (easier: positive), by name
    residual_sd: float | None
    reliability: float | None
    icc: float | None
    design: Design
    warnings: tuple[Message, ...]
    scores: int
    model: str = MODEL


@dataclass(frozen=True)
class _Fit:
    ability: Vector
    ability_var: Vector | None
    effects: Vector  # per assessor (minus severity), then per criterion
    effects_var: Vector | None
    sigma2: float | None
    surplus_rank_loss: int  # null directions of M beyond the constraints' (confounding)


def calibrate(
    rows: Sequence[ScoreRow], *, min_candidates: int = MIN_CANDIDATES_PER_ASSESSOR
) -> Calibration:
    """Fit the additive facets model to `rows` (at least one) and report on it."""
    if not rows:
        raise ValueError("calibrate needs at least one score")
    candidates = sorted({r.candidate_id for r in rows})
    assessors = sorted({r.assessor_id for r in rows})
    criteria = sorted({r.criterion for r in rows})
    c = _index(candidates, [r.candidate_id for r in rows])
    a = _index(assessors, [r.assessor_id for r in rows])
    k = _index(criteria, [r.criterion for r in rows])
    y = np.array([r.score for r in rows], dtype=np.float64)
    design = design_of((r.candidate_id, r.assessor_id, r.panel_id) for r in rows)
    groups = len(design.components)
    fit = _solve(c, a, k, y, (len(candidates), len(assessors), len(criteria)), groups)

    raw = np.bincount(c, weights=y) / np.bincount(c)
    met = _distinct_counts(c, a)
    seen = _distinct_counts(a, c)
    ses = _roots(fit.ability_var, len(candidates))
    scored = [
        CandidateScore(
            candidate_id=cid,
            score=float(fit.ability[i]),
            se=ses[i],
            raw_mean=float(raw[i]),
            assessors=int(met[i]),
            component=design.component_of_candidate[cid],
        )
        for i, cid in enumerate(candidates)
    ]
    severity_ses = _roots(fit.effects_var, len(assessors))
    severities = tuple(
        AssessorSeverity(
            assessor_id=aid,
            severity=float(-fit.effects[j]) + 0.0,  # + 0.0: never print -0.0
            se=severity_ses[j],
            candidates=int(seen[j]),
            component=design.component_of_assessor[aid],
        )
        for j, aid in enumerate(assessors)
    )
    offsets = tuple(
        (name, float(fit.effects[len(assessors) + i])) for i, name in enumerate(criteria)
    )
    reliability, icc = _reliability(fit)
    single = [s.candidate_id for s in scored if s.assessors == 1]
    few = [s.assessor_id for s in severities if s.candidates < min_candidates]
    return Calibration(
        candidates=tuple(sorted(scored, key=lambda s: (-round(s.score, TIE), s.candidate_id))),
        assessors=severities,
        criteria=offsets,
        residual_sd=None if fit.sigma2 is None else float(np.sqrt(fit.sigma2)),
        reliability=reliability,
        icc=icc,
        design=design,
        warnings=_warnings(design, single, few, min_candidates, fit),
        scores=len(rows),
    )


def _warnings(
    design: Design, single: list[str], few: list[str], min_candidates: int, fit: _Fit
) -> tuple[Message, ...]:
    """What limits the calibration, each as a translatable sentence."""
    found: list[Message] = []
    if not design.connected:
        template = N_(
            "The scores fall into {count} groups that share no assessor: severities, and so "
            "calibrated scores, compare only within a group. The suggested moves would join them."
        )
        found.append(Message(template, {"count": len(design.components)}))
    if single:
        template = N_(
            "Candidates scored by one assessor only ({count}): {candidates}. Each of their "
            "scores rests on one person's judgement and severity."
        )
        found.append(Message(template, {"count": len(single), "candidates": _ids(single)}))
    if few:
        template = N_(
            "Assessors who scored fewer than {minimum} candidates ({count}): {assessors}. Their "
            "severities rest on few comparisons; check their standard errors."
        )
        params = {"minimum": min_candidates, "count": len(few), "assessors": _ids(few)}
        found.append(Message(template, params))
    if fit.surplus_rank_loss:
        template = N_(
            "Some assessors' severities cannot be told apart from the criteria they scored: ask "
            "every assessor to score every criterion."
        )
        found.append(Message(template))
    if fit.sigma2 is None:
        template = N_(
            "Too few scores to estimate their noise: standard errors and reliability are not given."
        )
        found.append(Message(template))
    return tuple(found)


def _solve(
    c: NDArray[np.int64],
    a: NDArray[np.int64],
    k: NDArray[np.int64],
    y: Vector,
    shape: tuple[int, int, int],
    groups: int,
) -> _Fit:
    """Least squares for the model; see the module docstring for the method."""
    n_c, n_a, n_k = shape
    n = y.size
    obs = np.arange(n)
    xc = csr_matrix((np.ones(n), (obs, c)), shape=(n, n_c))
    z = csr_matrix(
        (np.ones(2 * n), (np.concatenate([obs, obs]), np.concatenate([a, n_a + k]))),
        shape=(n, n_a + n_k),
    )
    counts = np.bincount(c, minlength=n_c).astype(np.float64)
    b = (xc.T @ z).tocsr()  # scores of each candidate by each assessor and on each criterion
    m = (z.T @ z).toarray() - (b.T @ diags(1.0 / counts) @ b).toarray()
    totals = xc.T @ y
    r = z.T @ (y - (totals / counts)[c])  # Z'y with the candidates' means taken out
    values, vectors = np.linalg.eigh(m)
    keep = values > RANK_TOLERANCE * max(float(values[-1]), 1.0)
    kept = vectors[:, keep]
    m_pinv = (kept / values[keep]) @ kept.T
    effects = m_pinv @ r
    ability = (totals - b @ effects) / counts
    residual = y - ability[c] - effects[a] - effects[n_a + k]
    rank = n_c + int(keep.sum())
    surplus = max(0, int((~keep).sum()) - (groups + 1))
    if n <= rank:
        return _Fit(ability, None, effects, None, None, surplus)
    sigma2 = float(residual @ residual) / (n - rank)
    cov = sigma2 * m_pinv
    spread = np.asarray(b.multiply(b @ cov).sum(axis=1)).ravel()
    ability_var = sigma2 / counts + spread / counts**2
    return _Fit(ability, ability_var, effects, np.diag(cov).copy(), sigma2, surplus)


def _reliability(fit: _Fit) -> tuple[float | None, float | None]:
    """(separation reliability, single-score ICC); see the module docstring."""
    if fit.ability_var is None or fit.sigma2 is None or fit.ability.size < 2:
        return None, None
    observed = float(np.var(fit.ability, ddof=1))
    true = max(0.0, observed - float(fit.ability_var.mean()))
    reliability = None if observed <= 0 else min(1.0, true / observed)
    icc = None if true + fit.sigma2 <= 0 else true / (true + fit.sigma2)
    return reliability, icc


def _index(names: list[str], values: list[str]) -> NDArray[np.int64]:
    at = {name: i for i, name in enumerate(names)}
    return np.array([at[v] for v in values], dtype=np.int64)


def _distinct_counts(of: NDArray[np.int64], other: NDArray[np.int64]) -> NDArray[np.int64]:
    """For each value of `of`, how many distinct values of `other` it appears with."""
    pairs = np.unique(np.stack([of, other]), axis=1)
    return np.bincount(pairs[0], minlength=int(of.max()) + 1)


def _roots(variances: Vector | None, size: int) -> list[float | None]:
    """Standard errors from variances (None for each when there are none)."""
    if variances is None:
        return [None] * size
    return [float(np.sqrt(max(float(v), 0.0))) for v in variances]


def _ids(ids: Sequence[str], shown: int = 20) -> str:
    return ", ".join(ids[:shown]) + (", …" if len(ids) > shown else "")
