"""Running a recorded job safely when several processes share one database, whatever its kind.

A job row says everything needed to run it (kind, its season or company, run, `params` such as
the seed, and `created_by`, whose current Actor is rebuilt so a disabled user's job is refused).
A runner *claims* a queued job with one conditional UPDATE that only one process can win,
heartbeats every lease/3 while it runs, and ends it `done` or `failed`. A running job whose
heartbeat is older than the lease belongs to a dead worker: any process fails it with
INTERRUPTED (at start, in the worker loop, and when its status is read), and it can simply be
run again: what a job writes is written in one transaction at its end (a run stays a draft until
published, an import is every row or none), so a job killed halfway leaves nothing behind.

The mechanics live here, shared by every context; what a kind of job *does* lives in its
context (`JobKind`: its stages and its work), and one table (`services.jobs`) names them all.
An import's uploaded file is kept in `job_files` (all an `altmatch worker` on another machine
shares with the web process) and deleted once its job has ended.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import redis
from pydantic import BaseModel
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from altmatch.clock import utc_now
from altmatch.db import Sessions
from altmatch.db import jobs as repo
from altmatch.db.models import Job, JobFile
from altmatch.domain.access import AccessDeniedError, Actor, NotFoundError
from altmatch.i18n import N_, Message, render
from altmatch.services.kernel import job_queue
from altmatch.services.kernel.imports import ImportOut

log = logging.getLogger(__name__)
T = TypeVar("T")

INTERRUPTED = N_("interrupted: the server stopped; run it again")
UNEXPECTED = N_("The job stopped on an unexpected error: {problem}")
NO_LONGER_ALLOWED = N_("You may no longer do this, or what it was for is gone.")
FILENAME_CHARS = 255  # job_files.filename; the end is kept, since the suffix picks the reader

# The stages every job has; each context adds the labels of its own.
STAGE_LABELS: dict[str, str] = {
    "": N_("Waiting to start"),
    "done": N_("Done"),
    "failed": N_("Failed"),
}

Progress = Callable[[str], None]  # told the name of each stage as it starts
ActorOf = Callable[[Session, int], Actor | None]  # a user id's Actor today (None: not allowed)


@dataclass(frozen=True)
class JobSpec:
    """What a job's work is given: the row's fields, read when the job was claimed."""

    id: int
    kind: str
    season_id: int | None
    organisation_id: int | None
    run_id: int | None
    params: dict[str, Any]


@dataclass(frozen=True)
class Outcome:
    """How a job's work ended: the columns to record (`run_id`, an import's `result`) and, if
    the work ran but refused (an import with errors), the error the job fails with."""

    values: dict[str, Any] = field(default_factory=dict)
    error: Message | None = None


@dataclass(frozen=True)
class JobKind:
    """One kind of job, as its context defines it: its stages in order, and its work, run as
    the (current) Actor of whoever started it."""

    stages: tuple[str, ...]
    work: Callable[[Sessions, Actor, JobSpec, Progress], Outcome]


# --- recording and showing a job ----------------------------------------------------------


def record_job(
    session: Session,
    actor: Actor,
    kind: str,
    stages: tuple[str, ...],
    *,
    season_id: int | None = None,
    organisation_id: int | None = None,
    run_id: int | None = None,
    params: dict[str, Any] | None = None,
) -> Job:
    """A queued job of a season or of a company (exactly one), in the caller's transaction."""
    job = Job(
        kind=kind,
        season_id=season_id,
        organisation_id=organisation_id,
        run_id=run_id,
        status="queued",
        stage="",
        done_steps=0,
        total_steps=len(stages),
        params=params,
        created_by=actor.user_id,
        created_at=utc_now(),
    )
    session.add(job)
    session.flush()
    return job


class JobProgress(BaseModel):
    """What every job shows its starter; `stage` is the stable English key, `stage_label` and
    `error` are in the reader's language."""

    id: int
    kind: str
    status: str
    stage: str
    stage_label: str
    done_steps: int
    total_steps: int
    percent: int
    error: str | None
    created_at: datetime
    finished_at: datetime | None
    # Seconds since the job was asked for (queueing included), or from then until it finished:
    # what the progress page reports instead of a guess at how long a job "usually" takes.
    elapsed_seconds: int = 0
    result: ImportOut | None = None  # an import's report (rows, errors), whether stored or not

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")


def progress_fields(row: Job, labels: Mapping[str, str], locale: str | None) -> dict[str, Any]:
    """The JobProgress fields of a row, its stage labelled from `labels`."""
    error = None
    if row.error is not None:
        error = render(Message(row.error, row.error_params or {}), locale)
    total = row.total_steps or 1
    return {
        "id": row.id,
        "kind": row.kind,
        "status": row.status,
        "stage": row.stage,
        "stage_label": render(labels.get(row.stage, row.stage), locale),
        "done_steps": row.done_steps,
        "total_steps": total,
        "percent": round(100 * row.done_steps / total),
        "error": error,
        "created_at": row.created_at,
        "finished_at": row.finished_at,
        "elapsed_seconds": _elapsed(row.created_at, row.finished_at),
        "result": ImportOut.model_validate(row.result) if row.result is not None else None,
    }


def _elapsed(created_at: datetime, finished_at: datetime | None) -> int:
    end = finished_at or utc_now()
    if created_at.tzinfo is None:  # SQLite hands back UTC without its zone
        created_at = created_at.replace(tzinfo=UTC)
    if end.tzinfo is None:
        end = end.replace(tzinfo=UTC)
    return max(0, round((end - created_at).total_seconds()))


