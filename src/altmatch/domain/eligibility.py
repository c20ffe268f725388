"""Evaluates a path's eligibility rules against a profile; the rulebook supplies the limits.

A check is met, not met, or unknown: unknown when the profile leaves out the fact it needs
(years of schooling in English, the year a former JET left) or the path has no intake to
measure a gap against. The advisor says so rather than guessing. A rule marked advisory is
what is typical, not a rule, so not meeting it warns and leaves the path open.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from altmatch.domain.profile import Profile
from altmatch.rulebook.schema import (
    AltYearsAtLeast,
    AnyOf,
    Check,
    CitizenshipIn,
    DegreeAtLeast,
    EligibilityRule,
    EnglishEducationYearsAtLeast,
    EnglishIn,
    JapaneseNational,
    JetDeclinedYearsBeforeStartAtLeast,
    JetLeftYearsBeforeStartAtLeast,
    JlptAtLeast,
    PathInfo,
    PriorJetYearsAtMost,
    ResidenceIs,
    StatusOfResidenceIn,
    StatusOfResidenceNotIn,
    TeachingYearsAtLeast,
    YearsInJapanRecentAtMost,
)


class Outcome(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"


def _of(condition: bool) -> Outcome:
    return Outcome.MET if condition else Outcome.NOT_MET


def outcome(check: Check, profile: Profile, *, start: dt.date | None = None) -> Outcome:
    """Whether the profile meets one check; `start` is the path's next intake (for the gaps
    former JETs must leave)."""
    match check:
        case DegreeAtLeast(value=minimum):
            return _of(profile.degree.rank >= minimum.rank)
        case CitizenshipIn(values=codes):
            return _of(profile.citizenship.upper() in {c.upper() for c in codes})
        case EnglishIn(values=levels):
            return _of(profile.english in levels)
        case PriorJetYearsAtMost(value=limit):
            return _of(profile.prior_jet_years <= limit)
        case YearsInJapanRecentAtMost(value=limit):
            return _of(profile.years_in_japan_recent <= limit)
        case TeachingYearsAtLeast(value=minimum):
            return _of(profile.teaching_years >= minimum)
        case AltYearsAtLeast(value=minimum):
            return _of(profile.alt_years >= minimum)
        case JlptAtLeast(value=minimum):
            return _of(profile.jlpt.rank >= minimum.rank)
        case ResidenceIs(value=place):
            return _of(profile.residence is place)
        case StatusOfResidenceIn(values=statuses):
            return _of(profile.status_of_residence in statuses)
        case StatusOfResidenceNotIn(values=statuses):
            return _of(profile.status_of_residence not in statuses)
        case EnglishEducationYearsAtLeast(value=minimum):
            if profile.english_education_years is None:
                return Outcome.UNKNOWN
            return _of(profile.english_education_years >= minimum)
        case JapaneseNational(value=wanted):
            return _of(profile.japanese_national is wanted)
        case JetLeftYearsBeforeStartAtLeast(value=gap):
            if profile.prior_jet_years == 0:
                return Outcome.MET
            return _gap(profile.jet_left_year, start, gap)
        case JetDeclinedYearsBeforeStartAtLeast(value=gap):
            if profile.jet_declined_year is None:
                return Outcome.MET
            return _gap(profile.jet_declined_year, start, gap)
        case AnyOf(checks=alternatives):
            outcomes = {outcome(alt, profile, start=start) for alt in alternatives}
            if Outcome.MET in outcomes:
                return Outcome.MET
            return Outcome.UNKNOWN if Outcome.UNKNOWN in outcomes else Outcome.NOT_MET
    raise TypeError(f"unknown check {check!r}")  # pragma: no cover - the union is closed


def _gap(year: int | None, start: dt.date | None, gap: int) -> Outcome:
    if year is None or start is None:
        return Outcome.UNKNOWN
    return _of(start.year - year >= gap)


def passes(check: Check, profile: Profile, *, start: dt.date | None = None) -> bool:
    """True when the profile is known to meet one check."""
    return outcome(check, profile, start=start) is Outcome.MET


@dataclass(frozen=True)
class Caveat:
    """A rule that leaves the path open but needs the person's attention: either it could not
    be checked (`unanswered`) or it is advisory and not met."""

    rule: EligibilityRule
    unanswered: bool


@dataclass(frozen=True)
class Assessment:
    """A path's rules against one profile: those that close it, and those to heed."""

    failed: tuple[EligibilityRule, ...]
    caveats: tuple[Caveat, ...]


def assess(path: PathInfo, profile: Profile, *, start: dt.date | None = None) -> Assessment:
    """Every rule of the path, in rulebook order, sorted into failed rules and caveats."""
    failed: list[EligibilityRule] = []
    caveats: list[Caveat] = []
    for rule in path.eligibility:
        result = outcome(rule.check, profile, start=start)
        if result is Outcome.UNKNOWN:
            caveats.append(Caveat(rule, unanswered=True))
        elif result is Outcome.NOT_MET:
            if rule.advisory:
                caveats.append(Caveat(rule, unanswered=False))
            else:
                failed.append(rule)
    return Assessment(failed=tuple(failed), caveats=tuple(caveats))


def failed_rules(
    path: PathInfo, profile: Profile, *, start: dt.date | None = None
) -> list[EligibilityRule]:
    """Every rule of the path that closes it to the profile, in rulebook order."""
    return list(assess(path, profile, start=start).failed)
