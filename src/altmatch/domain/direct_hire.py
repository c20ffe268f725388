"""Direct hire by a BoE: a posting's requirements against an applicant's declared facts, the
hiring stages an application moves through, and the rulebook's limits on pay and benefits.

Pure: no I/O. Every refusal is an i18n `Message` (reason and fix), rendered by the adapters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from altmatch.domain.profile import Profile
from altmatch.i18n import N_, Message, label, register_labels, render
from altmatch.rulebook.schema import AnyOf, PathInfo, RangePay, StatusOfResidenceIn
from altmatch.rulebook.vocabulary import Jlpt, Residence, StatusOfResidence

# The rulebook rule whose statuses a posting accepts when it names none of its own.
WORK_STATUS_RULE = "direct_hire.status"


class PostingStage(StrEnum):
    """Where an application stands: four open stages, then hired, rejected or withdrawn."""

    APPLIED = "applied"
    SCREENING = "screening"
    INTERVIEW = "interview"
    OFFERED = "offered"
    HIRED = "hired"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"

    @property
    def is_open(self) -> bool:
        return self in OPEN_STAGES


OPEN_STAGES = (
    PostingStage.APPLIED,
    PostingStage.SCREENING,
    PostingStage.INTERVIEW,
    PostingStage.OFFERED,
)
# The one forward move from each open stage; rejecting and withdrawing are allowed from any.
NEXT_STAGE = {
    PostingStage.APPLIED: PostingStage.SCREENING,
    PostingStage.SCREENING: PostingStage.INTERVIEW,
    PostingStage.INTERVIEW: PostingStage.OFFERED,
    PostingStage.OFFERED: PostingStage.HIRED,
}

register_labels(
    PostingStage,
    {
        PostingStage.APPLIED: N_("Applied"),
        PostingStage.SCREENING: N_("Screening"),
        PostingStage.INTERVIEW: N_("Interview"),
        PostingStage.OFFERED: N_("Offered"),
        PostingStage.HIRED: N_("Hired"),
        PostingStage.REJECTED: N_("Rejected"),
        PostingStage.WITHDRAWN: N_("Withdrawn"),
    },
)


@dataclass(frozen=True)
class Joined:
    """Several messages shown as one list, joined the reader's way ('a, b' or 'a、b')."""

    items: tuple[Message, ...]

    def get(self, locale: str) -> str:
        separator = "、" if locale == "ja" else ", "
        return separator.join(render(item, locale) for item in self.items)

    @property
    def en(self) -> str:
        return self.get("en")

    @property
    def ja(self) -> str:
        return self.get("ja")


def jlpt_label(level: Jlpt) -> Message:
    return Message(label(level))


def status_label(status: StatusOfResidence | None) -> Message:
    if status is None:
        return Message(N_("no status of residence"))
    return Message(label(status))


@dataclass(frozen=True)
class Requirements:
    """What a posting asks of an applicant. No statuses named means any status that allows
    the work (the rulebook's direct_hire.status rule)."""

    min_alt_years: int = 0
    min_jlpt: Jlpt = Jlpt.NONE
    requires_residence_in_japan: bool = True
    allowed_statuses: frozenset[StatusOfResidence] = frozenset()
    requires_driving_licence: bool = False


@dataclass(frozen=True)
class Declared:
    """The facts an applicant declares about themself (the BoE verifies them at screening)."""

    alt_years: int = 0
    jlpt: Jlpt = Jlpt.NONE
    residence: Residence = Residence.OVERSEAS
    status_of_residence: StatusOfResidence | None = None
    driving_licence: bool = False

    @classmethod
    def from_profile(cls, profile: Profile) -> Declared:
        return cls(
            alt_years=profile.alt_years,
            jlpt=profile.jlpt,
            residence=profile.residence,
            status_of_residence=profile.status_of_residence,
            driving_licence=profile.driving_licence,
        )


@dataclass(frozen=True)
class Unmet:
    """One requirement the applicant does not meet: which (the declared field), why, and how
    to meet it."""

    requirement: str
    reason: Message
    fix: Message


def work_capable_statuses(path: PathInfo) -> frozenset[StatusOfResidence]:
    """The statuses of residence the rulebook says allow direct-hire ALT work."""
    for rule in path.eligibility:
        if rule.id != WORK_STATUS_RULE:
            continue
        checks = rule.check.checks if isinstance(rule.check, AnyOf) else [rule.check]
        for check in checks:
            if isinstance(check, StatusOfResidenceIn):
                return frozenset(check.values)
    raise LookupError(f"the rulebook has no {WORK_STATUS_RULE} rule")


def accepted_statuses(
    requirements: Requirements, work_capable: Iterable[StatusOfResidence]
) -> tuple[StatusOfResidence, ...]:
    """The statuses a posting accepts, in vocabulary order."""
    accepted = requirements.allowed_statuses or frozenset(work_capable)
    return tuple(s for s in StatusOfResidence if s in accepted)


