"""Shortlisting from calibrated interview scores: a preview, then the coordinator's decision.

The preview ranks the applications the season's current calibration scored (at the stages
screened, interviewed or shortlisted) by calibrated score (domain.shortlist): who would be
shortlisted, who would be alternates and in which order, who would not be selected, who
calibration moved across the cut compared with raw means, and who is within the standard
errors of the cut. Exact ties are broken by the season's seeded lottery, drawn as the match
draws its own (`engine.market.draw_lottery`); the seed defaults to one read from the
calibration's SHA-256, so the same calibration previews the same way every time.

Deciding applies the preview, all or nothing, in one transaction: refused once the season's
outcome is published, when the calibration is no longer the one previewed, and when any
application changed since (its version, carried from the preview: compare-and-swap). The
decisions are stored in `interview_decisions`; the stages follow: shortlisted applications move
to **shortlisted**, alternates and the not selected to **interviewed**. The stages *alternate*
and *not selected* are outcome stages that only publishing a run sets (services.season.publish:
an application at one of them can no longer be moved by hand, and every application not
withdrawn still enters the match), so the interview round's alternates keep a review stage and
their place in the list lives in the decision. Every decided application's version moves on;
each candidate with an account is notified; the decision is audited.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from altmatch.clock import utc_now
from altmatch.db import Sessions
from altmatch.db import interview_calibration as calibrations
from altmatch.db import interview_decisions as decisions_repo
from altmatch.db import notifications as notices_repo
from altmatch.db import season as repo
from altmatch.db.models import (
    CalibratedCandidate,
    InterviewCalibration,
    SeasonCandidate,
    SeasonRow,
)
from altmatch.domain.access import Actor, NotFoundError, Permission, require
from altmatch.domain.application import ApplicationStage
from altmatch.domain.shortlist import (
    Entry,
    Placed,
    Shortlist,
    ShortlistDecision,
    ShortlistReason,
    decide,
)
from altmatch.engine.market import draw_lottery
from altmatch.i18n import N_, Message
from altmatch.rulebook import load_rulebook
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.errors import RuleError, StaleError
from altmatch.services.kernel.locking import touch
from altmatch.services.notifications import notify
from altmatch.services.season.access import SeasonOut, access_season, season_out
from altmatch.services.season.applications import change_stage
from altmatch.services.season.interview_report import season_open
from altmatch.services.season.notices import application_link

# Applications the interview round ranks: screened or interviewed, or shortlisted before.
RANKED = (
    ApplicationStage.SCREENED.value,
    ApplicationStage.INTERVIEWED.value,
    ApplicationStage.SHORTLISTED.value,
)
MAX_COUNT = 1_000_000  # places or alternates: a bound, far above any season
Ranked = list[tuple[SeasonCandidate, CalibratedCandidate]]
NAMED = 5  # applications named in a refusal, then "and N more"
DECIMALS = 4
NOTICE_KIND = "interview_decided"
NOTICES = {
    ShortlistDecision.SHORTLISTED: N_(
        "The interview round of {season} has decided: you are shortlisted. Open your "
        "application to see your result and why."
    ),
    ShortlistDecision.ALTERNATE: N_(
        "The interview round of {season} has decided: you are alternate number {position}. "
        "Open your application to see your result and why."
    ),
    ShortlistDecision.NOT_SELECTED: N_(
        "The interview round of {season} has decided: you were not selected this time. Open "
        "your application to see your result and why."
    ),
}


class ShortlistDefaultsOut(BaseModel):
    """Where the suggested numbers come from: per requested place, as the rulebook says."""

    requested_places: int  # the sum of the season's requests' capacities
    places: int
    alternates: int
    places_per_request_place: float
    alternates_per_request_place: float
    source: str
    as_of: date
    estimate: bool  # no official figure: a programme-policy default
    note: str | None


class ShortlistCalibrationOut(BaseModel):
    id: int
    created_at: datetime
    filename: str
    sha256: str
    reliability: float | None


class ShortlistRowOut(BaseModel):
    """One application in the preview; `crossed` says whether calibration moved it across the
    shortlist's cut ("in": shortlisted, which raw means would not have done)."""

    id: int  # the application's row id
    candidate_id: str
    name: str
    stage: ApplicationStage
    version: int
    position: int  # by calibrated score
    raw_position: int  # by raw mean
    raw_mean: float
    score: float
    se: float | None
    change: float  # score − raw mean: positive after harsh assessors
    decision: ShortlistDecision
    alternate_position: int | None
    raw_shortlisted: bool
    crossed: Literal["in", "out"] | None
    tie: bool  # within the standard errors of someone across a cut
    lottery: bool  # an exact tie across a cut, decided by the lottery
    reasons: list[ShortlistReason]


