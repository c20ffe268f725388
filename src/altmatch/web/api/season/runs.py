"""Runs of the season as JSON: match, chances, withdrawals, placements and exports (publishing:
api.season.publication)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, Field

from altmatch.i18n import use_locale
from altmatch.io.export import Format
from altmatch.services.season.exports import export_applications, export_requests
from altmatch.services.season.listings import (
    OUTCOMES,
    PLACEMENTS,
    PlacementsPageOut,
    RunReviewPageOut,
    placements_page,
    review_page,
)
from altmatch.services.season.results import export_placements, export_run
from altmatch.services.season.runs import (
    RunReviewOut,
    run_season_chances,
    run_season_match,
    withdraw_candidates,
)
from altmatch.web.api.files import FILE_RESPONSES, attachment
from altmatch.web.api.params import Id
from altmatch.web.auth import (
    ExporterDep,
    PlacementViewerDep,
    RequestViewerDep,
    SeasonManagerDep,
)
from altmatch.web.deps import SessionsDep
from altmatch.web.listing import ListQuery, list_query
from altmatch.web.locale import LocaleDep

router = APIRouter(prefix="/seasons", tags=["season"])
FormatQuery = Annotated[Format, Query(description="csv (UTF-8 with BOM) or xlsx")]
OutcomesQuery = Annotated[ListQuery, Depends(list_query(OUTCOMES))]
PlacementsQuery = Annotated[ListQuery, Depends(list_query(PLACEMENTS))]


class RunIn(BaseModel):
    seed: int | None = Field(default=None, ge=0, lt=2**63, description="Empty: draw one.")


class ChancesIn(BaseModel):
    runs: int | None = Field(default=None, ge=10, le=100_000)


class WithdrawalIn(BaseModel):
    candidate_ids: list[str] = Field(min_length=1, description="The candidates' file ids.")


@router.post("/{season_id}/runs", response_model=RunReviewOut, status_code=201)
def post_run(
    season_id: Id, body: RunIn, actor: SeasonManagerDep, sessions: SessionsDep
) -> RunReviewOut:
    """Match the season into a new draft run (summary, stability check, every outcome)."""
    return run_season_match(sessions, actor, season_id, seed=body.seed)


@router.get("/{season_id}/runs/{run_id}", response_model=RunReviewPageOut)
def get_run(
    season_id: Id,
    run_id: Id,
    actor: SeasonManagerDep,
    sessions: SessionsDep,
    lq: OutcomesQuery,
    locale: LocaleDep,
) -> RunReviewPageOut:
    """The run's summary, its unplaced candidates and couples counted by reason, and one page
    of its outcomes: searched (candidate id or name), filtered, sorted and paged as asked;
    each candidate's interview tier (when the round decided) in the reader's language."""
    with use_locale(locale):
        return review_page(sessions, actor, season_id, run_id, lq)


@router.get("/{season_id}/requests/export", response_class=Response, responses=FILE_RESPONSES)
def get_requests_export(
    season_id: Id, actor: RequestViewerDep, sessions: SessionsDep, format: FormatQuery = "csv"
) -> Response:
    """The season's requests (BoE staff: their own BoE's), formula-safe."""
    return attachment(*export_requests(sessions, actor, season_id, format), format)


@router.get("/{season_id}/applications/export", response_class=Response, responses=FILE_RESPONSES)
def get_applications_export(
    season_id: Id, actor: SeasonManagerDep, sessions: SessionsDep, format: FormatQuery = "csv"
) -> Response:
    """Every application with its stage, preferences and published outcome, formula-safe."""
    return attachment(*export_applications(sessions, actor, season_id, format), format)


@router.get("/{season_id}/runs/{run_id}/export", response_class=Response, responses=FILE_RESPONSES)
def get_run_export(
    season_id: Id,
    run_id: Id,
    actor: SeasonManagerDep,
    sessions: SessionsDep,
    format: FormatQuery = "csv",
) -> Response:
    """Every outcome of a run (drafts too), formula-safe."""
    return attachment(*export_run(sessions, actor, season_id, run_id, format), format)


@router.post("/{season_id}/runs/{run_id}/chances", response_model=RunReviewOut)
def post_chances(
    season_id: Id, run_id: Id, body: ChancesIn, actor: SeasonManagerDep, sessions: SessionsDep
) -> RunReviewOut:
    """Each candidate's chance of placement with its 95% interval, stored on the draft run."""
    return run_season_chances(sessions, actor, season_id, run_id, runs=body.runs)


@router.post("/{season_id}/withdrawals", response_model=RunReviewOut, status_code=201)
def post_withdrawal(
    season_id: Id, body: WithdrawalIn, actor: SeasonManagerDep, sessions: SessionsDep
) -> RunReviewOut:
    """Candidates withdraw: an upgrade draft run fills their places, to review and publish."""
    return withdraw_candidates(sessions, actor, season_id, body.candidate_ids)


@router.get("/{season_id}/placements", response_model=PlacementsPageOut)
def get_placements(
    season_id: Id,
    actor: PlacementViewerDep,
    sessions: SessionsDep,
    lq: PlacementsQuery,
    alternates: Annotated[
        int,
        Query(
            ge=0,
            le=100_000,
            description=(
                "Per request. A run keeps each request's first 50; deeper lists are "
                "recomputed by replaying the run (a few seconds for a big season)."
            ),
        ),
    ] = 10,
) -> PlacementsPageOut:
    """One page of the published placements (a BoE: at its own requests only), searched,
    filtered, sorted and paged as asked; and each matching request's first alternates, when
    the filters leave at most 40 requests."""
    return placements_page(sessions, actor, season_id, lq, alternates=alternates)


@router.get("/{season_id}/placements/export", response_class=Response, responses=FILE_RESPONSES)
def get_placements_export(
    season_id: Id,
    actor: PlacementViewerDep,
    exporter: ExporterDep,
    sessions: SessionsDep,
    format: FormatQuery = "csv",
) -> Response:
    """The published placements you may see, as CSV or XLSX (formula-safe)."""
    return attachment(*export_placements(sessions, actor, season_id, format), format)
