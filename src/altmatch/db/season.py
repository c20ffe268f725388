"""Repository for the placement season's rows; callers own the transaction and commit."""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Collection, Iterable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import LargeBinary, Row, SQLColumnExpression, case, delete, func, insert, select
from sqlalchemy.orm import Session, aliased

from altmatch.db.listing import ListQuery, ListSpec, Page, paged, search_clause
from altmatch.db.models import (
    ApplicationStageChange,
    EmploymentContract,
    MatchRun,
    Organisation,
    RunAlternateList,
    RunInputs,
    RunPlacement,
    SeasonCandidate,
    SeasonCouple,
    SeasonRequest,
    SeasonRow,
    User,
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


def _confirmed(user_id: int) -> SQLColumnExpression[bool]:
    """The application's account is `user_id`, and its address is confirmed: an unconfirmed
    account sees no application, whatever was linked to it."""
    confirmed = select(User.id).where(User.id == user_id, User.email_verified_at.is_not(None))
    return SeasonCandidate.user_id.in_(confirmed)


def seasons_of_candidate_user(session: Session, user_id: int) -> list[SeasonRow]:
    """The seasons the candidate has an application in (none until their address is
    confirmed)."""
    query = (
        select(SeasonRow)
        .join(SeasonCandidate, SeasonCandidate.season_id == SeasonRow.id)
        .where(_confirmed(user_id))
        .order_by(SeasonRow.id.desc())
    )
    return list(session.scalars(query))


def candidates(
    session: Session, season_id: int, *, limit: int | None = None
) -> list[SeasonCandidate]:
    """In import order (the order the engine sees them in); the first `limit` when given."""
    query = select(SeasonCandidate).where(SeasonCandidate.season_id == season_id)
    return list(session.scalars(query.order_by(SeasonCandidate.id).limit(limit)))


def application_rows(session: Session, season_id: int, run_id: int | None) -> list[tuple[Any, ...]]:
    """Each application of the season in import order, with its outcome in `run` (None: no
    run), as plain rows: external id, name, stage, preferred prefectures, area and school
    levels, accepts anywhere, the placed request's external id, the first alternate request's
    external id and position. One query, no objects: a season has thousands."""
    c, p = SeasonCandidate, RunPlacement
    placed, waits = aliased(SeasonRequest), aliased(SeasonRequest)
    query = (
        select(
            c.external_id,
            c.name,
            c.stage,
            c.preferred_prefectures,
            c.preferred_area,
            c.preferred_school_levels,
            c.accepts_anywhere,
            placed.external_id,
            waits.external_id,
            p.alternate_position,
        )
        .outerjoin(p, (p.candidate_id == c.id) & (p.run_id == (-1 if run_id is None else run_id)))
        .outerjoin(placed, placed.id == p.request_id)
        .outerjoin(waits, waits.id == p.alternate_request_id)
        .where(c.season_id == season_id)
        .order_by(c.id)
    )
    return [tuple(row) for row in session.execute(query)]


def match_inputs(session: Session, season_id: int) -> list[Row[Any]]:
    """What a match reads of each candidate still in the season (not withdrawn), in import
    order, as plain rows: loading thousands of whole objects costs more than the match."""
    c = SeasonCandidate
    query = (
        select(
            c.id,
            c.external_id,
            c.jlpt,
            c.teaching_years,
            c.driving_licence,
            c.school_experience,
            c.interview_score,
            c.preferred_prefectures,
            c.preferred_area,
            c.preferred_school_levels,
            c.accepts_anywhere,
        )
        .where(c.season_id == season_id, c.stage != "withdrawn")
        .order_by(c.id)
    )
    return list(session.execute(query))


def candidates_per_stage(session: Session, season_id: int) -> dict[str, int]:
    """Applications per stage (only stages that have any), counted by the database."""
    query = (
        select(SeasonCandidate.stage, func.count())
        .where(SeasonCandidate.season_id == season_id)
        .group_by(SeasonCandidate.stage)
    )
    return {str(stage): int(n) for stage, n in session.execute(query)}


NAMES_PER_QUERY = 900  # bound parameters per query: under SQLite's oldest limit (999)


def candidate_names(
    session: Session, season_id: int, ids: Collection[int] | None = None
) -> dict[int, tuple[str, str]]:
    """Each application's (external id, name) by row id (only `ids` when given, looked up
    NAMES_PER_QUERY at a time): what listing a run needs, without loading (and parsing the
    JSON of) every candidate row."""
    query = select(SeasonCandidate.id, SeasonCandidate.external_id, SeasonCandidate.name)
    query = query.where(SeasonCandidate.season_id == season_id)
    if ids is None:
        return {i: (e, n) for i, e, n in session.execute(query)}
    wanted = sorted(set(ids))
    found: dict[int, tuple[str, str]] = {}
    for start in range(0, len(wanted), NAMES_PER_QUERY):
        part = query.where(SeasonCandidate.id.in_(wanted[start : start + NAMES_PER_QUERY]))
        found.update((i, (e, n)) for i, e, n in session.execute(part))
    return found


def candidate_of_user(session: Session, season_id: int, user_id: int) -> SeasonCandidate | None:
    """The candidate's application in the season (none until their address is confirmed)."""
    query = select(SeasonCandidate).where(
        SeasonCandidate.season_id == season_id, _confirmed(user_id)
    )
    return session.scalars(query).one_or_none()


def unlinked_candidates_with_email(session: Session, email: str) -> list[SeasonCandidate]:
    """Applications in open seasons that carry `email` and no account yet, in import order."""
    query = (
        select(SeasonCandidate)
        .join(SeasonRow, SeasonRow.id == SeasonCandidate.season_id)
        .where(
            SeasonRow.status == "open",
            SeasonCandidate.email == email,
            SeasonCandidate.user_id.is_(None),
        )
    )
    return list(session.scalars(query.order_by(SeasonCandidate.id)))


def season_ids_of_user(session: Session, user_id: int) -> set[int]:
    """The seasons where an application is linked to the account."""
    query = select(SeasonCandidate.season_id).where(SeasonCandidate.user_id == user_id)
    return set(session.scalars(query))


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


def request_totals(session: Session, season_id: int) -> tuple[int, int]:
    """(requests, places they ask for) of the season."""
    query = select(func.count(), func.coalesce(func.sum(SeasonRequest.capacity), 0))
    n_requests, places = session.execute(query.where(SeasonRequest.season_id == season_id)).one()
    return int(n_requests), int(places)


def couples(session: Session, season_id: int) -> list[SeasonCouple]:
    query = select(SeasonCouple).where(SeasonCouple.season_id == season_id)
    return list(session.scalars(query.order_by(SeasonCouple.id)))


def couple_count(session: Session, season_id: int) -> int:
    query = select(func.count()).where(SeasonCouple.season_id == season_id)
    return int(session.scalar(query) or 0)


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


def request_names(session: Session, ids: Collection[int]) -> dict[int, tuple[str, str, str]]:
    """These requests by row id: (external id, BoE's English name, BoE's Japanese name)."""
    if not ids:
        return {}
    query = (
        select(
            SeasonRequest.id, SeasonRequest.external_id, Organisation.name_en, Organisation.name_ja
        )
        .join(Organisation, Organisation.id == SeasonRequest.boe_id)
        .where(SeasonRequest.id.in_(sorted(set(ids))))
    )
    return {row_id: (rid, en, ja) for row_id, rid, en, ja in session.execute(query)}


def stage_changes(session: Session, candidate_id: int) -> list[ApplicationStageChange]:
    query = select(ApplicationStageChange).where(
        ApplicationStageChange.candidate_id == candidate_id
    )
    return list(session.scalars(query.order_by(ApplicationStageChange.id)))


def runs(session: Session, season_id: int) -> list[MatchRun]:
    query = select(MatchRun).where(MatchRun.season_id == season_id)
    return list(session.scalars(query.order_by(MatchRun.id)))


def canonical_json(snapshot: dict[str, Any]) -> str:
    """The one text of a snapshot: sorted keys, no spaces; what its SHA-256 is taken of."""
    return json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def store_inputs(session: Session, text: str) -> int:
    """The id of the RunInputs row holding a snapshot's canonical text (`canonical_json`: the
    caller has it already, for the run's summary), adding it if no run stored it yet.
    Inserted with ON CONFLICT DO NOTHING, so two runs of the same season at once share one
    row rather than one of them failing."""
    digest = hashlib.sha256(text.encode()).hexdigest()
    found = session.scalar(select(RunInputs.id).where(RunInputs.sha256 == digest))
    if found is not None:
        return int(found)
    values = {"sha256": digest, "data": zlib.compress(text.encode(), 6)}
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert  # type: ignore[assignment]
    session.execute(upsert(RunInputs).values(values).on_conflict_do_nothing())
    return int(session.scalar(select(RunInputs.id).where(RunInputs.sha256 == digest)) or 0)


def run_inputs(session: Session, run: MatchRun) -> dict[str, Any]:
    """The season snapshot `run` matched (see `store_inputs`)."""
    data = session.scalar(select(RunInputs.data).where(RunInputs.id == run.inputs_id))
    if data is None:
        raise LookupError(f"run {run.id} has no stored inputs")
    snapshot: dict[str, Any] = json.loads(zlib.decompress(data))
    return snapshot


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
    (candidate, request, candidate rank, first alternate request, its position, chance,
    chance low, chance high)."""
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
    return [tuple(row) for row in rows]  # type: ignore[misc]


def first_places(session: Session, run_id: int) -> dict[int, tuple[int, int]]:
    """(request row id, position) of each waiting candidate's first alternate place in the run,
    by candidate row id (RunPlacement.alternate_request_id and alternate_position)."""
    query = select(
        RunPlacement.candidate_id,
        RunPlacement.alternate_request_id,
        RunPlacement.alternate_position,
    ).where(RunPlacement.run_id == run_id, RunPlacement.alternate_request_id.is_not(None))
    return {c: (r, p) for c, r, p in session.execute(query) if r is not None and p is not None}


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


ALTERNATE_ID = np.dtype("<i4")  # one candidate row id in RunAlternateList.candidate_ids


def pack_ids(ids: Sequence[int] | NDArray[np.integer]) -> bytes:
    """Candidate row ids, best first, as RunAlternateList.candidate_ids stores them."""
    wide = np.asarray(ids, dtype=np.int64)
    if wide.size and not 0 < int(wide.min()) <= int(wide.max()) <= np.iinfo(ALTERNATE_ID).max:
        raise ValueError("a candidate row id does not fit in 4 bytes")
    return wide.astype(ALTERNATE_ID).tobytes()


def unpack_ids(packed: bytes) -> NDArray[np.int32]:
    """The candidate row ids packed by `pack_ids`, best first (a read-only array)."""
    if len(packed) % ALTERNATE_ID.itemsize:
        raise ValueError(f"packed candidate ids of {len(packed)} bytes: not 4 bytes each")
    return np.frombuffer(packed, dtype=ALTERNATE_ID)


def add_run_placements(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """A new run's placements, in one executemany (a season has thousands)."""
    if rows:
        session.execute(insert(RunPlacement), rows)


def add_run_alternates(
    session: Session,
    run_id: int,
    lists: Iterable[tuple[int, Sequence[int] | NDArray[np.integer]]],
    *,
    kept: int,
) -> None:
    """Store each request's alternates, (request row id, candidate row ids best first): how
    many there are and the first `kept` of them, one row per request that has any, in one
    executemany."""
    rows = [
        {
            "run_id": run_id,
            "request_id": request_id,
            "candidate_ids": pack_ids(ids[:kept]),
            "length": len(ids),
        }
        for request_id, ids in lists
        if len(ids)
    ]
    if rows:
        session.execute(insert(RunAlternateList), rows)


def run_alternates(
    session: Session,
    run_id: int,
    *,
    first: int | None = None,
    request_ids: Collection[int] | None = None,
) -> list[tuple[int, NDArray[np.int32]]]:
    """(request row id, candidate row ids best first) of the run's requests that have
    alternates (all, or only `request_ids`), in the run's request order (by row id). With
    `first`, only each request's first `first` are read from the database."""
    if request_ids is not None and not request_ids:
        return []
    packed: SQLColumnExpression[bytes] = RunAlternateList.candidate_ids
    if first is not None:
        size = ALTERNATE_ID.itemsize * max(first, 0)
        packed = func.substr(packed, 1, size, type_=LargeBinary())  # bytes, on both backends
    query = select(RunAlternateList.request_id, packed).where(RunAlternateList.run_id == run_id)
    if request_ids is not None:
        query = query.where(RunAlternateList.request_id.in_(sorted(set(request_ids))))
    rows = session.execute(query.order_by(RunAlternateList.request_id))
    return [(request_id, unpack_ids(bytes(ids))) for request_id, ids in rows]


def alternate_lengths(
    session: Session, run_id: int, request_ids: Collection[int] | None = None
) -> dict[int, int]:
    """How many alternates each of the run's requests (all, or `request_ids`) has in all, by
    request row id; a request nobody waits for is left out."""
    query = select(RunAlternateList.request_id, RunAlternateList.length).where(
        RunAlternateList.run_id == run_id
    )
    if request_ids is not None:
        query = query.where(RunAlternateList.request_id.in_(sorted(set(request_ids))))
    return {r: n for r, n in session.execute(query)}


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


def inputs_sha256(session: Session, run: MatchRun) -> str | None:
    """The SHA-256 of the snapshot `run` matched, without reading the snapshot itself."""
    return session.scalar(select(RunInputs.sha256).where(RunInputs.id == run.inputs_id))


def outcome_tally(session: Session, run_id: int) -> tuple[int, int, int]:
    """(placed, waiting as an alternate, neither) among the run's placements, counted by the
    database."""
    placed = func.sum(case((RunPlacement.request_id.is_not(None), 1), else_=0))
    waiting = func.sum(
        case(
            (
                RunPlacement.request_id.is_(None) & RunPlacement.alternate_request_id.is_not(None),
                1,
            ),
            else_=0,
        )
    )
    query = select(func.count(), placed, waiting).where(RunPlacement.run_id == run_id)
    total, n_placed, n_waiting = session.execute(query).one()
    n_placed, n_waiting = int(n_placed or 0), int(n_waiting or 0)
    return n_placed, n_waiting, int(total) - n_placed - n_waiting


def linked_candidate_count(session: Session, season_id: int) -> int:
    """Applications linked to a user account: the candidates a publication can notify."""
    query = select(func.count()).where(
        SeasonCandidate.season_id == season_id, SeasonCandidate.user_id.is_not(None)
    )
    return int(session.scalar(query) or 0)


# -- lists read a page at a time (db.listing) ---------------------------------------------------

OUTCOME_LIST = ListSpec(
    sorts=("order", "candidate", "name", "placed_at", "choice", "alternate", "chance"),
    filters={
        "outcome": ("placed", "unplaced", "alternate"),
        "couple": ("yes", "no"),
        "boe": None,
        "prefecture": None,
        "request": None,
    },
)


def _number(text: str) -> int:
    """A filter's id as a number; 0 (matching no row) when it is not one."""
    return int(text) if text.isdigit() and len(text) < 10 else 0


def _in_couple(candidate: Any) -> Any:
    pairs = select(SeasonCouple.candidate_a_id).union(select(SeasonCouple.candidate_b_id))
    return candidate.in_(pairs.scalar_subquery())


def outcome_page(session: Session, run_id: int, lq: ListQuery) -> Page:
    """One page of the run's outcomes, searched by candidate id or name and filtered by outcome,
    couple, the placed request's BoE (row id) and prefecture, or a request (external id) the
    candidate is placed at or waits first at. Rows: candidate row id, external id, name,
    placed request's row id, external id, BoE's English and Japanese names, prefecture, the
    candidate's choice number, first alternate request's external id, position, chance, low,
    high, in a couple."""
    p, c = RunPlacement, SeasonCandidate
    placed, waits = aliased(SeasonRequest), aliased(SeasonRequest)
    couple = _in_couple(c.id)
    query = (
        select(
            c.id,
            c.external_id,
            c.name,
            placed.id,
            placed.external_id,
            Organisation.name_en,
            Organisation.name_ja,
            placed.prefecture,
            p.candidate_rank,
            waits.external_id,
            p.alternate_position,
            p.chance,
            p.chance_low,
            p.chance_high,
            couple,
        )
        .join(c, c.id == p.candidate_id)
        .outerjoin(placed, placed.id == p.request_id)
        .outerjoin(Organisation, Organisation.id == placed.boe_id)
        .outerjoin(waits, waits.id == p.alternate_request_id)
        .where(p.run_id == run_id)
    )
    if lq.q:
        query = query.where(search_clause(lq.q, [c.external_id, c.name]))
    outcome = lq.get("outcome")
    if outcome == "placed":
        query = query.where(p.request_id.is_not(None))
    elif outcome == "unplaced":
        query = query.where(p.request_id.is_(None))
    elif outcome == "alternate":
        query = query.where(p.request_id.is_(None), p.alternate_request_id.is_not(None))
    if lq.get("couple"):
        query = query.where(couple if lq.get("couple") == "yes" else ~couple)
    if lq.get("boe"):
        query = query.where(placed.boe_id == _number(lq.get("boe")))
    if lq.get("prefecture"):
        query = query.where(placed.prefecture == lq.get("prefecture"))
    if lq.get("request"):
        rid = lq.get("request")
        query = query.where((placed.external_id == rid) | (waits.external_id == rid))
    sorts = {
        "order": p.id,
        "candidate": c.external_id,
        "name": c.name,
        "placed_at": placed.external_id,
        "choice": p.candidate_rank,
        "alternate": p.alternate_position,
        "chance": p.chance,
    }
    return paged(session, query, lq, sorts=sorts, spec=OUTCOME_LIST, tiebreak=p.id)


PLACED_LIST = ListSpec(
    sorts=("request", "boe", "prefecture", "candidate", "name", "choice"),
    filters={"boe": None, "prefecture": None},
)


def placed_page(
    session: Session, run_id: int, season_id: int, lq: ListQuery, *, boe_id: int | None = None
) -> Page:
    """One page of the run's placements (only at `boe_id`'s requests when given), searched by
    candidate id or name or request id, filtered by BoE (row id) and prefecture. Rows: request
    external id, BoE's English and Japanese names, prefecture, candidate row id, external id,
    name, the candidate's choice number."""
    p, c, r = RunPlacement, SeasonCandidate, SeasonRequest
    query = (
        select(
            r.external_id,
            Organisation.name_en,
            Organisation.name_ja,
            r.prefecture,
            c.id,
            c.external_id,
            c.name,
            p.candidate_rank,
        )
        .join(c, c.id == p.candidate_id)
        .join(r, r.id == p.request_id)
        .join(Organisation, Organisation.id == r.boe_id)
        .where(p.run_id == run_id, r.season_id == season_id)
    )
    if boe_id is not None:
        query = query.where(r.boe_id == boe_id)
    if lq.q:
        query = query.where(search_clause(lq.q, [c.external_id, c.name, r.external_id]))
    if lq.get("boe"):
        query = query.where(r.boe_id == _number(lq.get("boe")))
    if lq.get("prefecture"):
        query = query.where(r.prefecture == lq.get("prefecture"))
    sorts = {
        "request": r.id,
        "boe": Organisation.name_en,
        "prefecture": r.prefecture,
        "candidate": c.external_id,
        "name": c.name,
        "choice": p.candidate_rank,
    }
    return paged(session, query, lq, sorts=sorts, spec=PLACED_LIST, tiebreak=p.id)


def request_ids_where(
    session: Session, season_id: int, *, boe_id: int | None, prefecture: str, external_id: str
) -> list[int]:
    """Row ids of the season's requests at `boe_id` / in `prefecture` / with `external_id`
    (each when given), in the season's order."""
    query = select(SeasonRequest.id).where(SeasonRequest.season_id == season_id)
    if boe_id is not None:
        query = query.where(SeasonRequest.boe_id == boe_id)
    if prefecture:
        query = query.where(SeasonRequest.prefecture == prefecture)
    if external_id:
        query = query.where(SeasonRequest.external_id == external_id)
    return list(session.scalars(query.order_by(SeasonRequest.id)))


REQUEST_LIST = ListSpec(
    sorts=("request", "boe", "prefecture", "places", "updated"),
    filters={"boe": None, "prefecture": None, "status": ("filled", "unfilled")},
)


def request_page(
    session: Session,
    season_id: int,
    lq: ListQuery,
    *,
    boe_id: int | None = None,
    run_id: int | None = None,
) -> Page:
    """One page of the season's requests (only `boe_id`'s when given), searched by request id or
    BoE name, filtered by BoE (row id), prefecture and, with the published `run_id`, status
    (filled: every place taken). Rows: the request row, its BoE row, places filled (None
    without a run)."""
    r = SeasonRequest
    filled: Any = select(func.count(RunPlacement.id)).where(
        RunPlacement.run_id == (run_id or -1), RunPlacement.request_id == r.id
    )
    filled = filled.scalar_subquery()
    query = select(r, Organisation, filled).join(Organisation, Organisation.id == r.boe_id)
    query = query.where(r.season_id == season_id)
    if boe_id is not None:
        query = query.where(r.boe_id == boe_id)
    if lq.q:
        columns = [r.external_id, Organisation.name_en, Organisation.name_ja]
        query = query.where(search_clause(lq.q, columns))
    if lq.get("boe"):
        query = query.where(r.boe_id == _number(lq.get("boe")))
    if lq.get("prefecture"):
        query = query.where(r.prefecture == lq.get("prefecture"))
    if lq.get("status") == "filled":
        query = query.where(filled >= r.capacity)
    elif lq.get("status") == "unfilled":
        query = query.where(filled < r.capacity)
    sorts = {
        "request": r.id,
        "boe": Organisation.name_en,
        "prefecture": r.prefecture,
        "places": r.capacity,
        "updated": r.updated_at,
    }
    page = paged(session, query, lq, sorts=sorts, spec=REQUEST_LIST, tiebreak=r.id)
    return Page([(req, boe, n if run_id else None) for req, boe, n in page.rows], page.total, lq)


APPLICATION_LIST = ListSpec(
    sorts=("order", "candidate", "name", "stage", "jlpt", "interview"),
    filters={"stage": None, "jlpt": None},
)


def application_page(session: Session, season_id: int, lq: ListQuery) -> Page:
    """One page of the season's applications, searched by id or name, filtered by stage and
    JLPT. Rows: the candidate row."""
    c = SeasonCandidate
    query = select(c).where(c.season_id == season_id)
    if lq.q:
        query = query.where(search_clause(lq.q, [c.external_id, c.name]))
    if lq.get("stage"):
        query = query.where(c.stage == lq.get("stage"))
    if lq.get("jlpt"):
        query = query.where(c.jlpt == lq.get("jlpt"))
    sorts = {
        "order": c.id,
        "candidate": c.external_id,
        "name": c.name,
        "stage": c.stage,
        "jlpt": c.jlpt,
        "interview": c.interview_score,
    }
    return paged(session, query, lq, sorts=sorts, spec=APPLICATION_LIST, tiebreak=c.id)


def request_prefectures(session: Session, season_id: int) -> list[str]:
    """The prefectures the season's requests are in, each once, sorted: a filter's choices."""
    query = select(SeasonRequest.prefecture).where(SeasonRequest.season_id == season_id)
    return sorted(set(session.scalars(query.distinct())))


def request_boes(session: Session, season_id: int) -> list[Organisation]:
    """The BoEs with a request in the season, by English name: a filter's choices."""
    boes = select(SeasonRequest.boe_id).where(SeasonRequest.season_id == season_id)
    query = select(Organisation).where(Organisation.id.in_(boes.scalar_subquery()))
    return list(session.scalars(query.order_by(Organisation.name_en)))


def unplaced_reasons(session: Session, run_id: int) -> list[tuple[int, int | None, bytes]]:
    """(candidate row id, first alternate request row id, packed reasons) of everyone the run
    left unplaced."""
    p = RunPlacement
    query = select(p.candidate_id, p.alternate_request_id, p.reasons).where(
        p.run_id == run_id, p.request_id.is_(None)
    )
    return [(c, a, bytes(r)) for c, a, r in session.execute(query)]


def couple_outcomes(
    session: Session, season_id: int, run_id: int
) -> list[tuple[int, int, int | None, int | None, bool, bool]]:
    """Each couple of the season: (a, b candidate row ids, the request each is placed at in the
    run, whether each has an outcome in the run at all: a withdrawn candidate has none)."""
    pa, pb = aliased(RunPlacement), aliased(RunPlacement)
    k = SeasonCouple
    query = (
        select(k.candidate_a_id, k.candidate_b_id, pa.request_id, pb.request_id, pa.id, pb.id)
        .outerjoin(pa, (pa.candidate_id == k.candidate_a_id) & (pa.run_id == run_id))
        .outerjoin(pb, (pb.candidate_id == k.candidate_b_id) & (pb.run_id == run_id))
        .where(k.season_id == season_id)
        .order_by(k.id)
    )
    return [
        (a, b, ra, rb, ia is not None, ib is not None)
        for a, b, ra, rb, ia, ib in session.execute(query)
    ]


def partner_of(session: Session, season_id: int, candidate_id: int) -> int | None:
    """The row id of the candidate's partner, if they applied as a couple."""
    k = SeasonCouple
    query = select(k.candidate_a_id, k.candidate_b_id).where(
        k.season_id == season_id,
        (k.candidate_a_id == candidate_id) | (k.candidate_b_id == candidate_id),
    )
    found = session.execute(query).first()
    if found is None:
        return None
    return int(found[1] if found[0] == candidate_id else found[0])
