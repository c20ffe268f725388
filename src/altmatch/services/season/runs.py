"""Running a stored season: draft match runs, chances, publication, and upgrades after withdrawals.

A run is built from the database rows through the domain `Season` and the same placement
machinery as `altmatch match` (services.placement), and keeps a frozen snapshot of its inputs.
A draft is reviewed and may gain chances; publishing it is in services.season_publish. A
withdrawal makes an upgrade draft from the published run (engine `withdraw`), which the
coordinator reviews and publishes in turn.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from altmatch.clock import utc_now
from altmatch.db import Sessions
from altmatch.db import season as repo
from altmatch.db.models import (
    MatchRun,
    SeasonRow,
)
from altmatch.domain.access import Actor, Permission, require
from altmatch.engine import MatchResult
from altmatch.i18n import N_, Message
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.errors import RuleError, StaleError
from altmatch.services.season.access import (
    RunOut,
    SeasonOut,
    access_run,
    access_season,
    run_out,
    season_out,
)
from altmatch.services.season.alternates import store_alternates
from altmatch.services.season.chances import run_chances
from altmatch.services.season.placement import (
    PlacementError,
    Progress,
    run_match,
    upgrade_from,
)
from altmatch.services.season.placement_index import IndexedSeason
from altmatch.services.season.placement_report import (
    RunReasons,
    RunSummary,
    run_reasons,
)
from altmatch.services.season.reasons_store import pack_reasons
from altmatch.services.season.snapshot import season_files, snapshot_season

CHANCE_PRECISION = 0.02  # stop once every candidate's standard error is below this


class RunPlacementOut(BaseModel):
    candidate: int  # the application's id
    candidate_id: str
    name: str
    request: int | None
    request_id: str | None
    boe: str | None
    candidate_rank: int | None
    alternate_request_id: str | None
    alternate_position: int | None
    chance: float | None
    chance_low: float | None
    chance_high: float | None


class RunReviewOut(BaseModel):
    """A run as the coordinator reviews it: summary with the stability check, every outcome."""

    season: SeasonOut
    run: RunOut
    summary: dict[str, Any]
    chances: dict[str, Any] | None
    placements: list[RunPlacementOut]
    placements_total: int  # every outcome of the run; `placements` may list only the first


def _label(season: SeasonRow) -> str:
    return f"season-{season.id}"


def _refused(exc: PlacementError) -> RuleError:
    return RuleError(Message(N_("The run cannot go ahead: {problems}"), {"problems": str(exc)}))


MATCH_STAGES = (
    "reading the season",
    "deriving preference lists",
    "matching",
    "checking stability",
    "explaining",
    "saving the run",
)
CHANCES_STAGES = ("reading the run", "simulating seasons", "saving the chances")


def _quiet(_stage: str) -> None:
    """No one is watching the stages."""


def _not_published(session: Session, season: SeasonRow) -> None:
    if repo.latest_published_run(session, season.id) is not None:
        raise StaleError(
            Message(
                N_(
                    "This season's outcome is published and cannot be redone; "
                    "handle withdrawals with upgrade runs."
                )
            )
        )


def run_season_match(
    sessions: Sessions,
    actor: Actor,
    season_id: int,
    *,
    seed: int | None = None,
    progress: Progress | None = None,
    limit: int | None = None,
) -> RunReviewOut:
    """Match the season's current requests and candidates into a new draft run.

    `progress` is told each of MATCH_STAGES as it starts. The review returned lists the first
    `limit` outcomes when given (a job only needs the run's id: 0).
    """
    require(actor, Permission.SEASON_MANAGE)
    step = progress or _quiet
    # The match runs between two transactions, so a long one holds no lock (on SQLite a write
    # transaction holds the one write lock); the write re-checks what the read found.
    with sessions() as session:
        step(MATCH_STAGES[0])
        season = access_season(session, actor, season_id)
        _not_published(session, season)
        snapshot = snapshot_season(session, season)
        text = repo.canonical_json(snapshot)
        files = season_files(snapshot, label=_label(season), text=text)
    if not snapshot["candidates"] or not snapshot["requests"]:
        raise RuleError(Message(N_("Import candidates and requests before running a match.")))
    try:
        run = run_match(files, seed, progress=step)
    except PlacementError as exc:
        raise _refused(exc) from exc
    step(MATCH_STAGES[-1])
    with sessions.begin() as session:
        season = access_season(session, actor, season_id)
        _not_published(session, season)
        row = _store_run(
            session,
            actor,
            season,
            kind="match",
            parent=None,
            snapshot=snapshot,
            inputs=text,
            summary=run.summary.model_dump(mode="json"),
            placements=run.placements,
            outcome=(run.indexed, run.result),
            reasons=_packed(run.indexed, run.reasons, snapshot),
        )
        return review_of(session, season, row, limit=limit)


def _packed(
    indexed: IndexedSeason, reasons: RunReasons, snapshot: dict[str, Any]
) -> dict[str, bytes]:
    return pack_reasons(indexed, reasons, snapshot["request_ids"], snapshot["candidate_ids"])


def _store_run(
    session: Session,
    actor: Actor,
    season: SeasonRow,
    *,
    kind: str,
    parent: MatchRun | None,
    snapshot: dict[str, Any],
    inputs: str,
    summary: dict[str, Any],
    placements: Sequence[tuple[str, str | None, int | None]],
    outcome: tuple[IndexedSeason, MatchResult],
    reasons: Mapping[str, bytes],
) -> MatchRun:
    row = MatchRun(
        season_id=season.id,
        kind=kind,
        parent_run_id=parent.id if parent else None,
        seed=int(summary["seed"]),
        engine_version=str(summary["engine_version"]),
        inputs_id=repo.store_inputs(session, inputs),
        summary=summary,
        status="draft",
        created_by=actor.user_id,
        created_at=utc_now(),
    )
    session.add(row)
    session.flush()
    candidate_ids: dict[str, int] = snapshot["candidate_ids"]
    request_ids: dict[str, int] = snapshot["request_ids"]
    waiting = store_alternates(session, row.id, *outcome, snapshot)
    rows = []
    for cid, rid, rank in placements:
        alternate_request_id, alternate_position = waiting.get(candidate_ids[cid], (None, None))
        rows.append(
            {
                "run_id": row.id,
                "candidate_id": candidate_ids[cid],
                "request_id": request_ids[rid] if rid else None,
                "candidate_rank": rank,
                "alternate_request_id": alternate_request_id,
                "alternate_position": alternate_position,
                "reasons": reasons[cid],
            }
        )
    repo.add_run_placements(session, rows)
    session.flush()
    after = {"kind": kind, "seed": row.seed, "counts": summary.get("counts")}
    record_audit(
        session,
        actor,
        "run.created",
        "match_run",
        row.id,
        None,
        after,
        tenant_id=season.programme_id,
    )
    return row


def review_run(
    sessions: Sessions, actor: Actor, season_id: int, run_id: int, *, limit: int | None = None
) -> RunReviewOut:
    """A run's summary, stability check and outcomes (the first `limit`, when given: a page
    lists a few hundred of a season's thousands), for the coordinator to review."""
    require(actor, Permission.SEASON_MANAGE)
    with sessions() as session:
        season = access_season(session, actor, season_id)
        run = access_run(session, actor, season, run_id)
        return review_of(session, season, run, limit=limit)


def review_of(
    session: Session, season: SeasonRow, run: MatchRun, *, limit: int | None = None
) -> RunReviewOut:
    # Plain column values, not rows: a big season has thousands of placements and candidates.
    outcomes = repo.outcomes(session, run.id, limit)
    total = len(outcomes) if limit is None else repo.outcome_count(session, run.id)
    listed = None if limit is None else [o[0] for o in outcomes]
    candidates = repo.candidate_names(session, season.id, listed)
    requests = {r.id: r for r in repo.requests(session, season.id)}
    boes = repo.organisations(session, {r.boe_id for r in requests.values()})
    out = []
    for cid, rid, rank, alt_rid, alt_position, chance, low, high in outcomes:
        request = requests.get(rid) if rid else None
        alternate = requests.get(alt_rid) if alt_rid else None
        external_id, name = candidates[cid]
        out.append(
            RunPlacementOut(
                candidate=cid,
                candidate_id=external_id,
                name=name,
                request=request.id if request else None,
                request_id=request.external_id if request else None,
                boe=boes[request.boe_id].name_en if request else None,
                candidate_rank=rank,
                alternate_request_id=alternate.external_id if alternate else None,
                alternate_position=alt_position,
                chance=chance,
                chance_low=low,
                chance_high=high,
            )
        )
    return RunReviewOut(
        season=season_out(season),
        run=run_out(run),
        summary=run.summary,
        chances=run.chances,
        placements=out,
        placements_total=total,
    )


def draft_only(run: MatchRun) -> None:
    if run.status != "draft":
        raise StaleError(
            Message(N_("This run is published: it can no longer change. Make a new run instead.")),
            "status",
        )


def run_season_chances(
    sessions: Sessions,
    actor: Actor,
    season_id: int,
    run_id: int,
    *,
    runs: int | None = None,
    precision: float = CHANCE_PRECISION,
    progress: Progress | None = None,
) -> RunReviewOut:
    """Estimate every candidate's chance of placement (with a 95% interval) for a draft match
    run, simulating seasons around the run's own inputs and seed.

    `progress` is told each of CHANCES_STAGES as it starts.
    """
    require(actor, Permission.SEASON_MANAGE)
    step = progress or _quiet
    # Simulated between two transactions, as run_season_match is, so no lock is held meanwhile.
    with sessions() as session:
        step(CHANCES_STAGES[0])
        season = access_season(session, actor, season_id)
        run = access_run(session, actor, season, run_id)
        draft_only(run)
        snapshot = repo.run_inputs(session, run)
        files = season_files(snapshot, label=_label(season))
        seed = run.seed
    step(CHANCES_STAGES[1])
    try:
        chances = run_chances(files, runs=runs, seed=seed, precision=precision, workers=1)
    except PlacementError as exc:
        raise _refused(exc) from exc
    step(CHANCES_STAGES[2])
    with sessions.begin() as session:
        season = access_season(session, actor, season_id)
        run = access_run(session, actor, season, run_id)
        draft_only(run)  # published while the seasons were simulated
        by_candidate = {row[0]: row for row in chances.candidate_rows}
        ids: dict[str, int] = snapshot["candidate_ids"]
        external = {v: k for k, v in ids.items()}
        for placement in repo.placements(session, run.id):
            found = by_candidate.get(external.get(placement.candidate_id, ""))
            if found is not None:
                placement.chance, placement.chance_low, placement.chance_high = found[1:4]
        run.chances = chances.summary.model_dump(mode="json")
        session.flush()
        after = {"runs": chances.summary.runs, "seed": chances.summary.seed}
        record_audit(
            session,
            actor,
            "run.chances",
            "match_run",
            run.id,
            None,
            after,
            tenant_id=season.programme_id,
        )
        return review_of(session, season, run)


def withdraw_candidates(
    sessions: Sessions, actor: Actor, season_id: int, candidate_ids: Sequence[str]
) -> RunReviewOut:
    """Candidates withdraw after publication: make an upgrade draft that replays the published
    run with its recorded seed and inputs, takes them out and fills their places (vacancy
    chains). Nothing changes for anyone until the coordinator publishes it."""
    require(actor, Permission.SEASON_MANAGE)
    if not candidate_ids:
        raise RuleError(Message(N_("Name at least one candidate who withdraws.")), "candidate_ids")
    with sessions.begin() as session:
        season = access_season(session, actor, season_id)
        parent = repo.latest_published_run(session, season.id)
        if parent is None:
            raise StaleError(
                Message(N_("Publish a match first: withdrawals are handled after publication."))
            )
        snapshot = repo.run_inputs(session, parent)
        text = repo.canonical_json(snapshot)
        files = season_files(snapshot, label=_label(season), text=text)
        earlier = RunSummary.model_validate(parent.summary).withdrawn
        try:
            up = upgrade_from(
                files, parent.seed, earlier, list(candidate_ids), source=f"run {parent.id}"
            )
        except PlacementError as exc:
            raise _refused(exc) from exc
        result = up.upgrade.result
        summary = up.summary.model_dump(mode="json")
        summary["vacancy_chains"] = [
            {"candidate_id": c, "from_request_id": f, "to_request_id": t, "chain": k}
            for c, f, t, k in up.moves
        ]
        row = _store_run(
            session,
            actor,
            season,
            kind="upgrade",
            parent=parent,
            snapshot=snapshot,
            inputs=text,
            summary=summary,
            placements=up.placements,
            outcome=(up.indexed, result),
            reasons=_packed(up.indexed, run_reasons(up.indexed, result), snapshot),
        )
        return review_of(session, season, row)