class ShortlistDecidedOut(BaseModel):
    """The round's decision as stored."""

    decided_at: datetime
    decided_by: str | None
    calibration_id: int
    current: bool  # decided from the current calibration
    places: int
    alternates: int
    seed: int
    counts: dict[str, int]


class ShortlistOut(BaseModel):
    season: SeasonOut
    open: bool  # a decision may still be made (no outcome published)
    calibration: ShortlistCalibrationOut | None
    defaults: ShortlistDefaultsOut
    places: int
    alternates: int
    seed: int | None  # the lottery's; None without a calibration
    cut: float | None  # calibrated score of the last shortlisted
    alternate_cut: float | None
    counts: dict[str, int]  # per decision
    crossed_in: int
    crossed_out: int
    ties: int
    uncalibrated: list[str]  # applications at a ranked stage the calibration did not score
    rows: list[ShortlistRowOut]  # best first
    decided: ShortlistDecidedOut | None
    versions: str  # "id.version,…" of every ranked application, for the decision's form
    committed: bool = False


class ShortlistIn(BaseModel):
    """The decision as previewed: the numbers, the lottery's seed, the calibration and every
    ranked application's version the preview showed."""

    places: int = Field(ge=0, le=MAX_COUNT)
    alternates: int = Field(ge=0, le=MAX_COUNT)
    seed: int = Field(ge=0, lt=2**63)
    calibration_id: int = Field(ge=1)
    versions: dict[int, int]


def parse_versions(text: str) -> dict[int, int]:
    """The form's "id.version,…" as a mapping; ValueError for anything else."""
    out: dict[int, int] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        row_id, _, version = part.partition(".")
        out[int(row_id)] = int(version)
    return out


def default_seed(calibration: InterviewCalibration) -> int:
    """The lottery's seed unless the coordinator gives one: read from the calibration file's
    SHA-256 (its first 15 hex digits), so one calibration always draws the same lottery."""
    return int(calibration.sha256[:15], 16)


def defaults_of(requested_places: int) -> ShortlistDefaultsOut:
    policy = load_rulebook().interview_rubric.shortlist
    return ShortlistDefaultsOut(
        requested_places=requested_places,
        places=round(requested_places * policy.places_per_request_place),
        alternates=round(requested_places * policy.alternates_per_request_place),
        places_per_request_place=policy.places_per_request_place,
        alternates_per_request_place=policy.alternates_per_request_place,
        source=str(policy.source),
        as_of=policy.as_of,
        estimate=policy.estimate,
        note=policy.note,
    )


def shortlist_preview(
    sessions: Sessions,
    actor: Actor,
    season_id: int,
    *,
    places: int | None = None,
    alternates: int | None = None,
    seed: int | None = None,
) -> ShortlistOut:
    """What deciding would do now: `places` and `alternates` default to the rulebook's share
    of the season's requested places, `seed` to the calibration's."""
    require(actor, Permission.SEASON_MANAGE)
    with sessions() as session:
        season = _season(session, actor, season_id)
        return _preview(session, season, places, alternates, seed)


