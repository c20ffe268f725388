"""A match or chances run as a background job: start it, follow its stage, recover after a stop.

The work itself is `run_season_match` / `run_season_chances`, unchanged: a job records who
asked, runs that function on a small in-process executor (one worker, so runs never compete
for the CPU) and writes each stage into the `jobs` row as it starts. The row ends `done` with
the run it made, or `failed` with an error message. Jobs die with the process: on start the app
marks the unfinished ones failed (`fail_interrupted_jobs`); a run is only a draft until it is
published, so nothing half made is ever shown to candidates or BoEs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from datetime import datetime
from typing import Any, ParamSpec, TypeVar

from pydantic import BaseModel
from sqlalchemy import update
from sqlalchemy.orm import Session

from altmatch.db.models import Job
from altmatch.db.models.jobs import UNFINISHED
from altmatch.domain.access import AccessDeniedError, Actor, NotFoundError, Permission, require
from altmatch.i18n import N_, Message, render
from altmatch.services.placement import Progress
from altmatch.services.season_access import Sessions, access_run, access_season, now_utc
from altmatch.services.season_runs import (
    CHANCES_STAGES,
    MATCH_STAGES,
    RunReviewOut,
    draft_only,
    run_season_chances,
    run_season_match,
)

logger = logging.getLogger(__name__)
P = ParamSpec("P")
T = TypeVar("T")

STAGES: dict[str, tuple[str, ...]] = {"match": MATCH_STAGES, "chances": CHANCES_STAGES}
STAGE_LABELS: dict[str, str] = {
    "": N_("Waiting to start"),
    "reading the season": N_("Reading the season"),
    "deriving preference lists": N_("Deriving preference lists"),
    "matching": N_("Matching"),
    "checking stability": N_("Checking stability"),
    "explaining": N_("Writing the explanations"),
    "saving the run": N_("Saving the run"),
    "reading the run": N_("Reading the run"),
    "simulating seasons": N_("Simulating seasons"),
    "saving the chances": N_("Saving the chances"),
    "done": N_("Done"),
    "failed": N_("Failed"),
}
INTERRUPTED = N_("interrupted: the server stopped; run it again")
UNEXPECTED = N_("The job stopped on an unexpected error: {problem}")
NO_LONGER_ALLOWED = N_("You may no longer do this, or the season or run is gone.")


class InlineExecutor(Executor):
    """Runs each job at once in the caller's thread: for tests and scripts that want the
    result before the request returns."""

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        future: Future[T] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)
        return future


# One worker: a season run uses a whole core for seconds, and runs queue rather than compete.
# Tests swap in InlineExecutor (monkeypatch `season_jobs.EXECUTOR`).
EXECUTOR: Executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="altmatch-job")


class JobOut(BaseModel):
    """A job as its starter follows it; `stage` is the stable English key, `stage_label` and
    `error` are in the reader's language."""

    id: int
    kind: str
    season_id: int
    run_id: int | None
    status: str
    stage: str
    stage_label: str
    done_steps: int
    total_steps: int
    percent: int
    error: str | None
    created_at: datetime
    finished_at: datetime | None

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")


def job_out(row: Job, locale: str | None = None) -> JobOut:
    error = None
    if row.error is not None:
        error = render(Message(row.error, row.error_params or {}), locale)
    total = row.total_steps or len(STAGES[row.kind])
    return JobOut(
        id=row.id,
        kind=row.kind,
        season_id=row.season_id,
        run_id=row.run_id,
        status=row.status,
        stage=row.stage,
        stage_label=render(STAGE_LABELS.get(row.stage, row.stage), locale),
        done_steps=row.done_steps,
        total_steps=total,
        percent=round(100 * row.done_steps / total) if total else 0,
        error=error,
        created_at=row.created_at,
        finished_at=row.finished_at,
    )


