"""Give path advice: validate a profile, run the pure advisor, and shape the shared read model.

The read model (`AdviceOut`) is the documented JSON format: the API returns it, the CLI prints
it with --json, and the pages render it, so all three always agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import fields
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel

from altmatch.clock import today_in_japan
from altmatch.domain.advice import Advice, PathAdvice, advise
from altmatch.domain.direct_hire import Declared
from altmatch.domain.pension_refund import PensionRefund, PensionScheme
from altmatch.domain.take_home import YearPay
from altmatch.i18n import label, render
from altmatch.rulebook import Rulebook, load_rulebook
from altmatch.rulebook.schema import Sourced
from altmatch.rulebook.vocabulary import Dimension, HiringPath
from altmatch.services.advice.guidance import GuidanceOut, PlanStepOut, guidance_out, plan_out
from altmatch.services.advice.jet_chance import ChanceOut, jet_chance
from altmatch.services.advice.profile_input import ProfileInput
from altmatch.services.direct_hire.posting_links import PostingLinkOut
from altmatch.services.support.measured import EmployerMeasuredOut, MeasuredSupportOut

if TYPE_CHECKING:
    # The database is needed only with `sessions`; `altmatch advise` has none and so loads
    # neither SQLAlchemy nor the models (issue 16): the functions below import what they use.
    from altmatch.db import Sessions


class FailedRuleOut(BaseModel):
    id: str
    reason: str
    fix: str


class CaveatOut(BaseModel):
    """A rule that leaves the path open but needs attention: `unanswered` when the profile
    left out what it needs (the `fix` says what to add), `advisory` when a typical
    requirement is not met."""

    id: str
    kind: Literal["unanswered", "advisory"]
    reason: str
    fix: str


class YearPayOut(BaseModel):
    year: int
    gross: int
    take_home: int
    deductions: dict[str, int]


class PayBasisOut(BaseModel):
    """What a path's pay estimate assumed, shown under its pay table."""

    start_month: str  # YYYY-MM: contract years run twelve months from here
    start_assumed: bool  # no start date known: the path's usual start month next year
    health_insurance_rate: float  # kyōkai kenpo's total rate used; the employee pays half
    prefecture: str | None  # the prefecture that rate is for; None = the national average
    prefecture_assumed: bool  # the profile gave no prefecture
    age: int | None
    age_assumed: bool  # no age given: taken as under nursing_care_from_age
    nursing_care_years: list[int]  # contract years with nursing-care insurance
    nursing_care_from_age: int  # the age nursing-care insurance starts at
    earlier_income_assumed: bool  # already earning in Japan: earlier years at the same pay
    departure_assumed: bool  # arriving from abroad: leaves Japan after the last year shown
    reduced_months: dict[int, float]  # calendar month -> share of monthly pay paid
    reference_municipality: str | None = None  # national health insurance rates' municipality


class AdviceBenefitOut(BaseModel):
    id: str
    label: str
    value: str
    estimate: bool


class NextStepOut(BaseModel):
    apply_from: dt.date | None
    apply_by: dt.date | None
    # Set when the deadline differs by country and the applicant's is not listed: applications
    # close between apply_by and apply_by_latest.
    apply_by_latest: dt.date | None = None
    for_country: bool = False  # the window is the applicant's own country's
    start: dt.date | None
    year_round: bool
    summary: str


class SourceOut(BaseModel):
    topic: str
    source: str
    as_of: dt.date
    estimate: bool


class PensionRefundOut(BaseModel):
    """A lump-sum withdrawal (脱退一時金): `base` x `multiplier` = `amount`, of which
    `withheld` is income tax (reclaimable by filing a return through a tax representative)."""

    scheme: PensionScheme
    months: int
    counted_months: int
    base: int
    multiplier: float
    amount: int
    withheld: int
    after_withholding: int
    claim_within_years: int


