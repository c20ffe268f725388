"""The demo season: deterministic, nationwide, near its targets, loadable and matchable."""

from __future__ import annotations

import copy
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from altmatch.demo import (
    DEMO_PASSWORD,
    DemoSeason,
    generate_demo,
    load_prefectures,
    persona,
    personas,
    write_demo_season,
)
from altmatch.demo.places import DATA_FILE, PlacesError, parse_prefectures
from altmatch.domain.access import ROLE_ORG_KIND, OrgKind
from altmatch.io.season_files import load_season_files
from altmatch.rulebook.vocabulary import Jlpt
from altmatch.services.season.placement import run_match

SMALL = 300


@pytest.fixture(scope="module")
def demo() -> DemoSeason:
    return generate_demo()


@pytest.fixture(scope="module")
def small() -> DemoSeason:
    return generate_demo(7, candidates=SMALL)


def test_the_same_seed_gives_the_same_season_and_the_same_files(
    small: DemoSeason, tmp_path: Path
) -> None:
    again = generate_demo(7, candidates=SMALL)
    assert again == small
    write_demo_season(small, tmp_path / "a")
    write_demo_season(again, tmp_path / "b")
    for name in ("requests.csv", "candidates.csv", "couples.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_another_seed_gives_another_season(small: DemoSeason) -> None:
    other = generate_demo(8, candidates=SMALL)
    assert other.candidates != small.candidates and other.requests != small.requests
    assert [b.id for b in other.boes] == [b.id for b in small.boes]  # names never depend on it


def test_more_candidates_leave_the_requests_unchanged(small: DemoSeason) -> None:
    assert generate_demo(7, candidates=SMALL + 50).requests == small.requests


def test_all_47_prefectures_have_a_prefectural_boe_and_requests(demo: DemoSeason) -> None:
    assert [p.code for p in demo.prefectures] == [f"{n:02d}" for n in range(1, 48)]
    assert len({p.name for p in demo.prefectures}) == 47
    requested = {r.record.prefecture for r in demo.requests}
    assert requested == {p.name for p in demo.prefectures}
    prefectural = [b for b in demo.boes if b.municipality is None]
    assert len(prefectural) == 47
    names = {b.name: b.name_ja for b in demo.boes}
    assert names["Hyogo Prefectural BoE"] == "兵庫県教育委員会"
    assert names["Tokyo Metropolitan BoE"] == "東京都教育委員会"
    assert names["Toyooka City BoE"] == "豊岡市教育委員会"
    assert names["Setagaya Ward BoE"] == "世田谷区教育委員会"
    assert names["Hakuba Village BoE"] == "白馬村教育委員会"


def test_a_few_hundred_boes_with_unique_names_each_filing_requests(demo: DemoSeason) -> None:
    assert 300 <= len(demo.boes) <= 500
    assert len({b.id for b in demo.boes}) == len({b.name for b in demo.boes}) == len(demo.boes)
    assert {r.boe_id for r in demo.requests} == {b.id for b in demo.boes}
    assert len({r.record.id for r in demo.requests}) == len(demo.requests)
    assert {r.record.capacity for r in demo.requests} == {1, 2, 3, 4, 5}


def test_about_as_many_places_as_jet_offers_new_alts_a_year(demo: DemoSeason) -> None:
    assert 1100 <= demo.places <= 1600  # the rulebook's chances.jet.new_alts is about 1,360


def test_requests_mix_levels_areas_and_a_few_hard_requirements(demo: DemoSeason) -> None:
    records = [r.record for r in demo.requests]
    levels = Counter(level for r in records for level in r.school_levels)
    assert set(levels) == {"elementary", "junior_high", "senior_high", "special_needs"}
    assert {r.area for r in records} == {"urban", "rural"}
    share = lambda hit: sum(map(hit, records)) / len(records)  # noqa: E731
    assert 0.1 < share(lambda r: r.requires_driving_licence) < 0.45
    assert 0.05 < share(lambda r: r.min_jlpt is not Jlpt.NONE) < 0.25
    assert 0.03 < share(lambda r: r.min_teaching_years > 0) < 0.25
    rural = [r for r in records if r.area == "rural"]
    urban = [r for r in records if r.area == "urban"]
    licence = lambda rs: sum(r.requires_driving_licence for r in rs) / len(rs)  # noqa: E731
    assert licence(rural) > 3 * licence(urban)


def test_candidates_are_varied_and_plausible(demo: DemoSeason) -> None:
    records = [c.record for c in demo.candidates]
    assert len(records) == 6000 and len({r.id for r in records}) == 6000
    jlpt = Counter(r.jlpt for r in records)
    assert (jlpt[Jlpt.NONE] + jlpt[Jlpt.N5] + jlpt[Jlpt.N4]) / 6000 > 0.7
    assert 0.05 < (jlpt[Jlpt.N2] + jlpt[Jlpt.N1]) / 6000 < 0.2
    assert 0.45 < sum(r.accepts_anywhere for r in records) / 6000 < 0.55
    assert 0.4 < sum(r.teaching_years == 0 for r in records) / 6000 < 0.6
    assert min(r.interview_score for r in records) >= 40
    assert max(r.interview_score for r in records) <= 100
    first_choices = Counter(r.preferred_prefectures[0] for r in records if r.preferred_prefectures)
    assert [name for name, _ in first_choices.most_common(3)] == ["Tokyo", "Osaka", "Kyoto"]
    assert len(first_choices) == 47
    assert all(r.preferred_prefectures or r.accepts_anywhere for r in records)
    assert len({c.name for c in demo.candidates}) > 1000


def test_couples_are_distinct_candidates_who_share_their_wishes(demo: DemoSeason) -> None:
    assert 25 <= len(demo.couples) <= 40
    people = [cid for pair in demo.couples for cid in pair]
    assert len(set(people)) == len(people)
    by_id = {c.record.id: c.record for c in demo.candidates}
    for a, b in demo.couples:
        assert by_id[a].preferred_prefectures == by_id[b].preferred_prefectures
        assert by_id[a].accepts_anywhere == by_id[b].accepts_anywhere


def test_three_dispatch_companies_hold_separate_contracts(demo: DemoSeason) -> None:
    assert len(demo.companies) == 3
    contracts = [b for c in demo.companies for b in c.boe_ids]
    assert len(contracts) == len(set(contracts)) and all(
        len(c.boe_ids) >= 10 for c in demo.companies
    )
    boe_ids = {b.id for b in demo.boes}
    assert set(contracts) <= boe_ids
    assert all(c.name and c.name_ja for c in demo.companies)


def test_every_persona_resolves_to_real_records(demo: DemoSeason) -> None:
    assert demo.personas == personas()
    organisations = {demo.programme.id: OrgKind.PROGRAMME}
    organisations |= {b.id: OrgKind.BOE for b in demo.boes}
    organisations |= {c.id: OrgKind.COMPANY for c in demo.companies}
    candidates = {c.record.id for c in demo.candidates}
    companies = {c.id: c for c in demo.companies}
    assert len({p.key for p in personas()}) == len(personas()) >= 8
    assert {p.role for p in personas()} == set(ROLE_ORG_KIND)
    for p in personas():
        expected = ROLE_ORG_KIND[p.role]
        if expected is not None:
            assert organisations[p.organisation_id or ""] is expected, p.key
        if p.candidate_id is not None:
            assert p.candidate_id in candidates, p.key
        if p.boe_id is not None:  # an employed ALT works at a BoE their company serves
            assert p.boe_id in companies[p.organisation_id or ""].boe_ids, p.key
        assert p.name and p.name_ja and p.login.startswith(p.key + "@")


def test_personas_are_found_by_key_and_stable_across_seeds(small: DemoSeason) -> None:
    kobe = persona("kobe_boe_staff")
    assert kobe.organisation_id == "boe-28-kobe"
    assert any(b.id == kobe.organisation_id and b.name == "Kobe City BoE" for b in small.boes)
    emily = persona("candidate_emily").candidate_id
    assert [c.name for c in small.candidates if c.record.id == emily] == ["Emily Carter"]
    sofia, mateo = persona("candidate_sofia"), persona("candidate_mateo")
    assert (sofia.candidate_id, mateo.candidate_id) in small.couples
    with pytest.raises(KeyError, match="kobe_boe_staff"):
        persona("nobody")
    assert len(DEMO_PASSWORD) >= 12


def test_the_written_folder_loads_back_exactly(small: DemoSeason, tmp_path: Path) -> None:
    write_demo_season(small, tmp_path / "season")
    files = load_season_files(tmp_path / "season")
    assert files.requests == tuple(r.record for r in small.requests)
    assert files.candidates == tuple(c.record for c in small.candidates)
    assert files.couples == small.couples
    text = (tmp_path / "season" / "requests.csv").read_text(encoding="utf-8")
    assert "神戸市教育委員会" in text


def test_a_small_demo_runs_through_the_match(small: DemoSeason, tmp_path: Path) -> None:
    write_demo_season(small, tmp_path / "season")
    run = run_match(load_season_files(tmp_path / "season"), 1)
    counts = run.summary.counts
    assert counts.candidates == SMALL and counts.requests == len(small.requests)
    assert 0 < counts.placed <= counts.seats == small.places
    assert counts.couples == len(small.couples)


def test_too_few_candidates_for_the_personas_is_refused() -> None:
    with pytest.raises(ValueError, match="at least"):
        generate_demo(candidates=2)


def raw_places() -> dict[str, Any]:
    data = yaml.safe_load(
        (Path(__file__).parents[3] / "src/altmatch/demo" / DATA_FILE).read_text(encoding="utf-8")
    )
    assert isinstance(data, dict)
    return data


def test_the_packaged_places_parse_into_the_same_prefectures() -> None:
    assert parse_prefectures(raw_places()) == load_prefectures()
    assert sum(len(p.municipalities) for p in load_prefectures()) >= 300


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("prefectures", 27, "region"), "kansai", "unknown region"),
        (("prefectures", 27, "municipalities", 0, "ja"), "神戸", "does not end in"),
        (("prefectures", 27, "municipalities", 0, "area"), "suburban", "urban or rural"),
        (("prefectures", 27, "code"), "99", "01 to 47"),
        (("prefectures", 27, "en"), "", "non-empty"),
    ],
)
def test_a_bad_places_file_is_rejected_naming_the_entry(
    path: tuple[str | int, ...], value: str, message: str
) -> None:
    data = copy.deepcopy(raw_places())
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(PlacesError, match=message):
        parse_prefectures(data)
