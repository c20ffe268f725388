"""A company's roster file, or a contract's positions file, imported as a background job.

Starting one records a `dispatch_import` job of the company (`jobs.organisation_id`) with the
uploaded file (kept in `job_files`, all an `altmatch worker` on another machine shares), and
hands it on like any job (services.kernel.job_queue). The runner then runs the very import the
synchronous endpoints run, `import_roster` or `import_positions` with commit: every row or none,
the file parsed before the short write transaction. The report (ImportOut, each row and column
at fault) is the job's `result` either way, and the file is deleted once the job has ended.

A company's jobs are its staff's alone: another company's staff (or anyone else) are told the
job does not exist. The job runs as the staff member who started it, as they are when it runs:
moved to another company, disabled, or no longer allowed, the job fails and stores nothing.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field
from sqlalchemy.orm import Session

from altmatch.db import Sessions
from altmatch.db.models import Job, Organisation
from altmatch.domain.access import Actor, NotFoundError, OrgKind, Permission, require
from altmatch.io.limits import ImportLimits
from altmatch.services.dispatch.access import company_of
from altmatch.services.dispatch.contracts import import_positions, managed_contract
from altmatch.services.dispatch.roster import import_roster
from altmatch.services.kernel import job_queue
from altmatch.services.kernel.import_jobs import (
    IMPORT_STAGES,
    STAGE_LABELS,
    ImportRefusedError,
    import_params,
    run_stored_import,
)
from altmatch.services.kernel.imports import ImportOut
from altmatch.services.kernel.job_runner import (
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

__all__ = [
    "JOB_KINDS",
    "ImportJobOut",
    "ImportRefusedError",
    "import_job_status",
    "start_import_job",
]

KIND = "dispatch_import"
DispatchImportTarget = Literal["roster", "positions"]


class ImportJobOut(JobProgress):
    """A company's import job as its staff follow it; `result` is the import's report (rows
    imported, or each row and column at fault) once it has run."""

    company_id: int
    target: DispatchImportTarget = Field(description="roster, or a contract's positions")
    contract_id: int | None = Field(description="the contract whose positions are imported")


def job_out(row: Job, locale: str | None = None) -> ImportJobOut:
    if row.organisation_id is None or row.kind != KIND:
        raise NotFoundError("job")
    params = row.params or {}
    contract = params.get("contract_id")
    return ImportJobOut(
        **progress_fields(row, STAGE_LABELS, locale),
        company_id=row.organisation_id,
        target="positions" if params.get("target") == "positions" else "roster",
        contract_id=int(contract) if contract is not None else None,
    )


def _check_only(
    sessions: Sessions,
    actor: Actor,
    target: DispatchImportTarget,
    contract_id: int | None,
    content: bytes,
    filename: str,
    limits: ImportLimits,
    locale: str,
) -> ImportOut:
    if target == "positions":
        assert contract_id is not None
        return import_positions(
            sessions,
            actor,
            contract_id,
            content=content,
            filename=filename,
            commit=False,
            limits=limits,
            locale=locale,
        )
    return import_roster(
        sessions,
        actor,
        content=content,
        filename=filename,
        commit=False,
        limits=limits,
        locale=locale,
    )


def start_import_job(
    sessions: Sessions,
    actor: Actor,
    target: DispatchImportTarget,
    *,
    content: bytes,
    filename: str,
    limits: ImportLimits,
    contract_id: int | None = None,
    locale: str = "en",
) -> ImportJobOut:
    """Record an import job of the actor's company (its roster, or the positions of one of its
    contracts, `contract_id`) with its file and start it in the background; it stores every row
    or, with any error, nothing. A file over the size limit is refused here
    (ImportRefusedError), never stored; another company's contract is not found."""
    require(actor, Permission.DISPATCH_MANAGE)
    actor.own_user_id()  # the job runs as its starter: the operator imports from the CLI
    if target == "positions" and contract_id is None:
        raise NotFoundError("contract")
    if len(content) > limits.max_bytes:  # the importer's own report, after its access checks
        report = _check_only(
            sessions, actor, target, contract_id, content, filename, limits, locale
        )
        raise ImportRefusedError(report)
    with sessions.begin() as session:
        company = _own_company(session, actor)
        if contract_id is not None:
            contract_id = managed_contract(session, actor, contract_id).id
        what = {"target": target, "contract_id": contract_id if target == "positions" else None}
        params = import_params(limits, locale, **what)
        job = record_job(
            session, actor, KIND, IMPORT_STAGES, organisation_id=company.id, params=params
        )
        store_file(session, job.id, filename, content)
        out = job_out(job, locale)
    job_queue.hand_on(sessions, job.id)
    return out


def import_job_status(
    sessions: Sessions, actor: Actor, job_id: int, *, locale: str | None = None
) -> ImportJobOut:
    """An import job of the actor's company; any other job is not found. A job whose worker
    stopped answering is failed here, so its starter is told and can run it again."""
    require(actor, Permission.DISPATCH_MANAGE)

    def check(session: Session, row: Job) -> None:
        if row.kind != KIND or row.organisation_id != company_of(actor):
            raise NotFoundError("job")

    return follow_job(sessions, job_id, check, lambda row: job_out(row, locale))


def _own_company(session: Session, actor: Actor) -> Organisation:
    company = session.get(Organisation, company_of(actor))
    if company is None or company.kind != OrgKind.COMPANY:
        raise NotFoundError("company")
    return company


def _run(sessions: Sessions, actor: Actor, job: JobSpec, progress: Progress) -> Outcome:
    """The job's work, as its starter is now: still staff of the job's company, or nothing."""
    if job.organisation_id is None or company_of(actor) != job.organisation_id:
        raise NotFoundError("company")
    contract_id = job.params.get("contract_id")

    def run(content: bytes, filename: str, limits: ImportLimits, locale: str) -> ImportOut:
        if job.params.get("target") == "positions":
            if contract_id is None:
                raise NotFoundError("contract")
            return import_positions(
                sessions,
                actor,
                int(contract_id),
                content=content,
                filename=filename,
                commit=True,
                limits=limits,
                locale=locale,
            )
        return import_roster(
            sessions,
            actor,
            content=content,
            filename=filename,
            commit=True,
            company_id=job.organisation_id,
            limits=limits,
            locale=locale,
        )

    return run_stored_import(sessions, job, progress, run)


# The dispatch context's kinds of job, for the one table of every kind (services.jobs).
JOB_KINDS: dict[str, JobKind] = {KIND: JobKind(IMPORT_STAGES, _run)}
