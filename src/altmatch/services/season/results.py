"""Published placements as BoEs and coordinators see them, and their CSV/XLSX exports.

Only a published run is ever shown here: a draft is the coordinator's working material. BoE
staff see the placements and alternates of their own BoE's requests, nothing else.
"""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy.orm import Session

from altmatch.db import Sessions
from altmatch.db import season as repo
from altmatch.db.models import MatchRun, SeasonRow
from altmatch.domain.access import Actor, Permission, Role, require
from altmatch.io.export import Format, export_rows
from altmatch.services.season.access import (
    RunOut,
    SeasonOut,
    access_season,
    run_out,
    season_out,
)
from altmatch.services.season.alternates import alternate_lists
from altmatch.services.season.runs import review_run


class PlacedOut(BaseModel):
    request_id: str
    boe: str
    boe_ja: str
    prefecture: str
    candidate_id: str
    name: str
    candidate_rank: int | None  # the placement's position in the candidate's own list


class WaitingOut(BaseModel):
    request_id: str
    position: int  # 1: called first if a place opens
    candidate_id: str
    name: str


class PlacementsOut(BaseModel):
    season: SeasonOut
    run: RunOut | None  # the published run; None until one is published
    placements: list[PlacedOut]
    alternates: list[WaitingOut]


ALTERNATES_SHOWN = 10  # per request: whom to call first; a big season has thousands each


def season_placements(
    sessions: Sessions, actor: Actor, season_id: int, *, alternates: int = ALTERNATES_SHOWN
) -> PlacementsOut:
    """Who was placed where by the published run (a BoE: at its own requests only), and each
    request's first `alternates` alternates."""
    require(actor, Permission.PLACEMENT_VIEW)
    with sessions() as session:
        season = access_season(session, actor, season_id)
        run = repo.latest_published_run(session, season.id)
        return _placements(session, actor, season, run, alternates)


def _placements(
    session: Session, actor: Actor, season: SeasonRow, run: MatchRun | None, shown: int
) -> PlacementsOut:
    if run is None:
        return PlacementsOut(season=season_out(season), run=None, placements=[], alternates=[])
    boe_id = actor.organisation_id if actor.role is Role.BOE_STAFF else None
    requests = {r.id: r for r in repo.requests(session, season.id, boe_id=boe_id)}
    boes = repo.organisations(session, {r.boe_id for r in requests.values()})
    placed = []
    for request_id, rank, candidate_id, name in repo.placed_at(session, run.id, list(requests)):
        request = requests[request_id or 0]
        boe = boes[request.boe_id]
        placed.append(
            PlacedOut(
                request_id=request.external_id,
                boe=boe.name_en,
                boe_ja=boe.name_ja,
                prefecture=request.prefecture,
                candidate_id=candidate_id,
                name=name,
                candidate_rank=rank,
            )
        )
    shown_at = {r: requests[r].external_id for r in requests}
    waiting = [
        WaitingOut(request_id=rid, position=position, candidate_id=cid, name=name)
        for rid, position, cid, name in _waiting(session, run, shown, shown_at, boe_id is not None)
    ]
    return PlacementsOut(
        season=season_out(season), run=run_out(run), placements=placed, alternates=waiting
    )


def _waiting(
    session: Session, run: MatchRun, shown: int, requests: dict[int, str], own_only: bool
) -> list[tuple[str, int, str, str]]:
    """(request external id, position, candidate external id, name) of the first `shown`
    alternates of each of `requests` (external ids by row id), in the run's order: requests
    as the season lists them, best first. Reads only those first ones of the run's lists (a
    BoE: of its own requests only) and the names of the candidates shown."""
    if shown <= 0:
        return []
    lists = alternate_lists(session, run, shown, list(requests) if own_only else None)
    found = [(r, ids.tolist()) for r, ids in lists if r in requests]
    names = repo.candidate_names(session, run.season_id, {c for _, ids in found for c in ids})
    return [
        (requests[r], position, *names[c])
        for r, ids in found
        for position, c in enumerate(ids, start=1)
    ]


PLACEMENT_HEADER = (
    "request_id",
    "boe",
    "boe_ja",
    "prefecture",
    "candidate_id",
    "name",
    "candidate_rank",
)


def export_placements(
    sessions: Sessions, actor: Actor, season_id: int, fmt: Format
) -> tuple[bytes, str]:
    """The published placements the actor may see, as CSV or XLSX (formula-safe); the file's
    content and a name for it."""
    require(actor, Permission.EXPORT)
    found = season_placements(sessions, actor, season_id)
    rows = [
        (p.request_id, p.boe, p.boe_ja, p.prefecture, p.candidate_id, p.name, p.candidate_rank)
        for p in found.placements
    ]
    content = export_rows(PLACEMENT_HEADER, rows, fmt, sheet_name="placements")
    return content, f"placements-season-{found.season.id}.{fmt}"


RUN_HEADER = (
    "candidate_id",
    "name",
    "request_id",
    "boe",
    "candidate_rank",
    "alternate_request_id",
    "alternate_position",
    "chance",
    "chance_low",
    "chance_high",
)


def export_run(
    sessions: Sessions, actor: Actor, season_id: int, run_id: int, fmt: Format
) -> tuple[bytes, str]:
    """Every outcome of one run (a draft too), for the coordinator's review."""
    review = review_run(sessions, actor, season_id, run_id)
    rows = [
        (
            p.candidate_id,
            p.name,
            p.request_id,
            p.boe,
            p.candidate_rank,
            p.alternate_request_id,
            p.alternate_position,
            p.chance,
            p.chance_low,
            p.chance_high,
        )
        for p in review.placements
    ]
    content = export_rows(RUN_HEADER, rows, fmt, sheet_name=f"run-{run_id}")
    return content, f"run-{run_id}.{fmt}"
