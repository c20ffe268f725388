"""A candidate's application: their stage and history, location preferences, and outcome.

Candidates change their own preferences until the outcome is published; coordinators move
applications through the review stages. Both carry the `version` they read (optimistic lock).
The outcome appears only once a run is published, never from a draft.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from altmatch.clock import utc_now
from altmatch.db import Sessions, stage_queries
from altmatch.db import season as repo
from altmatch.db.models import (
    ApplicationStageChange,
    MatchRun,
    SeasonCandidate,
    SeasonRequest,
    SeasonRow,
)
from altmatch.domain.access import Actor, Permission, Role, require
from altmatch.domain.application import REVIEW_STAGES, ApplicationStage
from altmatch.domain.stage_moves import screened_by_office
from altmatch.i18n import N_, Message
from altmatch.rulebook.vocabulary import Area, SchoolLevel
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.errors import RuleError, StaleError
from altmatch.services.kernel.locking import expect_version, stale_guard
from altmatch.services.season.access import (
    CandidateOut,
    SeasonOut,
    access_candidate,
    access_season,
    candidate_out,
    own_candidate,
    season_out,
)
from altmatch.services.season.interview_report import (
    CalibratedInterviewOut,
    calibrated_interview,
)
from altmatch.services.season.interview_result import InterviewResultOut, interview_result
from altmatch.services.season.interview_tiers import left_out_text
from altmatch.services.season.reasons_store import read_explanation
from altmatch.services.season.snapshot import run_interview_decisions


class PreferencesIn(BaseModel):
    prefectures: list[str] = Field(default=[], max_length=47)  # most preferred first
    area: Area | None = None
    school_levels: list[SchoolLevel] = []
    anywhere: bool = False


class SeasonStageChangeOut(BaseModel):
    at: datetime
    from_stage: ApplicationStage | None
    to_stage: ApplicationStage


class OutcomeOut(BaseModel):
    """What the published run decided for this candidate, and why."""

    run_id: int
    published_at: datetime | None
    placed: bool
    request_id: str | None
    boe: str | None
    boe_ja: str | None
    prefecture: str | None
    choice: int | None  # 1-based position in the candidate's own list
    text: str
    why_not: list[dict[str, Any]]  # every request they ranked higher, with the reason
    alternate_request_id: str | None
    alternate_position: int | None  # 1: called first if a place opens there
    anywhere: dict[str, Any] | None  # the accepts-anywhere tail above the outcome, by reason
    chance: float | None  # placed in this share of simulated seasons (when chances were run)
    chance_low: float | None
    chance_high: float | None
    # left out of the match: the interview round did not select them (`text` says why)
    not_selected_at_interview: bool = False


class SeasonApplicationOut(BaseModel):
    season: SeasonOut
    application: CandidateOut
    editable: bool  # preferences can still change
    history: list[SeasonStageChangeOut]
    outcome: OutcomeOut | None  # None until a run is published
    # with the outcome: the calibrated interview score the match read, and how it was adjusted
    interview: CalibratedInterviewOut | None = None
    # once the interview round has decided: shortlisted, alternate or not selected, and why
    interview_result: InterviewResultOut | None = None


def my_application(sessions: Sessions, actor: Actor, season_id: int) -> SeasonApplicationOut:
    """The signed-in candidate's own application in the season."""
    require(actor, Permission.OUTCOME_VIEW_OWN)
    with sessions() as session:
        season = access_season(session, actor, season_id)
        return _application(session, season, own_candidate(session, actor, season))


def view_application(
    sessions: Sessions, actor: Actor, season_id: int, candidate_id: int
) -> SeasonApplicationOut:
    """One application: any of the season's for its coordinators, only one's own for a
    candidate (another candidate's is 'not found')."""
    require(actor, Permission.APPLICATION_VIEW)
    with sessions() as session:
        season = access_season(session, actor, season_id)
        row = access_candidate(session, actor, season, candidate_id)
        return _application(session, season, row, own=actor.role is Role.CANDIDATE)


def stage_history(session: Session, row: SeasonCandidate) -> list[SeasonStageChangeOut]:
    """An application's stage changes, oldest first."""
    return [
        SeasonStageChangeOut(
            at=c.at,
            from_stage=ApplicationStage(c.from_stage) if c.from_stage else None,
            to_stage=ApplicationStage(c.to_stage),
        )
        for c in repo.stage_changes(session, row.id)
    ]


def _application(
    session: Session, season: SeasonRow, row: SeasonCandidate, *, own: bool = True
) -> SeasonApplicationOut:
    """`own`: read by the candidate themselves (the adjustment is told as "your" score)."""
    history = stage_history(session, row)
    outcome = _outcome(session, season, row)
    return SeasonApplicationOut(
        season=season_out(season),
        application=candidate_out(row),
        editable=_preferences_open(season, row),
        history=history,
        outcome=outcome,
        # Told with the outcome: a published outcome's calibration no longer changes
        # (services.season.interview_calibration refuses one after publication).
        interview=calibrated_interview(session, row, own=own) if outcome else None,
        interview_result=interview_result(session, row, own=own),
    )


def _preferences_open(season: SeasonRow, row: SeasonCandidate) -> bool:
    return season.status == "open" and row.stage != ApplicationStage.WITHDRAWN


