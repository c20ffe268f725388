"""An application's stages, from submission to contract, and which moves between them exist."""

from __future__ import annotations

from enum import StrEnum

from altmatch.i18n import N_, register_labels


class ApplicationStage(StrEnum):
    """Where a candidate's application stands. Publishing a run decides the last three."""

    SUBMITTED = "submitted"
    SCREENED = "screened"
    INTERVIEWED = "interviewed"
    SHORTLISTED = "shortlisted"
    ALTERNATE = "alternate"
    NOT_SELECTED = "not_selected"
    PLACED = "placed"
    CONTRACTED = "contracted"
    WITHDRAWN = "withdrawn"


register_labels(
    ApplicationStage,
    {
        ApplicationStage.SUBMITTED: N_("Submitted"),
        ApplicationStage.SCREENED: N_("Screened"),
        ApplicationStage.INTERVIEWED: N_("Interviewed"),
        ApplicationStage.SHORTLISTED: N_("Shortlisted"),
        ApplicationStage.ALTERNATE: N_("Alternate"),
        ApplicationStage.NOT_SELECTED: N_("Not selected"),
        ApplicationStage.PLACED: N_("Placed"),
        ApplicationStage.CONTRACTED: N_("Contracted"),
        ApplicationStage.WITHDRAWN: N_("Withdrawn"),
    },
)


# Stages a coordinator sets by hand; the others follow from a published run or a withdrawal.
REVIEW_STAGES = (
    ApplicationStage.SUBMITTED,
    ApplicationStage.SCREENED,
    ApplicationStage.INTERVIEWED,
    ApplicationStage.SHORTLISTED,
)


def outcome_stage(placed: bool, alternate: bool) -> ApplicationStage:
    """The stage a published run gives a candidate who stays in the season."""
    if placed:
        return ApplicationStage.PLACED
    return ApplicationStage.ALTERNATE if alternate else ApplicationStage.NOT_SELECTED