def unmet_requirements(
    requirements: Requirements,
    declared: Declared,
    work_capable: Iterable[StatusOfResidence],
) -> list[Unmet]:
    """Every requirement of the posting the declared facts do not meet, in a fixed order
    (experience, Japanese, residence, status, licence); empty means eligible."""
    unmet: list[Unmet] = []
    if declared.alt_years < requirements.min_alt_years:
        unmet.append(
            Unmet(
                "alt_years",
                Message(
                    N_("This post needs at least {need} year(s) as an ALT; you declared {have}."),
                    {"need": requirements.min_alt_years, "have": declared.alt_years},
                ),
                Message(N_("Gain more experience as an ALT (JET or dispatch) first.")),
            )
        )
    if declared.jlpt.rank < requirements.min_jlpt.rank:
        unmet.append(
            Unmet(
                "jlpt",
                Message(
                    N_("This post needs JLPT {need}; you declared {have}."),
                    {"need": jlpt_label(requirements.min_jlpt), "have": jlpt_label(declared.jlpt)},
                ),
                Message(
                    N_("Pass JLPT {need} or higher; it is offered in July and December."),
                    {"need": jlpt_label(requirements.min_jlpt)},
                ),
            )
        )
    overseas = declared.residence is not Residence.JAPAN
    if requirements.requires_residence_in_japan and overseas:
        unmet.append(
            Unmet(
                "residence",
                Message(N_("This post needs you to live in Japan already; you declared overseas.")),
                Message(N_("Come to Japan through JET or a dispatch company first.")),
            )
        )
    accepted = accepted_statuses(requirements, work_capable)
    # A BoE that hires from abroad sponsors the status itself: nothing to check yet.
    sponsored = overseas and not requirements.requires_residence_in_japan
    if not sponsored and declared.status_of_residence not in accepted:
        unmet.append(
            Unmet(
                "status_of_residence",
                Message(
                    N_(
                        "This post needs one of these statuses of residence: {need}; "
                        "you declared {have}."
                    ),
                    {
                        "need": Joined(tuple(status_label(s) for s in accepted)),
                        "have": status_label(declared.status_of_residence),
                    },
                ),
                Message(
                    N_("Change to the Instructor status (or hold a spouse or permanent status).")
                ),
            )
        )
    if requirements.requires_driving_licence and not declared.driving_licence:
        unmet.append(
            Unmet(
                "driving_licence",
                Message(N_("This post needs a driving licence valid in Japan; you declared none.")),
                Message(N_("Get a Japanese licence or an International Driving Permit.")),
            )
        )
    return unmet


def move_refusal(
    current: PostingStage, target: PostingStage, *, by_applicant: bool
) -> Message | None:
    """Why an application may not move from `current` to `target` (None: it may).

    Staff move an open application one stage forward or reject it; only the applicant
    withdraws it. Hired, rejected and withdrawn are final.
    """
    params = {"current": Message(label(current)), "target": Message(label(target))}
    if not current.is_open:
        return Message(N_("This application is already {current}; it can no longer move."), params)
    if by_applicant:
        if target is PostingStage.WITHDRAWN:
            return None
        return Message(N_("You can only withdraw your application."))
    if target is PostingStage.WITHDRAWN:
        return Message(N_("Only the applicant can withdraw an application."))
    if target is PostingStage.REJECTED or NEXT_STAGE[current] is target:
        return None
    return Message(
        N_("An application at {current} can move only to {next} or be rejected, not to {target}."),
        {**params, "next": Message(label(NEXT_STAGE[current]))},
    )


def allowed_moves(current: PostingStage) -> tuple[PostingStage, ...]:
    """The stages staff may move an application at `current` to."""
    if not current.is_open:
        return ()
    return (NEXT_STAGE[current], PostingStage.REJECTED)


def _grouped(amount: int) -> str:
    return f"{amount:,}"


def pay_refusal(monthly_pay: int, pay: RangePay) -> Message | None:
    """Why a posting's monthly pay is refused: it must lie within the rulebook's range."""
    if pay.monthly_min <= monthly_pay <= pay.monthly_max:
        return None
    return Message(
        N_("Monthly pay must be between ¥{low} and ¥{high} (the rulebook's direct-hire range)."),
        {"low": _grouped(pay.monthly_min), "high": _grouped(pay.monthly_max)},
    )


def unknown_benefits(chosen: Sequence[str], path: PathInfo) -> list[str]:
    """The chosen benefit ids the rulebook's direct-hire benefits do not list."""
    known = {b.id for b in path.benefits}
    return [b for b in chosen if b not in known]


def appointment_end(start: dt.date, fiscal_year_start_month: int) -> dt.date:
    """The last day of the fiscal year in which an appointment starting on `start` falls.

    Direct hires are fiscal-year staff (会計年度任用職員): the rulebook's direct_hire timeline
    says appointments run April to March, so an appointment ends on the day before the next
    fiscal year begins (31 March when the fiscal year starts in April).
    """
    year = start.year + 1 if start.month >= fiscal_year_start_month else start.year
    return dt.date(year, fiscal_year_start_month, 1) - dt.timedelta(days=1)