def _outcome(session: Session, season: SeasonRow, row: SeasonCandidate) -> OutcomeOut | None:
    run = repo.latest_published_run(session, season.id)
    placement = repo.placement_of(session, run.id, row.id) if run else None
    if run is None:
        return None
    if placement is None:
        return _left_out(session, run, row)
    request = session.get(SeasonRequest, placement.request_id) if placement.request_id else None
    boe = repo.organisations(session, {request.boe_id}).get(request.boe_id) if request else None
    waits = placement.alternate_request_id
    alternate = session.get(SeasonRequest, waits) if waits else None
    explanation = read_explanation(session, placement)
    return OutcomeOut(
        run_id=run.id,
        published_at=run.published_at,
        placed=request is not None,
        request_id=request.external_id if request else None,
        boe=boe.name_en if boe else None,
        boe_ja=boe.name_ja if boe else None,
        prefecture=request.prefecture if request else None,
        choice=placement.candidate_rank,
        text=str(explanation.get("text", "")),
        why_not=explanation["why_not"],
        alternate_request_id=alternate.external_id if alternate else None,
        alternate_position=placement.alternate_position,
        anywhere=explanation["anywhere"],
        chance=placement.chance,
        chance_low=placement.chance_low,
        chance_high=placement.chance_high,
    )


def _left_out(session: Session, run: MatchRun, row: SeasonCandidate) -> OutcomeOut | None:
    """The outcome of an application the interview round left out of the published run;
    None for one the run did not hold for another reason (withdrawn before it)."""
    decided = run_interview_decisions(repo.run_inputs(session, run))
    if decided is None or row.external_id not in decided[1]:
        return None
    return OutcomeOut(
        run_id=run.id,
        published_at=run.published_at,
        placed=False,
        request_id=None,
        boe=None,
        boe_ja=None,
        prefecture=None,
        choice=None,
        text=left_out_text(session, row),
        why_not=[],
        alternate_request_id=None,
        alternate_position=None,
        anywhere=None,
        chance=None,
        chance_low=None,
        chance_high=None,
        not_selected_at_interview=True,
    )


@stale_guard()
def set_preferences(
    sessions: Sessions, actor: Actor, season_id: int, preferences: PreferencesIn, *, version: int
) -> SeasonApplicationOut:
    """A candidate sets where they want to go, until the outcome is published."""
    require(actor, Permission.APPLICATION_EDIT_OWN)
    prefectures = list(dict.fromkeys(p.strip() for p in preferences.prefectures if p.strip()))
    if any(len(p) > 64 for p in prefectures):
        raise RuleError(Message(N_("A prefecture name has at most 64 characters.")), "prefectures")
    with sessions.begin() as session:
        season = access_season(session, actor, season_id)
        row = own_candidate(session, actor, season)
        if not _preferences_open(season, row):
            raise StaleError(
                Message(N_("The outcome is published: preferences can no longer change.")),
                "preferences",
            )
        expect_version(row, version)
        before = _preferences(row)
        row.preferred_prefectures = prefectures
        row.preferred_area = preferences.area.value if preferences.area else None
        row.preferred_school_levels = [s.value for s in preferences.school_levels]
        row.accepts_anywhere = preferences.anywhere
        session.flush()
        record_audit(
            session,
            actor,
            "application.preferences_set",
            "season_candidate",
            row.id,
            before,
            _preferences(row),
            tenant_id=season.programme_id,
        )
        return _application(session, season, row)


def _preferences(row: SeasonCandidate) -> dict[str, object]:
    return {
        "prefectures": list(row.preferred_prefectures),
        "area": row.preferred_area,
        "school_levels": list(row.preferred_school_levels),
        "anywhere": row.accepts_anywhere,
    }


@stale_guard()
def set_stage(
    sessions: Sessions,
    actor: Actor,
    season_id: int,
    candidate_id: int,
    stage: ApplicationStage,
    *,
    version: int,
) -> SeasonApplicationOut:
    """A coordinator moves an application through review (submitted → screened → interviewed →
    shortlisted); the outcome stages come from publishing a run."""
    require(actor, Permission.SEASON_MANAGE)
    if stage not in REVIEW_STAGES:
        raise RuleError(Message(N_("This stage is set by publishing a run, not by hand.")), "stage")
    with sessions.begin() as session:
        season = access_season(session, actor, season_id)
        row = access_candidate(session, actor, season, candidate_id)
        if season.status != "open" or row.stage not in REVIEW_STAGES:
            raise StaleError(
                Message(N_("This application's outcome is decided; its stage is final.")),
                "stage",
            )
        refuse_unscreened(row, stage_queries.online_offices(session, [row.id]))
        expect_version(row, version)
        before = {"stage": row.stage}
        change_stage(session, actor, row, stage)
        session.flush()
        record_audit(
            session,
            actor,
            "application.stage_set",
            "season_candidate",
            row.id,
            before,
            {"stage": stage.value},
        )
        return _application(session, season, row, own=False)


def refuse_unscreened(row: SeasonCandidate, online: Mapping[int, int | None]) -> None:
    """A RuleError when `row` came in online and is still submitted: its recruiting office
    screens it in its queue (a decision with a reason), never a hand move."""
    if not screened_by_office(ApplicationStage(row.stage), online=row.id in online):
        return
    office = online[row.id]
    raise RuleError(
        Message(
            N_(
                "{name} ({id}) applied online: a submitted online application moves on only "
                "through its recruiting office's screening queue ({queue}), with a decision "
                "and a reason."
            ),
            {
                "name": row.name,
                "id": row.external_id,
                "queue": f"/offices/{office}/queue" if office else "/offices",
            },
        ),
        "stage",
    )


def change_stage(
    session: Session, actor: Actor, row: SeasonCandidate, stage: ApplicationStage
) -> bool:
    """Move `row` to `stage`, recording who and when; False if it is already there. Callers
    audit: one entry for a hand-set stage, one per publication for the stages it sets."""
    if row.stage == stage.value:
        return False
    before = row.stage
    row.stage = stage.value
    session.add(
        ApplicationStageChange(
            candidate_id=row.id,
            at=utc_now(),
            by_user_id=actor.user_id,
            from_stage=before,
            to_stage=stage.value,
        )
    )
    return True
