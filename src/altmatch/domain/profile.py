"""Who a prospective ALT is and what they care about: the advisor's two inputs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from altmatch.rulebook.vocabulary import (
    Degree,
    Dimension,
    English,
    Jlpt,
    Residence,
    StatusOfResidence,
)


@dataclass(frozen=True)
class Profile:
    """Facts about a prospective ALT that eligibility and pay depend on."""

    degree: Degree
    citizenship: str
    english: English
    teaching_years: int = 0
    alt_years: int = 0
    jlpt: Jlpt = Jlpt.NONE
    residence: Residence = Residence.OVERSEAS
    status_of_residence: StatusOfResidence | None = None
    driving_licence: bool = False
    prior_jet_years: int = 0
    years_in_japan_recent: int = 0
    earliest_start: dt.date | None = None
    # Added for issue 18; None means "not answered", which the advisor says rather than guesses.
    age: int | None = None  # whole years at the start date (nursing-care insurance at 40-64)
    english_education_years: int | None = None  # schooling taught in English (Instructor visa)
    jet_left_year: int | None = None  # calendar year the last JET contract ended
    jet_declined_year: int | None = None  # departure year of a JET placement the person declined
    japanese_national: bool = False  # also holds Japanese nationality (a dual national)
    prefecture: str | None = None  # where the work would be, when known (health insurance rate)


@dataclass(frozen=True)
class Priorities:
    """How much each dimension matters to the candidate, 0 (not at all) to 5."""

    weights: Mapping[Dimension, int] = field(default_factory=dict)

    def weight(self, dimension: Dimension) -> int:
        return self.weights.get(dimension, 1)

    @property
    def effective(self) -> dict[Dimension, int]:
        """The weights to score with; all zero means 'no preference', i.e. equal weights."""
        weights = {d: self.weight(d) for d in Dimension}
        if not any(weights.values()):
            return dict.fromkeys(Dimension, 1)
        return weights
