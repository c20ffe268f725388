"""The online application against a real database: drafts, uploads, referees' links,
submission with its receipt, and every refusal (other candidates, stale versions, bad files,
used and expired links)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from tests.recruitment_world import (
    PDF,
    PNG,
    SITE,
    RecruitWorld,
    answers,
    build_recruitment,
    complete_application,
    token_of,
)

from altmatch.clock import utc_now
from altmatch.db import Sessions
from altmatch.db.models import ApplicationStageChange, Notification, SeasonCandidate
from altmatch.domain.access import NotFoundError
from altmatch.domain.recruitment import DocumentKind, Missing, ReferenceStatus
from altmatch.i18n import render
from altmatch.services.home import home
from altmatch.services.kernel.errors import RuleError, StaleError
from altmatch.services.season.application_reads import (
    UploadFileIn,
    application_page,
)
from altmatch.services.season.online_application import (
    RefereeIn,
    name_referee,
    save_draft,
    submit_application,
    upload_document,
)
from altmatch.services.season.references import read_reference_link, upload_reference


@pytest.fixture
def rw(sessions: Sessions) -> RecruitWorld:
    return build_recruitment(sessions)


def test_a_draft_is_saved_and_read_back_with_what_is_still_missing(
    sessions: Sessions, rw: RecruitWorld
) -> None:
    out = save_draft(sessions, rw.emily, rw.season_id, answers(), version=None)
    assert out.status == "draft" and out.office is not None and out.office.code == "london"
    assert out.missing == [Missing.DEGREE, Missing.TRANSCRIPT, Missing.REFEREES]
    page = application_page(sessions, rw.emily, rw.season_id)
    assert page.application is not None and page.application.answers.name == "Emily Carter"


def test_a_stale_draft_save_is_refused_and_changes_nothing(
    sessions: Sessions, rw: RecruitWorld
) -> None:
    first = save_draft(sessions, rw.emily, rw.season_id, answers(), version=None)
    save_draft(sessions, rw.emily, rw.season_id, answers(teaching_years=3), version=first.version)
    with pytest.raises(StaleError):
        save_draft(
            sessions, rw.emily, rw.season_id, answers(teaching_years=9), version=first.version
        )
    page = application_page(sessions, rw.emily, rw.season_id)
    assert page.application is not None and page.application.answers.teaching_years == 3


def test_another_candidate_never_sees_an_application(sessions: Sessions, rw: RecruitWorld) -> None:
    save_draft(sessions, rw.emily, rw.season_id, answers(), version=None)
    assert application_page(sessions, rw.liam, rw.season_id).application is None
    with pytest.raises(NotFoundError):
        upload_document(
            sessions,
            rw.liam,
            rw.season_id,
            DocumentKind.DEGREE,
            UploadFileIn(filename="x.pdf", data=PDF),
            version=1,
        )


def test_an_upload_is_judged_by_its_bytes_not_its_name(
    sessions: Sessions, rw: RecruitWorld
) -> None:
    out = save_draft(sessions, rw.emily, rw.season_id, answers(), version=None)
    fake = UploadFileIn(filename="degree.pdf", data=b"MZ\x90\x00 not a pdf")
    with pytest.raises(RuleError, match="not a PDF"):
        upload_document(
            sessions, rw.emily, rw.season_id, DocumentKind.DEGREE, fake, version=out.version
        )
    out = upload_document(
        sessions,
        rw.emily,
        rw.season_id,
        DocumentKind.DEGREE,
        UploadFileIn(filename="scan.txt", data=PNG),
        version=out.version,
    )
    assert [(d.kind, d.content_type) for d in out.documents] == [("degree", "image/png")]


def test_an_upload_over_the_rulebook_limit_is_refused(sessions: Sessions, rw: RecruitWorld) -> None:
    out = save_draft(sessions, rw.emily, rw.season_id, answers(), version=None)
    big = UploadFileIn(filename="big.pdf", data=PDF + b"0" * 5_000_000)  # limit 5,000,000
    with pytest.raises(RuleError) as refused:
        upload_document(
            sessions, rw.emily, rw.season_id, DocumentKind.DEGREE, big, version=out.version
        )
    assert render(refused.value.message, "en") == "big.pdf is larger than the limit of 5 MB."
    assert application_page(sessions, rw.emily, rw.season_id).application.documents == []  # type: ignore[union-attr]


def test_submission_waits_for_both_references_then_gives_a_receipt(
    sessions: Sessions, rw: RecruitWorld
) -> None:
    version = complete_application(sessions, rw, rw.emily, answers(), references=False)
    with pytest.raises(RuleError, match="not complete"):
        submit_application(sessions, rw.emily, rw.season_id, version=version)
    page = application_page(sessions, rw.emily, rw.season_id).application
    assert page is not None and page.missing == [Missing.REFERENCES]
    assert {r.status for r in page.references} == {ReferenceStatus.REQUESTED}


def test_a_complete_application_is_submitted_into_the_season(
    sessions: Sessions, rw: RecruitWorld
) -> None:
    version = complete_application(sessions, rw, rw.emily, answers())
    out = submit_application(sessions, rw.emily, rw.season_id, version=version)
    assert out.status == "submitted" and out.receipt is not None
    assert out.receipt.reference_number == f"2027-LONDON-{out.id:06d}"
    assert out.receipt.office_time.endswith("(Europe/London)")
    assert out.receipt.submitted_at is not None
    tokyo = out.receipt.submitted_at.astimezone(ZoneInfo("Asia/Tokyo"))
    assert out.receipt.japan_time == f"{tokyo:%Y-%m-%d %H:%M}"
    assert [(i.kind, i.slot) for i in out.receipt.items] == [
        ("degree", None),
        ("transcript", None),
        ("reference", 1),
        ("reference", 2),
    ]
    assert out.stage == "submitted"
    with sessions() as session:
        candidate = session.scalars(
            select(SeasonCandidate).where(SeasonCandidate.season_id == rw.season_id)
        ).one()
        assert (candidate.name, candidate.jlpt, candidate.teaching_years) == (
            "Emily Carter",
            "N3",
            2,
        )
        assert candidate.preferred_prefectures == ["Hyogo", "Nagano"]
        history = session.scalars(
            select(ApplicationStageChange).where(
                ApplicationStageChange.candidate_id == candidate.id
            )
        ).all()
        assert [(h.from_stage, h.to_stage) for h in history] == [(None, "submitted")]
        kinds = session.scalars(select(Notification.kind)).all()
        assert "application_received" in kinds
    with pytest.raises(StaleError):  # a submitted application no longer changes
        save_draft(sessions, rw.emily, rw.season_id, answers(), version=out.version)


def test_an_ineligible_application_is_not_submitted(sessions: Sessions, rw: RecruitWorld) -> None:
    version = complete_application(
        sessions, rw, rw.emily, answers(prior_jet_years=5, years_in_japan_recent=0)
    )
    with pytest.raises(RuleError, match="eligibility"):
        submit_application(sessions, rw.emily, rw.season_id, version=version)


def test_a_citizenship_no_office_serves_keeps_the_application_a_draft(
    sessions: Sessions, rw: RecruitWorld
) -> None:
    out = save_draft(sessions, rw.emily, rw.season_id, answers(citizenship="JM"), version=None)
    assert out.office is None and Missing.OFFICE in out.missing


def test_a_referee_link_works_once(sessions: Sessions, rw: RecruitWorld) -> None:
    out = save_draft(sessions, rw.emily, rw.season_id, answers(), version=None)
    out, letter = name_referee(
        sessions,
        rw.emily,
        rw.season_id,
        RefereeIn(slot=1, name="Dr Ada Jones", email="ada@uni.example"),
        version=out.version,
        site_url=SITE,
    )
    assert letter.to == "ada@uni.example" and "Emily Carter" in letter.body
    token = token_of(letter.body)
    link = read_reference_link(sessions, token)
    assert link.valid and link.applicant == "Emily Carter"
    upload_reference(sessions, token, UploadFileIn(filename="letter.pdf", data=PDF))
    assert not read_reference_link(sessions, token).valid
    with pytest.raises(StaleError):
        upload_reference(sessions, token, UploadFileIn(filename="again.pdf", data=PDF))
    page = application_page(sessions, rw.emily, rw.season_id).application
    assert page is not None and page.references[0].status is ReferenceStatus.RECEIVED
    with pytest.raises(StaleError, match="arrived"):  # a received reference is not replaced
        name_referee(
            sessions,
            rw.emily,
            rw.season_id,
            RefereeIn(slot=1, name="Someone Else", email="else@uni.example"),
            version=page.version,
            site_url=SITE,
        )


def test_an_expired_or_resent_link_no_longer_works(sessions: Sessions, rw: RecruitWorld) -> None:
    out = save_draft(sessions, rw.emily, rw.season_id, answers(), version=None)
    body = RefereeIn(slot=2, name="Mr Brown", email="brown@school.example")
    out, first = name_referee(
        sessions, rw.emily, rw.season_id, body, version=out.version, site_url=SITE
    )
    later = utc_now() + timedelta(days=22)  # the link works 21 days
    assert not read_reference_link(sessions, token_of(first.body), now=later).valid
    with pytest.raises(StaleError):
        upload_reference(
            sessions, token_of(first.body), UploadFileIn(filename="l.pdf", data=PDF), now=later
        )
    out, second = name_referee(
        sessions, rw.emily, rw.season_id, body, version=out.version, site_url=SITE
    )
    assert out.references[0].requests_sent == 2
    assert not read_reference_link(sessions, token_of(first.body)).valid  # the old one is dead
    assert read_reference_link(sessions, token_of(second.body)).valid
    assert not read_reference_link(sessions, "x" * 500).valid


def test_a_referee_cannot_be_the_applicant(sessions: Sessions, rw: RecruitWorld) -> None:
    out = save_draft(sessions, rw.emily, rw.season_id, answers(), version=None)
    with pytest.raises(RuleError, match="yourself"):
        name_referee(
            sessions,
            rw.emily,
            rw.season_id,
            RefereeIn(slot=1, name="Me", email="Emily@example.org"),
            version=out.version,
            site_url=SITE,
        )


def test_preferred_prefectures_are_stored_as_the_season_names_them(
    sessions: Sessions, rw: RecruitWorld
) -> None:
    body = answers(preferred_prefectures=["兵庫県", "nagano", "28", "Hyogo Prefecture"])
    out = save_draft(sessions, rw.emily, rw.season_id, body, version=None)
    assert out.answers.preferred_prefectures == ["Hyogo", "Nagano"]
    with pytest.raises(RuleError, match="not a prefecture"):
        save_draft(
            sessions,
            rw.emily,
            rw.season_id,
            answers(preferred_prefectures=["Atlantis"]),
            version=out.version,
        )


def test_a_referee_is_sent_at_most_the_rulebooks_number_of_emails(
    sessions: Sessions, rw: RecruitWorld
) -> None:
    out = save_draft(sessions, rw.emily, rw.season_id, answers(), version=None)
    body = RefereeIn(slot=1, name="Ms Lee", email="lee@school.example")
    for _ in range(5):  # recruitment.references.max_requests
        out, _letter = name_referee(
            sessions, rw.emily, rw.season_id, body, version=out.version, site_url=SITE
        )
    with pytest.raises(RuleError, match="no more can be sent"):
        name_referee(sessions, rw.emily, rw.season_id, body, version=out.version, site_url=SITE)


def test_the_home_page_asks_to_apply_until_the_application_is_submitted(
    sessions: Sessions, rw: RecruitWorld
) -> None:
    key = f"online-{rw.season_id}"

    def step() -> str | None:
        found = {s.key: s for s in home(sessions, rw.emily).steps}.get(key)
        return found.detail if found else None

    assert step() == "Not started."
    save_draft(sessions, rw.emily, rw.season_id, answers(), version=None)
    assert step() == "Draft: 3 things still needed."  # degree, transcript, referees
    version = complete_application(sessions, rw, rw.emily, answers(), existing=True)
    submit_application(sessions, rw.emily, rw.season_id, version=version)
    assert step() is None
