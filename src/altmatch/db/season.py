"""Repository for the placement season's rows; callers own the transaction and commit."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from altmatch.db.models import (
    ApplicationStageChange,
    EmploymentContract,
    MatchRun,
    Organisation,
    RunPlacement,
    SeasonCandidate,
    SeasonCouple,
    SeasonRequest,
    SeasonRow,
)


def get_season(session: Session, season_id: int) -> SeasonRow | None:
    return session.get(SeasonRow, season_id)


def list_seasons(session: Session, programme_id: int) -> list[SeasonRow]:
    query = select(SeasonRow).where(SeasonRow.programme_id == programme_id)
    return list(session.scalars(query.order_by(SeasonRow.id.desc())))


def count_seasons(session: Session) -> int:
    return int(session.scalar(select(func.count(SeasonRow.id))) or 0)


def find_season(session: Session, programme_id: int, name: str) -> SeasonRow | None:
    query = select(SeasonRow).where(SeasonRow.programme_id == programme_id, SeasonRow.name == name)
    return session.scalars(query).first()


def seasons_of_candidate_user(session: Session, user_id: int) -> list[SeasonRow]:
    query = (
        select(SeasonRow)
        .join(SeasonCandidate, SeasonCandidate.season_id == SeasonRow.id)
        .where(SeasonCandidate.user_id == user_id)
        .order_by(SeasonRow.id.desc())
    )
    return list(session.scalars(query))


def candidates(session: Session, season_id: int) -> list[SeasonCandidate]:
    """In import order: the order the engine sees them in."""
    query = select(SeasonCandidate).where(SeasonCandidate.season_id == season_id)
    return list(session.scalars(query.order_by(SeasonCandidate.id)))


def candidate_of_user(session: Session, season_id: int, user_id: int) -> SeasonCandidate | None:
    query = select(SeasonCandidate).where(
        SeasonCandidate.season_id == season_id, SeasonCandidate.user_id == user_id
    )
    return session.scalars(query).one_or_none()


def candidate_external_ids(session: Session, season_id: int) -> set[str]:
    query = select(SeasonCandidate.external_id).where(SeasonCandidate.season_id == season_id)
    return set(session.scalars(query))


def requests(session: Session, season_id: int, *, boe_id: int | None = None) -> list[SeasonRequest]:
    query = select(SeasonRequest).where(SeasonRequest.season_id == season_id)
    if boe_id is not None:
        query = query.where(SeasonRequest.boe_id == boe_id)
    return list(session.scalars(query.order_by(SeasonRequest.id)))


def request_external_ids(session: Session, season_id: int) -> set[str]:
    query = select(SeasonRequest.external_id).where(SeasonRequest.season_id == season_id)
    return set(session.scalars(query))


def couples(session: Session, season_id: int) -> list[SeasonCouple]:
    query = select(SeasonCouple).where(SeasonCouple.season_id == season_id)
    return list(session.scalars(query.order_by(SeasonCouple.id)))


def programme_boes(session: Session, programme_id: int) -> list[Organisation]:
    query = select(Organisation).where(
        Organisation.programme_id == programme_id, Organisation.kind == "boe"
    )
    return list(session.scalars(query.order_by(Organisation.id)))


def organisations(session: Session, ids: Collection[int]) -> dict[int, Organisation]:
    if not ids:
        return {}
    query = select(Organisation).where(Organisation.id.in_(list(ids)))
    return {o.id: o for o in session.scalars(query)}


def stage_changes(session: Session, candidate_id: int) -> list[ApplicationStageChange]:
    query = select(ApplicationStageChange).where(
        ApplicationStageChange.candidate_id == candidate_id
    )
    return list(session.scalars(query.order_by(ApplicationStageChange.id)))


def runs(session: Session, season_id: int) -> list[MatchRun]:
    query = select(MatchRun).where(MatchRun.season_id == season_id)
    return list(session.scalars(query.order_by(MatchRun.id)))


def latest_published_run(session: Session, season_id: int) -> MatchRun | None:
    query = (
        select(MatchRun)
        .where(MatchRun.season_id == season_id, MatchRun.status == "published")
        .order_by(MatchRun.published_at.desc(), MatchRun.id.desc())
    )
    return session.scalars(query).first()


def placements(
    session: Session, run_id: int, *, request_ids: Collection[int] | None = None
) -> list[RunPlacement]:
    query = select(RunPlacement).where(RunPlacement.run_id == run_id)
    if request_ids is not None:
        query = query.where(RunPlacement.request_id.in_(list(request_ids)))
    return list(session.scalars(query.order_by(RunPlacement.id)))


def placement_of(session: Session, run_id: int, candidate_id: int) -> RunPlacement | None:
    query = select(RunPlacement).where(
        RunPlacement.run_id == run_id, RunPlacement.candidate_id == candidate_id
    )
    return session.scalars(query).one_or_none()


def contracts_of_candidates(
    session: Session, candidate_ids: Collection[int]
) -> list[EmploymentContract]:
    if not candidate_ids:
        return []
    query = select(EmploymentContract).where(
        EmploymentContract.candidate_id.in_(list(candidate_ids))
    )
    return list(session.scalars(query.order_by(EmploymentContract.id)))


def contracts_of_user(session: Session, user_id: int) -> list[EmploymentContract]:
    query = select(EmploymentContract).where(EmploymentContract.user_id == user_id)
    return list(session.scalars(query.order_by(EmploymentContract.start, EmploymentContract.id)))


def delete_contracts(session: Session, candidate_ids: Collection[int]) -> None:
    if candidate_ids:
        session.execute(
            delete(EmploymentContract).where(
                EmploymentContract.candidate_id.in_(list(candidate_ids))
            )
        )
