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


# Stages from which the applicant may still withdraw: under review or decided at interview,
# while the outcome is unpublished (a published outcome is changed only by the programme).
WITHDRAWABLE_STAGES = (*REVIEW_STAGES, ApplicationStage.ALTERNATE)


class WithdrawalRefusal(StrEnum):
    """Why an applicant cannot withdraw their submitted application themselves."""

    PUBLISHED = "published"  # the outcome is published: they contact the programme
    WITHDRAWN = "withdrawn"  # already withdrawn
    DECIDED = "decided"  # not selected, placed or contracted: nothing left to withdraw from


register_labels(
    WithdrawalRefusal,
    {
        WithdrawalRefusal.PUBLISHED: N_(
            "The outcome is published, so the application can no longer be withdrawn here. "
            "Please contact the programme through your recruiting office."
        ),
        WithdrawalRefusal.WITHDRAWN: N_("This application is already withdrawn."),
        WithdrawalRefusal.DECIDED: N_(
            "This application is no longer under consideration, so there is nothing to withdraw."
        ),
    },
)


def withdrawal_refusal(stage: ApplicationStage, *, published: bool) -> WithdrawalRefusal | None:
    """Why the applicant may not withdraw an application at `stage`, or None if they may."""
    if stage is ApplicationStage.WITHDRAWN:
        return WithdrawalRefusal.WITHDRAWN
    if published:
        return WithdrawalRefusal.PUBLISHED
    if stage not in WITHDRAWABLE_STAGES:
        return WithdrawalRefusal.DECIDED
    return None
