"""An applicant takes their online application back, on SQLite and PostgreSQL: a draft is
deleted with its documents and references (a referee's link then answers as unknown); a
submitted application is withdrawn (stage history, slot released, staff and applicant told),
all or nothing at the version read; nobody else's is reachable; the match leaves it out."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from tests.interview_world import InterviewWorld, build_interviews
from tests.recruitment_world import (
    PDF,
    SITE,
    RecruitWorld,
    answers,
    build_recruitment,
    complete_application,
    token_of,
)

from altmatch.db import Sessions, interview_round
from altmatch.db import season as season_repo
from altmatch.db.models import (
    ApplicationDocument,
    ApplicationReference,
    ApplicationStageChange,
    AuditEntry,
    InterviewSlot,
    MatchRun,
    Notification,
    OnlineApplication,
    SeasonCandidate,
    SeasonRow,
)
from altmatch.domain.access import NotFoundError
from altmatch.domain.recruitment import DocumentKind
from altmatch.rulebook.recruitment import Decision
from altmatch.services.kernel.errors import RuleError, StaleError
from altmatch.services.season.application_reads import UploadFileIn, application_page
from altmatch.services.season.application_withdrawal import (
    WithdrawIn,
    delete_draft,
    withdraw_application,
    withdrawal_preview,
)
from altmatch.services.season.imports import import_requests
from altmatch.services.season.interview_booking import BookIn, book_interview
from altmatch.services.season.online_application import (
    RefereeIn,
    name_referee,
    save_draft,
    submit_application,
    upload_document,
)
from altmatch.services.season.references import read_reference_link, upload_reference
from altmatch.services.season.runs import run_season_match
from altmatch.services.season.screening import ScreeningIn, decide_screening

pytestmark = pytest.mark.date_sensitive  # the season's request deadline and interviews ahead


def _count(sessions: Sessions, model: type, **where: object) -> int:
    with sessions() as session:
        query = select(func.count()).select_from(model)
        for column, value in where.items():
            query = query.where(getattr(model, column) == value)
        return int(session.scalar(query) or 0)


def _draft_with_an_outstanding_link(sessions: Sessions, rw: RecruitWorld) -> tuple[int, str]:
    """Emily's draft with both documents and one referee asked: (its version, the link)."""
    out = save_draft(sessions, rw.emily, rw.season_id, answers(), version=None)
    for kind in DocumentKind:
        out = upload_document(
            sessions,
            rw.emily,
            rw.season_id,
            kind,
            UploadFileIn(filename=f"{kind.value}.pdf", data=PDF),
            version=out.version,
        )
    out, letter = name_referee(
        sessions,
        rw.emily,
        rw.season_id,
        RefereeIn(slot=1, name="Referee One", email="ref1@example.net"),
        version=out.version,
        site_url=SITE,
    )
    return out.version, token_of(letter.body)


# -- deleting a draft ---------------------------------------------------------------------------


def test_deleting_a_draft_removes_its_files_and_references_and_the_referee_link_goes_dead(
    sessions: Sessions,
) -> None:
    rw = build_recruitment(sessions)
    version, token = _draft_with_an_outstanding_link(sessions, rw)
    preview = withdrawal_preview(sessions, rw.emily, rw.season_id)
    assert len(preview.application.documents) == 2 and preview.outstanding_links == 1
    assert read_reference_link(sessions, token).valid
    with sessions() as session:
        application_id = session.scalars(select(OnlineApplication.id)).one()

    page = delete_draft(sessions, rw.emily, rw.season_id, version=version)

    assert page.application is None
    assert _count(sessions, OnlineApplication) == 0
    assert _count(sessions, ApplicationDocument) == 0
    assert _count(sessions, ApplicationReference) == 0
    assert not read_reference_link(sessions, token).valid
    with pytest.raises(RuleError):
        upload_reference(sessions, token, UploadFileIn(filename="ref.pdf", data=PDF))
    with sessions() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "application.draft_deleted")
        ).one()
    assert entry.entity_id == str(application_id) and entry.after == {
        "documents": 2,
        "references": 1,
    }
    assert "Emily" not in str(entry.before) + str(entry.after)
    # and a new draft may start
    again = save_draft(sessions, rw.emily, rw.season_id, answers(), version=None)
    assert again.status == "draft" and again.documents == [] and again.references == []


def test_a_stale_deletion_deletes_nothing(sessions: Sessions) -> None:
    rw = build_recruitment(sessions)
    version, token = _draft_with_an_outstanding_link(sessions, rw)
    with pytest.raises(StaleError):
        delete_draft(sessions, rw.emily, rw.season_id, version=version - 1)
    assert _count(sessions, OnlineApplication) == 1
    assert _count(sessions, ApplicationDocument) == 2
    assert read_reference_link(sessions, token).valid
    assert _count(sessions, AuditEntry, action="application.draft_deleted") == 0


