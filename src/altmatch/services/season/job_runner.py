"""Running a recorded job safely when several processes share one database.

A job row says everything needed to run it (kind, season, run, `params` such as the seed, and
`created_by`, whose current Actor is rebuilt so a disabled user's job is refused). A runner
*claims* a queued job with one conditional UPDATE that only one process can win, heartbeats
every lease/3 while it runs, and ends it `done` or `failed`. A running job whose heartbeat is
older than the lease belongs to a dead worker: any process fails it with INTERRUPTED (at start,
in the worker loop, and when its status is read), and it can simply be run again: a run is
written in one transaction at its end and stays a draft until published, so a job killed
halfway leaves nothing behind.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import redis
from sqlalchemy.exc import SQLAlchemyError

from altmatch.clock import utc_now
from altmatch.db import Sessions
from altmatch.db import jobs as repo
from altmatch.db.models import Job, User
from altmatch.domain.access import AccessDeniedError, Actor, NotFoundError
from altmatch.i18n import N_, Message
from altmatch.services.accounts.authentication import actor_for
from altmatch.services.kernel import job_queue
from altmatch.services.season import import_jobs
from altmatch.services.season.placement import Progress
from altmatch.services.season.runs import (
    CHANCES_STAGES,
    MATCH_STAGES,
    run_season_chances,
    run_season_match,
)

log = logging.getLogger(__name__)

STAGES: dict[str, tuple[str, ...]] = {
    "match": MATCH_STAGES,
    "chances": CHANCES_STAGES,
    "import": import_jobs.IMPORT_STAGES,
}
INTERRUPTED = N_("interrupted: the server stopped; run it again")
UNEXPECTED = N_("The job stopped on an unexpected error: {problem}")
NO_LONGER_ALLOWED = N_("You may no longer do this, or the season or run is gone.")


@dataclass(frozen=True)
class Outcome:
    """How a job's work ended: the columns to record (`run_id`, an import's `result`) and, if
    the work ran but refused (an import with errors), the error the job fails with."""

    values: dict[str, Any] = field(default_factory=dict)
    error: Message | None = None


def worker_name() -> str:
    """Who holds a job, for the operator reading the `jobs` table: host, process and thread."""
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:100]


def claim_job(sessions: Sessions, job_id: int, worker: str) -> bool:
    """Take the queued job `job_id` for `worker`; True for the one process that wins it."""
    with sessions.begin() as session:
        return repo.claim_queued_job(session, job_id, worker, utc_now())


def claim_next(sessions: Sessions, worker: str) -> int | None:
    """Claim the oldest queued job, or None. PostgreSQL skips rows another process is
    claiming (FOR UPDATE SKIP LOCKED); elsewhere a lost race just tries the next one."""
    while True:
        with sessions.begin() as session:
            job_id = repo.oldest_queued_job_id(session)
            if job_id is None:
                return None
            if repo.claim_queued_job(session, job_id, worker, utc_now()):
                return job_id


def beat(sessions: Sessions, job_id: int, worker: str) -> bool:
    """Record that `worker` still runs `job_id`; False once the job is no longer its own."""
    return _update_own(sessions, job_id, worker, heartbeat_at=utc_now())


def expire_stale_jobs(
    sessions: Sessions,
    lease_seconds: float,
    *,
    job_id: int | None = None,
    now: datetime | None = None,
) -> int:
    """Fail every running job (or just `job_id`) silent for longer than the lease; how many."""
    cutoff = (now or utc_now()) - timedelta(seconds=lease_seconds)
    with sessions.begin() as session:
        count = repo.fail_silent_jobs(
            session, cutoff, error=INTERRUPTED, finished_at=utc_now(), job_id=job_id
        )
        if count:
            import_jobs.delete_finished_files(session)
    if count:
        log.warning("%d job(s) whose worker stopped answering marked failed", count)
    return count


def is_stale(job: Job, lease_seconds: float, now: datetime | None = None) -> bool:
    """The job runs but its worker has given no sign of life for longer than the lease."""
    last_sign = job.heartbeat_at or job.started_at or job.created_at
    cutoff = (now or utc_now()) - timedelta(seconds=lease_seconds)
    return job.status == "running" and last_sign < cutoff


def run_job(sessions: Sessions, job_id: int, *, lease_seconds: float) -> bool:
    """Claim `job_id` and run it to its end; False if another process had it already."""
    worker = worker_name()
    if not claim_job(sessions, job_id, worker):
        return False
    run_claimed(sessions, job_id, worker, lease_seconds)
    return True


def run_queued(sessions: Sessions, *, lease_seconds: float) -> int:
    """Claim and run queued jobs until there are none (those a stopped process left); how many."""
    worker, count = worker_name(), 0
    while (job_id := claim_next(sessions, worker)) is not None:
        run_claimed(sessions, job_id, worker, lease_seconds)
        count += 1
    return count


def run_claimed(sessions: Sessions, job_id: int, worker: str, lease_seconds: float) -> None:
    """The claimed job's body: never raises, always leaves the row finished."""
    with sessions() as session:
        job = session.get(Job, job_id)
        if job is None:
            return
        kind, season_id, run_id = job.kind, job.season_id, job.run_id
        params: dict[str, Any] = dict(job.params or {})
        user = session.get(User, job.created_by) if job.created_by is not None else None
        actor = actor_for(session, user) if user is not None and not user.disabled else None
    stages = STAGES[kind]

    def progress(stage: str) -> None:
        done = stages.index(stage) if stage in stages else 0
        now = utc_now()
        _update_own(sessions, job_id, worker, stage=stage, done_steps=done, heartbeat_at=now)

    try:
        with _heartbeat(sessions, job_id, worker, lease_seconds / 3):
            if actor is None:
                raise NotFoundError("user")
            outcome = _work(sessions, actor, job_id, kind, season_id, run_id, params, progress)
    except (NotFoundError, AccessDeniedError):
        _fail(sessions, job_id, worker, Message(NO_LONGER_ALLOWED))
    except Exception as exc:  # every failure must end the job, never leave it hanging
        message = getattr(exc, "message", None)
        if not isinstance(message, Message):
            log.exception("job %d failed", job_id)
            message = Message(UNEXPECTED, {"problem": f"{type(exc).__name__}: {exc}"})
        _fail(sessions, job_id, worker, message)
    else:
        if outcome.error is not None:
            _fail(sessions, job_id, worker, outcome.error, **outcome.values)
        else:
            _update_own(
                sessions,
                job_id,
                worker,
                status="done",
                stage="done",
                done_steps=len(stages),
                finished_at=utc_now(),
                **outcome.values,
            )
    finally:
        if kind == "import":
            _forget_file(sessions, job_id)


