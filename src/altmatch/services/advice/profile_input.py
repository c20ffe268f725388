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
from altmatch.rulebook.prefectures import load_prefectures
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
    age: Annotated[int, Field(ge=15, le=99)] | None = Field(
        default=None, description="Whole years at the start date; empty means under 40."
    )
    english_education_years: Annotated[int, Field(ge=0, le=30)] | None = Field(
        default=None,
        description="Years of schooling (from primary school on) taught in English.",
    )
    jet_left_year: Annotated[int, Field(ge=1987, le=2100)] | None = Field(
        default=None, description="Calendar year your last JET contract ended, if you were a JET."
    )
    jet_declined_year: Annotated[int, Field(ge=1987, le=2100)] | None = Field(
        default=None, description="Departure year of a JET placement you declined, if any."
    )
    japanese_national: bool = Field(
        default=False, description="You also hold Japanese nationality."
    )
    prefecture: str | None = Field(
        default=None, description="Prefecture you would work in, when you know it."
    )
    priorities: PrioritiesInput = Field(default_factory=PrioritiesInput)

    @field_validator("prefecture")
    @classmethod
    def _known_prefecture(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        found = load_prefectures().find(value.strip())
        if found is None:
            raise PydanticCustomError(
                "prefecture", "not a prefecture of Japan (for example Hyogo or 兵庫県)"
            )
        return found.en

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
    def _jet_years_need_jet(self) -> ProfileInput:
        if self.jet_left_year is not None and self.prior_jet_years == 0:
            raise PydanticCustomError(
                "jet_left_without_years",
                "jet_left_year needs prior_jet_years of at least 1",
            )
        return self

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
            age=self.age,
            english_education_years=self.english_education_years,
            jet_left_year=self.jet_left_year,
            jet_declined_year=self.jet_declined_year,
            # Citizenship JP is Japanese nationality, whatever the box says.
            japanese_national=self.japanese_national or self.citizenship == "JP",
            prefecture=self.prefecture,
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
