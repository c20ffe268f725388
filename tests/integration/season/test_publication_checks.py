"""Publishing a run checks the season first, on SQLite and PostgreSQL: an open deadline or
unscreened applications need a reason (audited), a run made from changed inputs is refused
outright, and a refused publication changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update
from tests.season_world import World, build_world, filled_season

from altmatch.db import Sessions
from altmatch.db.models import AuditEntry, MatchRun, SeasonCandidate, SeasonRow
from altmatch.domain.application import ApplicationStage
from altmatch.domain.publication import PublicationCheck
from altmatch.i18n import use_locale
from altmatch.services.kernel.errors import RuleError
from altmatch.services.season.publication import publication_of
from altmatch.services.season.publish import publish_run
from altmatch.services.season.requests import RequestFields, edit_request, list_requests
from altmatch.services.season.runs import review_run, run_season_match

pytestmark = pytest.mark.date_sensitive

DEADLINE = PublicationCheck.DEADLINE_PASSED
DECIDED = PublicationCheck.APPLICATIONS_DECIDED
INPUTS = PublicationCheck.INPUTS_UNCHANGED


@pytest.fixture
def world(sessions: Sessions) -> World:
    return build_world(sessions)


@pytest.fixture
def season_id(sessions: Sessions, world: World) -> int:
    return filled_season(sessions, world)


def _close_requests(sessions: Sessions, season_id: int) -> None:
    with sessions.begin() as session:
        session.execute(
            update(SeasonRow)
            .where(SeasonRow.id == season_id)
            .values(request_deadline=datetime.now(UTC) - timedelta(minutes=1))
        )


def _shortlist_everyone(sessions: Sessions, season_id: int) -> None:
    with sessions.begin() as session:
        session.execute(
            update(SeasonCandidate)
            .where(SeasonCandidate.season_id == season_id)
            .values(stage=ApplicationStage.SHORTLISTED.value)
        )


def _stages(sessions: Sessions, season_id: int) -> list[str]:
    with sessions() as session:
        query = select(SeasonCandidate.stage).where(SeasonCandidate.season_id == season_id)
        return sorted(session.scalars(query))


def _status(sessions: Sessions, run_id: int) -> str:
    with sessions() as session:
        return session.get_one(MatchRun, run_id).status


def test_an_open_deadline_and_unscreened_applications_need_a_reason_each(
    sessions: Sessions, world: World, season_id: int
) -> None:
    run = run_season_match(sessions, world.coordinator, season_id, seed=7).run.id
    preview = publication_of(sessions, world.coordinator, season_id, run)
    failed = {c.check for c in preview.checks if not c.passed}
    assert {DEADLINE, DECIDED} <= failed and INPUTS not in failed
    assert not preview.blocked and set(preview.needs_reasons) == failed
    undecided = next(c for c in preview.checks if c.check == DECIDED)
    assert undecided.detail.startswith("12 applications")  # all imported as submitted
    stages_before = _stages(sessions, season_id)

    with pytest.raises(RuleError) as refused:
        publish_run(sessions, world.coordinator, season_id, run)
    assert refused.value.field == f"overrides.{DEADLINE.value}"
    reasons = {check.value: "The programme office agreed on 1 December" for check in failed}
    with pytest.raises(RuleError) as blank:
        publish_run(
            sessions, world.coordinator, season_id, run, overrides={**reasons, DECIDED: "  "}
        )
    assert blank.value.field == f"overrides.{DECIDED.value}"
    assert _status(sessions, run) == "draft"  # a refused publication changes nothing
    assert _stages(sessions, season_id) == stages_before

    publish_run(
        sessions,
        world.coordinator,
        season_id,
        run,
        overrides={**reasons, INPUTS.value: "not needed: the check passed"},
    )
    assert _status(sessions, run) == "published"
    with sessions() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "run.published")
        ).one()
    assert entry.after["overrides"] == reasons  # only the checks that failed, as written


def test_after_the_deadline_with_everyone_shortlisted_publishing_needs_no_reason(
    sessions: Sessions, world: World, season_id: int
) -> None:
    run = run_season_match(sessions, world.coordinator, season_id, seed=7).run.id
    _close_requests(sessions, season_id)
    _shortlist_everyone(sessions, season_id)  # the stage is no input of the match

    preview = publication_of(sessions, world.coordinator, season_id, run)
    by_check = {c.check: c for c in preview.checks}
    assert by_check[DEADLINE].passed and by_check[DECIDED].passed and by_check[INPUTS].passed
    review = review_run(sessions, world.coordinator, season_id, run)
    placed = sum(1 for p in review.placements if p.request_id)
    waiting = sum(1 for p in review.placements if not p.request_id and p.alternate_position)
    assert (preview.placed, preview.alternates) == (placed, waiting)
    assert preview.placed + preview.alternates + preview.not_selected == len(review.placements)
    assert preview.couples == review.summary["counts"]["couples"]

    stability_fails = not by_check[PublicationCheck.STABLE].passed
    overrides = {PublicationCheck.STABLE.value: "couples"} if stability_fails else {}
    publish_run(sessions, world.coordinator, season_id, run, overrides=overrides)
    assert _status(sessions, run) == "published"


def test_a_run_made_before_a_request_changed_cannot_be_published_whatever_the_reason(
    sessions: Sessions, world: World, season_id: int
) -> None:
    run = run_season_match(sessions, world.coordinator, season_id, seed=7).run.id
    first = list_requests(sessions, world.kobe, season_id).requests[0]
    fields = RequestFields.model_validate(first.model_dump() | {"capacity": first.capacity + 1})
    edit_request(sessions, world.kobe, season_id, first.id, fields, version=first.version)

    with use_locale("ja"):
        preview = publication_of(sessions, world.coordinator, season_id, run)
    inputs = next(c for c in preview.checks if c.check == INPUTS)
    assert not inputs.passed and not inputs.overridable and preview.blocked
    assert "マッチングをやり直し" in inputs.detail  # rendered in the reader's language
    every_reason = {check.value: "please" for check in PublicationCheck}
    with pytest.raises(RuleError) as refused:
        publish_run(sessions, world.coordinator, season_id, run, overrides=every_reason)
    assert refused.value.field == "checks"
    assert _status(sessions, run) == "draft"

    again = run_season_match(sessions, world.coordinator, season_id, seed=7).run.id
    fresh = publication_of(sessions, world.coordinator, season_id, again)
    assert next(c for c in fresh.checks if c.check == INPUTS).passed