class PathOut(BaseModel):
    path: HiringPath
    name: str
    employer: str
    support_model: str
    eligible: bool
    failed_rules: list[FailedRuleOut]
    caveats: list[CaveatOut] = []
    pay: list[YearPayOut]
    five_year_take_home: int
    pay_is_estimate: bool
    pay_basis: PayBasisOut | None = None
    # Dispatch only: the same pay without employees' insurance, under national health
    # insurance and the national pension (some companies do not enrol their ALTs).
    pay_without_employee_insurance: list[YearPayOut] | None = None
    # Leaving Japan after the years shown (a foreign national): the lump-sum withdrawal of
    # pension premiums, under the path's scheme and (dispatch) under the national pension.
    pension_refund: PensionRefundOut | None = None
    pension_refund_without_employee_insurance: PensionRefundOut | None = None
    score: float
    dimension_scores: dict[Dimension, float]
    reasons: list[str]
    benefits: list[AdviceBenefitOut]
    next_step: NextStepOut
    sources: list[SourceOut]
    chance: ChanceOut | None = None  # JET only, when eligible: the estimated chance of placement
    # Direct hire only, when eligible: open postings whose requirements the profile meets.
    postings: list[PostingLinkOut] = []
    # Support as measured over the path's closed support cases, shown beside the editorial
    # rating (ratings.support) once the rulebook's support.metrics.min_cases_for_advisor exist.
    measured_support: MeasuredSupportOut | None = None
    # The same figures per BoE or company on this path, for those with enough closed cases.
    measured_support_by_employer: list[EmployerMeasuredOut] = []


class RulebookOut(BaseModel):
    year: int
    as_of: dt.date


class AdviceOut(BaseModel):
    """The advisor's answer; `paths` are ordered best first, ineligible ones last."""

    rulebook: RulebookOut
    locale: str
    today: dt.date
    priorities: dict[Dimension, int]
    dimension_labels: dict[Dimension, str]
    paths: list[PathOut]
    # The whole decision (issue 18): sourced topics comparing the paths and the interview
    # rubric, and the person's dated steps on every path open to them.
    guidance: GuidanceOut
    plan: list[PlanStepOut]

    def for_path(self, path: HiringPath | str) -> PathOut:
        return next(p for p in self.paths if p.path == path)


def give_advice(
    profile: ProfileInput,
    *,
    locale: str = "en",
    rulebook: Rulebook | None = None,
    today: dt.date | None = None,
    sessions: Sessions | None = None,
) -> AdviceOut:
    """Advise on a validated profile, rendered in `locale`. With `sessions`, an eligible
    direct-hire path also lists the open postings the profile qualifies for, and each path
    with enough closed support cases carries its measured support figures."""
    book = rulebook or load_rulebook()
    day = today or today_in_japan()
    advice = advise(profile.to_domain(), profile.priorities.to_domain(), book, today=day)
    out = advice_out(advice, book, locale)
    for path in out.paths:
        if path.path is HiringPath.JET and path.eligible:
            path.chance = jet_chance(profile.citizenship, book, locale, today=day)
    if sessions is not None:
        link_postings(out, profile, sessions, locale=locale)
        link_measured_support(out, sessions, locale=locale, rulebook=book)
    return out


def link_postings(
    out: AdviceOut, profile: ProfileInput, sessions: Sessions, *, locale: str = "en"
) -> AdviceOut:
    """Fill the direct-hire path's `postings` with the open postings whose every requirement
    the profile meets (only when the advisor finds direct hire open to the profile)."""
    from altmatch.services.direct_hire.postings import postings_for

    for path in out.paths:
        if path.path is HiringPath.DIRECT_HIRE and path.eligible:
            declared = Declared.from_profile(profile.to_domain())
            path.postings = postings_for(sessions, declared, locale=locale)
    return out


def link_measured_support(
    out: AdviceOut, sessions: Sessions, *, locale: str = "en", rulebook: Rulebook | None = None
) -> AdviceOut:
    """Fill `measured_support` for each path whose employers have at least the rulebook's
    `support.metrics.min_cases_for_advisor` closed cases, across all its employers.

    The score is unchanged: the editorial rating stays the advisor's support dimension, and the
    measured figures are shown beside it, because a path-wide median over whoever happens to
    use altmatch is not yet comparable across paths on the rating's 0-5 scale.
    """
    from altmatch.services.support.metrics import measured_support

    measured, by_employer = measured_support(sessions, locale=locale, rulebook=rulebook)
    for path in out.paths:
        path.measured_support = measured.get(path.path)
        path.measured_support_by_employer = by_employer.get(path.path, [])
    return out


def advice_out(advice: Advice, rulebook: Rulebook, locale: str) -> AdviceOut:
    return AdviceOut(
        rulebook=RulebookOut(year=rulebook.year, as_of=rulebook.as_of),
        locale=locale,
        today=advice.today,
        priorities=dict(advice.priorities),
        dimension_labels={d: render(label(d), locale) for d in Dimension},
        paths=[_path_out(p, locale, rulebook) for p in advice.paths],
        guidance=guidance_out(rulebook, locale),
        plan=plan_out(advice, rulebook, locale),
    )


