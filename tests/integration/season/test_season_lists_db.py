"""The season's lists searched, sorted, filtered and paged in SQL give what a brute-force filter
over every row gives, on both databases (db.listing, services.season.listings)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from tests.season_world import PUBLISH_ANYWAY

from altmatch.db import Sessions
from altmatch.db import season as repo
from altmatch.db.models import MatchRun, SeasonRequest
from altmatch.demo import generate_demo, persona
from altmatch.demo.seed_database import seed_demo_database
from altmatch.domain.access import OPERATOR, Actor
from altmatch.services.accounts.authentication import act_as
from altmatch.services.season.listings import (
    APPLICATIONS,
    OUTCOMES,
    explain_run,
    overview_page,
    placements_page,
    requests_page,
    review_page,
    unplaced_reason,
)
from altmatch.services.season.publish import publish_run
from altmatch.services.season.runs import run_season_match
from altmatch.web.listing import parse_list_query


@dataclass(frozen=True)
class Row:
    candidate: int
    external_id: str
    name: str
    request_id: str | None
    boe_id: int | None
    prefecture: str | None
    rank: int | None
    waits_at: str | None
    position: int | None
    couple: bool
    order: int


@dataclass(frozen=True)
class Seeded:
    sessions: Sessions
    coordinator: Actor
    season: int
    run: int
    rows: list[Row]


def _seed(sessions: Sessions) -> Seeded:
    seed_demo_database(sessions, generate_demo(candidates=300))
    coordinator = act_as(sessions, OPERATOR, persona("programme_coordinator").login)
    season = 1
    run = run_season_match(sessions, coordinator, season, seed=11, limit=0).run.id
    with sessions() as session:
        requests = {r.id: r for r in session.query(SeasonRequest)}
        names = repo.candidate_names(session, season)
        paired = {
            c for k in repo.couples(session, season) for c in (k.candidate_a_id, k.candidate_b_id)
        }
        rows = [
            Row(
                candidate=cid,
                external_id=names[cid][0],
                name=names[cid][1],
                request_id=requests[rid].external_id if rid else None,
                boe_id=requests[rid].boe_id if rid else None,
                prefecture=requests[rid].prefecture if rid else None,
                rank=rank,
                waits_at=requests[alt].external_id if alt else None,
                position=position,
                couple=cid in paired,
                order=k,
            )
            for k, (cid, rid, rank, alt, position, *_chances) in enumerate(
                repo.outcomes(session, run)
            )
        ]
    return Seeded(sessions, coordinator, season, run, rows)


@pytest.fixture
def seeded(sessions: Sessions) -> Seeded:
    return _seed(sessions)


def _ids(found: Any) -> list[str]:
    return [p.candidate_id for p in found.placements]


def _expected(
    rows: list[Row], keep: Callable[[Row], bool], key: Callable[[Row], Any], desc: bool = False
) -> list[str]:
    """Matching rows sorted by `key`, NULLs last, ties in run order (reversed when desc)."""
    chosen = [r for r in rows if keep(r)]
    present = sorted(
        (r for r in chosen if key(r) is not None), key=lambda r: (key(r), r.order), reverse=desc
    )
    missing = sorted((r for r in chosen if key(r) is None), key=lambda r: r.order, reverse=desc)
    return [r.external_id for r in present + missing]


def test_the_run_review_searches_filters_sorts_and_pages_like_a_brute_force_filter(
    seeded: Seeded,
) -> None:
    s = seeded
    rows = s.rows
    placed = next(r for r in rows if r.request_id)
    word = rows[7].name.split()[-1].lower()
    cases: list[tuple[dict[str, str], Callable[[Row], bool], Callable[[Row], Any], bool]] = [
        ({}, lambda r: True, lambda r: r.order, False),
        (
            {"outcome": "placed", "sort": "choice"},
            lambda r: r.request_id is not None,
            lambda r: r.rank,
            False,
        ),
        (
            {"outcome": "unplaced", "sort": "name", "dir": "desc"},
            lambda r: r.request_id is None,
            lambda r: r.name,
            True,
        ),
        (
            {"outcome": "alternate", "sort": "alternate"},
            lambda r: r.request_id is None and r.waits_at is not None,
            lambda r: r.position,
            False,
        ),
        ({"couple": "yes"}, lambda r: r.couple, lambda r: r.order, False),
        (
            {"couple": "no", "outcome": "placed"},
            lambda r: not r.couple and r.request_id is not None,
            lambda r: r.order,
            False,
        ),
        (
            {"boe": str(placed.boe_id)},
            lambda r: r.boe_id == placed.boe_id,
            lambda r: r.order,
            False,
        ),
        (
            {"prefecture": str(placed.prefecture), "sort": "placed_at"},
            lambda r: r.prefecture == placed.prefecture,
            lambda r: r.request_id,
            False,
        ),
        (
            {"request": str(placed.request_id)},
            lambda r: placed.request_id in (r.request_id, r.waits_at),
            lambda r: r.order,
            False,
        ),
        (
            {"q": word.upper()},
            lambda r: word in r.name.lower() or word in r.external_id.lower(),
            lambda r: r.order,
            False,
        ),
        ({"q": "C0001"}, lambda r: "c0001" in r.external_id.lower(), lambda r: r.order, False),
        ({"q": "%"}, lambda r: "%" in r.name or "%" in r.external_id, lambda r: r.order, False),
        ({"sort": "candidate", "dir": "desc"}, lambda r: True, lambda r: r.external_id, True),
    ]
    for params, keep, key, desc in cases:
        expected = _expected(rows, keep, key, desc)
        pages: list[str] = []
        page = 1
        while True:
            lq = parse_list_query(params | {"per_page": "40", "page": str(page)}, OUTCOMES)
            found = review_page(s.sessions, s.coordinator, s.season, s.run, lq)
            assert found.listing.total == len(expected), params
            assert len(found.placements) <= 40
            pages += _ids(found)
            if page >= found.listing.pages:
                break
            page += 1
        assert pages == expected, params
    assert len(rows) == 300 and any(r.couple for r in rows)


def test_the_run_explained_counts_every_unplaced_candidate_and_couple_once(seeded: Seeded) -> None:
    s = seeded
    with s.sessions() as session:
        season = repo.get_season(session, s.season)
        run = session.get(MatchRun, s.run)
        assert season is not None and run is not None
        explained = explain_run(session, season, run)
        blobs = repo.unplaced_reasons(session, s.run)
        couples = repo.couples(session, s.season)
        summary = run.summary["counts"]
    unplaced = [r for r in s.rows if r.request_id is None]
    assert explained.unplaced == len(unplaced) == summary["unplaced"]
    assert sum(explained.unplaced_by_reason.values()) == len(unplaced)
    by_reason: dict[str, int] = {}
    for _, _, packed in blobs:
        reason = unplaced_reason(packed)
        by_reason[reason] = by_reason.get(reason, 0) + 1
    assert {k: v for k, v in explained.unplaced_by_reason.items() if v} == by_reason
    assert explained.waiting == sum(r.waits_at is not None for r in unplaced)
    placed = {r.candidate for r in s.rows if r.request_id}
    together = sum(k.candidate_a_id in placed and k.candidate_b_id in placed for k in couples)
    assert explained.couples.total == len(couples) == summary["couples"]
    assert explained.couples.placed_together == together == summary["couples_placed"]
    assert sum(explained.couples.not_placed.values()) == len(couples) - together


def test_placements_requests_and_applications_page_in_sql(seeded: Seeded) -> None:
    s = seeded
    publish_run(s.sessions, s.coordinator, s.season, s.run, overrides=PUBLISH_ANYWAY)
    placed = [r for r in s.rows if r.request_id]
    lq = parse_list_query({"per_page": "25", "sort": "candidate"}, repo.PLACED_LIST)
    first = placements_page(s.sessions, s.coordinator, s.season, lq)
    assert first.listing.total == len(placed)
    assert [p.candidate_id for p in first.placements] == sorted(r.external_id for r in placed)[:25]
    assert not first.alternates_shown  # every request matches: too many to list alternates
    boe = placed[0].boe_id
    mine = parse_list_query({"boe": str(boe)}, repo.PLACED_LIST)
    at_boe = placements_page(s.sessions, s.coordinator, s.season, mine)
    assert {p.candidate_id for p in at_boe.placements} == {
        r.external_id for r in placed if r.boe_id == boe
    }
    assert at_boe.alternates_shown

    with s.sessions() as session:
        every = repo.requests(session, s.season)
        filled: dict[str, int] = {}
        for r in placed:
            filled[str(r.request_id)] = filled.get(str(r.request_id), 0) + 1
    unfilled = [r.external_id for r in every if filled.get(r.external_id, 0) < r.capacity]
    lq = parse_list_query({"status": "unfilled", "per_page": "200"}, repo.REQUEST_LIST)
    found = requests_page(s.sessions, s.coordinator, s.season, lq)
    assert found.listing.total == len(unfilled)
    assert [r.request_id for r in found.requests] == unfilled[:200]
    assert all(r.filled is not None and r.filled < r.capacity for r in found.requests)

    lq = parse_list_query({"stage": "placed", "sort": "name", "per_page": "10"}, APPLICATIONS)
    overview = overview_page(s.sessions, s.coordinator, s.season, lq)
    assert overview.listing.total == len(placed)
    names = sorted((r.name, r.order) for r in placed)[:10]
    assert [c.name for c in overview.candidates] == [n for n, _ in names]