def _work(
    sessions: Sessions,
    actor: Actor,
    job_id: int,
    kind: str,
    season_id: int,
    run_id: int | None,
    params: dict[str, Any],
    progress: Progress,
) -> Outcome:
    if kind == "import":
        progress("importing")
        report = import_jobs.run_import(sessions, actor, job_id, season_id, params)
        values = {"result": report.model_dump(mode="json")}
        error = None if report.committed else Message(import_jobs.HAS_ERRORS)
        return Outcome(values, error)
    if kind == "match":
        seed = params.get("seed")
        chosen = int(seed) if seed is not None else None
        review = run_season_match(sessions, actor, season_id, seed=chosen, progress=progress)
    elif run_id is None:
        raise NotFoundError("run")
    else:
        review = run_season_chances(sessions, actor, season_id, run_id, progress=progress)
    return Outcome({"run_id": review.run.id})


def _forget_file(sessions: Sessions, job_id: int) -> None:
    try:
        import_jobs.delete_file(sessions, job_id)
    except Exception:  # the database fails; the sweep after a stale job removes it later
        log.exception("could not delete the file of job %d", job_id)


@contextmanager
def _heartbeat(sessions: Sessions, job_id: int, worker: str, every: float) -> Iterator[None]:
    """Beat every `every` seconds in a thread while the body runs."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(every):
            try:
                if not beat(sessions, job_id, worker):
                    return  # failed as stale by another process: nothing left to keep alive
            except Exception:  # a database hiccup; the next beat tries again
                log.exception("heartbeat of job %d failed", job_id)

    thread = threading.Thread(target=loop, name=f"heartbeat-{job_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=10)


def _fail(sessions: Sessions, job_id: int, worker: str, error: Message, **values: Any) -> None:
    params = {key: str(value) for key, value in error.params.items()}
    try:
        _update_own(
            sessions,
            job_id,
            worker,
            status="failed",
            stage="failed",
            error=error.template,
            error_params=params or None,
            finished_at=utc_now(),
            **values,
        )
    except Exception:  # the database itself fails; the lease then fails the job
        log.exception("could not record the failure of job %d", job_id)


def _update_own(sessions: Sessions, job_id: int, worker: str, **values: Any) -> bool:
    """Update the job only while `worker` still holds it running (not failed as stale)."""
    with sessions.begin() as session:
        return repo.update_held_job(session, job_id, worker, values)


def serve_jobs(sessions: Sessions, config: job_queue.QueueConfig, stop: threading.Event) -> int:
    """The `altmatch worker` loop until `stop` is set: fail stale jobs, run what is queued in
    the database, then wait on Redis (at most POLL_SECONDS) to be woken. Returns jobs run."""
    assert config.redis_url is not None
    client = job_queue.connect(config.redis_url)
    worker, count = worker_name(), 0
    try:
        while not stop.is_set():
            try:
                expire_stale_jobs(sessions, config.lease_seconds)
                job_id = claim_next(sessions, worker)
            except SQLAlchemyError as exc:  # the database is down: wait for it, keep running
                log.warning("database unreachable (%s); trying again shortly", exc)
                stop.wait(job_queue.POLL_SECONDS)
                continue
            if job_id is not None:
                run_claimed(sessions, job_id, worker, config.lease_seconds)
                count += 1
                continue
            try:
                job_queue.wait_for_job(client, config.key)
            except redis.RedisError as exc:  # keep serving from the database alone
                log.warning("Redis unreachable (%s); looking in the database instead", exc)
                stop.wait(job_queue.POLL_SECONDS)
    finally:
        client.close()
    return count
