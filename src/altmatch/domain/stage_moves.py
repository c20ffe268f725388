"""Which stage moves a coordinator may make by hand, one application or many at once.

Review stages (submitted, screened, interviewed, shortlisted) move freely among themselves while
the season is open; the outcome stages come from publishing a run, and a withdrawal is final.
An application that came in online leaves *submitted* only through its recruiting office's
screening queue (services.season.screening: a decision with a reason, by the office's
screeners), never by hand; imported applications have no such queue and move freely.
"""

from __future__ import annotations

from altmatch.domain.application import REVIEW_STAGES, ApplicationStage


def allowed_moves(
    stage: ApplicationStage, *, season_open: bool, online: bool = False
) -> tuple[ApplicationStage, ...]:
    """The stages an application at `stage` may be moved to by hand (none once decided, nor
    from submitted for one that came in `online`: its office screens it)."""
    if not season_open or stage not in REVIEW_STAGES:
        return ()
    if online and stage is ApplicationStage.SUBMITTED:
        return ()
    return tuple(s for s in REVIEW_STAGES if s is not stage)


def may_move(
    stage: ApplicationStage, to: ApplicationStage, *, season_open: bool, online: bool = False
) -> bool:
    """Whether a coordinator may move an application from `stage` to `to`."""
    return to in allowed_moves(stage, season_open=season_open, online=online)


def screened_by_office(stage: ApplicationStage, *, online: bool) -> bool:
    """Whether a hand move is refused because the office's screening queue decides it."""
    return online and stage is ApplicationStage.SUBMITTED
