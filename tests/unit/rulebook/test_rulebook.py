"""The shipped rulebook editions: they load, every figure is sourced and dated, and a broken
copy fails loudly, naming the field that is wrong."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from importlib import resources
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from altmatch.rulebook.loader import RulebookError, available_years, load_rulebook, parse_rulebook
from altmatch.rulebook.schema import JetPay, Rulebook, Sourced
from altmatch.rulebook.vocabulary import HiringPath


def _sourced(node: object, path: str) -> Iterator[tuple[str, Sourced]]:
    """Every sourced entry in a rulebook, with its dotted path (for readable failures)."""
    if isinstance(node, Sourced):
        yield path, node
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from _sourced(getattr(node, name), f"{path}.{name}")
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _sourced(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _sourced(value, f"{path}[{i}]")


def _text_2026() -> str:
    return (resources.files("altmatch.rulebook") / "2026.yaml").read_text(encoding="utf-8")


def _broken(change: Any) -> str:
    """The 2026 edition as YAML after `change` mutates its parsed form."""
    raw = yaml.safe_load(_text_2026())
    change(raw)
    return yaml.safe_dump(raw, allow_unicode=True)


@pytest.fixture(scope="module")
def book() -> Rulebook:
    return load_rulebook(2026)


def test_the_2026_edition_loads_and_is_the_newest(book: Rulebook) -> None:
    assert book.year == 2026
    assert 2026 in available_years()
    assert load_rulebook() == load_rulebook(available_years()[-1])


def test_every_entry_has_a_web_source_and_an_as_of_date(book: Rulebook) -> None:
    entries = dict(_sourced(book, "rulebook"))

    assert len(entries) > 40
    for path, entry in entries.items():
        assert entry.source.scheme in {"http", "https"}, path
        assert isinstance(entry.as_of, dt.date), path
        assert entry.as_of <= dt.date(2026, 12, 31), path


def test_every_estimate_says_why_in_a_note(book: Rulebook) -> None:
    unexplained = [
        path for path, entry in _sourced(book, "rulebook") if entry.estimate and not entry.note
    ]

    assert unexplained == []


def test_each_take_home_rule_carries_its_own_source(book: Rulebook) -> None:
    rules = book.take_home
    parts = [
        rules.income_tax,
        rules.income_tax.basic_deduction,
        rules.employment_income_deduction,
        rules.resident_tax,
        rules.social_insurance.health,
        rules.social_insurance.pension,
        rules.social_insurance.employment,
        rules.social_insurance.child_support,
    ]

    assert all(isinstance(part, Sourced) for part in parts)


def test_the_jet_schedule_covers_five_years_and_never_falls(book: Rulebook) -> None:
    pay = book.paths[HiringPath.JET].pay

    assert isinstance(pay, JetPay)
    assert len(pay.annual_by_year) == 5
    assert pay.annual_by_year == sorted(pay.annual_by_year)


def test_tax_bands_ascend_and_the_last_is_unbounded(book: Rulebook) -> None:
    rules = book.take_home
    for bands in (
        rules.income_tax.brackets,
        rules.income_tax.basic_deduction.bands,
        rules.employment_income_deduction.bands,
    ):
        bounds = [band.up_to for band in bands]
        finite = [b for b in bounds[:-1] if b is not None]
        assert bounds[-1] is None
        assert len(finite) == len(bounds) - 1
        assert finite == sorted(set(finite))


def test_income_tax_rates_rise_with_income(book: Rulebook) -> None:
    rates = [bracket.rate for bracket in book.take_home.income_tax.brackets]

    assert rates == sorted(rates)
    assert rates[0] == 0.05
    assert rates[-1] == 0.45


def test_an_unknown_key_is_refused_and_named() -> None:
    text = _broken(lambda raw: raw["take_home"]["resident_tax"].update(rate_typo=0.1))

    with pytest.raises(RulebookError, match=r"broken\.yaml: take_home\.resident_tax\.rate_typo"):
        parse_rulebook(text, origin="broken.yaml")


def test_a_missing_path_is_refused_and_named() -> None:
    text = _broken(lambda raw: raw["paths"].pop("direct_hire"))

    with pytest.raises(RulebookError, match=r"broken\.yaml: .*paths missing: .*direct_hire"):
        parse_rulebook(text, origin="broken.yaml")


def test_a_missing_source_is_refused_and_named() -> None:
    text = _broken(lambda raw: raw["take_home"]["social_insurance"]["pension"].pop("source"))

    with pytest.raises(RulebookError, match=r"take_home\.social_insurance\.pension\.source"):
        parse_rulebook(text, origin="broken.yaml")


def test_brackets_out_of_order_are_refused() -> None:
    def swap(raw: dict[str, Any]) -> None:
        brackets = raw["take_home"]["income_tax"]["brackets"]
        brackets[0], brackets[1] = brackets[1], brackets[0]

    with pytest.raises(RulebookError, match=r"take_home\.income_tax: .*up_to must rise"):
        parse_rulebook(_broken(swap), origin="broken.yaml")


def test_a_last_band_with_an_upper_bound_is_refused() -> None:
    def close(raw: dict[str, Any]) -> None:
        raw["take_home"]["employment_income_deduction"]["bands"][-1]["up_to"] = 99_000_000

    with pytest.raises(RulebookError, match=r"employment_income_deduction: .*unbounded"):
        parse_rulebook(_broken(close), origin="broken.yaml")


def test_text_that_is_not_yaml_is_refused() -> None:
    with pytest.raises(RulebookError, match=r"bad\.yaml: not valid YAML"):
        parse_rulebook("year: [2026", origin="bad.yaml")