def follow_job(
    sessions: Sessions,
    job_id: int,
    check: Callable[[Session, Job], None],
    show: Callable[[Job], T],
) -> T:
    """The job as its reader sees it (`show`), once `check` has let them see it (it raises
    NotFoundError for another season's or company's job). A job whose worker stopped answering
    is failed first, so its starter is told and can run it again (written only when it looks
    dead)."""
    lease = job_queue.current().lease_seconds
    with sessions() as session:
        row = session.get(Job, job_id)
        if row is None:
            raise NotFoundError("job")
        check(session, row)
        if not is_stale(row, lease):
            return show(row)
    expire_stale_jobs(sessions, lease, job_id=job_id)
    with sessions() as session:
        row = session.get(Job, job_id)
        if row is None:
            raise NotFoundError("job")
        return show(row)


# --- an import's file ---------------------------------------------------------------------


def store_file(session: Session, job_id: int, filename: str, content: bytes) -> None:
    """Keep the uploaded file for the job's runner, in the caller's transaction."""
    session.add(JobFile(job_id=job_id, filename=filename[-FILENAME_CHARS:], content=content))


def read_file(sessions: Sessions, job_id: int) -> tuple[str, bytes]:
    """The job's stored file (name, bytes); NotFoundError if it is gone."""
    with sessions() as session:
        stored = repo.job_file(session, job_id)
        if stored is None:
            raise NotFoundError("file")
        return stored.filename, stored.content


def delete_file(sessions: Sessions, job_id: int) -> None:
    """The job has ended: its file (if it had one) is no longer needed."""
    with sessions.begin() as session:
        repo.delete_job_file(session, job_id)


# --- claiming, leases and heartbeats ------------------------------------------------------


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


def queued_jobs(sessions: Sessions) -> list[int]:
    """The ids of every job waiting to be claimed, oldest first."""
    with sessions() as session:
        return repo.queued_job_ids(session)


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
            repo.delete_files_of_ended_jobs(session)
    if count:
        log.warning("%d job(s) whose worker stopped answering marked failed", count)
    return count


def is_stale(job: Job, lease_seconds: float, now: datetime | None = None) -> bool:
    """The job runs but its worker has given no sign of life for longer than the lease."""
    last_sign = job.heartbeat_at or job.started_at or job.created_at
    cutoff = (now or utc_now()) - timedelta(seconds=lease_seconds)
    return job.status == "running" and last_sign < cutoff


# --- running --------------------------------------------------------------------------------


@dataclass(frozen=True)
class JobRunner:
    """Runs jobs of the kinds it knows, as the current Actor of whoever started each (from
    `actor_of`); a process builds one (services.jobs) and hands it to its queue."""

    kinds: Mapping[str, JobKind]
    actor_of: ActorOf

    def run_job(self, sessions: Sessions, job_id: int, *, lease_seconds: float) -> bool:
        """Claim `job_id` and run it to its end; False if another process had it already."""
        worker = worker_name()
        if not claim_job(sessions, job_id, worker):
            return False
        self.run_claimed(sessions, job_id, worker, lease_seconds)
        return True

    def run_queued(self, sessions: Sessions, *, lease_seconds: float) -> int:
        """Claim and run queued jobs until there are none (those a stopped process left);
        how many."""
        worker, count = worker_name(), 0
        while (job_id := claim_next(sessions, worker)) is not None:
            self.run_claimed(sessions, job_id, worker, lease_seconds)
            count += 1
        return count

    def run_claimed(
        self, sessions: Sessions, job_id: int, worker: str, lease_seconds: float
    ) -> None:
        """The claimed job's body: never raises, always leaves the row finished and its file
        (if any) deleted."""
        with sessions() as session:
            job = session.get(Job, job_id)
            if job is None:
                return
            spec = JobSpec(
                id=job.id,
                kind=job.kind,
                season_id=job.season_id,
                organisation_id=job.organisation_id,
                run_id=job.run_id,
                params=dict(job.params or {}),
            )
            created_by = job.created_by
            actor = self.actor_of(session, created_by) if created_by is not None else None
        kind = self.kinds.get(spec.kind)
        stages = kind.stages if kind is not None else ()

        def progress(stage: str) -> None:
            done = stages.index(stage) if stage in stages else 0
            now = utc_now()
            _update_own(sessions, job_id, worker, stage=stage, done_steps=done, heartbeat_at=now)

        try:
            with _heartbeat(sessions, job_id, worker, lease_seconds / 3):
                if kind is None:
                    raise LookupError(f"no runner for jobs of kind {spec.kind!r}")
                if actor is None:
                    raise NotFoundError("user")
                outcome = kind.work(sessions, actor, spec, progress)
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
            _forget_file(sessions, job_id)

    def serve(
        self, sessions: Sessions, config: job_queue.QueueConfig, stop: threading.Event
    ) -> int:
        """The `altmatch worker` loop until `stop` is set: fail stale jobs, run what is queued
        in the database, then wait on Redis (at most POLL_SECONDS) to be woken. Returns jobs
        run."""
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
                    self.run_claimed(sessions, job_id, worker, config.lease_seconds)
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


def _forget_file(sessions: Sessions, job_id: int) -> None:
    try:
        delete_file(sessions, job_id)
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
