"""Straight-line distance between home and school, and the one-way commute it suggests.

A planning estimate, not a routing engine: road distance is the great-circle distance times the
rulebook's detour factor, travelled at a driving speed when the ALT holds a driving licence and
at a public-transport speed otherwise, plus fixed minutes for walking, parking and waiting.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from altmatch.rulebook.schema import CommuteModel

EARTH_RADIUS_KM = 6371.0088  # the IUGG mean radius
FloatArray = NDArray[np.float64]


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points in decimal degrees (haversine formula)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def distance_matrix_km(
    lat1: FloatArray, lon1: FloatArray, lat2: FloatArray, lon2: FloatArray
) -> FloatArray:
    """Distances from each of the first points (rows) to each of the second (columns)."""
    p1, p2 = np.radians(lat1)[:, None], np.radians(lat2)[None, :]
    dl = np.radians(lon2)[None, :] - np.radians(lon1)[:, None]
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    out: FloatArray = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
    return out


def commute_minutes(km: float, *, driving: bool, model: CommuteModel) -> float:
    """Estimated one-way minutes for a straight-line distance of `km`."""
    speed = model.driving_kmh if driving else model.transit_kmh
    return model.fixed_minutes + km * model.detour_factor / speed * 60.0


def commute_minutes_matrix(
    km: FloatArray, driving: NDArray[np.bool_], model: CommuteModel
) -> FloatArray:
    """`commute_minutes` for a matrix of distances whose rows are ALTs (`driving` per row)."""
    speed = np.where(driving, model.driving_kmh, model.transit_kmh)[:, None]
    out: FloatArray = model.fixed_minutes + km * model.detour_factor / speed * 60.0
    return out
