"""Which stage moves a coordinator may make by hand."""

from __future__ import annotations

import pytest

from altmatch.domain.application import REVIEW_STAGES, ApplicationStage
from altmatch.domain.stage_moves import allowed_moves, may_move

S = ApplicationStage


def test_review_stages_move_among_themselves_while_the_season_is_open() -> None:
    assert allowed_moves(S.SUBMITTED, season_open=True) == (
        S.SCREENED,
        S.INTERVIEWED,
        S.SHORTLISTED,
    )
    assert may_move(S.SHORTLISTED, S.SUBMITTED, season_open=True)
    assert not may_move(S.SCREENED, S.SCREENED, season_open=True)


@pytest.mark.parametrize("stage", [s for s in ApplicationStage if s not in REVIEW_STAGES])
def test_decided_and_withdrawn_applications_never_move_by_hand(stage: ApplicationStage) -> None:
    assert allowed_moves(stage, season_open=True) == ()


@pytest.mark.parametrize("stage", list(ApplicationStage))
def test_nothing_moves_by_hand_once_the_season_is_published(stage: ApplicationStage) -> None:
    assert allowed_moves(stage, season_open=False) == ()
    assert not any(may_move(stage, to, season_open=True) for to in (S.PLACED, S.ALTERNATE))
