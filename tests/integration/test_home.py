"""Each role's home on the seeded demo, on SQLite and PostgreSQL: the next steps it lists, their
status, screen and due date, in English and Japanese."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from tests.season_world import PUBLISH_ANYWAY
from time_machine import TimeMachineFixture

from altmatch.db import Sessions
from altmatch.demo import generate_demo, persona
from altmatch.demo.seed_database import SeedReport, seed_demo_database
from altmatch.domain.access import OPERATOR, Actor
from altmatch.services.accounts.authentication import act_as
from altmatch.services.home import HomeOut, NextStep, StepStatus, home
from altmatch.services.season.publish import publish_run
from altmatch.services.season.runs import run_season_match

pytestmark = pytest.mark.date_sensitive

# The demo's dates follow the clock it is seeded at: seed it on a fixed day.
SEEDED_AT = datetime(2026, 11, 25, 0, 0, tzinfo=UTC)  # 09:00 in Japan
TODAY = date(2026, 11, 25)


@pytest.fixture
def seeded(sessions: Sessions, clock: TimeMachineFixture) -> SeedReport:
    clock.move_to(SEEDED_AT, tick=True)
    return seed_demo_database(sessions, generate_demo(candidates=60))


def _as(sessions: Sessions, key: str) -> Actor:
    return act_as(sessions, OPERATOR, persona(key).login)


def _steps(out: HomeOut) -> dict[str, NextStep]:
    return {step.key: step for step in out.steps}


def test_a_coordinator_sees_the_open_seasons_checklist(
    sessions: Sessions, seeded: SeedReport
) -> None:
    season = seeded.season_id
    out = home(sessions, _as(sessions, "programme_coordinator"), today=TODAY, now=SEEDED_AT)
    steps = _steps(out)

    requests = steps[f"season-{season}-requests"]
    assert requests.href == f"/seasons/{season}/requests" and requests.due is not None
    assert requests.status is StepStatus.WAITING  # imported, and the deadline is ahead
    assert f"{seeded.requests_imported} requests" in requests.detail
    candidates = steps[f"season-{season}-candidates"]
    # The demo's panels heard all 60 and the shortlist decided them (demo.shortlist_round):
    # none is left to screen, so the step is done and opens the season.
    assert candidates.detail == "Imported: 60. Still submitted or screened: 0."
    assert candidates.status is StepStatus.DONE
    assert candidates.href == f"/seasons/{season}"
    assert steps[f"season-{season}-runs"].title.endswith("run the match")
    assert steps[f"season-{season}-publish"].status is StepStatus.WAITING


def test_after_a_draft_run_and_its_publication_each_role_moves_on(
    sessions: Sessions, seeded: SeedReport
) -> None:
    season = seeded.season_id
    coordinator = _as(sessions, "programme_coordinator")
    run = run_season_match(sessions, coordinator, season, seed=7).run.id

    drafted = _steps(home(sessions, coordinator, today=TODAY, now=SEEDED_AT))
    assert drafted[f"season-{season}-runs"].href == f"/seasons/{season}/runs/{run}"
    assert drafted[f"season-{season}-publish"].status is StepStatus.TO_DO

    publish_run(sessions, coordinator, season, run, overrides=PUBLISH_ANYWAY)
    after = _steps(home(sessions, coordinator, today=TODAY, now=SEEDED_AT))
    # the demo season is published; only next year's online intake (demo.seed_recruitment) is
    # still open
    intake = seeded.online_season_id
    assert intake is not None and not any(k.startswith(f"season-{season}-") for k in after)
    assert {k for k in after if k.startswith("season-")} == {
        f"season-{intake}-{step}" for step in ("requests", "candidates", "runs", "publish")
    }
    emily = _steps(home(sessions, _as(sessions, "candidate_emily"), today=TODAY, now=SEEDED_AT))
    outcome = emily[f"season-{season}-outcome"]
    assert outcome.status is StepStatus.DONE and outcome.href == f"/seasons/{season}/application"
    assert outcome.detail.startswith("You are ")
    assert f"season-{season}-preferences" not in emily  # published: preferences are final
    kobe = _steps(home(sessions, _as(sessions, "kobe_boe_staff"), today=TODAY, now=SEEDED_AT))
    assert kobe[f"season-{season}-placements"].href == f"/seasons/{season}/placements"


def test_boe_staff_see_their_requests_until_the_deadline_then_as_final(
    sessions: Sessions, seeded: SeedReport
) -> None:
    kobe = _as(sessions, "kobe_boe_staff")
    key = f"season-{seeded.season_id}-requests"
    before = _steps(home(sessions, kobe, today=TODAY, now=SEEDED_AT))[key]
    assert before.status is StepStatus.WAITING and before.detail.startswith("Filed: ")
    assert isinstance(before.due, datetime)

    late = before.due + timedelta(minutes=1)
    after = _steps(home(sessions, kobe, locale="ja", today=late.date(), now=late))[key]
    assert (
        after.status is StepStatus.DONE
        and after.detail == "締め切りを過ぎたため、要望は確定しました。"
    )
    steps = _steps(home(sessions, kobe, today=TODAY, now=SEEDED_AT))
    assert steps["direct-hire-postings"].href == "/boe/postings"
    assert steps["cases"].href == "/cases" and steps["notifications"].status is not None


def test_company_staff_see_coverage_transfers_and_cases(
    sessions: Sessions, seeded: SeedReport
) -> None:
    out = home(sessions, _as(sessions, "sakura_company_staff"), today=TODAY, now=SEEDED_AT)
    steps = _steps(out)
    assert steps["coverage"].href == "/dispatch/coverage"
    assert steps["coverage"].detail.startswith("Contracts: ")
    assert steps["transfers"].status is StepStatus.TO_DO  # the demo's pending request
    assert steps["transfers"].detail == "Waiting for a decision: 1."
    assert steps["cases"].status is StepStatus.TO_DO


def test_a_candidate_and_an_alt_see_their_own_steps_in_japanese(
    sessions: Sessions, seeded: SeedReport
) -> None:
    season = seeded.season_id
    emily = _steps(
        home(sessions, _as(sessions, "candidate_emily"), locale="ja", today=TODAY, now=SEEDED_AT)
    )
    # the demo shortlisted her from the calibrated interview scores (demo.shortlist_round)
    assert emily[f"season-{season}-application"].detail == "段階：最終候補"
    assert emily[f"season-{season}-application"].status is StepStatus.WAITING
    assert emily[f"season-{season}-preferences"].status is StepStatus.TO_DO
    assert emily["advisor"].title == "進路を比較する" and emily["advisor"].status is None

    james = home(sessions, _as(sessions, "alt_james"), locale="ja", today=TODAY, now=SEEDED_AT)
    steps = _steps(james)
    assert james.steps[0].key == "placement" and james.steps[0].due is not None
    assert "西宮" in steps["placement"].detail  # their school, in Japanese
    assert steps["transfers"].status is StepStatus.WAITING  # the demo's pending request
    assert steps["cases"].href == "/my/cases" and steps["notifications"].title == "お知らせ"


def test_an_administrator_is_sent_to_the_administration_pages(
    sessions: Sessions, seeded: SeedReport
) -> None:
    out = home(sessions, _as(sessions, "administrator"), today=TODAY, now=SEEDED_AT)
    assert [s.href for s in out.steps] == [
        "/support/metrics",
        "/admin/users",
        "/admin/organisations",
        "/admin/audit",
        "/my/notifications",
    ]
