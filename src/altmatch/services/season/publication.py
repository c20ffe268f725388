"""What publishing a draft run would do, before the coordinator confirms it.

The checks come from `domain.publication`; this module gathers their facts from the season and
the run, and counts who the publication moves and tells. `publish_run` asks `refuse_unless`
the same checks inside its own transaction, so a page read a minute earlier cannot let a
publication through that the facts no longer allow.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel
from sqlalchemy.orm import Session

from altmatch.clock import utc_now
from altmatch.db import Sessions
from altmatch.db import interview_decisions as decisions_repo
from altmatch.db import season as repo
from altmatch.db.models import MatchRun, SeasonRow
from altmatch.domain.access import Actor, Permission, require
from altmatch.domain.application import REVIEW_STAGES, ApplicationStage
from altmatch.domain.publication import (
    CheckResult,
    PublicationCheck,
    PublicationFacts,
    overrides_used,
    publication_checks,
    refusal,
)
from altmatch.i18n import N_, Message, label, render
from altmatch.services.kernel.errors import RuleError
from altmatch.services.season.access import (
    RunOut,
    SeasonOut,
    access_run,
    access_season,
    run_out,
    season_out,
)
from altmatch.services.season.interview_tiers import RunInterviewOut, run_interview
from altmatch.services.season.snapshot import snapshot_season, snapshot_sha256

# Applications the coordinator has not yet shortlisted (a match places them all the same).
UNDECIDED = tuple(stage for stage in REVIEW_STAGES if stage != ApplicationStage.SHORTLISTED)


class CheckOut(BaseModel):
    check: PublicationCheck
    name: str  # the check in the reader's language
    passed: bool
    overridable: bool  # a failure may be overridden with a reason
    detail: str


class PublicationOut(BaseModel):
    """A draft run's publication as it would happen now: the checks, then its effect."""

    season: SeasonOut
    run: RunOut
    checks: list[CheckOut]
    blocked: bool  # a failed check that no reason can override
    needs_reasons: list[PublicationCheck]  # failed checks a reason may override
    placed: int
    alternates: int
    not_selected: int
    withdrawn: int
    couples: int
    couples_placed: int
    candidates_told: int  # applications linked to an account, notified in the app
    boes_told: int  # Boards of Education with requests in the season
    # what the interview round's decision did to the run (None: made without one)
    interview: RunInterviewOut | None = None


def publication_of(sessions: Sessions, actor: Actor, season_id: int, run_id: int) -> PublicationOut:
    """The preview the confirmation page shows; reads only."""
    require(actor, Permission.SEASON_MANAGE)
    with sessions() as session:
        season = access_season(session, actor, season_id)
        run = access_run(session, actor, season, run_id)
        results = checks_for(session, season, run)
        placed, waiting, neither = repo.outcome_tally(session, run.id)
        counts = run.summary.get("counts", {})
        failed = [r for r in results if not r.passed]
        return PublicationOut(
            season=season_out(season),
            run=run_out(run),
            checks=[_check_out(r) for r in results],
            blocked=any(not r.overridable for r in failed),
            needs_reasons=[r.check for r in failed if r.overridable],
            placed=placed,
            alternates=waiting,
            not_selected=neither,
            withdrawn=len(run.summary.get("withdrawn", [])),
            couples=int(counts.get("couples", 0)),
            couples_placed=int(counts.get("couples_placed", 0)),
            candidates_told=repo.linked_candidate_count(session, season.id),
            boes_told=len({r.boe_id for r in repo.requests(session, season.id)}),
            interview=run_interview(repo.run_inputs(session, run)),
        )


def checks_for(session: Session, season: SeasonRow, run: MatchRun) -> tuple[CheckResult, ...]:
    """Every publication check of `run`, from the season as it is in this transaction."""
    upgrade = run.kind == "upgrade"
    stages = repo.candidates_per_stage(session, season.id)
    changed = False
    if not upgrade:
        # The snapshot the run matched against the one a run made now would match.
        changed = repo.inputs_sha256(session, run) != snapshot_sha256(
            snapshot_season(session, season)
        )
    stability = run.summary.get("stability", {})
    # Once the interview round has decided, it binds the match: what it did not cover is
    # undecided, whatever the stage (its alternates and not selected stay interviewed).
    decided = decisions_repo.latest_decision(session, season.id) is not None
    undecided = (
        decisions_repo.undecided_count(session, season.id)
        if decided
        else sum(stages.get(stage.value, 0) for stage in UNDECIDED)
    )
    facts = PublicationFacts(
        now=utc_now(),
        request_deadline=season.request_deadline,
        undecided=undecided,
        interview_decided=decided,
        inputs_changed=changed,
        blocking_pairs=len(stability.get("blocking_pairs", [])),
        upgrade=upgrade,
    )
    return publication_checks(facts)


def refuse_unless(results: tuple[CheckResult, ...], reasons: Mapping[str, str]) -> dict[str, str]:
    """The override reasons to audit; a RuleError (422) naming the first check that stops
    publication, when one does."""
    refused = refusal(results, reasons)
    if refused is None:
        return overrides_used(results, reasons)
    if refused.blocked:
        check = refused.blocked[0]
        raise RuleError(
            Message(
                N_("This run cannot be published: {check}. {detail}"),
                {"check": Message(label(check)), "detail": _detail(results, check)},
            ),
            "checks",
        )
    check = refused.unexplained[0]
    raise RuleError(
        Message(
            N_("Give a reason for publishing although “{check}” is not met."),
            {"check": Message(label(check))},
        ),
        f"overrides.{check.value}",
    )


def _detail(results: tuple[CheckResult, ...], check: PublicationCheck) -> Message:
    return next(r.detail for r in results if r.check == check)


def _check_out(result: CheckResult) -> CheckOut:
    return CheckOut(
        check=result.check,
        name=render(Message(label(result.check))),
        passed=result.passed,
        overridable=result.overridable,
        detail=render(result.detail),
    )
