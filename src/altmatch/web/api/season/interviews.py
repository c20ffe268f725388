"""A season's interview calibration as JSON: the report, uploading the panels' scores, and
calibrating from the assessors' submitted score sheets."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, UploadFile
from fastapi.responses import JSONResponse

from altmatch.i18n import use_locale
from altmatch.services.season.interview_calibration import (
    CalibrationUploadOut,
    calibrate_from_sheets,
    calibrate_season,
    sheets_summary,
)
from altmatch.services.season.interview_report import (
    CALIBRATED,
    InterviewsPageOut,
    interviews_page,
)
from altmatch.services.season.interview_scoring import SheetsSummaryOut
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


@router.get("/{season_id}/interviews/sheets", response_model=SheetsSummaryOut)
def get_sheets_summary(
    season_id: Id, actor: SeasonManagerDep, sessions: SessionsDep
) -> SheetsSummaryOut:
    """What calibrating from the assessors' score sheets would read: submitted sheets, their
    candidates and assessors, drafts (not read) and sheets left out for a declared conflict,
    and the SHA-256 of the rows, to send back when storing."""
    return sheets_summary(sessions, actor, season_id)


@router.post(
    "/{season_id}/interviews/calibration/sheets",
    response_model=CalibrationUploadOut,
    responses=IMPORT_RESPONSES,
)
def post_sheets_calibration(
    season_id: Id,
    actor: SeasonManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    commit: Commit = False,
    sha256: Annotated[
        str,
        Query(
            max_length=64,
            description="the sha256 of the summary or preview you read: storing is refused (409) "
            "if sheets were submitted or corrected since",
        ),
    ] = "",
) -> JSONResponse:
    """Calibrate the season's submitted score sheets exactly as an upload of the same scores
    (the report shows what would be stored); with commit=true store it. 409 once the season's
    outcome is published or when the sheets changed since `sha256`; 422 with no sheet."""
    result = calibrate_from_sheets(
        sessions, actor, season_id, commit=commit, sha256=sha256 or None, locale=locale
    )
    return import_response(result, commit)
