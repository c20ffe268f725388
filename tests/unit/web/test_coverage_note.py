"""The coverage page's method note reads in Japanese: the rulebook's rationale is a catalog
message (web/pages/dispatch/coverage.py), and this fails when the rulebook's words change
without it."""

from __future__ import annotations

import re

from altmatch.i18n import render
from altmatch.rulebook import load_rulebook
from altmatch.web.pages.dispatch.coverage import COVERAGE_RATIONALE


def test_the_rulebooks_coverage_rationale_has_its_japanese() -> None:
    rationale = load_rulebook().dispatch_operations.coverage.rationale
    assert rationale == COVERAGE_RATIONALE
    japanese = render(rationale, "ja")
    assert japanese != rationale and re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", japanese)
    assert render(rationale, "en") == rationale
