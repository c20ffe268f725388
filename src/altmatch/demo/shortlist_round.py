"""The demo season's interview decisions: the panels heard every calibrated candidate, and the
coordinator shortlisted from the calibrated scores with the rulebook's default numbers.

The calibrated applications still at the stage submitted are moved to interviewed first, as a
coordinator moves them on the stage board (services.stage_moves, in batches of its largest
move); then the shortlist is previewed and decided as the shortlist page does it
(services.season.shortlist), so the page shows who calibration moved across the cut.
Nothing happens when the season has decided already or has no calibration.
"""

from __future__ import annotations

from altmatch.db import Sessions
from altmatch.db import interview_calibration as calibrations
from altmatch.db import interview_decisions as decisions_repo
from altmatch.domain.access import Actor
from altmatch.domain.application import ApplicationStage
from altmatch.services.season.shortlist import (
    ShortlistIn,
    decide_shortlist,
    parse_versions,
    shortlist_preview,
)
from altmatch.services.stage_moves import MAX_MOVE, MoveItem, move_stages

HEARD = "Heard by an interview panel (demo)."


def decide_demo_shortlist(sessions: Sessions, coordinator: Actor, season_id: int) -> int:
    """Interview decisions for the demo season's calibrated candidates; how many decided (0
    when it had decided already, has no calibration, or its outcome is published)."""
    with sessions() as session:
        current = calibrations.current_calibration(session, season_id)
        if current is None or decisions_repo.latest_decision(session, season_id) is not None:
            return 0
        waiting = decisions_repo.calibrated_applications(
            session, season_id, current.id, [ApplicationStage.SUBMITTED.value]
        )
        items = [MoveItem(id=row.id, version=row.version) for row, _ in waiting]
    for start in range(0, len(items), MAX_MOVE):
        batch = items[start : start + MAX_MOVE]
        move_stages(
            sessions, coordinator, season_id, batch, ApplicationStage.INTERVIEWED, reason=HEARD
        )
    preview = shortlist_preview(sessions, coordinator, season_id)
    if not preview.open or preview.calibration is None or preview.seed is None:
        return 0
    decide_shortlist(
        sessions,
        coordinator,
        season_id,
        ShortlistIn(
            places=preview.places,
            alternates=preview.alternates,
            seed=preview.seed,
            calibration_id=preview.calibration.id,
            versions=parse_versions(preview.versions),
        ),
    )
    return len(preview.rows)
