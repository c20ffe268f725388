"""A prospective applicant's chance of a JET placement, from a synthetic season.

The season is calibrated to public figures in the rulebook: new ALT places a year and how many
applicants compete for each (the applicant's own country's figure when published). Before the
interview nobody knows how an applicant will rank, so every applicant in the synthetic season
is tied and the lottery stands in for the interview; withdrawals and changes in demand come
from the rulebook's uncertainty model. Each calibration draw picks a ratio from the published
range, so the interval shows both season-to-season luck and how little the figures pin down.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from altmatch.i18n import N_, Message, render
from altmatch.rulebook import Rulebook
from altmatch.services.advice.jet_calibration import calibration


class ChanceOut(BaseModel):
    """An eligible applicant's estimated chance of placement, with the range it may lie in."""

    probability: float
    low: float
    high: float
    seasons: int
    applicants_per_place_low: float
    applicants_per_place_high: float
    drivers: list[str]


# A published ratio older than this is said to be old beside the estimate (issue 18).
_OLD_FIGURE_YEARS = 3


def jet_chance(citizenship: str, rulebook: Rulebook, locale: str, *, today: dt.date) -> ChanceOut:
    """The estimate for an eligible applicant from `citizenship`, from the edition's shipped
    calibration (see jet_calibration)."""
    jet = rulebook.chances.jet
    ratio = jet.ratio_for(citizenship)
    found = calibration(rulebook, ratio.country)
    scope = (
        Message(N_("applicants from your country ({country})"), {"country": ratio.country})
        if ratio.country
        else Message(N_("applicants worldwide"))
    )
    drivers = [
        Message(
            N_(
                "About {low:.1f} to {high:.1f} {scope} compete for each new ALT place "
                "(figures as of {as_of})."
            ),
            {
                "low": ratio.low,
                "high": ratio.high,
                "scope": scope,
                "as_of": ratio.as_of.isoformat(),
            },
        ),
        Message(
            N_(
                "About {places:,} new ALTs are placed a year; some placed applicants withdraw "
                "(about {withdrawal:.0%}) and their places go to alternates."
            ),
            {
                "places": jet.new_alts.value,
                "withdrawal": rulebook.chances.uncertainty.withdrawal.value,
            },
        ),
        Message(
            N_(
                "Your interview decides your rank, so the estimate treats every applicant alike; "
                "where you are placed is the programme's choice (you may state {n} preferences)."
            ),
            {"n": jet.preferences},
        ),
    ]
    age = today.year - ratio.as_of.year
    if age >= _OLD_FIGURE_YEARS:
        drivers.append(
            Message(
                N_(
                    "That figure is {years} years old, and the number of places has changed "
                    "since, so the range is wide: read the estimate as a rough guide."
                ),
                {"years": age},
            )
        )
    return ChanceOut(
        probability=round(found.probability, 3),
        low=round(found.low, 3),
        high=round(found.high, 3),
        seasons=found.seasons,
        applicants_per_place_low=ratio.low,
        applicants_per_place_high=ratio.high,
        drivers=[render(d, locale) for d in drivers],
    )
