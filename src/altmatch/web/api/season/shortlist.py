"""A season's shortlist as JSON: the preview from calibrated interview scores, and deciding."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from altmatch.i18n import use_locale
from altmatch.services.season.shortlist import (
    MAX_COUNT,
    ShortlistIn,
    ShortlistOut,
    decide_shortlist,
    shortlist_preview,
)
from altmatch.web.api.params import Id
from altmatch.web.auth import SeasonManagerDep
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep

router = APIRouter(prefix="/seasons", tags=["season"])
Count = Annotated[int | None, Query(ge=0, le=MAX_COUNT)]
Seed = Annotated[int | None, Query(ge=0, lt=2**63, description="the lottery's seed")]


@router.get("/{season_id}/shortlist", response_model=ShortlistOut)
def get_shortlist(
    season_id: Id,
    actor: SeasonManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    places: Count = None,
    alternates: Count = None,
    seed: Seed = None,
) -> ShortlistOut:
    """What deciding would do now: every ranked application by calibrated score with its
    decision, the cuts, who calibration moved across the cut against raw means, and statistical
    ties. `places` and `alternates` default to the rulebook's share of the requested places,
    `seed` to one read from the calibration."""
    with use_locale(locale):
        return shortlist_preview(
            sessions, actor, season_id, places=places, alternates=alternates, seed=seed
        )


@router.post("/{season_id}/shortlist", response_model=ShortlistOut)
def post_shortlist(
    season_id: Id,
    body: ShortlistIn,
    actor: SeasonManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
) -> ShortlistOut:
    """Decide as previewed: give the preview's `places`, `alternates`, `seed`, calibration id
    and every ranked application's version (`versions`: id → version). All or nothing; 409
    when the outcome is published, the calibration changed or any application changed."""
    with use_locale(locale):
        return decide_shortlist(sessions, actor, season_id, body)
