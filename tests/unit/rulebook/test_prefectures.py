"""The prefecture reference list: 47 entries with a source and a date, found by any of their
names, and refused when malformed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from altmatch.demo.places import load_prefectures as demo_prefectures
from altmatch.rulebook.prefectures import (
    PrefectureDataError,
    load_prefectures,
    parse_prefectures,
    prefecture_name,
)


def test_the_packaged_list_has_47_prefectures_with_a_source_and_a_date() -> None:
    found = load_prefectures()
    assert len(found.prefectures) == 47
    assert found.source.strip() and isinstance(found.as_of, dt.date)
    assert [p.code for p in found.prefectures] == [f"{n:02d}" for n in range(1, 48)]


def test_it_agrees_with_the_demo_places() -> None:
    demo = {(p.code, p.name, p.name_ja) for p in demo_prefectures()}
    assert {(p.code, p.en, p.ja) for p in load_prefectures().prefectures} == demo


@pytest.mark.parametrize(
    ("given", "ja", "en"),
    [
        ("Hyogo", "兵庫県", "Hyogo"),
        ("hyogo", "兵庫県", "Hyogo"),
        ("28", "兵庫県", "Hyogo"),
        ("兵庫", "兵庫県", "Hyogo"),
        ("兵庫県", "兵庫県", "Hyogo"),
        ("Hyogo Prefecture", "兵庫県", "Hyogo"),
        ("Tokyo-to", "東京都", "Tokyo"),
        ("京都", "京都府", "Kyoto"),
        ("Hokkaido", "北海道", "Hokkaido"),
        ("Okinawa", "沖縄県", "Okinawa"),
    ],
)
def test_a_prefecture_is_found_by_code_or_either_name(given: str, ja: str, en: str) -> None:
    assert prefecture_name(given, "ja") == ja
    assert prefecture_name(given, "en") == en


@pytest.mark.parametrize("given", ["Narnia", "Kobe", "Hyogoo"])
def test_unknown_text_is_shown_as_given(given: str) -> None:
    assert prefecture_name(given, "ja") == given
    assert prefecture_name(None, "ja") == ""


def _data(**changes: Any) -> dict[str, Any]:
    entries = [{"code": p.code, "en": p.en, "ja": p.ja} for p in load_prefectures().prefectures]
    return {"source": "JIS X 0401", "as_of": dt.date(2026, 12, 6), "prefectures": entries} | changes


def test_the_loader_refuses_a_malformed_list() -> None:
    good = _data()
    assert len(parse_prefectures(good).prefectures) == 47
    with pytest.raises(PrefectureDataError, match="47"):
        parse_prefectures(_data(prefectures=good["prefectures"][:46]))
    twice = [*good["prefectures"][:46], dict(good["prefectures"][0])]
    with pytest.raises(PrefectureDataError, match="twice"):
        parse_prefectures(_data(prefectures=twice))
    with pytest.raises(PrefectureDataError, match="source"):
        parse_prefectures(_data(source=""))
    with pytest.raises(PrefectureDataError, match="as_of"):
        parse_prefectures(_data(as_of="soon"))
    missing = [*good["prefectures"][:46], {"code": "47", "en": "Okinawa"}]
    with pytest.raises(PrefectureDataError, match="code, en and ja"):
        parse_prefectures(_data(prefectures=missing))
