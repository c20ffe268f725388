"""An office's screening queue against a real database: who sees which office's applicants,
decisions with reasons, the stale-version refusal, and what the applicant is told."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from tests.recruitment_world import RecruitWorld, answers, build_recruitment, complete_application

from altmatch.db import Sessions
from altmatch.db.listing import ListQuery
from altmatch.db.models import ApplicationStageChange, AuditEntry, Notification
from altmatch.domain.access import OPERATOR, AccessDeniedError, NotFoundError
from altmatch.domain.application import ApplicationStage
from altmatch.rulebook.recruitment import Decision
from altmatch.services.kernel.errors import RuleError, StaleError
from altmatch.services.season.application_reads import (
    application_page,
)
from altmatch.services.season.online_application import (
    submit_application,
)
from altmatch.services.season.recruiting_offices import list_offices, set_office_staff
from altmatch.services.season.screening import (
    ScreeningIn,
    decide_screening,
    screening_detail,
    screening_file,
    screening_queue,
)


@pytest.fixture
def rw(sessions: Sessions) -> RecruitWorld:
    return build_recruitment(sessions)


def _submitted(sessions: Sessions, rw: RecruitWorld) -> tuple[int, int]:
    """Emily (GB) applies through London, Liam (IE) through Dublin: Emily's id and version."""
    version = complete_application(sessions, rw, rw.emily, answers())
    out = submit_application(sessions, rw.emily, rw.season_id, version=version)
    liam = complete_application(sessions, rw, rw.liam, answers("Liam Walsh", "IE"))
    submit_application(sessions, rw.liam, rw.season_id, version=liam)
    return out.id, out.version


def test_each_office_sees_only_its_own_applicants(sessions: Sessions, rw: RecruitWorld) -> None:
    _submitted(sessions, rw)
    london = screening_queue(sessions, rw.london_screener, rw.london, ListQuery())
    dublin = screening_queue(sessions, rw.dublin_screener, rw.dublin, ListQuery())
    assert [i.name for i in london.items] == ["Emily Carter"]
    assert [i.name for i in dublin.items] == ["Liam Walsh"]
    assert london.items[0].references_received == 2


def test_a_screener_of_another_office_cannot_reach_an_application_or_its_files(
    sessions: Sessions, rw: RecruitWorld
) -> None:
    emily, _ = _submitted(sessions, rw)
    with pytest.raises(NotFoundError):
        screening_queue(sessions, rw.dublin_screener, rw.london, ListQuery())
    with pytest.raises(NotFoundError):  # through their own office, by another office's id
        screening_detail(sessions, rw.dublin_screener, rw.dublin, emily)
    with pytest.raises(NotFoundError):
        screening_file(sessions, rw.dublin_screener, rw.dublin, emily, "degree")
    name, kind, data = screening_file(sessions, rw.london_screener, rw.london, emily, "degree")
    assert (name, kind) == ("degree.pdf", "application/pdf") and data.startswith(b"%PDF")


def test_a_programme_coordinator_without_membership_sees_offices_not_applicants(
    sessions: Sessions, rw: RecruitWorld
) -> None:
    emily, _ = _submitted(sessions, rw)
    coordinator = rw.world.coordinator
    offices = {o.code: o for o in list_offices(sessions, coordinator)}
    assert offices["london"].submitted == 1 and not offices["london"].screens
    with pytest.raises(NotFoundError):
        screening_detail(sessions, coordinator, rw.london, emily)
    with pytest.raises(AccessDeniedError):  # candidates and BoE staff may not screen at all
        screening_queue(sessions, rw.emily, rw.london, ListQuery())
    with pytest.raises(AccessDeniedError):
        screening_queue(sessions, rw.world.kobe, rw.london, ListQuery())


