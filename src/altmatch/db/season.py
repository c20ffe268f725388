"""Repository for the placement season's rows; callers own the transaction and commit."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from altmatch.db.models import (
    ApplicationStageChange,
    EmploymentContract,
    MatchRun,
    Organisation,
    RunAlternate,
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


def candidate_names(
    session: Session, season_id: int, ids: Collection[int] | None = None
) -> dict[int, tuple[str, str]]:
    """Each application's (external id, name) by row id (only `ids` when given): what listing
    a run needs, without loading (and parsing the JSON of) every candidate row."""
    query = select(SeasonCandidate.id, SeasonCandidate.external_id, SeasonCandidate.name)
    if ids is not None:
        query = query.where(SeasonCandidate.id.in_(sorted(set(ids))))
    return {
        i: (e, n)
        for i, e, n in session.execute(query.where(SeasonCandidate.season_id == season_id))
    }


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


Outcome = tuple[
    int, int | None, int | None, int | None, int | None, float | None, float | None, float | None
]


def outcome_count(session: Session, run_id: int) -> int:
    query = select(func.count()).where(RunPlacement.run_id == run_id)
    return int(session.scalar(query) or 0)


def outcomes(session: Session, run_id: int, limit: int | None = None) -> list[Outcome]:
    """The run's placements (the first `limit` when given) as plain values, in placement order:
    (candidate, request, candidate rank, alternate request, alternate position, chance, chance
    low, chance high)."""
    query = select(
        RunPlacement.candidate_id,
        RunPlacement.request_id,
        RunPlacement.candidate_rank,
        RunPlacement.alternate_request_id,
        RunPlacement.alternate_position,
        RunPlacement.chance,
        RunPlacement.chance_low,
        RunPlacement.chance_high,
    ).where(RunPlacement.run_id == run_id)
    rows = session.execute(query.order_by(RunPlacement.id).limit(limit))
    return [
        (c, r, rank, ar, ap, chance, low, high) for c, r, rank, ar, ap, chance, low, high in rows
    ]


def placed_at(
    session: Session, run_id: int, request_ids: Collection[int]
) -> list[tuple[int | None, int | None, str, str]]:
    """(request id, candidate rank, candidate external id, name) of the run's placements at
    `request_ids`, in placement order; reads only the candidates placed there."""
    if not request_ids:
        return []
    query = (
        select(
            RunPlacement.request_id,
            RunPlacement.candidate_rank,
            SeasonCandidate.external_id,
            SeasonCandidate.name,
        )
        .join(SeasonCandidate, SeasonCandidate.id == RunPlacement.candidate_id)
        .where(RunPlacement.run_id == run_id, RunPlacement.request_id.in_(list(request_ids)))
        .order_by(RunPlacement.id)
    )
    return [(r, rank, c, name) for r, rank, c, name in session.execute(query)]


def add_run_alternates(
    session: Session, run_id: int, waiting: Sequence[tuple[str, int, str]]
) -> None:
    """Store (request external id, position, candidate external id) rows in one executemany."""
    if waiting:
        session.execute(
            insert(RunAlternate),
            [
                {"run_id": run_id, "request_id": r, "position": p, "candidate_id": c}
                for r, p, c in waiting
            ],
        )


def run_alternates(
    session: Session, run_id: int, *, up_to: int, request_ids: Collection[str] | None = None
) -> list[tuple[str, int, str]]:
    """(request external id, position, candidate external id) of the run's stored alternates
    with position <= `up_to` (all requests, or only `request_ids`), in the order stored."""
    if request_ids is not None and not request_ids:
        return []
    query = select(RunAlternate.request_id, RunAlternate.position, RunAlternate.candidate_id)
    query = query.where(RunAlternate.run_id == run_id, RunAlternate.position <= up_to)
    if request_ids is not None:
        query = query.where(RunAlternate.request_id.in_(list(request_ids)))
    rows = session.execute(query.order_by(RunAlternate.id))
    return [(r, position, c) for r, position, c in rows]


NAMES_PER_QUERY = 900  # bound parameters per query: under SQLite's oldest limit (999)


def names_of(session: Session, season_id: int, external_ids: Collection[str]) -> dict[str, str]:
    """The names of the season's candidates with these external ids (unknown ones are left
    out). Looked up by the unique (season, external id) index, not joined: a join planned on a
    freshly filled table without statistics can degrade into a nested loop."""
    wanted = sorted(set(external_ids))
    names: dict[str, str] = {}
    for start in range(0, len(wanted), NAMES_PER_QUERY):
        query = select(SeasonCandidate.external_id, SeasonCandidate.name).where(
            SeasonCandidate.season_id == season_id,
            SeasonCandidate.external_id.in_(wanted[start : start + NAMES_PER_QUERY]),
        )
        names.update((e, n) for e, n in session.execute(query))
    return names


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
