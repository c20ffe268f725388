"""The demo's schools: every BoE has some, named plausibly, standing near their municipality."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

import pytest

from altmatch.demo import DemoSeason, generate_demo, load_prefectures, write_demo_season
from altmatch.demo.schools import JITTER
from altmatch.rulebook.vocabulary import SchoolLevel

MUNICIPAL_LEVELS = {SchoolLevel.ELEMENTARY, SchoolLevel.JUNIOR_HIGH}
PREFECTURAL_LEVELS = {SchoolLevel.SENIOR_HIGH, SchoolLevel.SPECIAL_NEEDS}
# sha256 prefixes of couples.csv, candidates.csv and requests.csv for seed 7 with 300
# candidates, as generated before the demo had schools: schools must not disturb them.
FILES_BEFORE_SCHOOLS = "5092b8f16a78abe113591e65fb585091d4a5"


@pytest.fixture(scope="module")
def demo() -> DemoSeason:
    return generate_demo()


def test_a_few_hundred_to_about_a_thousand_schools_and_every_boe_has_some(
    demo: DemoSeason,
) -> None:
    per_boe = Counter(s.boe_id for s in demo.schools)
    assert 300 <= len(demo.schools) <= 1200
    assert set(per_boe) == {b.id for b in demo.boes} and min(per_boe.values()) >= 2


def test_municipal_boes_run_elementary_and_junior_high_and_prefectures_the_rest(
    demo: DemoSeason,
) -> None:
    kind = {b.id: b.municipality is None for b in demo.boes}
    for school in demo.schools:
        expected = PREFECTURAL_LEVELS if kind[school.boe_id] else MUNICIPAL_LEVELS
        assert school.level in expected, school


def test_every_school_has_coordinates_near_its_municipality(demo: DemoSeason) -> None:
    halls = {
        (p.code, m.name): (m.latitude, m.longitude)
        for p in load_prefectures()
        for m in p.municipalities
    }
    code = {b.id: b.prefecture_code for b in demo.boes}
    for school in demo.schools:
        lat, lon = halls[code[school.boe_id], school.municipality]
        assert abs(school.latitude - lat) <= JITTER + 1e-9, school
        assert abs(school.longitude - lon) <= JITTER + 1e-9, school


def test_names_are_plausible_and_distinct_within_a_boe(demo: DemoSeason) -> None:
    toyooka = [s for s in demo.schools if s.boe_id == "boe-28-toyooka"]
    assert toyooka and all(s.name_ja.startswith("豊岡市立豊岡") for s in toyooka)
    assert all(s.name.startswith("Toyooka ") and s.name.endswith(" School") for s in toyooka)
    hyogo = [s for s in demo.schools if s.boe_id == "boe-28-pref"]
    assert all(s.name_ja.startswith("兵庫県立") for s in hyogo)
    assert all(s.name.startswith("Hyogo Prefectural ") for s in hyogo)
    for key in ("name", "name_ja", "external_id"):
        assert len({(s.boe_id, getattr(s, key)) for s in demo.schools}) == len(demo.schools)


def test_the_same_seed_gives_the_same_schools_and_another_seed_others() -> None:
    assert generate_demo(7, candidates=300).schools == generate_demo(7, candidates=300).schools
    assert generate_demo(7, candidates=300).schools != generate_demo(8, candidates=300).schools


def test_schools_leave_the_demo_requests_and_candidates_as_they_were(tmp_path: Path) -> None:
    write_demo_season(generate_demo(7, candidates=300), tmp_path / "out")
    digests = "".join(
        hashlib.sha256((tmp_path / "out" / name).read_bytes()).hexdigest()[:12]
        for name in sorted(["requests.csv", "candidates.csv", "couples.csv"])
    )
    assert digests == FILES_BEFORE_SCHOOLS
