"""The synthetic JET season behind the advisor's chance, simulated once per edition and shipped.

Simulating the season takes seconds (720 seasons at a quarter of JET's size), which made every
`altmatch advise` and every advisor page that slow (issue 16). Its result depends only on a few
rulebook figures and a seed (the edition's year), so `scripts/calibrate_jet_chances.py`
simulates it once per edition and published applicants-per-place figure and writes
`jet_calibration/<year>.json`, each result beside the exact inputs it came from. A lookup takes
an entry only when its inputs equal what the rulebook in hand gives: an edited figure is never
answered from a stale file but simulated (once per process), and a test fails until the file is
regenerated. An edition without a file is simulated the same way, so nothing breaks, only slows.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from altmatch.rulebook import Rulebook

log = logging.getLogger(__name__)

FORMAT = 1  # of the shipped files; a file in another format is ignored (simulated instead)
SCALE = 4  # simulate a quarter-size season: the same odds, a quarter of the work
DRAWS = 24  # calibration draws (each a season size and a ratio from the published range)
RUNS_PER_DRAW = 30
GENERATOR = "scripts/calibrate_jet_chances.py"


@dataclass(frozen=True)
class CalibrationInputs:
    """Everything a calibration's numbers depend on besides the engine: the rulebook figures it
    reads, how it samples, and the seed (the edition's year)."""

    edition: int
    new_alts: int
    prefectures: int
    applicants_per_place_low: float
    applicants_per_place_high: float
    withdrawal: float
    request_drop: float
    seat_gain: float
    seat_loss: float
    scale: int = SCALE
    draws: int = DRAWS
    runs_per_draw: int = RUNS_PER_DRAW

    @classmethod
    def of(cls, rulebook: Rulebook, country: str | None) -> CalibrationInputs:
        """The inputs for applicants from `country` (its own figure, else the world's)."""
        jet = rulebook.chances.jet
        ratio = jet.ratio_for(country or "")
        model = rulebook.chances.uncertainty
        return cls(
            edition=rulebook.year,
            new_alts=jet.new_alts.value,
            prefectures=jet.prefectures,
            applicants_per_place_low=ratio.low,
            applicants_per_place_high=ratio.high,
            withdrawal=model.withdrawal.value,
            request_drop=model.request_drop.value,
            seat_gain=model.seat_gain.value,
            seat_loss=model.seat_loss.value,
        )


@dataclass(frozen=True)
class Calibration:
    """Share of applicants placed: the mean and 2.5%-97.5% range over the calibration draws."""

    probability: float
    low: float
    high: float
    seasons: int


def calibration(rulebook: Rulebook, country: str | None) -> Calibration:
    """The calibration for applicants from `country`: shipped when its inputs match exactly,
    else simulated (cached for the process)."""
    inputs = CalibrationInputs.of(rulebook, country)
    found = shipped(rulebook.year).get(inputs)
    return found if found is not None else _unshipped(inputs)


@functools.cache
def _unshipped(inputs: CalibrationInputs) -> Calibration:
    """Simulate what no shipped file holds, saying so once per process: it costs seconds."""
    log.warning(
        "no shipped JET calibration for rulebook %s with these figures; simulating (run %s)",
        inputs.edition,
        GENERATOR,
    )
    return simulate(inputs)


def data_file(edition: int) -> Path:
    return (
        Path(str(resources.files("altmatch.services.advice")))
        / "jet_calibration"
        / (f"{edition}.json")
    )


@functools.cache
def shipped(edition: int) -> dict[CalibrationInputs, Calibration]:
    """The edition's shipped calibrations by their inputs; empty when there is no file or it is
    in another format."""
    path = data_file(edition)
    if not path.is_file():
        return {}
    document = json.loads(path.read_text(encoding="utf-8"))
    if document.get("format") != FORMAT:
        return {}
    return {
        CalibrationInputs(**entry["inputs"]): Calibration(**entry["result"])
        for entry in document["calibrations"]
    }


def calibration_document(rulebook: Rulebook) -> dict[str, Any]:
    """What `jet_calibration/<year>.json` holds: every published figure's calibration."""
    entries = []
    for ratio in rulebook.chances.jet.applicants_per_place:
        inputs = CalibrationInputs.of(rulebook, ratio.country)
        entries.append(
            {
                "country": ratio.country,
                "inputs": dataclasses.asdict(inputs),
                "result": dataclasses.asdict(simulate(inputs)),
            }
        )
    return {
        "format": FORMAT,
        "edition": rulebook.year,
        "generated_by": GENERATOR,
        "calibrations": entries,
    }


def render_document(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2) + "\n"


@functools.cache
def simulate(inputs: CalibrationInputs) -> Calibration:
    """Simulate the synthetic seasons: seeded by the edition, so always the same numbers.

    Every applicant is tied (the lottery stands in for the interview) and ranks all prefectures
    in a random order; each draw picks a season size from the published range."""
    import numpy as np  # here, not above: a shipped calibration needs neither NumPy nor Numba

    from altmatch.engine import build_market
    from altmatch.engine.chances import Uncertainty, estimate_chances

    uncertainty = Uncertainty(
        withdrawal=inputs.withdrawal,
        request_drop=inputs.request_drop,
        seat_gain=inputs.seat_gain,
        seat_loss=inputs.seat_loss,
    )
    rng = np.random.default_rng(inputs.edition)
    prefectures = inputs.prefectures
    seats = max(prefectures, inputs.new_alts // inputs.scale)
    capacities = np.full(prefectures, seats // prefectures, dtype=np.int64)
    capacities[: seats % prefectures] += 1
    estimates = []
    total_runs = 0
    for _ in range(inputs.draws):
        ratio = rng.uniform(inputs.applicants_per_place_low, inputs.applicants_per_place_high)
        applicants = round(seats * ratio)
        firsts = np.argsort(rng.random((applicants, prefectures)), axis=1)
        cand_indptr = np.arange(0, applicants * prefectures + 1, prefectures, dtype=np.int64)
        cand_indices = firsts.reshape(-1).astype(np.int64)
        everyone = np.arange(applicants, dtype=np.int64)
        req_indptr = np.arange(0, applicants * prefectures + 1, applicants, dtype=np.int64)
        req_indices = np.tile(everyone, prefectures)
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
            runs=inputs.runs_per_draw,
            seed=int(rng.integers(2**62)),
            batch=inputs.runs_per_draw,
        )
        estimates.append(result.placed.sum() / max(result.stayed.sum(), 1))
        total_runs += result.runs
    values = np.asarray(estimates)
    return Calibration(
        probability=float(values.mean()),
        low=float(np.quantile(values, 0.025)),
        high=float(np.quantile(values, 0.975)),
        seasons=total_runs,
    )
