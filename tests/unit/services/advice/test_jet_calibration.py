"""The shipped JET calibrations: what the generator writes today, used only while the rulebook's
figures are the ones they were simulated from, and simulated (seeded) otherwise."""

from __future__ import annotations

import datetime as dt
import fnmatch
import json
import logging
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from altmatch.rulebook import Rulebook, available_years, load_rulebook
from altmatch.services.advice import jet_calibration
from altmatch.services.advice.jet_calibration import (
    CalibrationInputs,
    calibration,
    calibration_document,
    data_file,
    render_document,
    shipped,
    simulate,
)
from altmatch.services.advice.jet_chance import jet_chance

ROOT = Path(__file__).parents[4]
BOOK = load_rulebook(2026)
TODAY = dt.date(2026, 12, 6)  # any day: the estimate does not move with the clock


def edited(book: Rulebook, *, jet: dict[str, Any] | None = None, **uncertainty: float) -> Rulebook:
    """`book` with some `chances` figures replaced (`jet` fields, or uncertainty values)."""
    chances = book.chances
    model = chances.uncertainty.model_copy(
        update={
            name: getattr(chances.uncertainty, name).model_copy(update={"value": value})
            for name, value in uncertainty.items()
        }
    )
    figures = chances.jet.model_copy(update=jet or {})
    return book.model_copy(
        update={"chances": chances.model_copy(update={"uncertainty": model, "jet": figures})}
    )


def small(book: Rulebook) -> Rulebook:
    """A season of 50 places: cheap to simulate, and not what any shipped file was made from."""
    return edited(
        book, jet={"new_alts": book.chances.jet.new_alts.model_copy(update={"value": 200})}
    )


@pytest.fixture
def never_simulate(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(inputs: CalibrationInputs) -> None:
        raise AssertionError(f"simulated {inputs}")

    monkeypatch.setattr(jet_calibration, "simulate", refuse)


@pytest.fixture
def fresh_cache() -> Iterator[None]:
    caches = (shipped, simulate, jet_calibration._unshipped)
    for cache in caches:
        cache.cache_clear()
    yield
    for cache in caches:
        cache.cache_clear()


@pytest.mark.parametrize("year", available_years())
def test_every_edition_ships_exactly_what_the_generator_writes_today(year: int) -> None:
    path = data_file(year)
    assert path.is_file(), f"{path} is missing: run scripts/calibrate_jet_chances.py {year}"
    regenerated = render_document(calibration_document(load_rulebook(year)))
    assert regenerated == path.read_text(encoding="utf-8"), (
        f"{path} is stale: run scripts/calibrate_jet_chances.py {year}"
    )


def test_the_calibration_files_are_installed_with_the_package() -> None:
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]["package-data"]["altmatch"]
    package = ROOT / "src" / "altmatch"
    for year in available_years():
        relative = data_file(year).relative_to(package).as_posix()
        assert any(fnmatch.fnmatch(relative, p) for p in patterns), relative


def test_advice_reads_the_shipped_numbers_without_simulating(never_simulate: None) -> None:
    document = json.loads(data_file(2026).read_text(encoding="utf-8"))
    by_country = {e["country"]: e["result"] for e in document["calibrations"]}
    for citizenship, country in (("GB", None), ("US", "US")):
        chance = jet_chance(citizenship, BOOK, "en", today=TODAY)
        assert chance.probability == round(by_country[country]["probability"], 3)
        assert (chance.low, chance.high) == (
            round(by_country[country]["low"], 3),
            round(by_country[country]["high"], 3),
        )
        assert chance.seasons == by_country[country]["seasons"]


@pytest.mark.parametrize(
    "changed",
    [
        edited(BOOK, withdrawal=0.2),
        edited(BOOK, request_drop=0.05),
        edited(BOOK, seat_gain=0.2),
        edited(BOOK, seat_loss=0.05),
        edited(BOOK, jet={"prefectures": 40}),
        small(BOOK),
        edited(
            BOOK,
            jet={
                "applicants_per_place": [
                    a.model_copy(update={"high": a.high + 1})
                    for a in BOOK.chances.jet.applicants_per_place
                ]
            },
        ),
        BOOK.model_copy(update={"year": 2099}),
    ],
    ids=[
        "withdrawal",
        "request_drop",
        "seat_gain",
        "seat_loss",
        "prefectures",
        "new_alts",
        "applicants_per_place",
        "edition",
    ],
)
def test_no_shipped_number_answers_for_a_changed_figure(changed: Rulebook) -> None:
    for country in (None, "US"):
        inputs = CalibrationInputs.of(changed, country)
        assert inputs not in shipped(2026)
        assert inputs not in shipped(changed.year)
    assert CalibrationInputs.of(BOOK, "US") in shipped(2026)


def test_a_changed_figure_is_simulated_and_changes_the_chance(
    fresh_cache: None, caplog: pytest.LogCaptureFixture
) -> None:
    changed = small(BOOK)
    with caplog.at_level(logging.WARNING, logger=jet_calibration.__name__):
        fewer_seats = calibration(changed, None)
        assert jet_chance("GB", changed, "en", today=TODAY).probability == round(
            fewer_seats.probability, 3
        )
    assert fewer_seats == simulate(CalibrationInputs.of(changed, None))
    assert fewer_seats != calibration(BOOK, None)
    assert len(caplog.records) == 1  # said once per process, not on every request
    assert "calibrate_jet_chances" in caplog.text


def test_a_simulation_is_seeded_by_the_edition(fresh_cache: None) -> None:
    inputs = CalibrationInputs.of(small(BOOK), None)
    first = simulate(inputs)
    simulate.cache_clear()
    assert simulate(inputs) == first
    assert simulate(CalibrationInputs.of(small(BOOK.model_copy(update={"year": 2027})), None)) != (
        first
    )


def test_an_edition_without_a_readable_file_is_simulated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_cache: None
) -> None:
    monkeypatch.setattr(jet_calibration, "data_file", lambda edition: tmp_path / f"{edition}.json")
    assert shipped(2026) == {}
    changed = small(BOOK)
    document = calibration_document(changed)
    (tmp_path / "2026.json").write_text(render_document({**document, "format": 0}), "utf-8")
    shipped.cache_clear()
    assert shipped(2026) == {}
    (tmp_path / "2026.json").write_text(render_document(document), "utf-8")
    shipped.cache_clear()
    assert shipped(2026) == {
        CalibrationInputs.of(changed, None): calibration(changed, None),
        CalibrationInputs.of(changed, "US"): calibration(changed, "US"),
    }
