"""Allowed values for each advisor field, labelled in the reader's language (form and API)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel

from altmatch.i18n import label, render
from altmatch.rulebook.prefectures import load_prefectures
from altmatch.rulebook.vocabulary import (
    Degree,
    Dimension,
    English,
    Jlpt,
    Residence,
    StatusOfResidence,
)
from altmatch.services.advice.profile_input import country_codes, country_name


class Option(BaseModel):
    value: str
    label: str


class FormOptionsOut(BaseModel):
    degree: list[Option]
    english: list[Option]
    jlpt: list[Option]
    residence: list[Option]
    status_of_residence: list[Option]
    citizenship: list[Option]
    prefecture: list[Option]
    priorities: list[Option]


def _options(enum: type[StrEnum], locale: str) -> list[Option]:
    return [Option(value=member.value, label=render(label(member), locale)) for member in enum]


def form_options(locale: str) -> FormOptionsOut:
    countries = sorted(
        (Option(value=code, label=country_name(code, locale)) for code in country_codes()),
        key=lambda o: o.label,
    )
    return FormOptionsOut(
        degree=_options(Degree, locale),
        english=_options(English, locale),
        jlpt=_options(Jlpt, locale),
        residence=_options(Residence, locale),
        status_of_residence=_options(StatusOfResidence, locale),
        citizenship=countries,
        prefecture=[
            Option(value=p.en, label=p.name(locale)) for p in load_prefectures().prefectures
        ],
        priorities=_options(Dimension, locale),
    )