def decide_shortlist(
    sessions: Sessions, actor: Actor, season_id: int, body: ShortlistIn
) -> ShortlistOut:
    """Apply the previewed decision (module docstring): all or nothing, audited, notified."""
    require(actor, Permission.SEASON_MANAGE)
    with sessions.begin() as session:
        season = _season(session, actor, season_id)
        if not season_open(session, season):
            raise StaleError(
                Message(
                    N_(
                        "This season's outcome is published: the interview round can no "
                        "longer decide."
                    )
                ),
                "places",
            )
        current = calibrations.current_calibration(session, season.id)
        if current is None or current.id != body.calibration_id:
            raise StaleError(
                Message(
                    N_(
                        "The interview calibration changed since the preview: nothing was "
                        "decided. Look at the new preview and decide again."
                    )
                ),
                "calibration_id",
            )
        ranked = decisions_repo.calibrated_applications(session, season.id, current.id, RANKED)
        _refuse_if_changed(ranked, body.versions)
        result = _decide(ranked, body.places, body.alternates, body.seed)
        now = utc_now()
        rows = []
        for placed in result.placed:
            application = ranked[placed.entry.key][0]
            stage = (
                ApplicationStage.SHORTLISTED
                if placed.decision is ShortlistDecision.SHORTLISTED
                else ApplicationStage.INTERVIEWED
            )
            if not change_stage(session, actor, application, stage):
                touch(application)  # its version moves on all the same: it was decided
            rows.append(_decision_row(season, current, application, placed, result, body, now))
            rows[-1]["decided_by"] = actor.user_id
        session.flush()
        decisions_repo.replace_decisions(session, season.id, rows)
        _notify(session, season, ranked, result)
        record_audit(
            session,
            actor,
            "season.shortlist_decided",
            "season",
            season.id,
            None,
            {
                "calibration_id": current.id,
                "places": body.places,
                "alternates": body.alternates,
                "seed": body.seed,
                "counts": {d.value: result.count(d) for d in ShortlistDecision},
                "crossed_in": len(result.crossed_in),
                "crossed_out": len(result.crossed_out),
            },
            tenant_id=season.programme_id,
        )
        session.flush()
        out = _preview(session, season, body.places, body.alternates, body.seed)
        return out.model_copy(update={"committed": True})


def _season(session: Session, actor: Actor, season_id: int) -> SeasonRow:
    """The season, as the season's access rules allow; the operator reaches every season."""
    if not actor.is_operator:
        return access_season(session, actor, season_id)
    season = repo.get_season(session, season_id)
    if season is None:
        raise NotFoundError("season")
    return season


def _entries(ranked: Ranked, seed: int) -> list[Entry]:
    lottery = draw_lottery(len(ranked), seed)
    return [
        Entry(i, scored.raw_mean, scored.score, scored.se, int(lottery[i]))
        for i, (_, scored) in enumerate(ranked)
    ]


def _decide(ranked: Ranked, places: int, alternates: int, seed: int) -> Shortlist:
    return decide(_entries(ranked, seed), places, alternates)


def _refuse_if_changed(ranked: Ranked, versions: Mapping[int, int]) -> None:
    """Compare-and-swap on every ranked application: the set and each version must be the
    preview's, or nothing is decided and the changed applications are named."""
    now = {row.id: row for row, _ in ranked}
    changed = sorted(
        {row.external_id for i, row in now.items() if versions.get(i) != row.version}
        | {str(i) for i in versions if i not in now}
    )
    if not changed:
        return
    named = ", ".join(changed[:NAMED])
    if len(changed) > NAMED:
        template = N_(
            "{count} applications changed since the preview ({named} and {more} more): nothing "
            "was decided. Look at the new preview and decide again."
        )
        params: dict[str, object] = {"count": len(changed), "named": named}
        params["more"] = len(changed) - NAMED
    else:
        template = N_(
            "Applications changed since the preview ({named}): nothing was decided. Look at the "
            "new preview and decide again."
        )
        params = {"named": named}
    raise StaleError(Message(template, params), "versions")


def _decision_row(
    season: SeasonRow,
    calibration: InterviewCalibration,
    application: SeasonCandidate,
    placed: Placed,
    result: Shortlist,
    body: ShortlistIn,
    now: datetime,
) -> dict[str, object]:
    return {
        "season_id": season.id,
        "candidate_id": application.id,
        "calibration_id": calibration.id,
        "decision": placed.decision.value,
        "position": placed.position,
        "alternate_position": placed.alternate_position,
        "raw_mean": placed.entry.raw_mean,
        "score": placed.entry.score,
        "se": placed.entry.se,
        "cut": result.cut,
        "alternate_cut": result.alternate_cut,
        "places": body.places,
        "alternates": body.alternates,
        "seed": body.seed,
        "reasons": [r.value for r in placed.reasons],
        "decided_at": now,
    }


