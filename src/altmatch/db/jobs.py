"""Repository for background jobs and their uploaded files; callers own the transaction and
commit.

Claiming, heartbeats and lease expiry are each one conditional UPDATE, so whichever of several
processes sharing the database writes first wins, and the others are told (by the row count)
that they did not.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from altmatch.db.models import Job, JobFile

ENDED = ("done", "failed")


def oldest_queued_job_id(session: Session) -> int | None:
    """On PostgreSQL the row is locked FOR UPDATE SKIP LOCKED until the transaction ends, so a
    process claiming at the same time passes over it to the next queued job."""
    query = select(Job.id).where(Job.status == "queued").order_by(Job.id).limit(1)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    job_id = session.scalar(query)
    return None if job_id is None else int(job_id)


def queued_job_ids(session: Session) -> list[int]:
    """Every queued job, oldest first."""
    return [
        int(i)
        for i in session.scalars(select(Job.id).where(Job.status == "queued").order_by(Job.id))
    ]


def claim_queued_job(session: Session, job_id: int, worker: str, now: datetime) -> bool:
    """Mark the job running for `worker` if it is still queued; True only for the one UPDATE
    that found it queued."""
    result = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == "queued")
        .values(status="running", worker=worker, started_at=now, heartbeat_at=now)
    )
    return bool(getattr(result, "rowcount", 0))


def update_held_job(session: Session, job_id: int, worker: str, values: Mapping[str, Any]) -> bool:
    """Set `values` on the job only while `worker` holds it running (a job failed as stale is
    no longer its own); whether it did."""
    result = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.worker == worker, Job.status == "running")
        .values(**values)
    )
    return bool(getattr(result, "rowcount", 0))


def fail_silent_jobs(
    session: Session,
    cutoff: datetime,
    *,
    error: str,
    finished_at: datetime,
    job_id: int | None = None,
) -> int:
    """Fail with `error` every running job (or just `job_id`) whose last sign of life (its
    heartbeat, else its start, else its creation) is before `cutoff`; how many."""
    last_sign = func.coalesce(Job.heartbeat_at, Job.started_at, Job.created_at)
    query = update(Job).where(Job.status == "running", last_sign < cutoff)
    if job_id is not None:
        query = query.where(Job.id == job_id)
    result = session.execute(
        query.values(
            status="failed",
            stage="failed",
            error=error,
            error_params=None,
            finished_at=finished_at,
        ).execution_options(synchronize_session=False)
    )
    count: int = getattr(result, "rowcount", 0)
    return count


def job_file(session: Session, job_id: int) -> JobFile | None:
    return session.scalar(select(JobFile).where(JobFile.job_id == job_id))


def delete_job_file(session: Session, job_id: int) -> None:
    session.execute(delete(JobFile).where(JobFile.job_id == job_id))


def delete_files_of_ended_jobs(session: Session) -> None:
    ended = select(Job.id).where(Job.status.in_(ENDED))
    session.execute(
        delete(JobFile)
        .where(JobFile.job_id.in_(ended))
        .execution_options(synchronize_session=False)
    )