def start_match_job(
    sessions: Sessions,
    actor: Actor,
    season_id: int,
    seed: int | None = None,
    *,
    locale: str | None = None,
) -> JobOut:
    """Record a match job for the season and start it in the background."""
    require(actor, Permission.SEASON_MANAGE)
    with sessions.begin() as session:
        season = access_season(session, actor, season_id)
        job = _record(session, actor, "match", season.id, None)
        out = job_out(job, locale)

    def work(progress: Progress) -> RunReviewOut:
        return run_season_match(sessions, actor, season_id, seed=seed, progress=progress)

    EXECUTOR.submit(_run, sessions, job.id, "match", work)
    return out


def start_chances_job(
    sessions: Sessions,
    actor: Actor,
    season_id: int,
    run_id: int,
    *,
    locale: str | None = None,
) -> JobOut:
    """Record a chances job for a draft run and start it in the background."""
    require(actor, Permission.SEASON_MANAGE)
    with sessions.begin() as session:
        season = access_season(session, actor, season_id)
        draft_only(access_run(session, actor, season, run_id))
        job = _record(session, actor, "chances", season.id, run_id)
        out = job_out(job, locale)

    def work(progress: Progress) -> RunReviewOut:
        return run_season_chances(sessions, actor, season_id, run_id, progress=progress)

    EXECUTOR.submit(_run, sessions, job.id, "chances", work)
    return out


def job_status(
    sessions: Sessions, actor: Actor, season_id: int, job_id: int, *, locale: str | None = None
) -> JobOut:
    """A job of a season the actor manages; another season's job is not found."""
    require(actor, Permission.SEASON_MANAGE)
    with sessions() as session:
        season = access_season(session, actor, season_id)
        row = session.get(Job, job_id)
        if row is None or row.season_id != season.id:
            raise NotFoundError("job")
        return job_out(row, locale)


def fail_interrupted_jobs(sessions: Sessions) -> int:
    """Mark the jobs a stopped process left queued or running as failed; returns how many."""
    with sessions.begin() as session:
        result = session.execute(
            update(Job)
            .where(Job.status.in_(UNFINISHED))
            .values(status="failed", error=INTERRUPTED, error_params=None, finished_at=now_utc())
        )
        count: int = getattr(result, "rowcount", 0)
    if count:
        logger.warning("%d unfinished job(s) marked failed after a restart", count)
    return count


def _record(session: Session, actor: Actor, kind: str, season_id: int, run_id: int | None) -> Job:
    job = Job(
        kind=kind,
        season_id=season_id,
        run_id=run_id,
        status="queued",
        stage="",
        done_steps=0,
        total_steps=len(STAGES[kind]),
        created_by=actor.user_id,
        created_at=now_utc(),
    )
    session.add(job)
    session.flush()
    return job


def _run(
    sessions: Sessions, job_id: int, kind: str, work: Callable[[Progress], RunReviewOut]
) -> None:
    """The job's body on the executor: never raises, always leaves the row finished."""
    stages = STAGES[kind]

    def progress(stage: str) -> None:
        done = stages.index(stage) if stage in stages else 0
        _update(sessions, job_id, status="running", stage=stage, done_steps=done)

    try:
        review = work(progress)
    except (NotFoundError, AccessDeniedError):
        _finish(sessions, job_id, Message(NO_LONGER_ALLOWED))
    except Exception as exc:  # every failure must end the job, never leave it hanging
        message = getattr(exc, "message", None)
        if not isinstance(message, Message):
            logger.exception("job %d failed", job_id)
            message = Message(UNEXPECTED, {"problem": f"{type(exc).__name__}: {exc}"})
        _finish(sessions, job_id, message)
    else:
        _update(
            sessions,
            job_id,
            status="done",
            stage="done",
            done_steps=len(stages),
            run_id=review.run.id,
            finished_at=now_utc(),
        )


def _finish(sessions: Sessions, job_id: int, error: Message) -> None:
    params = {key: str(value) for key, value in error.params.items()}
    try:
        _update(
            sessions,
            job_id,
            status="failed",
            stage="failed",
            error=error.template,
            error_params=params or None,
            finished_at=now_utc(),
        )
    except Exception:  # the database itself fails; the next start marks the job failed
        logger.exception("could not record the failure of job %d", job_id)


def _update(sessions: Sessions, job_id: int, **values: Any) -> None:
    with sessions.begin() as session:
        session.execute(update(Job).where(Job.id == job_id).values(**values))