def _notify(
    session: Session,
    season: SeasonRow,
    ranked: Ranked,
    result: Shortlist,
) -> None:
    """Tell each decided candidate with a confirmed account their result."""
    users = [row.user_id for row, _ in ranked if row.user_id is not None]
    confirmed = notices_repo.confirmed_user_ids(session, users)
    for placed in result.placed:
        application = ranked[placed.entry.key][0]
        if application.user_id is None or application.user_id not in confirmed:
            continue
        params: dict[str, object] = {"season": season.name}
        if placed.alternate_position is not None:
            params["position"] = placed.alternate_position
        notify(
            session,
            [application.user_id],
            kind=NOTICE_KIND,
            message=Message(NOTICES[placed.decision], params),
            link=application_link(season.id),
        )


def _preview(
    session: Session,
    season: SeasonRow,
    places: int | None,
    alternates: int | None,
    seed: int | None,
) -> ShortlistOut:
    requested = sum(r.capacity for r in repo.requests(session, season.id))
    defaults = defaults_of(requested)
    places = defaults.places if places is None else places
    alternates = defaults.alternates if alternates is None else alternates
    if places < 0 or alternates < 0 or places > MAX_COUNT or alternates > MAX_COUNT:
        raise RuleError(Message(N_("Give a whole number of 0 or more.")), "places")
    current = calibrations.current_calibration(session, season.id)
    decided = _decided(session, season, current)
    uncalibrated = decisions_repo.uncalibrated_ids(
        session, season.id, current.id if current else None, RANKED
    )
    base = {
        "season": season_out(season),
        "open": season_open(session, season),
        "defaults": defaults,
        "places": places,
        "alternates": alternates,
        "uncalibrated": uncalibrated,
        "decided": decided,
    }
    if current is None:
        return ShortlistOut(
            **base,
            calibration=None,
            seed=None,
            cut=None,
            alternate_cut=None,
            counts={d.value: 0 for d in ShortlistDecision},
            crossed_in=0,
            crossed_out=0,
            ties=0,
            rows=[],
            versions="",
        )
    seed = default_seed(current) if seed is None else seed
    ranked = decisions_repo.calibrated_applications(session, season.id, current.id, RANKED)
    result = _decide(ranked, places, alternates, seed)
    rows = [_row_out(ranked[p.entry.key][0], p) for p in result.placed]
    return ShortlistOut(
        **base,
        calibration=ShortlistCalibrationOut(
            id=current.id,
            created_at=current.created_at,
            filename=current.filename,
            sha256=current.sha256,
            reliability=current.reliability,
        ),
        seed=seed,
        cut=_round(result.cut),
        alternate_cut=_round(result.alternate_cut),
        counts={d.value: result.count(d) for d in ShortlistDecision},
        crossed_in=len(result.crossed_in),
        crossed_out=len(result.crossed_out),
        ties=len(result.ties),
        rows=rows,
        versions=",".join(f"{row.id}.{row.version}" for row, _ in ranked),
    )


def _row_out(application: SeasonCandidate, placed: Placed) -> ShortlistRowOut:
    entry = placed.entry
    crossed: Literal["in", "out"] | None = None
    if ShortlistReason.CROSSED_IN in placed.reasons:
        crossed = "in"
    elif ShortlistReason.CROSSED_OUT in placed.reasons:
        crossed = "out"
    return ShortlistRowOut(
        id=application.id,
        candidate_id=application.external_id,
        name=application.name,
        stage=ApplicationStage(application.stage),
        version=application.version,
        position=placed.position,
        raw_position=placed.raw_position,
        raw_mean=round(entry.raw_mean, DECIMALS) + 0.0,
        score=round(entry.score, DECIMALS) + 0.0,
        se=_round(entry.se),
        change=round(entry.score - entry.raw_mean, DECIMALS) + 0.0,
        decision=placed.decision,
        alternate_position=placed.alternate_position,
        raw_shortlisted=placed.raw_shortlisted,
        crossed=crossed,
        tie=placed.tie,
        lottery=ShortlistReason.LOTTERY in placed.reasons,
        reasons=list(placed.reasons),
    )


def _decided(
    session: Session, season: SeasonRow, current: InterviewCalibration | None
) -> ShortlistDecidedOut | None:
    found = decisions_repo.latest_decision(session, season.id)
    if found is None:
        return None
    row, name, counts = found
    return ShortlistDecidedOut(
        decided_at=row.decided_at,
        decided_by=name,
        calibration_id=row.calibration_id,
        current=current is not None and current.id == row.calibration_id,
        places=row.places,
        alternates=row.alternates,
        seed=row.seed,
        counts=counts,
    )


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, DECIMALS) + 0.0
