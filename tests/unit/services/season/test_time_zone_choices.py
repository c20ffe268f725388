"""The time-zone question's choices from the system's tz database, and its refusal of a zone
the system does not know (by the question's field)."""

from __future__ import annotations

import zoneinfo

import pytest

from altmatch.rulebook import load_rulebook
from altmatch.services.kernel.errors import RuleError
from altmatch.services.season.time_zones import checked_zone, time_zone_choices


def test_a_london_office_serving_britain_and_ireland_offers_its_zones_first() -> None:
    choices = time_zone_choices("Europe/London", ["GB", "IE"])
    assert choices.first[0] == "Europe/London" and choices.default == "Europe/London"
    assert "Europe/Dublin" in choices.first  # the tz tables name Ireland's zone
    assert "America/Los_Angeles" in choices.rest and "Europe/London" not in choices.rest
    assert choices.rest == sorted(choices.rest)
    assert set(choices.first + choices.rest) <= zoneinfo.available_timezones()


def test_the_hours_quoted_are_the_rulebooks() -> None:
    hours = load_rulebook().interview_scheduling.remote_local_hours
    choices = time_zone_choices(None, [])
    assert choices.first == [] and choices.default == ""
    assert choices.earliest == f"{hours.earliest:02d}:00"
    assert choices.latest == f"{hours.latest:02d}:00"


def test_an_unknown_zone_is_refused_by_the_questions_field() -> None:
    assert checked_zone(" Asia/Tokyo ") == "Asia/Tokyo" and checked_zone("") == ""
    with pytest.raises(RuleError) as refused:
        checked_zone("Mars/Olympus")
    assert refused.value.field == "time_zone"
    assert refused.value.message.params == {"zone": "Mars/Olympus"}
