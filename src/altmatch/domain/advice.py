"""The path advisor: which of JET, dispatch and direct hire are open to a person, and which fits.

`advise` is pure: the same profile, priorities, rulebook and day always give the same advice.
Each path gets a 0-5 score per dimension (pay and speed computed, the rest rated in the
rulebook), a weighted score under the person's priorities, and the reasons that drove it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from altmatch.domain.eligibility import Caveat, assess
from altmatch.domain.pension_refund import PensionRefund
from altmatch.domain.profile import Priorities, Profile
from altmatch.domain.take_home import PayBasis, PayEstimate, YearPay, estimate_pay
from altmatch.domain.timeline import NextStep, months_between, next_step
from altmatch.i18n import N_, Message, label
from altmatch.rulebook.schema import EligibilityRule, PathInfo, Rulebook
from altmatch.rulebook.vocabulary import Dimension, HiringPath, Residence

MAX_SCORE = 5.0


@dataclass(frozen=True)
class PathAdvice:
    """Everything the advisor concludes about one path for one person."""

    path: HiringPath
    info: PathInfo
    failed_rules: tuple[EligibilityRule, ...]
    caveats: tuple[Caveat, ...]
    pay: tuple[YearPay, ...]
    dimension_scores: Mapping[Dimension, float]
    score: float
    reasons: tuple[Message, ...]
    next_step: NextStep
    pay_basis: PayBasis | None = None  # what the pay estimate assumed
    # Dispatch: the same pay under national health insurance and pension (None elsewhere).
    pay_without_employee_insurance: tuple[YearPay, ...] | None = None
    # What leaving Japan after the years shown gives back of the pension premiums, under the
    # path's scheme and (dispatch) under the national pension; None when nothing is claimable.
    pension_refund: PensionRefund | None = None
    pension_refund_without_employee_insurance: PensionRefund | None = None

    @property
    def eligible(self) -> bool:
        return not self.failed_rules

    @property
    def five_year_take_home(self) -> int:
        return sum(year.take_home for year in self.pay)


@dataclass(frozen=True)
class Advice:
    """Paths ordered best first: eligible ones by score, then ineligible ones by score."""

    rulebook_year: int
    rulebook_as_of: dt.date
    today: dt.date
    priorities: Mapping[Dimension, int]
    paths: tuple[PathAdvice, ...]

    def for_path(self, path: HiringPath) -> PathAdvice:
        return next(p for p in self.paths if p.path is path)


def advise(
    profile: Profile, priorities: Priorities, rulebook: Rulebook, *, today: dt.date
) -> Advice:
    """Compare every path for this profile under these priorities (see module docstring)."""
    weights = priorities.effective
    wanted = profile.earliest_start or today
    steps = {
        path: next_step(
            info.timeline,
            today=today,
            earliest_start=profile.earliest_start,
            country=profile.citizenship,
        )
        for path, info in rulebook.paths.items()
    }
    # Pay month by month from the start this advice proposes (or the path's usual start month
    # next year when none is published); newcomers from abroad leave after the last year.
    estimates: dict[HiringPath, PayEstimate] = {
        path: estimate_pay(
            info.pay,
            rulebook.take_home,
            start=steps[path].start or dt.date(today.year + 1, info.timeline.start_months[0], 1),
            start_assumed=steps[path].start is None,
            resident=profile.residence is Residence.JAPAN or not info.arrives_from_overseas,
            age=profile.age,
            prefecture=profile.prefecture,
        )
        for path, info in rulebook.paths.items()
    }
    pays = {path: estimate.years for path, estimate in estimates.items()}
    japanese = profile.japanese_national or profile.citizenship == "JP"
    assessments = {
        path: assess(info, profile, start=steps[path].start)
        for path, info in rulebook.paths.items()
    }
    best_total = max(sum(y.take_home for y in pay) for pay in pays.values())
    scores: dict[HiringPath, dict[Dimension, float]] = {}
    for path, info in rulebook.paths.items():
        total = sum(y.take_home for y in pays[path])
        scores[path] = {
            Dimension.PAY: _pay_score(total, best_total, rulebook),
            Dimension.SPEED: _speed_score(steps[path], wanted, rulebook),
            **{dim: rating.score for dim, rating in info.ratings.items()},
        }
    means = {d: sum(s[d] for s in scores.values()) / len(scores) for d in Dimension}
    advised = [
        PathAdvice(
            path=path,
            info=info,
            failed_rules=assessments[path].failed,
            caveats=assessments[path].caveats,
            pay=pays[path],
            dimension_scores=scores[path],
            score=_weighted(scores[path], weights),
            reasons=_reasons(info, scores[path], means, weights, pays[path], steps[path]),
            next_step=steps[path],
            pay_basis=estimates[path].basis,
            pay_without_employee_insurance=estimates[path].without_employee_insurance,
            # Only foreign nationals can claim one: none for a Japanese or dual national.
            pension_refund=None if japanese else estimates[path].refund,
            pension_refund_without_employee_insurance=(
                None if japanese else estimates[path].refund_without_employee_insurance
            ),
        )
        for path, info in rulebook.paths.items()
    ]
    advised.sort(key=lambda a: (not a.eligible, -a.score, list(HiringPath).index(a.path)))
    return Advice(
        rulebook_year=rulebook.year,
        rulebook_as_of=rulebook.as_of,
        today=today,
        priorities=weights,
        paths=tuple(advised),
    )


def _clamp(value: float) -> float:
    return max(0.0, min(MAX_SCORE, value))


def _pay_score(total: int, best_total: int, rulebook: Rulebook) -> float:
    if best_total <= 0:
        return 0.0
    percent_below = 100.0 * (best_total - total) / best_total
    return round(
        _clamp(MAX_SCORE - percent_below * rulebook.scoring.pay_points_per_percent_below_best), 2
    )


def _speed_score(step: NextStep, wanted: dt.date, rulebook: Rulebook) -> float:
    if step.start is None:
        return 0.0
    waiting = max(0.0, months_between(wanted, step.start))
    return round(_clamp(MAX_SCORE - waiting * rulebook.scoring.speed_points_per_month_waiting), 2)


def _weighted(scores: Mapping[Dimension, float], weights: Mapping[Dimension, int]) -> float:
    total_weight = sum(weights.values())
    return round(sum(scores[d] * w for d, w in weights.items()) / total_weight, 2)


def _reasons(
    info: PathInfo,
    scores: Mapping[Dimension, float],
    means: Mapping[Dimension, float],
    weights: Mapping[Dimension, int],
    pay: tuple[YearPay, ...],
    step: NextStep,
) -> tuple[Message, ...]:
    """The dimensions that most set this path apart, weighted by what the person cares about:
    up to three strengths, then the biggest drawback."""
    edge = {d: weights[d] * (scores[d] - means[d]) for d in Dimension if weights[d] > 0}
    ranked = sorted(edge, key=lambda d: (-edge[d], list(Dimension).index(d)))
    strengths = [d for d in ranked if edge[d] > 0][:3]
    drawbacks = [d for d in reversed(ranked) if edge[d] < 0][:1]
    messages = [
        Message(N_("Strength: {detail}"), {"detail": _detail(d, info, pay, step)})
        for d in strengths
    ]
    messages += [
        Message(N_("Drawback: {detail}"), {"detail": _detail(d, info, pay, step)})
        for d in drawbacks
    ]
    return tuple(messages)


def _detail(
    dimension: Dimension, info: PathInfo, pay: tuple[YearPay, ...], step: NextStep
) -> Message:
    name = Message(label(dimension))
    if dimension is Dimension.PAY:
        total = sum(year.take_home for year in pay)
        return Message(
            N_("{label}: about ¥{amount:,} take-home over five years"),
            {"label": name, "amount": total},
        )
    if dimension is Dimension.SPEED:
        if step.start is None:
            return Message(N_("{label}: no start date is published yet"), {"label": name})
        return Message(
            N_("{label}: you could start on {date}"),
            {"label": name, "date": step.start.isoformat()},
        )
    return Message(
        N_("{label}: {reason}"), {"label": name, "reason": info.ratings[dimension].reason}
    )
