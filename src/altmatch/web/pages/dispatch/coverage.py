"""The company's coverage page: summary, chart, hiring targets, tables and the ALTs at risk.
Its JSON twin is /api/v1/dispatch/coverage."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from altmatch.clock import today_in_japan
from altmatch.i18n import N_, render
from altmatch.services.dispatch.coverage import dispatch_coverage
from altmatch.web.auth import DispatchManagerDep
from altmatch.web.deps import SessionsDep
from altmatch.web.locale import LocaleDep
from altmatch.web.pages.dispatch.coverage_chart import coverage_chart
from altmatch.web.pages.templating import render_page

router = APIRouter()

# The rulebook keeps the coverage rule's rationale in English only; the same words as a catalog
# message let a Japanese reader read the method note too (a unit test fails when the rulebook's
# words change and this no longer matches them).
COVERAGE_RATIONALE = N_(
    "A year ahead covers both hiring intakes (April and August/September). An ALT who has not "
    "said they will renew is counted at risk, because companies must recruit months before a "
    "start date."
)

_MONTH = {"en": "MMM y", "ja": "y年M月"}
_SHORT = {"en": "MMM", "ja": "M月"}
_BABEL = {"en": "en_US", "ja": "ja_JP"}


def month_label(month: dt.date, locale: str, *, short: bool = False) -> str:
    """'Apr 2027' / '2027年4月', or on the chart's axis 'Apr' / '4月'."""
    pattern = (_SHORT if short else _MONTH).get(locale, _MONTH["en"])
    return str(format_date(month, pattern, locale=_BABEL.get(locale, "en_US")))


@router.get("/dispatch/coverage", response_class=HTMLResponse)
def coverage_page(
    request: Request,
    actor: DispatchManagerDep,
    sessions: SessionsDep,
    locale: LocaleDep,
    today: dt.date | None = None,
    region: str | None = None,
) -> HTMLResponse:
    found = dispatch_coverage(sessions, actor, today=today, region=region or None)
    context = {
        "found": found,
        "chart": coverage_chart(found.series),
        "month": lambda m, short=False: month_label(m, locale, short=short),
        "what_if": today is not None and today != today_in_japan(),
        "rationale": render(found.rule.rationale, locale),
        "start_names": ("、" if locale == "ja" else ", ").join(
            month_label(t.start_month, locale) for t in found.target_totals
        ),
    }
    return render_page(request, "dispatch_coverage.html", locale, context)
