"""One candidate as a coordinator reviews them: the application, and in a chosen run (a draft
too) the outcome, the choices above it with each request's rank of them and cut-off (why
not), where they wait as an alternate, their partner's outcome, and their chance.

The candidate's own page (services.season.applications) shows only the published outcome;
this one is for the programme's coordinators, who review drafts before anyone sees them.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from altmatch.db import Sessions
from altmatch.db import season as repo
from altmatch.db.models import MatchRun, SeasonCandidate, SeasonRequest, SeasonRow
from altmatch.domain.access import Actor, Permission, require
from altmatch.services.season.access import (
    CandidateOut,
    RunOut,
    SeasonOut,
    access_candidate,
    access_run,
    access_season,
    candidate_out,
    run_out,
    season_out,
)
from altmatch.services.season.alternates import ALTERNATES_STORED, alternate_lists
from altmatch.services.season.applications import SeasonStageChangeOut, stage_history
from altmatch.services.season.interview_report import (
    CalibratedInterviewOut,
    calibrated_interview,
)
from altmatch.services.season.interview_result import InterviewResultOut, interview_result
from altmatch.services.season.interview_tiers import tier_labels
from altmatch.services.season.listings import unplaced_reason
from altmatch.services.season.reasons_store import read_explanation, unpack_reasons
from altmatch.services.season.snapshot import run_interview_decisions


class WaitOut(BaseModel):
    request_id: str
    boe: str
    boe_ja: str
    position: int  # 1: called first if a place opens there


class PartnerOut(BaseModel):
    candidate: int  # row id
    candidate_id: str
    name: str
    request_id: str | None  # where the run placed them; None: not placed (or withdrawn)


class RunOutcomeOut(BaseModel):
    """What one run decided for the candidate, and why."""

    placed: bool
    request_id: str | None
    boe: str | None
    boe_ja: str | None
    prefecture: str | None
    choice: int | None  # 1-based position of the placement in the candidate's list
    list_length: int | None  # how many requests their list held
    reason: str | None  # unplaced: the main reason (services.season.listings.UNPLACED_REASONS)
    why_not: list[dict[str, Any]]  # each request they ranked higher: reason, rank, cut-off
    anywhere: dict[str, Any] | None
    alternate_request_id: str | None  # their first alternate place
    alternate_position: int | None
    waiting: list[WaitOut]  # every list they are on within its first ALTERNATES_STORED
    chance: float | None
    chance_low: float | None
    chance_high: float | None


class CandidateReviewOut(BaseModel):
    season: SeasonOut
    application: CandidateOut
    history: list[SeasonStageChangeOut]
    runs: list[RunOut]  # the season's runs, oldest first: the outcome can be read in any
    run: RunOut | None  # the run shown: the one asked for, else the published, else the latest
    outcome: RunOutcomeOut | None  # None: no run, or the candidate withdrew before it
    partner: PartnerOut | None
    # the interview score the next match reads, from the season's current calibration (None:
    # not calibrated), and how calibration adjusted it (in the reader's language)
    interview: CalibratedInterviewOut | None = None
    # the interview round's decision (None: not decided yet), told about the candidate
    interview_result: InterviewResultOut | None = None
    # the candidate's interview tier in the run shown ("Shortlisted", "Alternate 3", "Not
    # selected at interview": left out of it); None when the run was made without a decision
    run_interview: str | None = None
    left_out: bool = False  # not selected at interview: the run shown left them out
    alternates_depth: int = ALTERNATES_STORED


def candidate_review(
    sessions: Sessions, actor: Actor, season_id: int, candidate_id: int, run_id: int | None
) -> CandidateReviewOut:
    """The candidate's application and their outcome in `run_id` (coordinators only: the
    application is not the BoEs', and a draft is nobody else's)."""
    require(actor, Permission.SEASON_MANAGE)
    with sessions() as session:
        season = access_season(session, actor, season_id)
        row = access_candidate(session, actor, season, candidate_id)
        runs = repo.runs(session, season.id)
        if run_id is not None:
            run: MatchRun | None = access_run(session, actor, season, run_id)
        else:
            run = repo.latest_published_run(session, season.id) or (runs[-1] if runs else None)
        history = stage_history(session, row)
        return CandidateReviewOut(
            season=season_out(season),
            application=candidate_out(row),
            history=history,
            runs=[run_out(r) for r in runs],
            run=run_out(run) if run else None,
            outcome=_outcome(session, run, row) if run else None,
            partner=_partner(session, season, run, row),
            interview=calibrated_interview(session, row, own=False),
            interview_result=interview_result(session, row, own=False),
            **_tier(session, run, row),
        )


def _tier(session: Session, run: MatchRun | None, row: SeasonCandidate) -> dict[str, Any]:
    """The candidate's interview tier in `run`, and whether it left them out."""
    snapshot = repo.run_inputs(session, run) if run else {}
    labels = tier_labels(snapshot) if run else None
    decided = run_interview_decisions(snapshot) if run else None
    return {
        "run_interview": labels.get(row.external_id) if labels else None,
        "left_out": bool(decided and row.external_id in decided[1]),
    }


def _outcome(session: Session, run: MatchRun, row: SeasonCandidate) -> RunOutcomeOut | None:
    placement = repo.placement_of(session, run.id, row.id)
    if placement is None:
        return None
    explanation = read_explanation(session, placement)
    at = placement.request_id
    names = repo.request_names(session, [r for r in (at, placement.alternate_request_id) if r])
    request = session.get(SeasonRequest, at) if at else None
    waiting = [
        WaitOut(request_id=n[0], boe=n[1], boe_ja=n[2], position=position)
        for n, position in _waits(session, run, row.id)
    ]
    alternate = placement.alternate_request_id
    return RunOutcomeOut(
        placed=at is not None,
        request_id=names[at][0] if at else None,
        boe=names[at][1] if at else None,
        boe_ja=names[at][2] if at else None,
        prefecture=request.prefecture if request else None,
        choice=placement.candidate_rank,
        list_length=_list_length(placement.reasons),
        reason=None if at else unplaced_reason(placement.reasons),
        why_not=explanation["why_not"],
        anywhere=explanation["anywhere"],
        alternate_request_id=names[alternate][0] if alternate else None,
        alternate_position=placement.alternate_position,
        waiting=waiting,
        chance=placement.chance,
        chance_low=placement.chance_low,
        chance_high=placement.chance_high,
    )


def _list_length(packed: bytes) -> int:
    return unpack_reasons(packed).list_length


def _waits(
    session: Session, run: MatchRun, candidate: int
) -> list[tuple[tuple[str, str, str], int]]:
    """(request names, position) of each stored alternate list the candidate is on."""
    found = [
        (r, int(k) + 1)
        for r, ids in alternate_lists(session, run, ALTERNATES_STORED)
        for k in (ids == candidate).nonzero()[0][:1]
    ]
    names = repo.request_names(session, [r for r, _ in found])
    return sorted(((names[r], k) for r, k in found), key=lambda w: (w[1], w[0][0]))


def _partner(
    session: Session, season: SeasonRow, run: MatchRun | None, row: SeasonCandidate
) -> PartnerOut | None:
    partner = repo.partner_of(session, season.id, row.id)
    if partner is None:
        return None
    external, name = repo.candidate_names(session, season.id, [partner])[partner]
    placement = repo.placement_of(session, run.id, partner) if run else None
    at = placement.request_id if placement else None
    request_id = repo.request_names(session, [at])[at][0] if at else None
    return PartnerOut(candidate=partner, candidate_id=external, name=name, request_id=request_id)