def test_membership_follows_the_record(sessions: Sessions, rw: RecruitWorld) -> None:
    emily, _ = _submitted(sessions, rw)
    coordinator = rw.world.coordinator
    assert coordinator.user_id is not None
    set_office_staff(sessions, OPERATOR, rw.london, coordinator.user_id, member=True)
    assert screening_detail(sessions, coordinator, rw.london, emily).id == emily
    set_office_staff(sessions, OPERATOR, rw.london, coordinator.user_id, member=False)
    with pytest.raises(NotFoundError):
        screening_detail(sessions, coordinator, rw.london, emily)


def test_only_a_coordinator_of_the_programme_can_become_office_staff(
    sessions: Sessions, rw: RecruitWorld
) -> None:
    assert rw.emily.user_id is not None
    with pytest.raises(RuleError):
        set_office_staff(sessions, OPERATOR, rw.london, rw.emily.user_id, member=True)


def test_screening_out_records_the_reason_and_tells_the_applicant(
    sessions: Sessions, rw: RecruitWorld
) -> None:
    emily, version = _submitted(sessions, rw)
    body = ScreeningIn(
        decision=Decision.SCREEN_OUT, reason_code="documents_invalid", note="Transcript unreadable"
    )
    out = decide_screening(sessions, rw.london_screener, rw.london, emily, body, version=version)
    assert out.stage is ApplicationStage.NOT_SELECTED
    assert out.decision is not None and out.decision.reason_code == "documents_invalid"
    mine = application_page(sessions, rw.emily, rw.season_id).application
    assert mine is not None and mine.decision is not None
    assert mine.decision.note == "Transcript unreadable"
    with sessions() as session:
        history = session.scalars(select(ApplicationStageChange.to_stage)).all()
        assert history.count("not_selected") == 1
        audit = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "application.screened")
        ).one()
        assert audit.actor_user_id == rw.london_screener.user_id
        notice = session.scalars(
            select(Notification).where(Notification.kind == "application_screened")
        ).one()
        assert notice.user_id == rw.emily.user_id
        assert "Transcript unreadable" in str(notice.message)


def test_a_reason_must_match_the_decision(sessions: Sessions, rw: RecruitWorld) -> None:
    emily, version = _submitted(sessions, rw)
    wrong = ScreeningIn(decision=Decision.SCREEN_IN, reason_code="ineligible", note="x")
    with pytest.raises(RuleError, match="reason"):
        decide_screening(sessions, rw.london_screener, rw.london, emily, wrong, version=version)
    unknown = ScreeningIn(decision=Decision.SCREEN_IN, reason_code="because", note="x")
    with pytest.raises(RuleError):
        decide_screening(sessions, rw.london_screener, rw.london, emily, unknown, version=version)


def test_a_second_decision_on_a_stale_version_is_refused(
    sessions: Sessions, rw: RecruitWorld
) -> None:
    emily, version = _submitted(sessions, rw)
    yes = ScreeningIn(decision=Decision.SCREEN_IN, reason_code="eligible", note="All in order")
    no = ScreeningIn(decision=Decision.SCREEN_OUT, reason_code="ineligible", note="No degree")
    out = decide_screening(sessions, rw.london_screener, rw.london, emily, yes, version=version)
    assert out.stage is ApplicationStage.SCREENED
    with pytest.raises(StaleError):
        decide_screening(sessions, rw.london_screener, rw.london, emily, no, version=version)
    with pytest.raises(StaleError, match="already"):  # even with the fresh version
        decide_screening(sessions, rw.london_screener, rw.london, emily, no, version=out.version)
    again = screening_queue(sessions, rw.london_screener, rw.london, ListQuery())
    assert again.items[0].stage is ApplicationStage.SCREENED


def test_the_queue_filters_and_searches(sessions: Sessions, rw: RecruitWorld) -> None:
    _submitted(sessions, rw)
    q = screening_queue(sessions, rw.london_screener, rw.london, ListQuery(q="carter"))
    assert q.meta.total == 1
    assert (
        screening_queue(
            sessions, rw.london_screener, rw.london, ListQuery(filters={"stage": "screened"})
        ).items
        == []
    )
