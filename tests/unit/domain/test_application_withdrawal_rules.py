"""Who may withdraw their own application: under review or decided at interview, until the
outcome is published; never twice, nor once not selected, placed or contracted."""

from __future__ import annotations

import pytest

from altmatch.domain.application import (
    ApplicationStage,
    WithdrawalRefusal,
    withdrawal_refusal,
)
from altmatch.i18n import label


@pytest.mark.parametrize(
    "stage",
    ["submitted", "screened", "interviewed", "shortlisted", "alternate"],
)
def test_an_application_under_consideration_may_be_withdrawn_until_publication(
    stage: str,
) -> None:
    assert withdrawal_refusal(ApplicationStage(stage), published=False) is None
    assert withdrawal_refusal(ApplicationStage(stage), published=True) is (
        WithdrawalRefusal.PUBLISHED
    )


@pytest.mark.parametrize("stage", ["not_selected", "placed", "contracted"])
def test_a_decided_application_has_nothing_to_withdraw(stage: str) -> None:
    assert withdrawal_refusal(ApplicationStage(stage), published=False) is (
        WithdrawalRefusal.DECIDED
    )


def test_a_withdrawn_application_says_so_even_after_publication() -> None:
    for published in (False, True):
        assert withdrawal_refusal(ApplicationStage.WITHDRAWN, published=published) is (
            WithdrawalRefusal.WITHDRAWN
        )


def test_after_publication_the_refusal_says_whom_to_contact() -> None:
    assert "contact the programme" in label(WithdrawalRefusal.PUBLISHED)
