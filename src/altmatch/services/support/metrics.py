"""Support quality per employer, aggregated and anonymised, and measured support per path.

For each employer (a BoE or a dispatch company) the figures come from its support cases:
closed (resolved) cases, the median first response in business hours, the share resolved
within target and the reopen rate (domain.support.support_metrics). Below the rulebook's
`support.metrics.min_cases_to_show` closed cases no figure at all is given, not even the count,
so that nothing points to the people behind a case; no figure is ever per person.

Who sees what: BoE and company staff see their own organisation; coordinators every BoE in
their programme; administrators and the operator every employer.

The path advisor gets the same figures per hiring path, over every employer's cases on it, once
there are `support.metrics.min_cases_for_advisor` closed cases (`measured_support`).
"""

from __future__ import annotations

from collections import defaultdict

from pydantic import BaseModel
from sqlalchemy.orm import Session

from altmatch.db import Sessions
from altmatch.db import support as repo
from altmatch.db.models import Organisation
from altmatch.domain.access import (
    Actor,
    NotFoundError,
    OrgKind,
    Permission,
    Role,
    require,
    sees_organisation,
)
from altmatch.domain.business_calendar import BusinessCalendar
from altmatch.domain.support import CaseOutcome, SupportMetrics, support_metrics
from altmatch.i18n import N_, Message, render
from altmatch.rulebook import Rulebook, load_rulebook
from altmatch.rulebook.vocabulary import HiringPath
from altmatch.services.support.measured import EmployerMeasuredOut, MeasuredSupportOut

EMPLOYER_KINDS = (OrgKind.BOE.value, OrgKind.COMPANY.value)

NOT_ENOUGH = N_("Not enough closed cases to show figures (at least {n} are needed).")
MEASURED_FROM = N_("Measured from {cases} closed cases.")
MEDIAN_FIRST_RESPONSE = N_("Median first response: {hours} business hours.")
WITHIN_TARGET = N_("Resolved within target: {share}.")
REOPENED = N_("Reopened: {share}.")


class EmployerSupportOut(BaseModel):
    """One employer's figures; all None (and `shown` false) below the rulebook's minimum."""

    organisation_id: int
    kind: OrgKind
    name: str
    shown: bool
    note: str | None = None  # why there are no figures
    cases: int | None = None  # closed cases counted
    median_first_response_hours: float | None = None
    resolved_within_target: float | None = None  # share 0-1 (None: only emergencies)
    reopen_rate: float | None = None  # share 0-1


class SupportMetricsOut(BaseModel):
    """The employers the reader may see, by name."""

    min_cases_to_show: int
    employers: list[EmployerSupportOut]


def employer_support_metrics(
    sessions: Sessions,
    actor: Actor,
    *,
    organisation_id: int | None = None,
    locale: str = "en",
    rulebook: Rulebook | None = None,
) -> SupportMetricsOut:
    """The support figures of every employer the actor may see (or of one of them: another
    organisation answers NotFoundError, whether or not it exists)."""
    require(actor, Permission.SUPPORT_METRICS_VIEW)
    book = rulebook or load_rulebook()
    calendar = BusinessCalendar.from_rules(book.support.business_hours)
    minimum = book.support.metrics.min_cases_to_show
    with sessions() as session:
        employers = _visible_employers(session, actor)
        if organisation_id is not None:
            employers = [e for e in employers if e.id == organisation_id]
            if not employers:
                raise NotFoundError("organisation")
        outcomes = _outcomes_by_employer(session, [e.id for e in employers])
        return SupportMetricsOut(
            min_cases_to_show=minimum,
            employers=[
                _employer_out(
                    org,
                    support_metrics(outcomes.get(org.id, []), calendar, min_cases=minimum),
                    minimum,
                    locale,
                )
                for org in employers
            ],
        )


def measured_support_by_path(
    sessions: Sessions, *, locale: str = "en", rulebook: Rulebook | None = None
) -> dict[HiringPath, MeasuredSupportOut]:
    """Each hiring path with at least `min_cases_for_advisor` closed cases across its
    employers, with its figures; paths with fewer are left out."""
    return measured_support(sessions, locale=locale, rulebook=rulebook)[0]


