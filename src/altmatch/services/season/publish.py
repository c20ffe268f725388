"""Publishing a draft run: recorded and irreversible, the only outcome people ever see.

Publication sets every application's stage from the run and gives placed candidates their
employment contracts; publishing an upgrade redoes the contracts of those whose placement
changed. The people concerned are notified in the same transaction (services.season.notices).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from sqlalchemy.orm import Session

from altmatch.clock import utc_now
from altmatch.db import Sessions
from altmatch.db import season as repo
from altmatch.db.models import EmploymentContract, MatchRun, SeasonCandidate, SeasonRow
from altmatch.domain.access import Actor, Permission, require
from altmatch.domain.application import ApplicationStage, outcome_stage
from altmatch.i18n import N_, Message
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.errors import StaleError
from altmatch.services.kernel.locking import stale_guard
from altmatch.services.season.access import access_run, access_season
from altmatch.services.season.applications import change_stage
from altmatch.services.season.notices import announce_outcomes
from altmatch.services.season.publication import checks_for, refuse_unless
from altmatch.services.season.runs import RunReviewOut, draft_only, review_of
from altmatch.services.season.snapshot import run_interview_decisions

CONTRACT_PATH = "jet"  # a programme's placements are contracts with the BoE itself


@stale_guard()  # an application changed while publishing: 409, publish again
def publish_run(
    sessions: Sessions,
    actor: Actor,
    season_id: int,
    run_id: int,
    *,
    overrides: Mapping[str, str] | None = None,
) -> RunReviewOut:
    """Publish a draft: irreversible. Applications move to placed, alternate or not selected
    (withdrawn for withdrawals), and placed candidates get their employment contracts.

    The publication checks (services.season.publication) are asked again here, in the same
    transaction; `overrides` gives a reason for each failed check the coordinator overrides,
    and the reasons are audited with the publication."""
    require(actor, Permission.SEASON_MANAGE)
    with sessions.begin() as session:
        season = access_season(session, actor, season_id)
        run = access_run(session, actor, season, run_id)
        draft_only(run)
        current = repo.latest_published_run(session, season.id)
        if run.kind == "match" and current is not None:
            raise StaleError(
                Message(N_("Another run of this season is already published.")), "status"
            )
        if run.kind == "upgrade" and (current is None or current.id != run.parent_run_id):
            raise StaleError(
                Message(
                    N_("This upgrade starts from an outcome that is no longer the published one.")
                ),
                "parent_run_id",
            )
        overridden = refuse_unless(checks_for(session, season, run), overrides or {})
        run.status, run.published_by, run.published_at = "published", actor.user_id, utc_now()
        season.status = "published"
        moved = _apply_outcomes(session, actor, season, run, current)
        session.flush()
        after: dict[str, object] = {"kind": run.kind, "stages_changed": moved}
        if overridden:
            after["overrides"] = overridden
        record_audit(
            session,
            actor,
            "run.published",
            "match_run",
            run.id,
            {"status": "draft"},
            after,
            tenant_id=season.programme_id,
        )
        return review_of(session, season, run)


def _apply_outcomes(
    session: Session, actor: Actor, season: SeasonRow, run: MatchRun, previous: MatchRun | None
) -> int:
    """Set every application's stage from `run` (not selected for those the interview round
    left out of it), and redo the contracts of those whose
    placement changed since `previous` (all placed candidates for a first publication)."""
    placements = {p.candidate_id: p for p in repo.placements(session, run.id)}
    before = {}
    if previous is not None:
        before = {p.candidate_id: p.request_id for p in repo.placements(session, previous.id)}
    candidates = repo.candidates(session, season.id)
    gone = set(run.summary.get("withdrawn", []))
    withdrawn = {c.id for c in candidates if c.external_id in gone}
    decided = run_interview_decisions(repo.run_inputs(session, run))
    left_out = set(decided[1]) if decided else set()  # not selected at interview
    requests = {r.id: r for r in repo.requests(session, season.id)}
    changed: list[SeasonCandidate] = []
    moved = 0
    for candidate in candidates:
        placement = placements.get(candidate.id)
        if candidate.id in withdrawn:
            stage, now_at = ApplicationStage.WITHDRAWN, None
        elif candidate.external_id in left_out:  # told when the round decided
            stage, now_at = ApplicationStage.NOT_SELECTED, None
        elif placement is not None:
            now_at = placement.request_id
            stage = outcome_stage(now_at is not None, placement.alternate_request_id is not None)
        else:
            continue
        moved += change_stage(session, actor, candidate, stage)
        if previous is None or before.get(candidate.id) != now_at:
            changed.append(candidate)
    announce_outcomes(
        session,
        season,
        candidates,
        placements,
        None if previous is None else before,
        withdrawn,
        requests,
    )
    repo.delete_contracts(session, [c.id for c in changed])
    start = season.contract_start
    end = _one_year_later(start) - timedelta(days=1)
    for candidate in changed:
        placement = placements.get(candidate.id)
        if candidate.id in withdrawn or placement is None or placement.request_id is None:
            continue
        session.add(
            EmploymentContract(
                candidate_id=candidate.id,
                user_id=candidate.user_id,
                employer_id=requests[placement.request_id].boe_id,
                run_id=run.id,
                path=CONTRACT_PATH,
                start=start,
                end=end,
                recontract_year=end.year,
            )
        )
    return moved


def _one_year_later(day: date) -> date:
    """The same date a year on (29 February becomes 1 March): a one-year appointment."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return date(day.year + 1, 3, 1)