def test_a_submitted_application_is_withdrawn_not_deleted_and_a_draft_is_deleted_not_withdrawn(
    sessions: Sessions,
) -> None:
    rw = build_recruitment(sessions)
    out = save_draft(sessions, rw.emily, rw.season_id, answers(), version=None)
    with pytest.raises(StaleError):
        withdraw_application(sessions, rw.emily, rw.season_id, WithdrawIn(), version=out.version)
    version = complete_application(sessions, rw, rw.emily, answers(), existing=True)
    done = submit_application(sessions, rw.emily, rw.season_id, version=version)
    with pytest.raises(StaleError):
        delete_draft(sessions, rw.emily, rw.season_id, version=done.version)
    assert _count(sessions, OnlineApplication, status="submitted") == 1


def test_another_candidate_reaches_no_one_elses_application(sessions: Sessions) -> None:
    rw = build_recruitment(sessions)
    version, _ = _draft_with_an_outstanding_link(sessions, rw)
    for action in (
        lambda: withdrawal_preview(sessions, rw.liam, rw.season_id),
        lambda: delete_draft(sessions, rw.liam, rw.season_id, version=version),
        lambda: withdraw_application(sessions, rw.liam, rw.season_id, WithdrawIn(), version=1),
    ):
        with pytest.raises(NotFoundError):
            action()
    assert _count(sessions, OnlineApplication) == 1


# -- withdrawing a submitted application ---------------------------------------------------------


@pytest.fixture
def iw(sessions: Sessions) -> InterviewWorld:
    return build_interviews(sessions)


def _mine(sessions: Sessions, iw: InterviewWorld) -> int:
    page = application_page(sessions, iw.rw.emily, iw.rw.season_id).application
    assert page is not None
    return page.version


def test_withdrawing_releases_the_slot_moves_the_stage_records_history_and_notifies(
    sessions: Sessions, iw: InterviewWorld
) -> None:
    rw, emily = iw.rw, iw.candidates["Emily Carter"]
    book_interview(sessions, rw.emily, rw.season_id, BookIn(slot_id=iw.slots[0]))
    preview = withdrawal_preview(sessions, rw.emily, rw.season_id)
    assert preview.refusal is None and preview.booking is not None

    out = withdraw_application(
        sessions,
        rw.emily,
        rw.season_id,
        WithdrawIn(reason="  I accepted another post.  "),
        version=_mine(sessions, iw),
    )

    assert out.application.stage is not None and out.application.stage.value == "withdrawn"
    assert out.booking is None and out.refusal is not None and out.refusal.value == "withdrawn"
    with sessions() as session:
        slot = session.get_one(InterviewSlot, iw.slots[0])
        assert slot.candidate_id is None and slot.booked_at is None
        change = session.scalars(
            select(ApplicationStageChange)
            .where(ApplicationStageChange.candidate_id == emily)
            .order_by(ApplicationStageChange.id.desc())
        ).first()
        assert change is not None
        assert (change.from_stage, change.to_stage) == ("screened", "withdrawn")
        assert change.by_user_id == rw.emily.user_id
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "application.withdrawn")
        ).one()
        assert entry.entity == "season_candidate" and entry.entity_id == str(emily)
        assert entry.after is not None and entry.after["reason"] == "I accepted another post."
        assert entry.after["change_id"] == change.id and entry.after["slot_id"] == iw.slots[0]
        told = {
            n.user_id: n.message["msgid"]
            for n in session.scalars(
                select(Notification).where(Notification.kind == "application_withdrawn")
            )
        }
    assert set(told) == {rw.emily.user_id, rw.london_screener.user_id}  # not Dublin's
    assert "free again" in told[rw.london_screener.user_id]
    # the slot is free for someone else
    booked = book_interview(sessions, iw.olivia, rw.season_id, BookIn(slot_id=iw.slots[0]))
    assert booked.booking is not None and booked.booking.id == iw.slots[0]
    # and a second withdrawal is refused
    with pytest.raises(StaleError):
        withdraw_application(
            sessions, rw.emily, rw.season_id, WithdrawIn(), version=_mine(sessions, iw)
        )


def test_a_stale_withdrawal_changes_nothing(sessions: Sessions, iw: InterviewWorld) -> None:
    rw = iw.rw
    book_interview(sessions, rw.emily, rw.season_id, BookIn(slot_id=iw.slots[0]))
    version = _mine(sessions, iw)
    with pytest.raises(StaleError):
        withdraw_application(sessions, rw.emily, rw.season_id, WithdrawIn(), version=version - 1)
    with sessions() as session:
        slot = session.get_one(InterviewSlot, iw.slots[0])
        assert slot.candidate_id == iw.candidates["Emily Carter"]
        row = session.get_one(SeasonCandidate, iw.candidates["Emily Carter"])
        assert row.stage == "screened"
    assert _count(sessions, Notification, kind="application_withdrawn") == 0
    assert _count(sessions, AuditEntry, action="application.withdrawn") == 0
    assert _mine(sessions, iw) == version


