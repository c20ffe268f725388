"""A placement season in the database: candidates, requests, couples, runs, placements, contracts.

Values of the domain's enums (stages, JLPT levels, areas, school levels) are kept as plain
strings guarded by CHECK constraints, so the storage layer never imports the domain.
Published runs and their placements are immutable: a listener refuses any flush that would
change or delete them, whichever code path tries.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    UniqueConstraint,
    event,
    inspect,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from altmatch.clock import utc_now
from altmatch.db.base import Base

STAGES = (
    "submitted",
    "screened",
    "interviewed",
    "shortlisted",
    "alternate",
    "not_selected",
    "placed",
    "contracted",
    "withdrawn",
)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class ImmutableRunError(Exception):
    """Something tried to change or delete a published run or one of its placements."""


class SeasonRow(Base):
    """One placement season of a programme; BoEs file requests until `request_deadline`."""

    __tablename__ = "seasons"
    __table_args__ = (CheckConstraint(_in("status", ("open", "published")), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    year: Mapped[int]
    request_deadline: Mapped[datetime]
    contract_start: Mapped[date]
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class SeasonCandidate(Base):
    """A candidate's application in one season: the job-related attributes, location wishes and
    stage. `version` is the optimistic lock: every write bumps it, and a stale one is refused."""

    __tablename__ = "season_candidates"
    __table_args__ = (
        UniqueConstraint("season_id", "external_id", name="uq_season_candidates_external"),
        UniqueConstraint("season_id", "user_id", name="uq_season_candidates_user"),
        CheckConstraint(_in("stage", STAGES), name="stage"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id", ondelete="CASCADE"), index=True)
    external_id: Mapped[str] = mapped_column(String(100))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    jlpt: Mapped[str] = mapped_column(String(4))
    teaching_years: Mapped[int]
    driving_licence: Mapped[bool]
    school_experience: Mapped[list[str]] = mapped_column(JSON)
    interview_score: Mapped[int]
    preferred_prefectures: Mapped[list[str]] = mapped_column(JSON)
    preferred_area: Mapped[str | None] = mapped_column(String(16))
    preferred_school_levels: Mapped[list[str]] = mapped_column(JSON)
    accepts_anywhere: Mapped[bool]
    stage: Mapped[str] = mapped_column(String(16), default="submitted")
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class ApplicationStageChange(Base):
    """One move of an application through the pipeline: who, when, from and to."""

    __tablename__ = "application_stage_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("season_candidates.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(default=utc_now)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    from_stage: Mapped[str | None] = mapped_column(String(16))
    to_stage: Mapped[str] = mapped_column(String(16))


class SeasonRequest(Base):
    """A BoE's request for `capacity` ALTs, with its hard requirements and soft weights."""

    __tablename__ = "season_requests"
    __table_args__ = (
        UniqueConstraint("season_id", "external_id", name="uq_season_requests_external"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id", ondelete="CASCADE"), index=True)
    boe_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    external_id: Mapped[str] = mapped_column(String(100))
    capacity: Mapped[int]
    prefecture: Mapped[str] = mapped_column(String(64))
    school_levels: Mapped[list[str]] = mapped_column(JSON)
    area: Mapped[str | None] = mapped_column(String(16))
    requires_driving_licence: Mapped[bool]
    min_jlpt: Mapped[str] = mapped_column(String(4))
    min_teaching_years: Mapped[int]
    weight_jlpt: Mapped[int]
    weight_teaching_years: Mapped[int]
    weight_school_levels: Mapped[int]
    weight_driving_licence: Mapped[int]
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class SeasonCouple(Base):
    """Two candidates who are placed together (at one BoE) or not at all."""

    __tablename__ = "season_couples"

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id", ondelete="CASCADE"), index=True)
    candidate_a_id: Mapped[int] = mapped_column(
        ForeignKey("season_candidates.id", ondelete="CASCADE"), unique=True
    )
    candidate_b_id: Mapped[int] = mapped_column(
        ForeignKey("season_candidates.id", ondelete="CASCADE"), unique=True
    )


class RunInputs(Base):
    """A season's inputs as some run matched them: the snapshot (services.season.snapshot) as
    canonical JSON, zlib-compressed, stored once per distinct content. Re-running an unchanged
    season adds no copy; the sha256 is that of the uncompressed JSON, so anyone can check what
    a published run was computed from."""

    __tablename__ = "run_inputs"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)


class MatchRun(Base):
    """A match or an upgrade: its exact inputs, seed and engine, and its summary.

    A draft can be reviewed (and have chances added); once published it never changes, and a
    re-run is a new run.
    """

    __tablename__ = "match_runs"
    __table_args__ = (
        CheckConstraint(_in("kind", ("match", "upgrade")), name="kind"),
        CheckConstraint(_in("status", ("draft", "published")), name="status"),
        # the published-run lookup every BoE and candidate page makes
        Index("ix_match_runs_published", "season_id", "status", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    parent_run_id: Mapped[int | None] = mapped_column(ForeignKey("match_runs.id"))
    seed: Mapped[int] = mapped_column(BigInteger)
    engine_version: Mapped[str] = mapped_column(String(32))
    # Every run has its inputs; nullable only because SQLite cannot add a NOT NULL column to
    # this table without rebuilding it (see migration m4_compact_runs).
    inputs_id: Mapped[int | None] = mapped_column(ForeignKey("run_inputs.id"), index=True)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    chances: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # the chances summary
    status: Mapped[str] = mapped_column(String(16), default="draft")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    published_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None]


class RunPlacement(Base):
    """One candidate's outcome in a run: where (or nowhere), their choice number, why, where
    they would first be called as an alternate, and (after chances) their chance with its 95%
    interval.

    `alternate_request_id` and `alternate_position` are the candidate's first alternate place:
    the lowest position over every request's whole list (the earlier request by row id on a
    tie), computed from the engine's lists when the run is stored, since the run keeps only
    each request's first ALTERNATES_STORED (RunAlternateList). None: they wait nowhere.

    `reasons` packs why (services.season.reasons_store): the requests above the outcome with
    codes and rank numbers, rendered into words in the reader's language when read."""

    __tablename__ = "run_placements"
    __table_args__ = (UniqueConstraint("run_id", "candidate_id", name="uq_run_placements_run"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("match_runs.id", ondelete="CASCADE"), index=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("season_candidates.id", ondelete="CASCADE"), index=True
    )
    request_id: Mapped[int | None] = mapped_column(ForeignKey("season_requests.id"), index=True)
    candidate_rank: Mapped[int | None]
    alternate_request_id: Mapped[int | None] = mapped_column(ForeignKey("season_requests.id"))
    alternate_position: Mapped[int | None]
    reasons: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    chance: Mapped[float | None]
    chance_low: Mapped[float | None]
    chance_high: Mapped[float | None]


class RunAlternateList(Base):
    """One request's alternates in a run, best first: whom the request would call, in this
    order, if a seat opened. `length` counts them all; `candidate_ids` keeps the first
    ALTERNATES_STORED (services.season.alternates), which is what people read: the views show
    each request's first ten. Deeper ones are recomputed on demand by replaying the run from
    its recorded inputs and seed (a run is reproducible by design), and each candidate's first
    place is kept on their RunPlacement.

    `candidate_ids` packs the candidates' row ids (season_candidates.id) as little-endian
    4-byte integers, the n-th alternate in bytes 4(n-1) to 4n (db.season.pack_ids); the first
    n of a request are read with one substr. The demo's 6,000-candidate season has 1.2 million
    alternates in all: 4.9 MB a run when every list was kept whole, 0.1 MB now. A request
    nobody waits for has no row. The ids are not foreign keys: a candidate row is never
    deleted while its season, and so the run, exists."""

    __tablename__ = "run_alternates"

    run_id: Mapped[int] = mapped_column(
        ForeignKey("match_runs.id", ondelete="CASCADE"), primary_key=True
    )
    request_id: Mapped[int] = mapped_column(ForeignKey("season_requests.id"), primary_key=True)
    candidate_ids: Mapped[bytes] = mapped_column(LargeBinary)
    length: Mapped[int]


class EmploymentContract(Base):
    """An ALT's contract: who employs them, by which path, where they work, from when to when,
    and the year re-contracting is decided."""

    __tablename__ = "employment_contracts"
    __table_args__ = (
        CheckConstraint(_in("path", ("jet", "dispatch", "direct_hire")), name="path"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int | None] = mapped_column(
        ForeignKey("season_candidates.id", ondelete="SET NULL"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    employer_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    # The BoE the ALT works for, when known (a dispatch company's ALT works at a client BoE).
    workplace_boe_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("match_runs.id"))
    path: Mapped[str] = mapped_column(String(16))
    start: Mapped[date]
    end: Mapped[date]
    recontract_year: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


def _was_published(run: MatchRun) -> bool:
    history = inspect(run).attrs.status.history
    before = history.deleted[0] if history.deleted else run.status
    return before == "published" and inspect(run).persistent


@event.listens_for(Session, "before_flush")
def _refuse_changes_to_published_runs(session: Session, context: object, instances: object) -> None:
    """Publishing is irreversible: no flush may alter or delete a published run or its rows."""
    for obj in (*session.dirty, *session.deleted):
        changed = obj in session.deleted or session.is_modified(obj)
        if isinstance(obj, MatchRun) and changed and _was_published(obj):
            raise ImmutableRunError(f"match run {obj.id} is published and cannot change")
        if isinstance(obj, RunPlacement | RunAlternateList) and changed:
            run = session.get(MatchRun, obj.run_id)
            if run is not None and _was_published(run):
                raise ImmutableRunError(f"match run {obj.run_id} is published and cannot change")
