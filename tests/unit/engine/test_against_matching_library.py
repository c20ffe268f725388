"""Differential test: identical results to the `matching` library's resident-optimal solver."""

from __future__ import annotations

import warnings

from hypothesis import given, settings
from matching.games import HospitalResident
from tests.unit.engine.strategies import MarketSpec, markets

from altmatch.engine import stable_match


def reference(spec: MarketSpec) -> list[int]:
    """The library's answer. It crashes on players left with empty lists, so pairs that are not
    mutually acceptable (or at a request with no seats) are removed first: they can never be
    matched, so this does not change the answer."""
    open_requests = {r for r, cap in enumerate(spec.capacities) if cap > 0}
    mutual = {
        (c, r)
        for c, prefs in enumerate(spec.candidate_prefs)
        for r in prefs
        if r in open_requests and c in spec.request_prefs[r]
    }
    residents = {
        f"c{c}": [f"r{r}" for r in prefs if (c, r) in mutual]
        for c, prefs in enumerate(spec.candidate_prefs)
    }
    hospitals = {
        f"r{r}": [f"c{c}" for c in prefs if (c, r) in mutual]
        for r, prefs in enumerate(spec.request_prefs)
    }
    residents = {name: prefs for name, prefs in residents.items() if prefs}
    hospitals = {name: prefs for name, prefs in hospitals.items() if prefs}
    capacities = {name: spec.capacities[int(name[1:])] for name in hospitals}
    if not residents:
        return [-1] * len(spec.candidate_prefs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = HospitalResident.create_from_dictionaries(
            residents, hospitals, capacities, clean=True
        )
        solution = game.solve(optimal="resident")
    out = [-1] * len(spec.candidate_prefs)
    for hospital, matched in solution.items():
        for resident in matched:
            out[int(resident.name[1:])] = int(hospital.name[1:])
    return out


@settings(max_examples=150, deadline=None)
@given(markets(max_candidates=15, max_requests=6))
def test_identical_to_the_matching_library(spec: MarketSpec) -> None:
    ours = stable_match(spec.candidate_prefs, spec.request_prefs, spec.capacities, seed=0)
    assert ours.assignment.tolist() == reference(spec)
