"""Evaluates a path's eligibility rules against a profile; the rulebook supplies the limits."""

from __future__ import annotations

from altmatch.domain.profile import Profile
from altmatch.rulebook.schema import (
    AltYearsAtLeast,
    AnyOf,
    Check,
    CitizenshipIn,
    DegreeAtLeast,
    EligibilityRule,
    EnglishIn,
    JlptAtLeast,
    PathInfo,
    PriorJetYearsAtMost,
    ResidenceIs,
    StatusOfResidenceIn,
    TeachingYearsAtLeast,
    YearsInJapanRecentAtMost,
)


def passes(check: Check, profile: Profile) -> bool:
    """True when the profile meets one check."""
    match check:
        case DegreeAtLeast(value=minimum):
            return profile.degree.rank >= minimum.rank
        case CitizenshipIn(values=codes):
            return profile.citizenship.upper() in {c.upper() for c in codes}
        case EnglishIn(values=levels):
            return profile.english in levels
        case PriorJetYearsAtMost(value=limit):
            return profile.prior_jet_years <= limit
        case YearsInJapanRecentAtMost(value=limit):
            return profile.years_in_japan_recent <= limit
        case TeachingYearsAtLeast(value=minimum):
            return profile.teaching_years >= minimum
        case AltYearsAtLeast(value=minimum):
            return profile.alt_years >= minimum
        case JlptAtLeast(value=minimum):
            return profile.jlpt.rank >= minimum.rank
        case ResidenceIs(value=place):
            return profile.residence is place
        case StatusOfResidenceIn(values=statuses):
            return profile.status_of_residence is not None and (
                profile.status_of_residence in statuses
            )
        case AnyOf(checks=alternatives):
            return any(passes(alt, profile) for alt in alternatives)
    raise TypeError(f"unknown check {check!r}")  # pragma: no cover - the union is closed


def failed_rules(path: PathInfo, profile: Profile) -> list[EligibilityRule]:
    """Every rule of the path that the profile does not meet, in rulebook order."""
    return [rule for rule in path.eligibility if not passes(rule.check, profile)]
