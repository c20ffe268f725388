"""A match, chances or import run as a background job: start it, follow its stage, recover
after a stop.

The work itself is `run_season_match` / `run_season_chances`, unchanged. Starting a job records
it (kind, season, run, seed and who asked) as a `queued` row and hands its id on: to this
process's one-thread executor by default (runs queue rather than compete for the CPU), or, with
`redis_url` set, to the `altmatch worker` processes through Redis (services.job_queue). Either
way services.job_runner claims the row, heartbeats while it runs and ends it `done` with the
run it made or `failed` with an error message; a job whose worker died is failed once its lease
runs out, and can be started again. A run is only a draft until it is published, so nothing half
made is ever shown to candidates or BoEs. An import job (services.import_jobs) stores its file
with the row and commits all of it or nothing; its report is the job's `result`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from datetime import datetime
from typing import Any, ParamSpec, TypeVar

from pydantic import BaseModel
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from altmatch.clock import utc_now
from altmatch.db import Sessions
from altmatch.db.models import Job
from altmatch.domain.access import Actor, NotFoundError, Permission, require
from altmatch.i18n import N_, Message, render
from altmatch.io.limits import ImportLimits
from altmatch.services.kernel import job_queue
from altmatch.services.kernel.errors import StaleError
from altmatch.services.kernel.imports import ImportOut
from altmatch.services.season import import_jobs
from altmatch.services.season.access import access_run, access_season
from altmatch.services.season.import_jobs import ImportTarget
from altmatch.services.season.job_runner import (
    INTERRUPTED,
    NO_LONGER_ALLOWED,
    STAGES,
    UNEXPECTED,
    expire_stale_jobs,
    is_stale,
    run_job,
    run_queued,
)
from altmatch.services.season.runs import draft_only

__all__ = ["INTERRUPTED", "NO_LONGER_ALLOWED", "STAGES", "UNEXPECTED"]

logger = logging.getLogger(__name__)
P = ParamSpec("P")
T = TypeVar("T")

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
    "importing": N_("Checking and storing the file"),
    "done": N_("Done"),
    "failed": N_("Failed"),
}


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
    result: ImportOut | None = None  # an import's report (rows, errors), whether stored or not

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
        result=ImportOut.model_validate(row.result) if row.result is not None else None,
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
        job = _record(session, actor, "match", season.id, None, {"seed": seed})
        out = job_out(job, locale)
    _dispatch(sessions, job.id)
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
        job = _record(session, actor, "chances", season.id, run_id, None)
        out = job_out(job, locale)
    _dispatch(sessions, job.id)
    return out


class ImportRefusedError(Exception):
    """The file is refused before a job is recorded (too big); `report` says why, as the
    synchronous import would."""

    def __init__(self, report: ImportOut) -> None:
        super().__init__("import refused")
        self.report = report


def start_import_job(
    sessions: Sessions,
    actor: Actor,
    season_id: int,
    target: ImportTarget,
    *,
    content: bytes,
    filename: str,
    limits: ImportLimits,
    locale: str = "en",
) -> JobOut:
    """Record an import job (candidates or requests) with its file and start it in the
    background; it stores every row or, with any error, nothing. A file over the size limit
    is refused here (ImportRefusedError), never stored."""
    require(actor, Permission.SEASON_MANAGE)
    if len(content) > limits.max_bytes:  # the importer's own report, after its access checks
        report = import_jobs.check_only(
            sessions, actor, season_id, target, content, filename, limits, locale
        )
        raise ImportRefusedError(report)
    with sessions.begin() as session:
        season = access_season(session, actor, season_id)
        if season.status != "open":
            raise StaleError(
                Message(N_("This season's outcome is published; it takes no more imports."))
            )
        params = import_jobs.import_params(target, limits, locale)
        job = _record(session, actor, "import", season.id, None, params)
        import_jobs.store_file(session, job.id, filename, content)
        out = job_out(job, locale)
    _dispatch(sessions, job.id)
    return out


def job_status(
    sessions: Sessions, actor: Actor, season_id: int, job_id: int, *, locale: str | None = None
) -> JobOut:
    """A job of a season the actor manages; another season's job is not found. A job whose
    worker stopped answering is failed here, so its starter is told and can run it again."""
    require(actor, Permission.SEASON_MANAGE)
    lease = job_queue.current().lease_seconds
    with sessions() as session:
        season = access_season(session, actor, season_id)
        row = session.get(Job, job_id)
        if row is None or row.season_id != season.id:
            raise NotFoundError("job")
        if not is_stale(row, lease):
            return job_out(row, locale)
    expire_stale_jobs(sessions, lease, job_id=job_id)  # only written when it looks dead
    with sessions() as session:
        row = session.get(Job, job_id)
        assert row is not None
        return job_out(row, locale)


def recover_jobs(sessions: Sessions) -> None:
    """On start: fail the jobs of workers that died, and run here the queued jobs a stopped
    process left (with a job queue, `altmatch worker` picks those up instead)."""
    config = job_queue.current()
    try:
        expire_stale_jobs(sessions, config.lease_seconds)
    except SQLAlchemyError:  # the database is down: serve anyway; the next start or read retries
        logger.exception("could not check for interrupted jobs at start")
        return
    if not config.external:
        future = EXECUTOR.submit(run_queued, sessions, lease_seconds=config.lease_seconds)
        future.add_done_callback(_log_failure)


def _dispatch(sessions: Sessions, job_id: int) -> None:
    config = job_queue.current()
    if config.external:
        job_queue.notify(config, job_id)  # if Redis is down the job waits in the database
    else:
        future = EXECUTOR.submit(run_job, sessions, job_id, lease_seconds=config.lease_seconds)
        future.add_done_callback(_log_failure)


def _log_failure(future: Future[Any]) -> None:
    """A job that could not even be claimed (the database is down) stays queued; say why."""
    if (problem := future.exception()) is not None:
        logger.error("a queued job could not be started: %r", problem)


def _record(
    session: Session,
    actor: Actor,
    kind: str,
    season_id: int,
    run_id: int | None,
    params: dict[str, object] | None,
) -> Job:
    job = Job(
        kind=kind,
        season_id=season_id,
        run_id=run_id,
        status="queued",
        stage="",
        done_steps=0,
        total_steps=len(STAGES[kind]),
        params=params,
        created_by=actor.user_id,
        created_at=utc_now(),
    )
    session.add(job)
    session.flush()
    return job
