"""Background jobs with their stage and progress: a season's (a match, chances or an import)
or a dispatch company's (a roster or positions import)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from altmatch.clock import utc_now
from altmatch.db.base import Base

# Each kind belongs to one scope: a season's jobs, or a company's (organisation_id).
SEASON_JOB_KINDS = ("match", "chances", "import")
COMPANY_JOB_KINDS = ("dispatch_import",)
JOB_KINDS = SEASON_JOB_KINDS + COMPANY_JOB_KINDS
JOB_STATUSES = ("queued", "running", "done", "failed")
UNFINISHED = ("queued", "running")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


# Exactly one scope is set, and it is the one the kind belongs to.
SCOPE = (
    f"({_in('kind', SEASON_JOB_KINDS)} AND season_id IS NOT NULL AND organisation_id IS NULL)"
    f" OR ({_in('kind', COMPANY_JOB_KINDS)} AND organisation_id IS NOT NULL AND season_id IS NULL)"
)


class Job(Base):
    """Work started by a request and done in the background: its stage, its progress in steps,
    and when done the run it made (`run_id`) or the error that stopped it.

    A job belongs to a season (`season_id`: only its managers see it) or to a dispatch company
    (`organisation_id`: only that company's staff see it), never both; its kind says which.

    `error` is an English message template (the gettext msgid) and `error_params` its
    parameters, so the error is shown in each reader's language.
    """

    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint(_in("kind", JOB_KINDS), name="kind"),
        CheckConstraint(_in("status", JOB_STATUSES), name="status"),
        CheckConstraint(SCOPE, name="scope"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    season_id: Mapped[int | None] = mapped_column(
        ForeignKey("seasons.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    run_id: Mapped[int | None] = mapped_column(ForeignKey("match_runs.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    stage: Mapped[str] = mapped_column(String(100), default="")
    done_steps: Mapped[int] = mapped_column(default=0)
    total_steps: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(String(4000))
    error_params: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    finished_at: Mapped[datetime | None]
    # What the worker needs to redo the job from the row alone (e.g. the lottery seed), which
    # worker holds it, and its last sign of life: a job whose heartbeat is older than the lease
    # was left by a worker that died, and is failed so it can be run again.
    params: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    worker: Mapped[str | None] = mapped_column(String(100))
    started_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]
    # An import's report (ImportOut as JSON: rows, and each row/column at fault), done or not.
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class JobFile(Base):
    """The uploaded file an import job reads, kept in the database because that is all an
    `altmatch worker` on another machine shares with the web process. Deleted once the job
    has run (done or failed)."""

    __tablename__ = "job_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), unique=True)
    filename: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
