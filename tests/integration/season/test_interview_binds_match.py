"""The interview round's decision binds the match, on SQLite and PostgreSQL: the not selected
are left out (even with the best fit), the shortlisted come before every alternate on every
request list, alternates in their order; a run made before deciding is stale; the candidate
left out is told why; an application added after deciding needs the shortlist decided again
or a reason.

The round is the calibration world's (tests/calibration_world.py): with three places and two
alternates, F02, B01 and F06 are shortlisted (calibrated about 75 of 100), F03 (about 52) is
alternate 1 and A01 (50) alternate 2, and F05 (about 48), F01 and F04 are not selected. The
season here has one request, KOB-1, with three places and every soft weight at 10: a JLPT N1
with five years' teaching and a licence adds 30 points, and the elementary experience 10 more.
So F05 (48 + 40 = 88) and A01 (50 + 30 = 80) have the best fits of the five who want Hyogo,
above B01 and F02 (75) and F03 (52)."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update
from tests.calibration_world import CANDIDATE_HEADER, flip_rows, scores_file
from tests.season_world import CONTRACT_START, PUBLISH_ANYWAY, World, build_world, future_deadline

from altmatch.db import Sessions
from altmatch.db import season as repo
from altmatch.db.models import MatchRun, SeasonCandidate
from altmatch.domain.publication import PublicationCheck
from altmatch.i18n import use_locale
from altmatch.services.season.applications import view_application
from altmatch.services.season.imports import import_candidates, import_requests
from altmatch.services.season.interview_calibration import calibrate_season
from altmatch.services.season.publication import publication_of
from altmatch.services.season.publish import publish_run
from altmatch.services.season.runs import run_season_match
from altmatch.services.season.setup import open_season
from altmatch.services.season.shortlist import (
    ShortlistIn,
    decide_shortlist,
    parse_versions,
    shortlist_preview,
)

pytestmark = pytest.mark.date_sensitive  # the season's request deadline is a month on

REQUESTS = (
    b"request_id,capacity,boe,prefecture,school_levels,area,requires_driving_licence,min_jlpt,"
    b"min_teaching_years,weight_jlpt,weight_teaching_years,weight_school_levels,"
    b"weight_driving_licence\n"
    b"KOB-1,3,Kobe City BoE,Hyogo,elementary,urban,no,none,0,10,10,10,10\n"
)
CANDIDATES = (
    "\n".join(
        [
            CANDIDATE_HEADER,
            "A01,N1,5,yes,,70,Hyogo,,,no",
            "B01,none,0,no,,60,Hyogo,,,no",
            "F01,none,0,no,,50,Hokkaido,,,no",
            "F02,none,0,no,,50,Hyogo,,,no",
            "F03,none,0,no,,50,Hyogo,,,no",
            "F04,none,0,no,,50,Hokkaido,,,no",
            "F05,N1,5,yes,elementary,50,Hyogo,,,no",
            "F06,none,0,no,,50,Hokkaido,,,no",
        ]
    )
    + "\n"
).encode()


@pytest.fixture
def world(sessions: Sessions) -> World:
    return build_world(sessions)


@pytest.fixture
def season_id(sessions: Sessions, world: World) -> int:
    """The season, every application interviewed and the round calibrated (not decided)."""
    season = open_season(
        sessions,
        world.coordinator,
        name="bound",
        year=2027,
        request_deadline=future_deadline(),
        contract_start=CONTRACT_START,
    ).id
    for importer, content in ((import_requests, REQUESTS), (import_candidates, CANDIDATES)):
        importer(
            sessions, world.coordinator, season, content=content, filename="f.csv", commit=True
        )
    with sessions.begin() as session:
        session.execute(
            update(SeasonCandidate)
            .where(SeasonCandidate.season_id == season)
            .values(stage="interviewed")
        )
    done = calibrate_season(
        sessions, world.coordinator, season, content=scores_file(flip_rows()), filename="s.csv"
    )
    assert done.committed, done.errors
    return season


def decide(sessions: Sessions, world: World, season_id: int) -> None:
    preview = shortlist_preview(sessions, world.coordinator, season_id, places=3, alternates=2)
    assert preview.calibration is not None and preview.seed is not None
    decided = {r.candidate_id: (r.decision.value, r.alternate_position) for r in preview.rows}
    assert decided["F05"] == ("not_selected", None)
    assert decided["F03"] == ("alternate", 1) and decided["A01"] == ("alternate", 2)
    assert {c for c, (d, _) in decided.items() if d == "shortlisted"} == {"F02", "B01", "F06"}
    body = ShortlistIn(
        places=3,
        alternates=2,
        seed=preview.seed,
        calibration_id=preview.calibration.id,
        versions=parse_versions(preview.versions),
    )
    decide_shortlist(sessions, world.coordinator, season_id, body)


def outcomes(sessions: Sessions, run_id: int) -> dict[str, tuple[str | None, int | None]]:
    """(request placed at, alternate position) of each candidate in the run, by external id."""
    with sessions() as session:
        names = repo.candidate_names(session, session.get_one(MatchRun, run_id).season_id)
        return {
            names[p.candidate_id][0]: (
                p.request_id and repo.request_names(session, [p.request_id])[p.request_id][0],
                p.alternate_position,
            )
            for p in repo.placements(session, run_id)
        }


def test_without_a_decision_the_best_fits_are_placed_whatever_the_interview(
    sessions: Sessions, world: World, season_id: int
) -> None:
    run = run_season_match(sessions, world.coordinator, season_id, seed=3).run.id
    placed = {c for c, (at, _) in outcomes(sessions, run).items() if at == "KOB-1"}
    assert {"F05", "A01"} <= placed and len(placed) == 3
    with sessions() as session:
        assert "interview_decisions" not in repo.run_inputs(session, session.get_one(MatchRun, run))


def test_the_not_selected_are_left_out_and_the_shortlisted_come_before_the_alternates(
    sessions: Sessions, world: World, season_id: int
) -> None:
    decide(sessions, world, season_id)
    for seed in (1, 2, 3):
        run = run_season_match(sessions, world.coordinator, season_id, seed=seed).run.id
        found = outcomes(sessions, run)
        assert "F05" not in found and "F01" not in found and "F04" not in found
        # B01 and F02 (shortlisted) and F03 (alternate 1) over A01 (alternate 2, fit 80)
        assert {c for c, (at, _) in found.items() if at == "KOB-1"} == {"B01", "F02", "F03"}
        assert found["A01"] == (None, 1)  # still waiting, first in line for an upgrade


def test_a_run_made_before_deciding_is_stale_and_cannot_be_published(
    sessions: Sessions, world: World, season_id: int
) -> None:
    before = run_season_match(sessions, world.coordinator, season_id, seed=1).run.id
    checks = {
        c.check: c.passed
        for c in publication_of(sessions, world.coordinator, season_id, before).checks
    }
    assert checks[PublicationCheck.INPUTS_UNCHANGED]
    decide(sessions, world, season_id)
    preview = publication_of(sessions, world.coordinator, season_id, before)
    checks = {c.check: c.passed for c in preview.checks}
    assert not checks[PublicationCheck.INPUTS_UNCHANGED] and preview.blocked
    after = run_season_match(sessions, world.coordinator, season_id, seed=1).run.id
    preview = publication_of(sessions, world.coordinator, season_id, after)
    checks = {c.check: c.passed for c in preview.checks}
    assert checks[PublicationCheck.INPUTS_UNCHANGED]
    # every application is decided: the alternates and not selected (still interviewed) too
    assert checks[PublicationCheck.APPLICATIONS_DECIDED]
    assert preview.interview is not None
    assert (preview.interview.shortlisted, preview.interview.alternates) == (3, 2)
    assert preview.interview.not_selected == 3 and preview.interview.undecided == 0


def test_an_application_added_after_deciding_is_undecided_until_the_round_decides_again(
    sessions: Sessions, world: World, season_id: int
) -> None:
    decide(sessions, world, season_id)
    late = (CANDIDATE_HEADER + "\nG01,none,0,no,,99,Hyogo,,,no\n").encode()
    import_candidates(
        sessions, world.coordinator, season_id, content=late, filename="g.csv", commit=True
    )
    run = run_season_match(sessions, world.coordinator, season_id, seed=1).run.id
    preview = publication_of(sessions, world.coordinator, season_id, run)
    decided = next(c for c in preview.checks if c.check is PublicationCheck.APPLICATIONS_DECIDED)
    assert not decided.passed and decided.overridable and "1 applications" in decided.detail
    # ranked as if shortlisted (its imported 99 is the best fit among the shortlisted)
    assert outcomes(sessions, run)["G01"][0] == "KOB-1"
    assert preview.interview is not None and preview.interview.undecided == 1


def test_the_candidate_left_out_is_told_they_were_not_selected_at_interview_and_why(
    sessions: Sessions, world: World, season_id: int
) -> None:
    decide(sessions, world, season_id)
    run = run_season_match(sessions, world.coordinator, season_id, seed=1).run.id
    publish_run(sessions, world.coordinator, season_id, run, overrides=PUBLISH_ANYWAY)
    with sessions() as session:
        f05 = session.scalars(
            select(SeasonCandidate).where(
                SeasonCandidate.season_id == season_id, SeasonCandidate.external_id == "F05"
            )
        ).one()
    assert f05.stage == "not_selected"
    with use_locale("en"):
        seen = view_application(sessions, world.coordinator, season_id, f05.id)
    assert seen.outcome is not None and not seen.outcome.placed
    assert seen.outcome.not_selected_at_interview
    assert seen.outcome.text.startswith("Not selected at interview")
    assert "below the shortlist's cut" in seen.outcome.text
    with use_locale("ja"):
        seen = view_application(sessions, world.coordinator, season_id, f05.id)
    assert seen.outcome is not None and "Not selected" not in seen.outcome.text
