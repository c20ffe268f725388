"""A season's interview calibration as JSON: the report, and uploading the panels' scores."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, UploadFile
from fastapi.responses import JSONResponse

from altmatch.i18n import use_locale
from altmatch.services.season.interview_calibration import (
    CalibrationUploadOut,
    calibrate_season,
)
from altmatch.services.season.interview_report import (
    CALIBRATED,
    InterviewsPageOut,
    interviews_page,
)
from altmatch.web.api.files import IMPORT_RESPONSES, import_response
from altmatch.web.api.params import Id
from altmatch.web.auth import SeasonManagerDep
from altmatch.web.deps import SessionsDep
from altmatch.web.listing import ListQuery, list_query
from altmatch.web.locale import LocaleDep
from altmatch.web.uploads import ImportLimitsDep, read_upload_blocking

router = APIRouter(prefix="/seasons", tags=["season"])
CalibratedQuery = Annotated[ListQuery, Depends(list_query(CALIBRATED))]
Commit = Annotated[
    bool,
    Query(
        description="false: only check and calibrate the file (nothing stored); true: store it "
        "as the season's current calibration, which replaces the previous one and changes the "
        "interview scores the next match run reads"
    ),
]


@router.get("/{season_id}/interviews", response_model=InterviewsPageOut)
def get_interviews(
    season_id: Id,
    actor: SeasonManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    lq: CalibratedQuery,
) -> InterviewsPageOut:
    """The season's current interview calibration: summary, warnings and suggested swaps (in
    the reader's language), assessors' severities, one page of its candidates (searched by id
    or name, filtered by design group, sorted, paged), and every upload, newest first."""
    with use_locale(locale):
        return interviews_page(sessions, actor, season_id, lq)


@router.post(
    "/{season_id}/interviews/calibration",
    response_model=CalibrationUploadOut,
    responses=IMPORT_RESPONSES,
)
def post_calibration(
    season_id: Id,
    actor: SeasonManagerDep,
    sessions: SessionsDep,
    limits: ImportLimitsDep,
    locale: LocaleDep,
    file: Annotated[
        UploadFile,
        File(description="candidate_id,panel_id,assessor_id,criterion,score as .csv or .xlsx"),
    ],
    commit: Commit = False,
) -> JSONResponse:
    """Check a rubric scores file against the season (every bad row as row/column/message) and
    calibrate it (the report shows what would be stored); with commit=true store it, or, with
    any error, nothing (422). 409 once the season's outcome is published."""
    content = read_upload_blocking(file, limits.max_bytes)
    result = calibrate_season(
        sessions,
        actor,
        season_id,
        content=content,
        filename=file.filename or "",
        commit=commit,
        limits=limits,
        locale=locale,
    )
    return import_response(result, commit)
