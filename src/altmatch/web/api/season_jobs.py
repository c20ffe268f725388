"""Background season jobs as JSON: start a match or chances run (202) and follow its progress.

A started job is `queued` until a runner claims it: this process's own by default, or an
`altmatch worker` when a job queue (ALTMATCH_REDIS_URL) is set.
"""

from __future__ import annotations

from fastapi import APIRouter

from altmatch.services.season_jobs import (
    JobOut,
    job_status,
    start_chances_job,
    start_match_job,
)
from altmatch.web.api.params import Id
from altmatch.web.api.season_runs import RunIn
from altmatch.web.auth import SeasonManagerDep
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep

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
