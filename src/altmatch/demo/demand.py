"""The BoEs' requests: every BoE asks for 1-5 places, with plausible levels and requirements.

Prefectural BoEs run senior high and special-needs schools; municipal BoEs run elementary and
junior high schools. Rural BoEs ask for a driving licence far more often (schools are spread
out and visited by car), and few requests set a minimum JLPT level or teaching experience.
Soft weights vary from request to request, so BoEs rank candidates differently. The counts
give about 1,350 places in all, near the rulebook's ~1,360 new JET ALTs a year.
"""

from __future__ import annotations

from collections.abc import Iterable

from altmatch.demo.boes import slug
from altmatch.demo.draw import Draw
from altmatch.demo.model import Boe, DemoRequest
from altmatch.io.season_files import RequestRecord
from altmatch.rulebook.vocabulary import Area, Jlpt

CAPACITIES = (1, 2, 3, 4, 5)
CAPACITY_WEIGHTS = {  # how many places one request asks for
    "prefecture": (0.30, 0.30, 0.20, 0.12, 0.08),
    Area.URBAN: (0.30, 0.30, 0.20, 0.12, 0.08),
    Area.RURAL: (0.55, 0.30, 0.10, 0.04, 0.01),
}
MUNICIPAL_LEVELS = (("elementary",), ("junior_high",), ("elementary", "junior_high"))
MUNICIPAL_LEVEL_WEIGHTS = (0.40, 0.35, 0.25)
LICENCE_REQUIRED = {Area.URBAN: 0.04, Area.RURAL: 0.45}
MIN_JLPT = (Jlpt.NONE, Jlpt.N5, Jlpt.N4, Jlpt.N3, Jlpt.N2)
MIN_JLPT_WEIGHTS = (0.86, 0.04, 0.06, 0.03, 0.01)
WEIGHTS = (0, 1, 2, 3, 4, 5)
WEIGHT_WEIGHTS = (0.25, 0.20, 0.20, 0.15, 0.10, 0.10)


def build_requests(boes: Iterable[Boe], seed: int) -> tuple[DemoRequest, ...]:
    """Every BoE's requests, in BoE order; ids look like "28-TOYOOKA-1"."""
    draw = Draw(seed, "requests")
    requests: list[DemoRequest] = []
    for boe in boes:
        count = _count(draw, boe)
        for k in range(1, count + 1):
            record = _request(draw, boe, f"{boe.prefecture_code}-{_code(boe)}-{k}")
            requests.append(DemoRequest(record, boe.id))
    return tuple(requests)


def _code(boe: Boe) -> str:
    return "PREF" if boe.municipality is None else slug(boe.municipality).upper()


def _count(draw: Draw, boe: Boe) -> int:
    if boe.municipality is None:
        return draw.integer(1, 4)
    if boe.area is Area.URBAN:
        return draw.weighted((1, 2, 3), (0.35, 0.40, 0.25))
    return draw.weighted((1, 2, 3), (0.60, 0.30, 0.10))


def _request(draw: Draw, boe: Boe, request_id: str) -> RequestRecord:
    prefectural = boe.municipality is None
    if prefectural:
        levels: tuple[str, ...] = ("senior_high",) if draw.chance(0.7) else ("special_needs",)
        area = Area.URBAN if draw.chance(0.5) else Area.RURAL
    else:
        levels = draw.weighted(MUNICIPAL_LEVELS, MUNICIPAL_LEVEL_WEIGHTS)
        area = boe.area
    special = levels == ("special_needs",)
    years = draw.weighted((0, 1, 2), (0.6, 0.3, 0.1) if special else (0.88, 0.09, 0.03))
    capacity = draw.weighted(CAPACITIES, CAPACITY_WEIGHTS["prefecture" if prefectural else area])
    return RequestRecord(
        id=request_id,
        capacity=capacity,
        boe=boe.name,
        prefecture=boe.prefecture,
        school_levels=levels,
        area=area.value,
        requires_driving_licence=draw.chance(LICENCE_REQUIRED[area]),
        min_jlpt=draw.weighted(MIN_JLPT, MIN_JLPT_WEIGHTS),
        min_teaching_years=years,
        weight_jlpt=draw.weighted(WEIGHTS, WEIGHT_WEIGHTS),
        weight_teaching_years=draw.weighted(WEIGHTS, WEIGHT_WEIGHTS),
        weight_school_levels=draw.weighted(WEIGHTS, WEIGHT_WEIGHTS),
        weight_driving_licence=draw.weighted(WEIGHTS, WEIGHT_WEIGHTS) if area is Area.RURAL else 0,
    )