def test_a_slot_changed_meanwhile_rolls_the_whole_withdrawal_back(
    sessions: Sessions, iw: InterviewWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The release is the booking service's compare-and-swap on the slot: when the office
    moved the booking after the applicant's read, it fails and the stage stays as it was."""
    rw = iw.rw
    book_interview(sessions, rw.emily, rw.season_id, BookIn(slot_id=iw.slots[0]))
    version = _mine(sessions, iw)
    read = interview_round.slot_of_candidate

    def read_then_the_office_writes(session: Session, candidate_id: int) -> InterviewSlot | None:
        slot = read(session, candidate_id)
        session.execute(  # the office's write lands between the read and the release
            update(InterviewSlot)
            .where(InterviewSlot.id == iw.slots[0])
            .values(version=InterviewSlot.version + 1)
            .execution_options(synchronize_session=False)
        )
        return slot

    monkeypatch.setattr(interview_round, "slot_of_candidate", read_then_the_office_writes)
    with pytest.raises(StaleError):
        withdraw_application(sessions, rw.emily, rw.season_id, WithdrawIn(), version=version)
    with sessions() as session:
        assert session.get_one(SeasonCandidate, iw.candidates["Emily Carter"]).stage == "screened"
        assert session.get_one(InterviewSlot, iw.slots[0]).candidate_id is not None
    assert _count(sessions, ApplicationStageChange, to_stage="withdrawn") == 0
    assert _count(sessions, Notification, kind="application_withdrawn") == 0


def test_not_selected_and_published_applications_cannot_be_withdrawn(sessions: Sessions) -> None:
    rw = build_recruitment(sessions)
    for who, name, country in ((rw.emily, "Emily Carter", "GB"), (rw.liam, "Liam Walsh", "IE")):
        version = complete_application(sessions, rw, who, answers(name, country))
        submit_application(sessions, who, rw.season_id, version=version)
    liam = application_page(sessions, rw.liam, rw.season_id).application
    assert liam is not None
    decide_screening(
        sessions,
        rw.dublin_screener,
        rw.dublin,
        liam.id,
        ScreeningIn(
            decision=Decision.SCREEN_OUT, reason_code="documents_invalid", note="No degree."
        ),
        version=liam.version,
    )
    refusal = withdrawal_preview(sessions, rw.liam, rw.season_id).refusal
    assert refusal is not None and refusal.value == "decided"
    with pytest.raises(StaleError):
        withdraw_application(
            sessions,
            rw.liam,
            rw.season_id,
            WithdrawIn(),
            version=withdrawal_preview(sessions, rw.liam, rw.season_id).application.version,
        )
    with sessions.begin() as session:  # the outcome is published (the season says so)
        session.execute(
            update(SeasonRow).where(SeasonRow.id == rw.season_id).values(status="published")
        )
    preview = withdrawal_preview(sessions, rw.emily, rw.season_id)
    assert preview.refusal is not None and preview.refusal.value == "published"
    with pytest.raises(StaleError) as refused:
        withdraw_application(
            sessions, rw.emily, rw.season_id, WithdrawIn(), version=preview.application.version
        )
    assert "contact the programme" in refused.value.message.template
    assert _count(sessions, SeasonCandidate, stage="withdrawn") == 0


# -- the match -----------------------------------------------------------------------------------

REQUESTS = (
    b"request_id,capacity,boe,prefecture,school_levels,area,requires_driving_licence,min_jlpt,"
    b"min_teaching_years\n"
    b"KOB-1,3,Kobe City BoE,Hyogo,elementary,urban,no,none,0\n"
)


def test_the_match_leaves_a_withdrawn_application_out(
    sessions: Sessions, iw: InterviewWorld
) -> None:
    rw = iw.rw
    import_requests(
        sessions,
        rw.world.coordinator,
        rw.season_id,
        content=REQUESTS,
        filename="r.csv",
        commit=True,
    )
    withdraw_application(
        sessions, rw.emily, rw.season_id, WithdrawIn(), version=_mine(sessions, iw)
    )
    run = run_season_match(sessions, rw.world.coordinator, rw.season_id, seed=1).run.id
    with sessions() as session:
        matched = {p.candidate_id for p in season_repo.placements(session, run)}
        inputs = str(season_repo.run_inputs(session, session.get_one(MatchRun, run)))
    assert iw.candidates["Olivia Smith"] in matched and iw.candidates["Liam Walsh"] in matched
    assert iw.candidates["Emily Carter"] not in matched
    assert "Emily Carter" not in inputs
