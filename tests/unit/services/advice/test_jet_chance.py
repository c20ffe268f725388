"""The advisor's JET chance: calibrated, bounded, and lower where more applicants compete."""

from __future__ import annotations

import datetime as dt

from altmatch.rulebook import load_rulebook
from altmatch.services.advice.advisor import give_advice
from altmatch.services.advice.jet_chance import jet_chance
from altmatch.services.advice.profile_input import ProfileInput

BOOK = load_rulebook(2026)
TODAY = dt.date(2026, 12, 6)  # any day: the estimate does not move with the clock


def test_the_estimate_lies_in_its_range_near_the_published_odds() -> None:
    chance = jet_chance("GB", BOOK, "en", today=TODAY)
    assert 0 < chance.low <= chance.probability <= chance.high < 1
    ratio = BOOK.chances.jet.ratio_for("GB")
    # Placed share ≈ 1 / applicants-per-place, nudged up by withdrawals that go to alternates.
    assert 1 / ratio.high - 0.03 < chance.probability < 1 / ratio.low + 0.05
    assert chance.seasons >= 500


def test_a_country_with_more_applicants_per_place_has_a_lower_chance() -> None:
    world, usa = (
        jet_chance("GB", BOOK, "en", today=TODAY),
        jet_chance("US", BOOK, "en", today=TODAY),
    )
    assert BOOK.chances.jet.ratio_for("US").country == "US"
    assert usa.probability < world.probability
    assert "United States" in usa.drivers[0] or "(US)" in usa.drivers[0]


def test_the_estimate_is_the_same_every_time_and_explained_in_japanese() -> None:
    assert (
        jet_chance("GB", BOOK, "en", today=TODAY).probability
        == jet_chance("GB", BOOK, "ja", today=TODAY).probability
    )
    assert all(
        "応募" in d or "ALT" in d or "配置" in d
        for d in jet_chance("GB", BOOK, "ja", today=TODAY).drivers
    )


def test_only_an_eligible_jet_applicant_gets_a_chance() -> None:
    eligible = give_advice(
        ProfileInput(degree="bachelor", citizenship="GB", english="native")  # type: ignore[arg-type]
    )
    no_degree = give_advice(
        ProfileInput(degree="associate", citizenship="GB", english="native")  # type: ignore[arg-type]
    )
    assert eligible.for_path("jet").chance is not None
    assert no_degree.for_path("jet").chance is None
    assert all(p.chance is None for p in eligible.paths if p.path != "jet")


def test_an_old_published_ratio_is_said_to_be_old() -> None:
    """The world ratio is from FY2018 (as of 2019-02-27): in 2026 it is 7 years old, and the
    estimate says so; the same figure read in 2020 is not flagged."""
    world = BOOK.chances.jet.ratio_for("GB")
    assert world.country is None and world.as_of.year == 2019
    old = jet_chance("GB", BOOK, "en", today=dt.date(2026, 12, 6)).drivers
    assert any("7 years old" in d for d in old)
    fresh = jet_chance("GB", BOOK, "en", today=dt.date(2020, 6, 1)).drivers
    assert not any("years old" in d for d in fresh)
