"""The advisor's input as people and scripts send it: validated once for CLI, API and pages."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from typing import Annotated

from babel import Locale
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from altmatch.domain.profile import Priorities, Profile
from altmatch.i18n import render
from altmatch.rulebook.vocabulary import (
    Degree,
    Dimension,
    English,
    Jlpt,
    Residence,
    StatusOfResidence,
)
from altmatch.services.kernel.validation import validation_messages

Years = Annotated[int, Field(ge=0, le=60)]
Weight = Annotated[int, Field(ge=0, le=5)]


@functools.cache
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes known to CLDR (via Babel), minus its placeholder regions."""
    placeholders = {"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB"}
    territories: Mapping[str, str] = Locale("en").territories
    return frozenset(
        code
        for code in territories
        if len(code) == 2 and code.isalpha() and code not in placeholders
    )


def country_name(code: str, locale: str) -> str:
    names: Mapping[str, str] = Locale(locale).territories
    return names.get(code, code)


class PrioritiesInput(BaseModel):
    """Weights from 0 (does not matter) to 5 (matters most); unset ones count 1."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    pay: Weight = 1
    stability: Weight = 1
    support: Weight = 1
    location: Weight = 1
    prestige: Weight = 1
    speed: Weight = 1

    def to_domain(self) -> Priorities:
        return Priorities({d: getattr(self, d.value) for d in Dimension})


class ProfileInput(BaseModel):
    """The documented profile format (see examples/profile.yaml)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    degree: Degree = Field(description="Highest degree held by the start date.")
    citizenship: str = Field(description="ISO 3166-1 alpha-2 country code, e.g. GB.")
    english: English = Field(description="English ability.")
    teaching_years: Years = 0
    alt_years: Years = 0
    jlpt: Jlpt = Jlpt.NONE
    residence: Residence = Residence.OVERSEAS
    status_of_residence: StatusOfResidence | None = Field(
        default=None, description="Only when living in Japan."
    )
    driving_licence: bool = False
    prior_jet_years: Annotated[int, Field(ge=0, le=10)] = 0
    years_in_japan_recent: Annotated[int, Field(ge=0, le=10)] = Field(
        default=0, description="Years lived in Japan in the past ten years."
    )
    earliest_start: dt.date | None = Field(
        default=None, description="Earliest date you could start work; empty means now."
    )
    priorities: PrioritiesInput = Field(default_factory=PrioritiesInput)

    @field_validator("citizenship")
    @classmethod
    def _known_country(cls, value: str) -> str:
        code = value.strip().upper()
        if code not in country_codes():
            raise PydanticCustomError(
                "country_code",
                "not an ISO 3166-1 alpha-2 country code (for example GB, US, AU)",
            )
        return code

    @model_validator(mode="after")
    def _status_needs_japan(self) -> ProfileInput:
        if self.status_of_residence is not None and self.residence is not Residence.JAPAN:
            raise PydanticCustomError(
                "status_without_japan",
                "status_of_residence applies only when residence is japan",
            )
        return self

    def to_domain(self) -> Profile:
        return Profile(
            degree=self.degree,
            citizenship=self.citizenship,
            english=self.english,
            teaching_years=self.teaching_years,
            alt_years=self.alt_years,
            jlpt=self.jlpt,
            residence=self.residence,
            status_of_residence=self.status_of_residence,
            driving_licence=self.driving_licence,
            prior_jet_years=self.prior_jet_years,
            years_in_japan_recent=self.years_in_japan_recent,
            earliest_start=self.earliest_start,
        )


def _allowed_fields(loc: tuple[int | str, ...]) -> str:
    model: type[BaseModel] = PrioritiesInput if "priorities" in loc else ProfileInput
    return ", ".join(model.model_fields)


def field_errors(exc: ValidationError, locale: str) -> list[tuple[str, str]]:
    """(field, message) pairs in the reader's language, naming allowed values where useful."""
    return [
        (".".join(str(part) for part in loc) or "profile", render(message, locale))
        for loc, message in validation_messages(exc, _allowed_fields)
    ]
