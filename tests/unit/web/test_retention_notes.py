"""The retention and contract health pages' method notes read in Japanese: the rulebook's
rationales are catalog messages with the same words, and have their Japanese."""

from __future__ import annotations

from altmatch.i18n import render
from altmatch.rulebook import load_rulebook
from altmatch.web.pages.dispatch.contract_health import HEALTH_RATIONALE, RISK_RATIONALE


def test_the_rulebooks_rationales_are_the_catalog_messages() -> None:
    rules = load_rulebook().dispatch_retention
    assert rules.risk.rationale == RISK_RATIONALE
    assert rules.contract_health.rationale == HEALTH_RATIONALE


def test_they_read_in_japanese() -> None:
    assert render(RISK_RATIONALE, "ja").startswith("加点方式")
    assert render(HEALTH_RATIONALE, "ja").startswith("欠員がある")
