"""Every kind of background job in one table, and the runner that runs them.

Each context defines its own kinds (what they do, in which stages): the season's match, chances
and import (services.season.jobs), a dispatch company's roster or positions import
(services.dispatch.import_jobs). The mechanics they share (claiming, leases, heartbeats, the
uploaded file) are services.kernel.job_runner; where a started job goes (this process's
executor, or `altmatch worker` through Redis) is services.kernel.job_queue. Each process that
runs jobs configures its queue here, once: `create_app` (`altmatch serve`, the default, runs
them in-process) and `altmatch worker`.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from altmatch.config import Settings
from altmatch.db import Sessions
from altmatch.db.models import User
from altmatch.domain.access import Actor
from altmatch.services.accounts.authentication import actor_for
from altmatch.services.dispatch import import_jobs as dispatch_import_jobs
from altmatch.services.kernel import job_queue
from altmatch.services.kernel.job_runner import (
    JobKind,
    JobRunner,
    expire_stale_jobs,
    queued_jobs,
)
from altmatch.services.season import jobs as season_jobs

log = logging.getLogger(__name__)

# The one place a job's kind decides what runs (jobs.kind; the models' JOB_KINDS).
JOB_KINDS: dict[str, JobKind] = {**season_jobs.JOB_KINDS, **dispatch_import_jobs.JOB_KINDS}


def _actor(session: Session, user_id: int) -> Actor | None:
    """Whoever started a job, as they are now; None once disabled or gone."""
    user = session.get(User, user_id)
    return actor_for(session, user) if user is not None and not user.disabled else None


RUNNER = JobRunner(JOB_KINDS, _actor)
run_job = RUNNER.run_job
run_queued = RUNNER.run_queued
run_claimed = RUNNER.run_claimed
serve_jobs = RUNNER.serve


def configure(settings: Settings) -> job_queue.QueueConfig:
    """Set this process's job queue from `settings`, running jobs with RUNNER."""
    return job_queue.configure(settings, RUNNER)


def recover_jobs(sessions: Sessions) -> None:
    """On start: fail the jobs of workers that died, and run here the queued jobs a stopped
    process left (with a job queue, `altmatch worker` picks those up instead)."""
    try:
        expire_stale_jobs(sessions, job_queue.current().lease_seconds)
        left = queued_jobs(sessions)
    except SQLAlchemyError:  # the database is down: serve anyway; the next start or read retries
        log.exception("could not check for interrupted jobs at start")
        return
    job_queue.run_left_jobs(sessions, left)
