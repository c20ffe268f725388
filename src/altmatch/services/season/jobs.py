"""A season's match, chances or import run as a background job: start it, follow its stage.

The work itself is `run_season_match` / `run_season_chances` / the season import, unchanged.
Starting a job records it (kind, season, run, seed and who asked) as a `queued` row and hands
its id on (services.kernel.job_queue): to this process's one-thread executor by default (runs
queue rather than compete for the CPU), or, with `redis_url` set, to the `altmatch worker`
processes through Redis. Either way the runner (services.kernel.job_runner, given the kinds
below by services.jobs) claims the row, heartbeats while it runs and ends it `done` with the run
it made or `failed` with an error message; a job whose worker died is failed once its lease runs
out, and can be started again. A run is only a draft until it is published, so nothing half made
is ever shown to candidates or BoEs. An import job (services.season.import_jobs) stores its file
with the row and commits all of it or nothing; its report is the job's `result`.

Only the season's managers (the coordinators of its programme) start or see its jobs; any other
reader is told the job does not exist.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from altmatch.db import Sessions
from altmatch.db.models import Job
from altmatch.domain.access import Actor, NotFoundError, Permission, require
from altmatch.i18n import N_, Message
from altmatch.io.limits import ImportLimits
from altmatch.services.kernel import job_queue
from altmatch.services.kernel.errors import StaleError
from altmatch.services.kernel.import_jobs import STAGE_LABELS as IMPORT_STAGE_LABELS
from altmatch.services.kernel.import_jobs import ImportRefusedError
from altmatch.services.kernel.job_runner import (
    INTERRUPTED,
    NO_LONGER_ALLOWED,
    UNEXPECTED,
    JobKind,
    JobProgress,
    JobSpec,
    Outcome,
    Progress,
    follow_job,
    progress_fields,
    record_job,
    store_file,
)
from altmatch.services.season import import_jobs
from altmatch.services.season.access import access_run, access_season
from altmatch.services.season.import_jobs import ImportTarget
from altmatch.services.season.runs import (
    CHANCES_STAGES,
    MATCH_STAGES,
    draft_only,
    run_season_chances,
    run_season_match,
)

__all__ = [
    "INTERRUPTED",
    "JOB_KINDS",
    "NO_LONGER_ALLOWED",
    "STAGES",
    "UNEXPECTED",
    "ImportRefusedError",
]

STAGE_LABELS: dict[str, str] = {
    **IMPORT_STAGE_LABELS,
    "reading the season": N_("Reading the season"),
    "deriving preference lists": N_("Deriving preference lists"),
    "matching": N_("Matching"),
    "checking stability": N_("Checking stability"),
    "explaining": N_("Writing the explanations"),
    "saving the run": N_("Saving the run"),
    "reading the run": N_("Reading the run"),
    "simulating seasons": N_("Simulating seasons"),
    "saving the chances": N_("Saving the chances"),
}


def _run_match(sessions: Sessions, actor: Actor, job: JobSpec, progress: Progress) -> Outcome:
    if job.season_id is None:
        raise NotFoundError("season")
    seed = job.params.get("seed")
    chosen = int(seed) if seed is not None else None
    review = run_season_match(
        sessions, actor, job.season_id, seed=chosen, progress=progress, limit=0
    )
    return Outcome({"run_id": review.run.id})


def _run_chances(sessions: Sessions, actor: Actor, job: JobSpec, progress: Progress) -> Outcome:
    if job.season_id is None or job.run_id is None:
        raise NotFoundError("run")
    review = run_season_chances(sessions, actor, job.season_id, job.run_id, progress=progress)
    return Outcome({"run_id": review.run.id})


# The season's kinds of job, for the one table of every kind (services.jobs).
JOB_KINDS: dict[str, JobKind] = {
    "match": JobKind(MATCH_STAGES, _run_match),
    "chances": JobKind(CHANCES_STAGES, _run_chances),
    "import": JobKind(import_jobs.IMPORT_STAGES, import_jobs.run_import),
}
STAGES: dict[str, tuple[str, ...]] = {kind: spec.stages for kind, spec in JOB_KINDS.items()}


class JobOut(JobProgress):
    """A season job as its starter follows it: `run_id` once a match or chances run is done,
    an import's report in `result`."""

    season_id: int
    run_id: int | None


def job_out(row: Job, locale: str | None = None) -> JobOut:
    if row.season_id is None:
        raise NotFoundError("job")
    return JobOut(
        **progress_fields(row, STAGE_LABELS, locale), season_id=row.season_id, run_id=row.run_id
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
        job = _record(session, actor, "match", season.id, params={"seed": seed})
        out = job_out(job, locale)
    job_queue.hand_on(sessions, job.id)
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
        job = _record(session, actor, "chances", season.id, run_id=run_id)
        out = job_out(job, locale)
    job_queue.hand_on(sessions, job.id)
    return out


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
        params = import_jobs.params(target, limits, locale)
        job = _record(session, actor, "import", season.id, params=params)
        store_file(session, job.id, filename, content)
        out = job_out(job, locale)
    job_queue.hand_on(sessions, job.id)
    return out


def job_status(
    sessions: Sessions, actor: Actor, season_id: int, job_id: int, *, locale: str | None = None
) -> JobOut:
    """A job of a season the actor manages; another season's job (or a company's) is not
    found. A job whose worker stopped answering is failed here, so its starter is told and can
    run it again."""
    require(actor, Permission.SEASON_MANAGE)

    def check(session: Session, row: Job) -> None:
        season = access_season(session, actor, season_id)
        if row.season_id != season.id:
            raise NotFoundError("job")

    return follow_job(sessions, job_id, check, lambda row: job_out(row, locale))


def _record(
    session: Session,
    actor: Actor,
    kind: str,
    season_id: int,
    *,
    run_id: int | None = None,
    params: dict[str, object] | None = None,
) -> Job:
    stages = JOB_KINDS[kind].stages
    return record_job(
        session, actor, kind, stages, season_id=season_id, run_id=run_id, params=params
    )
