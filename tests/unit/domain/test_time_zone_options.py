"""The time zones the application form offers: read from the tz database's tables, the office's
zone first, then its countries', then every other place's; an answer is a zone the system knows."""

from __future__ import annotations

from altmatch.domain.time_zones import is_place, known_zone, zone_options, zones_by_country

ZONE_TAB = """# tzdb timezone descriptions
#country-
#code\tcoordinates\tTZ\t\t\tcomments
GB\t+513030-0000731\tEurope/London
IE\t+5320-00615\tEurope/Dublin
US\t+404251-0740023\tAmerica/New_York\tEastern (most areas)
US\t+340308-1181434\tAmerica/Los_Angeles\tPacific
NZ,AQ\t-3652+17446\tPacific/Auckland\tNew Zealand time
"""
AVAILABLE = {
    "Europe/London",
    "Europe/Dublin",
    "America/New_York",
    "America/Los_Angeles",
    "Pacific/Auckland",
    "Asia/Tokyo",
    "UTC",
    "GB",
    "US/Pacific",
    "Etc/GMT+5",
}


def test_the_table_gives_each_country_its_zones_in_order_and_shared_rows_to_each() -> None:
    found = zones_by_country(ZONE_TAB)
    assert found["US"] == ["America/New_York", "America/Los_Angeles"]
    assert found["GB"] == ["Europe/London"]
    assert found["NZ"] == found["AQ"] == ["Pacific/Auckland"]  # zone1970.tab's shared rows
    assert zones_by_country("") == {}


def test_the_offices_zone_comes_first_then_its_countries_then_every_other_place() -> None:
    options = zone_options("Europe/London", ["GB", "us"], zones_by_country(ZONE_TAB), AVAILABLE)
    assert options.first == ("Europe/London", "America/Los_Angeles", "America/New_York")
    assert options.rest == ("Asia/Tokyo", "Europe/Dublin", "Pacific/Auckland", "UTC")


def test_aliases_are_not_offered_but_unknown_office_zones_and_countries_are_skipped() -> None:
    options = zone_options("Mars/Olympus", ["XX"], zones_by_country(ZONE_TAB), AVAILABLE)
    assert options.first == ()
    assert "GB" not in options.rest and "US/Pacific" not in options.rest
    assert "Etc/GMT+5" not in options.rest and "Europe/London" in options.rest
    assert is_place("America/Argentina/Buenos_Aires") and is_place("UTC")
    assert not is_place("Europe") and not is_place("Japan")


def test_without_an_office_every_place_is_offered_alphabetically() -> None:
    options = zone_options(None, [], {}, AVAILABLE)
    assert options.first == () and list(options.rest) == sorted(options.rest)
    assert len(options.rest) == 7


def test_an_answer_is_a_known_zone_trimmed_blank_or_refused() -> None:
    assert known_zone(" America/Los_Angeles ", AVAILABLE) == "America/Los_Angeles"
    assert known_zone("US/Pacific", AVAILABLE) == "US/Pacific"  # an alias still names a zone
    assert known_zone("  ", AVAILABLE) == ""
    assert known_zone("Mars/Olympus", AVAILABLE) is None
    assert known_zone("america/los_angeles", AVAILABLE) is None  # names are case-sensitive
