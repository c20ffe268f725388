"""The publication checks as pure rules: which fail, which a reason may override, and which
reasons the audit keeps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from altmatch.domain.publication import (
    PublicationCheck,
    PublicationFacts,
    overrides_used,
    publication_checks,
    refusal,
)

NOW = datetime(2027, 2, 10, 3, 0, tzinfo=UTC)
ALL_WELL = PublicationFacts(
    now=NOW,
    request_deadline=NOW - timedelta(days=1),
    undecided=0,
    inputs_changed=False,
    blocking_pairs=0,
    upgrade=False,
)


def _failed(facts: PublicationFacts) -> set[PublicationCheck]:
    return {r.check for r in publication_checks(facts) if not r.passed}


def test_a_season_ready_to_publish_passes_every_check_and_needs_no_reason() -> None:
    results = publication_checks(ALL_WELL)
    assert {r.check for r in results} == set(PublicationCheck)
    assert _failed(ALL_WELL) == set() and refusal(results, {}) is None


@pytest.mark.parametrize(
    ("change", "failing"),
    [
        ({"request_deadline": NOW + timedelta(seconds=1)}, PublicationCheck.DEADLINE_PASSED),
        ({"request_deadline": NOW}, None),  # the deadline is the moment requests close
        ({"undecided": 1}, PublicationCheck.APPLICATIONS_DECIDED),
        ({"inputs_changed": True}, PublicationCheck.INPUTS_UNCHANGED),
        ({"blocking_pairs": 2}, PublicationCheck.STABLE),
    ],
)
def test_each_fact_fails_its_own_check(change: dict[str, object], failing: object) -> None:
    facts = PublicationFacts(**{**ALL_WELL.__dict__, **change})  # type: ignore[arg-type]
    assert _failed(facts) == ({failing} if failing else set())


def test_an_upgrade_is_checked_for_stability_only() -> None:
    facts = PublicationFacts(
        **{**ALL_WELL.__dict__, "upgrade": True, "undecided": 5, "inputs_changed": True}
    )
    assert {r.check for r in publication_checks(facts)} == {PublicationCheck.STABLE}


def test_a_reason_overrides_a_failed_check_but_never_changed_inputs() -> None:
    facts = PublicationFacts(
        **{**ALL_WELL.__dict__, "undecided": 3, "request_deadline": NOW + timedelta(days=2)}
    )
    results = publication_checks(facts)
    refused = refusal(results, {"deadline_passed": "agreed"})
    assert refused is not None and refused.unexplained == (PublicationCheck.APPLICATIONS_DECIDED,)
    reasons = {"deadline_passed": " agreed ", "applications_decided": "late files", "stable": "x"}
    assert refusal(results, reasons) is None
    assert overrides_used(results, reasons) == {
        "deadline_passed": "agreed",
        "applications_decided": "late files",
    }  # a reason for a check that passed is not kept

    changed = publication_checks(PublicationFacts(**{**ALL_WELL.__dict__, "inputs_changed": True}))
    blocked = refusal(changed, {check.value: "please" for check in PublicationCheck})
    assert blocked is not None and blocked.blocked == (PublicationCheck.INPUTS_UNCHANGED,)


def test_after_an_interview_decision_the_uncovered_applications_need_a_reason() -> None:
    """With a decision, `undecided` counts what it did not cover; the detail says so and says
    how to fix it; none left, the check passes and says the decision bound the match."""
    decided = PublicationFacts(**{**ALL_WELL.__dict__, "interview_decided": True})
    check = PublicationCheck.APPLICATIONS_DECIDED
    passed = next(r for r in publication_checks(decided) if r.check is check)
    assert passed.passed and "left out those not selected" in passed.detail.template
    late = PublicationFacts(**{**decided.__dict__, "undecided": 2})
    failed = next(r for r in publication_checks(late) if r.check is check)
    assert not failed.passed and failed.overridable and failed.detail.params == {"count": 2}
    assert "Decide the shortlist again" in failed.detail.template
    assert refusal(publication_checks(late), {check.value: "late applicants"}) is None
