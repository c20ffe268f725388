"""What must hold before a run is published, and which failures a coordinator may override.

Publishing is irreversible and tells thousands of people their outcome, so the checks are
listed before the coordinator confirms. A failed check blocks publication unless it may be
overridden and the coordinator writes why (the reason is audited with the publication); a
run made from inputs that have changed since can never be published: it must be run again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from altmatch.i18n import N_, Message, register_labels


class PublicationCheck(StrEnum):
    DEADLINE_PASSED = "deadline_passed"
    APPLICATIONS_DECIDED = "applications_decided"
    INPUTS_UNCHANGED = "inputs_unchanged"
    STABLE = "stable"


register_labels(
    PublicationCheck,
    {
        PublicationCheck.DEADLINE_PASSED: N_("The request deadline has passed"),
        PublicationCheck.APPLICATIONS_DECIDED: N_("Every application has been decided"),
        PublicationCheck.INPUTS_UNCHANGED: N_("The season is unchanged since this run"),
        PublicationCheck.STABLE: N_("The outcome is stable"),
    },
)

# Checks a coordinator may override with a reason; the others block outright.
OVERRIDABLE = frozenset(
    {
        PublicationCheck.DEADLINE_PASSED,
        PublicationCheck.APPLICATIONS_DECIDED,
        PublicationCheck.STABLE,
    }
)


@dataclass(frozen=True)
class PublicationFacts:
    """What the checks read, gathered by the service from the season and the run."""

    now: datetime
    request_deadline: datetime
    # Without an interview decision: applications still in a review stage before shortlisting.
    # With one (`interview_decided`): applications it did not cover (domain.shortlist).
    undecided: int
    inputs_changed: bool
    blocking_pairs: int
    upgrade: bool  # an upgrade publishes a change to an outcome already published
    interview_decided: bool = False  # the interview round's decision binds the match


@dataclass(frozen=True)
class CheckResult:
    check: PublicationCheck
    passed: bool
    detail: Message  # what the result means for the people affected
    overridable: bool


def publication_checks(facts: PublicationFacts) -> tuple[CheckResult, ...]:
    """Every check with its result. An upgrade skips the deadline, the applications and the
    inputs: its parent already passed them, and it deliberately starts from the parent's
    inputs minus the withdrawn candidates."""
    results: list[CheckResult] = []
    if not facts.upgrade:
        open_ = facts.now < facts.request_deadline
        results.append(
            _result(
                PublicationCheck.DEADLINE_PASSED,
                not open_,
                Message(
                    N_("Boards of Education may still file or change requests until {deadline}.")
                    if open_
                    else N_("Requests closed on {deadline}."),
                    {"deadline": facts.request_deadline},
                ),
            )
        )
        results.append(
            _result(
                PublicationCheck.APPLICATIONS_DECIDED,
                facts.undecided == 0,
                _decided_detail(facts),
            )
        )
        results.append(
            _result(
                PublicationCheck.INPUTS_UNCHANGED,
                not facts.inputs_changed,
                Message(
                    N_(
                        "Candidates or requests changed after this run was made. Run the match "
                        "again and publish the new run."
                    )
                )
                if facts.inputs_changed
                else Message(N_("The run was made from the season as it is now.")),
            )
        )
    results.append(
        _result(
            PublicationCheck.STABLE,
            facts.blocking_pairs == 0,
            Message(
                N_(
                    "{count} candidate and request pairs would both rather be matched to each "
                    "other (possible with couples)."
                ),
                {"count": facts.blocking_pairs},
            )
            if facts.blocking_pairs
            else Message(N_("No candidate and request would both rather be matched together.")),
        )
    )
    return tuple(results)


def _decided_detail(facts: PublicationFacts) -> Message:
    if facts.interview_decided and facts.undecided:
        return Message(
            N_(
                "{count} applications were added or came back after the interview round "
                "decided: publishing places them as if they had been shortlisted, ahead of "
                "every alternate. Decide the shortlist again, or give a reason."
            ),
            {"count": facts.undecided},
        )
    if facts.interview_decided:
        return Message(
            N_(
                "The interview round decided every application: the match left out those not "
                "selected and placed the shortlisted before any alternate."
            )
        )
    if facts.undecided:
        return Message(
            N_(
                "{count} applications are still submitted, screened or interviewed: "
                "publishing places them as if they had been shortlisted."
            ),
            {"count": facts.undecided},
        )
    return Message(N_("No application is waiting for screening or an interview."))


def _result(check: PublicationCheck, passed: bool, detail: Message) -> CheckResult:
    return CheckResult(check, passed, detail, check in OVERRIDABLE)


@dataclass(frozen=True)
class Refusal:
    """Why publication may not go ahead: blocking failures, and overridable ones without a
    reason."""

    blocked: tuple[PublicationCheck, ...]
    unexplained: tuple[PublicationCheck, ...]


def refusal(results: tuple[CheckResult, ...], reasons: Mapping[str, str]) -> Refusal | None:
    """None when publication may go ahead: every failed check is overridable and has a
    reason that is not blank."""
    failed = [r for r in results if not r.passed]
    blocked = tuple(r.check for r in failed if not r.overridable)
    unexplained = tuple(
        r.check for r in failed if r.overridable and not (reasons.get(r.check.value) or "").strip()
    )
    return Refusal(blocked, unexplained) if blocked or unexplained else None


def overrides_used(results: tuple[CheckResult, ...], reasons: Mapping[str, str]) -> dict[str, str]:
    """The reasons that actually overrode a failed check, for the audit record (reasons given
    for checks that passed are dropped)."""
    return {
        r.check.value: reasons[r.check.value].strip()
        for r in results
        if not r.passed and r.overridable and (reasons.get(r.check.value) or "").strip()
    }