def measured_support(
    sessions: Sessions, *, locale: str = "en", rulebook: Rulebook | None = None
) -> tuple[dict[HiringPath, MeasuredSupportOut], dict[HiringPath, list[EmployerMeasuredOut]]]:
    """What the advisor shows of support, from one read of the cases' timelines: each path's
    figures across its employers, and per path each BoE or company with enough closed cases
    on it, by name (the supervisor and the office behind them matter more than the path,
    issue 18). Only paths and employers with `min_cases_for_advisor` closed cases appear."""
    book = rulebook or load_rulebook()
    calendar = BusinessCalendar.from_rules(book.support.business_hours)
    minimum = book.support.metrics.min_cases_for_advisor
    grouped: dict[tuple[int, str], list[CaseOutcome]] = defaultdict(list)
    with sessions() as session:
        for employer_id, path, timeline in repo.timelines_by_employer_and_path(session):
            grouped[(employer_id, path)].append(_outcome(timeline))
        organisations = repo.organisations_by_id(session, {e for e, _ in grouped})
    by_path: dict[HiringPath, MeasuredSupportOut] = {}
    for path in HiringPath:
        outcomes = [o for (_, p), found in grouped.items() if p == path.value for o in found]
        figures = support_metrics(outcomes, calendar, min_cases=minimum)
        if figures is not None:
            by_path[path] = _measured_out(figures, locale)
    by_employer: dict[HiringPath, list[EmployerMeasuredOut]] = defaultdict(list)
    for (employer_id, path), outcomes in grouped.items():
        figures = support_metrics(outcomes, calendar, min_cases=minimum)
        org = organisations.get(employer_id)
        if figures is None or org is None or path not in set(HiringPath):
            continue
        name = org.name_ja if locale == "ja" else org.name_en
        by_employer[HiringPath(path)].append(
            EmployerMeasuredOut(
                organisation_id=org.id, name=name, measured=_measured_out(figures, locale)
            )
        )
    return by_path, {
        path: sorted(rows, key=lambda r: (r.name, r.organisation_id))
        for path, rows in by_employer.items()
    }


def share_text(share: float) -> str:
    """A share as a whole percentage, e.g. 0.834 → '83%'."""
    return f"{round(share * 100)}%"


def _measured_out(figures: SupportMetrics, locale: str) -> MeasuredSupportOut:
    parts = [Message(MEASURED_FROM, {"cases": figures.cases})]
    if figures.median_first_response_hours is not None:
        hours = f"{figures.median_first_response_hours:.1f}"
        parts.append(Message(MEDIAN_FIRST_RESPONSE, {"hours": hours}))
    if figures.resolved_within_target is not None:
        parts.append(Message(WITHIN_TARGET, {"share": share_text(figures.resolved_within_target)}))
    parts.append(Message(REOPENED, {"share": share_text(figures.reopen_rate)}))
    return MeasuredSupportOut(
        cases=figures.cases,
        median_first_response_hours=_round(figures.median_first_response_hours, 2),
        resolved_within_target=_round(figures.resolved_within_target, 4),
        reopen_rate=round(figures.reopen_rate, 4),
        summary=" ".join(render(p, locale) for p in parts),
    )


def _employer_out(
    org: Organisation, figures: SupportMetrics | None, minimum: int, locale: str
) -> EmployerSupportOut:
    common = {
        "organisation_id": org.id,
        "kind": OrgKind(org.kind),
        "name": org.name_ja if locale == "ja" else org.name_en,
    }
    if figures is None:
        note = render(Message(NOT_ENOUGH, {"n": minimum}), locale)
        return EmployerSupportOut(**common, shown=False, note=note)
    return EmployerSupportOut(
        **common,
        shown=True,
        cases=figures.cases,
        median_first_response_hours=_round(figures.median_first_response_hours, 2),
        resolved_within_target=_round(figures.resolved_within_target, 4),
        reopen_rate=round(figures.reopen_rate, 4),
    )


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _visible_employers(session: Session, actor: Actor) -> list[Organisation]:
    """BoEs and companies whose figures the actor may see, by name."""
    if actor.role is Role.ADMIN:
        rows = repo.organisations_by_name(session, EMPLOYER_KINDS)
    elif actor.organisation_id is None:
        return []  # a coordinator or staff member of no organisation sees none
    elif actor.role is Role.COORDINATOR:
        boes = (OrgKind.BOE.value,)
        rows = repo.organisations_by_name(session, boes, programme_id=actor.organisation_id)
    else:
        rows = repo.organisations_by_name(
            session, EMPLOYER_KINDS, organisation_id=actor.organisation_id
        )
    # The access rule decides; the queries above only keep the scan small.
    return [o for o in rows if sees_organisation(actor, o.id, programme_id=o.programme_id)]


def _outcomes_by_employer(session: Session, ids: list[int]) -> dict[int, list[CaseOutcome]]:
    """Every case's timeline for the given employers. Nothing that names a person is read."""
    grouped: dict[int, list[CaseOutcome]] = defaultdict(list)
    for employer_id, timeline in repo.timelines_by_employer(session, ids):
        grouped[employer_id].append(_outcome(timeline))
    return grouped


def _outcome(timeline: repo.CaseTimeline) -> CaseOutcome:
    opened, responded, resolved, response_due, resolution_due, reopened = timeline
    return CaseOutcome(
        opened_at=opened,
        first_responded_at=responded,
        resolved_at=resolved,
        first_response_due=response_due,
        resolution_due=resolution_due,
        reopened_count=reopened,
    )
