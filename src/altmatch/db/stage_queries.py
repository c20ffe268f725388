"""Queries behind the coordinator's stage board: one page of applications, their stage changes
and the audit entries that carry each change's reason."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from altmatch.db.models import (
    ApplicationStageChange,
    AuditEntry,
    OnlineApplication,
    SeasonCandidate,
)

IDS_PER_QUERY = 900  # bound parameters per query: under SQLite's oldest limit (999)


def _board_query(season_id: int, stage: str | None, search: str) -> Select[SeasonCandidate]:
    query = select(SeasonCandidate).where(SeasonCandidate.season_id == season_id)
    if stage:
        query = query.where(SeasonCandidate.stage == stage)
    text = search.strip().lower()
    if text:
        pattern = f"%{text}%"
        query = query.where(
            or_(
                func.lower(SeasonCandidate.name).like(pattern),
                func.lower(SeasonCandidate.external_id).like(pattern),
            )
        )
    return query


def board_page(
    session: Session, season_id: int, *, stage: str | None, search: str, offset: int, limit: int
) -> tuple[list[SeasonCandidate], int]:
    """One page of the season's applications (import order) at `stage` (None: any) whose name
    or id contains `search`, and how many match in all."""
    query = _board_query(season_id, stage, search)
    total = int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)
    rows = session.scalars(query.order_by(SeasonCandidate.id).offset(offset).limit(limit))
    return list(rows), total


def candidates_by_ids(
    session: Session, season_id: int, ids: Collection[int]
) -> dict[int, SeasonCandidate]:
    """The season's applications with these row ids (others are left out)."""
    wanted = sorted(set(ids))
    found: dict[int, SeasonCandidate] = {}
    for start in range(0, len(wanted), IDS_PER_QUERY):
        query = select(SeasonCandidate).where(
            SeasonCandidate.season_id == season_id,
            SeasonCandidate.id.in_(wanted[start : start + IDS_PER_QUERY]),
        )
        found.update((row.id, row) for row in session.scalars(query))
    return found


def stage_changes_of(
    session: Session, candidate_ids: Collection[int]
) -> list[ApplicationStageChange]:
    """Every stage change of these applications, oldest first."""
    wanted = sorted(set(candidate_ids))
    found: list[ApplicationStageChange] = []
    for start in range(0, len(wanted), IDS_PER_QUERY):
        query = select(ApplicationStageChange).where(
            ApplicationStageChange.candidate_id.in_(wanted[start : start + IDS_PER_QUERY])
        )
        found.extend(session.scalars(query))
    return sorted(found, key=lambda c: c.id)


def stage_audit_entries(
    session: Session, candidate_ids: Collection[int], actions: Collection[str]
) -> list[AuditEntry]:
    """The audit entries of hand-made stage moves of these applications, oldest first."""
    wanted = [str(i) for i in sorted(set(candidate_ids))]
    found: list[AuditEntry] = []
    for start in range(0, len(wanted), IDS_PER_QUERY):
        query = select(AuditEntry).where(
            AuditEntry.entity == "season_candidate",
            AuditEntry.action.in_(list(actions)),
            AuditEntry.entity_id.in_(wanted[start : start + IDS_PER_QUERY]),
        )
        found.extend(session.scalars(query))
    return sorted(found, key=lambda e: e.id)


def online_offices(session: Session, candidate_ids: Collection[int]) -> dict[int, int | None]:
    """The recruiting office of each of these applications that came in online (by the
    season application's row id); imported ones are left out."""
    wanted = sorted(set(candidate_ids))
    found: dict[int, int | None] = {}
    o = OnlineApplication
    for start in range(0, len(wanted), IDS_PER_QUERY):
        query = select(o.candidate_id, o.office_id).where(
            o.candidate_id.in_(wanted[start : start + IDS_PER_QUERY])
        )
        found.update((int(c), office) for c, office in session.execute(query) if c is not None)
    return found
