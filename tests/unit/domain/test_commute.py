"""Great-circle distance and the rulebook's commute estimate."""

from __future__ import annotations

import numpy as np
import pytest

from altmatch.domain.commute import (
    commute_minutes,
    commute_minutes_matrix,
    distance_km,
    distance_matrix_km,
)
from altmatch.rulebook import load_rulebook

MODEL = load_rulebook().dispatch_operations.commute


def test_tokyo_station_to_osaka_station_is_about_403_km() -> None:
    assert distance_km(35.6812, 139.7671, 34.7025, 135.4959) == pytest.approx(403, abs=3)


def test_distance_to_the_same_point_is_zero_and_symmetric() -> None:
    assert distance_km(34.69, 135.19, 34.69, 135.19) == 0.0
    a = distance_km(34.69, 135.19, 34.80, 135.30)
    assert a == pytest.approx(distance_km(34.80, 135.30, 34.69, 135.19))


def test_one_degree_of_latitude_is_about_111_km() -> None:
    assert distance_km(35.0, 135.0, 36.0, 135.0) == pytest.approx(111.2, abs=0.2)


def test_commute_uses_driving_speed_with_a_licence_and_transit_speed_without() -> None:
    km = 10.0
    driving = commute_minutes(km, driving=True, model=MODEL)
    transit = commute_minutes(km, driving=False, model=MODEL)
    expected_driving = MODEL.fixed_minutes + km * MODEL.detour_factor / MODEL.driving_kmh * 60
    assert driving == pytest.approx(expected_driving)
    assert transit > driving
    assert commute_minutes(0.0, driving=False, model=MODEL) == MODEL.fixed_minutes


def test_matrix_versions_agree_with_the_scalar_ones() -> None:
    lat1, lon1 = np.array([34.69, 35.0]), np.array([135.19, 135.5])
    lat2, lon2 = np.array([34.8, 34.7, 35.2]), np.array([135.3, 135.2, 135.1])
    km = distance_matrix_km(lat1, lon1, lat2, lon2)
    minutes = commute_minutes_matrix(km, np.array([True, False]), MODEL)
    for i in range(2):
        for j in range(3):
            d = distance_km(lat1[i], lon1[i], lat2[j], lon2[j])
            assert km[i, j] == pytest.approx(d)
            assert minutes[i, j] == pytest.approx(commute_minutes(d, driving=i == 0, model=MODEL))
