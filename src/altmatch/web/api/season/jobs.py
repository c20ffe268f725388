"""Background season jobs as JSON: start a match, chances or import run (202) and follow its
progress.

A started job is `queued` until a runner claims it: this process's own by default, or an
`altmatch worker` when a job queue (ALTMATCH_REDIS_URL) is set.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, UploadFile
from fastapi.responses import JSONResponse

from altmatch.services.season.import_jobs import ImportTarget
from altmatch.services.season.jobs import (
    ImportRefusedError,
    JobOut,
    job_status,
    start_chances_job,
    start_import_job,
    start_match_job,
)
from altmatch.web.api.files import IMPORT_RESPONSES
from altmatch.web.api.params import Id
from altmatch.web.api.season.runs import RunIn
from altmatch.web.auth import SeasonManagerDep
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep
from altmatch.web.uploads import ImportLimitsDep, read_upload_blocking

router = APIRouter(prefix="/seasons", tags=["season"])


@router.post("/{season_id}/jobs/match", response_model=JobOut, status_code=202)
def post_match_job(
    season_id: Id, body: RunIn, actor: SeasonManagerDep, sessions: SessionsDep, locale: LocaleDep
) -> JobOut:
    """Start matching the season into a new draft run; follow it at /jobs/{job}."""
    return start_match_job(sessions, actor, season_id, body.seed, locale=locale)


@router.post("/{season_id}/runs/{run_id}/jobs/chances", response_model=JobOut, status_code=202)
def post_chances_job(
    season_id: Id, run_id: Id, actor: SeasonManagerDep, sessions: SessionsDep, locale: LocaleDep
) -> JobOut:
    """Start estimating chances for a draft run; follow it at /jobs/{job}."""
    return start_chances_job(sessions, actor, season_id, run_id, locale=locale)


@router.get("/{season_id}/jobs/{job_id}", response_model=JobOut)
def get_job(
    season_id: Id, job_id: Id, actor: SeasonManagerDep, sessions: SessionsDep, locale: LocaleDep
) -> JobOut:
    """The job's status, stage and progress; `run_id` once it is done, `error` if it failed."""
    return job_status(sessions, actor, season_id, job_id, locale=locale)


@router.post(
    "/{season_id}/candidates/import/jobs",
    response_model=JobOut,
    status_code=202,
    responses=IMPORT_RESPONSES,
)
def post_candidates_import_job(
    season_id: Id,
    actor: SeasonManagerDep,
    sessions: SessionsDep,
    limits: ImportLimitsDep,
    locale: LocaleDep,
    file: Annotated[UploadFile, File(description="candidates .csv (UTF-8 or CP932) or .xlsx")],
) -> JobOut | JSONResponse:
    """Import a candidates file in the background: all rows or, with any error, none. Follow
    it at /jobs/{job}; its `result` is the report the synchronous import gives."""
    return _start_import(season_id, "candidates", actor, sessions, limits, locale, file)


@router.post(
    "/{season_id}/requests/import/jobs",
    response_model=JobOut,
    status_code=202,
    responses=IMPORT_RESPONSES,
)
def post_requests_import_job(
    season_id: Id,
    actor: SeasonManagerDep,
    sessions: SessionsDep,
    limits: ImportLimitsDep,
    locale: LocaleDep,
    file: Annotated[UploadFile, File(description="requests .csv (UTF-8 or CP932) or .xlsx")],
) -> JobOut | JSONResponse:
    """Like the candidates import job, for a requests file."""
    return _start_import(season_id, "requests", actor, sessions, limits, locale, file)


def _start_import(
    season_id: int,
    target: ImportTarget,
    actor: SeasonManagerDep,
    sessions: SessionsDep,
    limits: ImportLimitsDep,
    locale: str,
    file: UploadFile,
) -> JobOut | JSONResponse:
    content = read_upload_blocking(file, limits.max_bytes)
    try:
        return start_import_job(
            sessions,
            actor,
            season_id,
            target,
            content=content,
            filename=file.filename or "",
            limits=limits,
            locale=locale,
        )
    except ImportRefusedError as refused:  # too big: never stored, answered as the sync import
        return JSONResponse(refused.report.model_dump(mode="json"), status_code=422)
