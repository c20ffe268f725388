"""Published placements as BoEs and coordinators see them, and their CSV/XLSX exports.

Only a published run is ever shown here: a draft is the coordinator's working material. BoE
staff see the placements and alternates of their own BoE's requests, nothing else.
"""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy.orm import Session

from altmatch.db import season as repo
from altmatch.db.models import MatchRun, SeasonRow
from altmatch.domain.access import Actor, Permission, Role, require
from altmatch.io.export import Format, export_rows
from altmatch.services.season_access import (
    RunOut,
    SeasonOut,
    Sessions,
    access_season,
    run_out,
    season_out,
)
from altmatch.services.season_runs import review_run


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
    by_external = {r.external_id: r for r in requests.values()}
    boes = repo.organisations(session, {r.boe_id for r in requests.values()})
    candidates = {c.id: c for c in repo.candidates(session, season.id)}
    by_candidate = {c.external_id: c for c in candidates.values()}
    placed = []
    for p in repo.placements(session, run.id, request_ids=list(requests)):
        request, candidate = requests[p.request_id or 0], candidates[p.candidate_id]
        boe = boes[request.boe_id]
        placed.append(
            PlacedOut(
                request_id=request.external_id,
                boe=boe.name_en,
                boe_ja=boe.name_ja,
                prefecture=request.prefecture,
                candidate_id=candidate.external_id,
                name=candidate.name,
                candidate_rank=p.candidate_rank,
            )
        )
    waiting = [
        WaitingOut(
            request_id=str(rid),
            position=int(position),
            candidate_id=str(cid),
            name=by_candidate[str(cid)].name if str(cid) in by_candidate else str(cid),
        )
        for rid, position, cid in run.alternates
        if int(position) <= shown and str(rid) in by_external
    ]
    return PlacementsOut(
        season=season_out(season), run=run_out(run), placements=placed, alternates=waiting
    )


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
