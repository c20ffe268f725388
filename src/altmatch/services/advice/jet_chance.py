"""A prospective applicant's chance of a JET placement, from a synthetic season.

The season is calibrated to public figures in the rulebook: new ALT places a year and how many
applicants compete for each (the applicant's own country's figure when published). Before the
interview nobody knows how an applicant will rank, so every applicant in the synthetic season
is tied and the lottery stands in for the interview; withdrawals and changes in demand come
from the rulebook's uncertainty model. Each calibration draw picks a ratio from the published
range, so the interval shows both season-to-season luck and how little the figures pin down.
"""

from __future__ import annotations

import functools

import numpy as np
from pydantic import BaseModel

from altmatch.engine import build_market
from altmatch.engine.chances import Uncertainty, estimate_chances
from altmatch.i18n import N_, Message, render
from altmatch.rulebook import Rulebook, load_rulebook

SCALE = 4  # simulate a quarter-size season: the same odds, a quarter of the work
DRAWS = 24  # calibration draws (each a season size and a ratio from the published range)
RUNS_PER_DRAW = 30


class ChanceOut(BaseModel):
    """An eligible applicant's estimated chance of placement, with the range it may lie in."""

    probability: float
    low: float
    high: float
    seasons: int
    applicants_per_place_low: float
    applicants_per_place_high: float
    drivers: list[str]


@functools.cache
def _simulate(rulebook_year: int, country: str | None) -> tuple[float, float, float, int]:
    """(mean, 2.5%, 97.5%, seasons) over calibration draws; cached, as it depends only on the
    edition and the country's figures."""
    rulebook = load_rulebook(rulebook_year)
    jet = rulebook.chances.jet
    ratio = jet.ratio_for(country or "")
    model = rulebook.chances.uncertainty
    uncertainty = Uncertainty(
        withdrawal=model.withdrawal.value,
        request_drop=model.request_drop.value,
        seat_gain=model.seat_gain.value,
        seat_loss=model.seat_loss.value,
    )
    rng = np.random.default_rng(rulebook_year)
    seats = max(jet.prefectures, jet.new_alts.value // SCALE)
    capacities = np.full(jet.prefectures, seats // jet.prefectures, dtype=np.int64)
    capacities[: seats % jet.prefectures] += 1
    estimates = []
    total_runs = 0
    for _ in range(DRAWS):
        applicants = round(seats * rng.uniform(ratio.low, ratio.high))
        firsts = np.argsort(rng.random((applicants, jet.prefectures)), axis=1)
        cand_indptr = np.arange(
            0, applicants * jet.prefectures + 1, jet.prefectures, dtype=np.int64
        )
        cand_indices = firsts.reshape(-1).astype(np.int64)
        everyone = np.arange(applicants, dtype=np.int64)
        req_indptr = np.arange(0, applicants * jet.prefectures + 1, applicants, dtype=np.int64)
        req_indices = np.tile(everyone, jet.prefectures)
        market = build_market(
            (cand_indptr, cand_indices),
            (req_indptr, req_indices),
            capacities,
            request_ranks=(req_indptr, np.zeros(len(req_indices), dtype=np.int64)),
            seed=int(rng.integers(2**62)),
        )
        result = estimate_chances(
            market,
            uncertainty,
            runs=RUNS_PER_DRAW,
            seed=int(rng.integers(2**62)),
            batch=RUNS_PER_DRAW,
        )
        estimates.append(result.placed.sum() / max(result.stayed.sum(), 1))
        total_runs += result.runs
    values = np.asarray(estimates)
    return (
        float(values.mean()),
        float(np.quantile(values, 0.025)),
        float(np.quantile(values, 0.975)),
        total_runs,
    )


def jet_chance(citizenship: str, rulebook: Rulebook, locale: str) -> ChanceOut:
    """The estimate for an eligible applicant from `citizenship` (cached per calibration)."""
    jet = rulebook.chances.jet
    ratio = jet.ratio_for(citizenship)
    probability, low, high, seasons = _simulate(rulebook.year, ratio.country)
    scope = (
        Message(N_("applicants from your country ({country})"), {"country": ratio.country})
        if ratio.country
        else Message(N_("applicants worldwide"))
    )
    drivers = [
        Message(
            N_(
                "About {low:.1f} to {high:.1f} {scope} compete for each new ALT place "
                "(figures as of {as_of})."
            ),
            {
                "low": ratio.low,
                "high": ratio.high,
                "scope": scope,
                "as_of": ratio.as_of.isoformat(),
            },
        ),
        Message(
            N_(
                "About {places:,} new ALTs are placed a year; some placed applicants withdraw "
                "(about {withdrawal:.0%}) and their places go to alternates."
            ),
            {
                "places": jet.new_alts.value,
                "withdrawal": rulebook.chances.uncertainty.withdrawal.value,
            },
        ),
        Message(
            N_(
                "Your interview decides your rank, so the estimate treats every applicant alike; "
                "where you are placed is the programme's choice (you may state {n} preferences)."
            ),
            {"n": jet.preferences},
        ),
    ]
    return ChanceOut(
        probability=round(probability, 3),
        low=round(low, 3),
        high=round(high, 3),
        seasons=seasons,
        applicants_per_place_low=ratio.low,
        applicants_per_place_high=ratio.high,
        drivers=[render(d, locale) for d in drivers],
    )