def _sources(p: PathAdvice) -> list[SourceOut]:
    entries: list[tuple[str, Sourced]] = [("pay", p.info.pay), ("timeline", p.info.timeline)]
    entries += [(rule.id, rule) for rule in p.info.eligibility]
    entries += [(f"benefit.{b.id}", b) for b in p.info.benefits]
    entries += [(f"rating.{d.value}", r) for d, r in p.info.ratings.items()]
    return [
        SourceOut(topic=topic, source=str(s.source), as_of=s.as_of, estimate=s.estimate)
        for topic, s in entries
    ]


def _year_out(y: YearPay) -> YearPayOut:
    return YearPayOut(
        year=y.year, gross=y.gross, take_home=y.take_home, deductions=y.deductions.as_dict()
    )


def _pay_basis_out(p: PathAdvice, locale: str, rulebook: Rulebook) -> PayBasisOut | None:
    basis = p.pay_basis
    if basis is None:
        return None
    municipality = rulebook.take_home.national_insurance.health.municipality
    return PayBasisOut(
        start_month=str(basis.start),
        start_assumed=basis.start_assumed,
        health_insurance_rate=basis.health_rate,
        prefecture=basis.prefecture,
        prefecture_assumed=basis.prefecture is None,
        age=basis.age,
        age_assumed=basis.age is None,
        nursing_care_years=list(basis.nursing_care_years),
        nursing_care_from_age=rulebook.take_home.social_insurance.nursing_care.from_age,
        earlier_income_assumed=basis.earlier_income,
        departure_assumed=basis.departs,
        reduced_months=dict(basis.reduced_months),
        reference_municipality=(
            None if p.pay_without_employee_insurance is None else municipality.get(locale)
        ),
    )


def _refund_out(refund: PensionRefund | None, rulebook: Rulebook) -> PensionRefundOut | None:
    if refund is None:
        return None
    facts = {f.name: getattr(refund, f.name) for f in fields(refund)}
    return PensionRefundOut(
        **facts
        | {
            "multiplier": float(refund.multiplier),
            "after_withholding": refund.after_withholding,
            "claim_within_years": rulebook.take_home.lump_sum_withdrawal.claim_within_years,
        }
    )


def _path_out(p: PathAdvice, locale: str, rulebook: Rulebook) -> PathOut:
    step = p.next_step
    return PathOut(
        path=p.path,
        name=p.info.name.get(locale),
        employer=p.info.employer.get(locale),
        support_model=p.info.support_model.get(locale),
        eligible=p.eligible,
        failed_rules=[
            FailedRuleOut(id=r.id, reason=r.description.get(locale), fix=r.fix.get(locale))
            for r in p.failed_rules
        ],
        caveats=[
            CaveatOut(
                id=c.rule.id,
                kind="unanswered" if c.unanswered else "advisory",
                reason=c.rule.description.get(locale),
                fix=(c.rule.unanswered or c.rule.fix if c.unanswered else c.rule.fix).get(locale),
            )
            for c in p.caveats
        ],
        pay=[_year_out(y) for y in p.pay],
        five_year_take_home=p.five_year_take_home,
        pay_basis=_pay_basis_out(p, locale, rulebook),
        pay_without_employee_insurance=(
            None
            if p.pay_without_employee_insurance is None
            else [_year_out(y) for y in p.pay_without_employee_insurance]
        ),
        pension_refund=_refund_out(p.pension_refund, rulebook),
        pension_refund_without_employee_insurance=_refund_out(
            p.pension_refund_without_employee_insurance, rulebook
        ),
        pay_is_estimate=p.info.pay.estimate,
        score=p.score,
        dimension_scores=dict(p.dimension_scores),
        reasons=[render(m, locale) for m in p.reasons],
        benefits=[
            AdviceBenefitOut(
                id=b.id, label=b.label.get(locale), value=b.value.get(locale), estimate=b.estimate
            )
            for b in p.info.benefits
        ],
        next_step=NextStepOut(
            apply_from=step.apply_from,
            apply_by=step.apply_by,
            apply_by_latest=step.apply_by_latest,
            for_country=step.for_country,
            start=step.start,
            year_round=step.year_round,
            summary=p.info.timeline.summary.get(locale),
        ),
        sources=_sources(p),
    )
