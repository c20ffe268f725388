"""Which stage moves a coordinator may make by hand, one application or many at once.

Review stages (submitted, screened, interviewed, shortlisted) move freely among themselves while
the season is open; the outcome stages come from publishing a run, and a withdrawal is final.
"""

from __future__ import annotations

from altmatch.domain.application import REVIEW_STAGES, ApplicationStage


def allowed_moves(stage: ApplicationStage, *, season_open: bool) -> tuple[ApplicationStage, ...]:
    """The stages an application at `stage` may be moved to by hand (none once decided)."""
    if not season_open or stage not in REVIEW_STAGES:
        return ()
    return tuple(s for s in REVIEW_STAGES if s is not stage)


def may_move(stage: ApplicationStage, to: ApplicationStage, *, season_open: bool) -> bool:
    """Whether a coordinator may move an application from `stage` to `to`."""
    return to in allowed_moves(stage, season_open=season_open)
