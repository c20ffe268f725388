"""Profile validation: clear, field-named errors in both languages."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from altmatch.services.advice.profile_input import ProfileInput, field_errors

VALID: dict[str, Any] = {"degree": "bachelor", "citizenship": "gb", "english": "native"}


def errors_for(data: dict[str, Any], locale: str = "en") -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        ProfileInput.model_validate(data)
    return dict(field_errors(caught.value, locale))


def test_a_minimal_profile_is_valid_and_the_country_code_is_normalised() -> None:
    profile = ProfileInput.model_validate(VALID)
    assert profile.citizenship == "GB"
    assert profile.priorities.pay == 1


def test_an_unknown_jlpt_level_names_the_field_and_the_allowed_values() -> None:
    errors = errors_for({**VALID, "jlpt": "N7"})
    assert set(errors) == {"jlpt"}
    for level in ("'none'", "'N5'", "'N1'"):
        assert level in errors["jlpt"]
    assert "'N7'" in errors["jlpt"]


def test_negative_years_are_refused() -> None:
    errors = errors_for({**VALID, "teaching_years": -1})
    assert errors == {"teaching_years": "must be at least 0"}


def test_an_unknown_field_lists_the_allowed_fields() -> None:
    errors = errors_for({**VALID, "favourite_colour": "red"})
    assert "favourite_colour" in errors
    assert (
        "citizenship" in errors["favourite_colour"] and "priorities" in errors["favourite_colour"]
    )


def test_an_unknown_priority_lists_the_priority_fields() -> None:
    errors = errors_for({**VALID, "priorities": {"weather": 3}})
    assert "priorities.weather" in errors
    assert "stability" in errors["priorities.weather"]


def test_a_made_up_country_code_is_refused() -> None:
    assert "citizenship" in errors_for({**VALID, "citizenship": "QQ"})


def test_a_status_of_residence_needs_residence_in_japan() -> None:
    errors = errors_for({**VALID, "status_of_residence": "instructor"})
    assert list(errors.values()) == ["a status of residence applies only when you live in Japan"]


def test_missing_required_fields_are_each_named() -> None:
    assert set(errors_for({})) == {"degree", "citizenship", "english"}


def test_errors_are_translated_for_japanese_readers() -> None:
    errors = errors_for({**VALID, "teaching_years": -1}, locale="ja")
    assert errors["teaching_years"] != "must be at least 0"
    assert "0" in errors["teaching_years"]
