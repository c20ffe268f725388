"""Repository for a season's interview calibrations; callers own the transaction and commit.

A season's current calibration is its newest row (the highest id): storing a calibration is
adding one, so the previous ones stay as history and "replace" needs no update.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from altmatch.db.listing import ListQuery, ListSpec, Page, paged, search_clause
from altmatch.db.models import (
    AssessorSeverityRow,
    CalibratedCandidate,
    InterviewCalibration,
    SeasonCandidate,
    User,
)

CALIBRATED_LIST = ListSpec(
    sorts=("rank", "candidate", "name", "raw_mean", "score", "se", "change"),
    filters={"component": None},
)


def candidate_ids(session: Session, season_id: int) -> dict[str, tuple[int, str]]:
    """Every application of the season: external id -> (row id, stage)."""
    c = SeasonCandidate
    query = select(c.external_id, c.id, c.stage).where(c.season_id == season_id)
    return {external: (row_id, stage) for external, row_id, stage in session.execute(query)}


def add_calibration(
    session: Session,
    calibration: InterviewCalibration,
    candidates: Sequence[Mapping[str, Any]],
    assessors: Sequence[Mapping[str, Any]],
) -> InterviewCalibration:
    """Store a calibration with its candidates' and assessors' rows (plain dicts of their
    columns but `calibration_id`), inserted in bulk: a season has thousands of candidates."""
    session.add(calibration)
    session.flush()
    if candidates:
        rows = [{**row, "calibration_id": calibration.id} for row in candidates]
        session.execute(insert(CalibratedCandidate), rows)
    if assessors:
        rows = [{**row, "calibration_id": calibration.id} for row in assessors]
        session.execute(insert(AssessorSeverityRow), rows)
    return calibration


def current_calibration(session: Session, season_id: int) -> InterviewCalibration | None:
    """The season's newest calibration, the one the match reads."""
    query = (
        select(InterviewCalibration)
        .where(InterviewCalibration.season_id == season_id)
        .order_by(InterviewCalibration.id.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def calibration_history(
    session: Session, season_id: int
) -> list[tuple[InterviewCalibration, str | None]]:
    """Every calibration of the season, newest first, with who stored it (display name;
    None: the operator, or a deleted account)."""
    query = (
        select(InterviewCalibration, User.display_name)
        .outerjoin(User, User.id == InterviewCalibration.created_by)
        .where(InterviewCalibration.season_id == season_id)
        .order_by(InterviewCalibration.id.desc())
    )
    return [(row, name) for row, name in session.execute(query)]


def match_scores(session: Session, calibration_id: int) -> dict[int, int]:
    """Application row id -> the 0-100 interview score the match reads, for one calibration."""
    query = select(CalibratedCandidate.candidate_id, CalibratedCandidate.match_score).where(
        CalibratedCandidate.calibration_id == calibration_id
    )
    return {candidate: score for candidate, score in session.execute(query)}


def calibrated_candidate(
    session: Session, calibration_id: int, candidate_id: int
) -> CalibratedCandidate | None:
    return session.get(CalibratedCandidate, (calibration_id, candidate_id))


def assessors(session: Session, calibration_id: int) -> list[AssessorSeverityRow]:
    """The calibration's assessors by id."""
    query = select(AssessorSeverityRow).where(AssessorSeverityRow.calibration_id == calibration_id)
    return list(session.scalars(query.order_by(AssessorSeverityRow.assessor_id)))


def uncalibrated_count(session: Session, season_id: int, calibration_id: int) -> int:
    """Applications still in the season (not withdrawn) with no score in the calibration: the
    match reads their imported interview score instead."""
    scored = select(CalibratedCandidate.candidate_id).where(
        CalibratedCandidate.calibration_id == calibration_id
    )
    query = select(func.count(SeasonCandidate.id)).where(
        SeasonCandidate.season_id == season_id,
        SeasonCandidate.stage != "withdrawn",
        SeasonCandidate.id.not_in(scored),
    )
    return int(session.scalar(query) or 0)


def calibrated_page(session: Session, calibration_id: int, lq: ListQuery) -> Page:
    """One page of a calibration's candidates, searched by id or name, filtered by design
    group. Rows: (calibrated row, external id, name, imported interview score)."""
    c, s = CalibratedCandidate, SeasonCandidate
    query = (
        select(c, s.external_id, s.name, s.interview_score)
        .join(s, s.id == c.candidate_id)
        .where(c.calibration_id == calibration_id)
    )
    if lq.q:
        query = query.where(search_clause(lq.q, [s.external_id, s.name]))
    component = lq.get("component")
    if component:
        query = query.where(c.component == (int(component) if component.isdigit() else -1))
    sorts = {
        "rank": c.rank,
        "candidate": s.external_id,
        "name": s.name,
        "raw_mean": c.raw_mean,
        "score": c.score,
        "se": c.se,
        "change": c.raw_rank - c.rank,
    }
    return paged(session, query, lq, sorts=sorts, spec=CALIBRATED_LIST, tiebreak=c.candidate_id)
