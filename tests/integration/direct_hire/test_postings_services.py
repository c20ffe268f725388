"""Direct hire in the database on SQLite and PostgreSQL: posting, applying, moving, hiring."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from altmatch.db import Sessions
from altmatch.db.models import AuditEntry, EmploymentContract, PostingApplication
from altmatch.domain.access import OPERATOR, AccessDeniedError, Actor, NotFoundError, OrgKind, Role
from altmatch.domain.direct_hire import Declared, PostingStage
from altmatch.i18n import render
from altmatch.rulebook.vocabulary import Jlpt, Residence, SchoolLevel, StatusOfResidence
from altmatch.services.accounts.users import create_organisation, create_user
from altmatch.services.direct_hire.applications import (
    ApplyIn,
    DeclaredIn,
    IneligibleError,
    MoveIn,
    apply_to_posting,
    boe_posting_detail,
    check_eligibility,
    move_application,
    my_applications,
    withdraw_application,
)
from altmatch.services.direct_hire.postings import (
    PostingFields,
    close_posting,
    create_posting,
    get_open_posting,
    list_boe_postings,
    list_open_postings,
    postings_for,
)
from altmatch.services.kernel.errors import RuleError, StaleError

pytestmark = pytest.mark.date_sensitive

TODAY = dt.date(2027, 1, 15)


@dataclass(frozen=True)
class World:
    kobe: Actor
    himeji: Actor
    emily: Actor  # a candidate who qualifies for most posts
    tom: Actor  # an ALT with little Japanese
    kobe_id: int


def _actor(sessions: Sessions, role: Role, email: str, name: str, org: int | None) -> Actor:
    user = create_user(
        sessions,
        actor=OPERATOR,
        email=email,
        display_name=name,
        role=role,
        password=None,
        organisation_id=org,
    )
    return Actor(user_id=user.id, role=role, organisation_id=org)


@pytest.fixture
def world(sessions: Sessions) -> World:
    def boe(name: str, prefecture: str) -> int:
        return create_organisation(
            sessions,
            actor=OPERATOR,
            kind=OrgKind.BOE,
            name_en=name,
            name_ja=name,
            prefecture=prefecture,
        ).id

    kobe, himeji = boe("Kobe City BoE", "Hyogo"), boe("Sendai City BoE", "Miyagi")
    return World(
        kobe=_actor(sessions, Role.BOE_STAFF, "kobe@example.org", "Kenji Sato", kobe),
        himeji=_actor(sessions, Role.BOE_STAFF, "sendai@example.org", "Aiko Ito", himeji),
        emily=_actor(sessions, Role.CANDIDATE, "emily@example.org", "Emily Carter", None),
        tom=_actor(sessions, Role.ALT, "tom@example.org", "Tom Reed", None),
        kobe_id=kobe,
    )


def _fields(**changes: object) -> PostingFields:
    base: dict[str, object] = {
        "title_en": "Elementary ALT, Kobe",
        "title_ja": "神戸市 小学校ALT",
        "school_levels": [SchoolLevel.ELEMENTARY],
        "openings": 1,
        "min_alt_years": 2,
        "min_jlpt": Jlpt.N2,
        "monthly_pay": 280_000,
        "benefits": ["paid_leave", "social_insurance"],
        "start": dt.date(2027, 4, 1),
        "closes_on": dt.date(2027, 2, 28),
    }
    return PostingFields.model_validate(base | changes)


EMILY = ApplyIn(
    alt_years=3,
    jlpt=Jlpt.N2,
    residence=Residence.JAPAN,
    status_of_residence=StatusOfResidence.INSTRUCTOR,
    driving_licence=True,
    cover_note="I have taught in Kobe for three years.",
)
TOM = ApplyIn(
    alt_years=1,
    jlpt=Jlpt.N4,
    residence=Residence.JAPAN,
    status_of_residence=StatusOfResidence.INSTRUCTOR,
)


def _post(sessions: Sessions, world: World, **changes: object) -> int:
    return create_posting(sessions, world.kobe, _fields(**changes), today=TODAY).id


def _audit(sessions: Sessions, action: str) -> list[AuditEntry]:
    with sessions() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_a_boe_posts_an_opening_and_sees_it_with_counts(sessions: Sessions, world: World) -> None:
    posting = _post(sessions, world)
    found = list_boe_postings(sessions, world.kobe, today=TODAY)
    assert [r.posting.id for r in found.postings] == [posting]
    row = found.postings[0]
    assert row.applications == 0 and row.by_stage[PostingStage.APPLIED] == 0
    assert row.posting.prefecture == "Hyogo"
    assert [b.id for b in row.posting.benefits] == ["paid_leave", "social_insurance"]
    assert found.pay_range.monthly_min == 250_000 and found.pay_range.estimate
    (entry,) = _audit(sessions, "posting.created")
    assert entry.entity_id == str(posting) and entry.after and entry.after["monthly_pay"] == 280_000


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"monthly_pay": 500_000}, "monthly_pay"),
        ({"monthly_pay": 100_000}, "monthly_pay"),
        ({"benefits": ["free_car"]}, "benefits"),
        ({"closes_on": dt.date(2027, 1, 1)}, "closes_on"),
        ({"start": dt.date(2027, 2, 1)}, "start"),
    ],
)
def test_a_posting_outside_the_rulebook_or_with_bad_dates_is_refused(
    sessions: Sessions, world: World, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(RuleError) as refused:
        _post(sessions, world, **changes)
    assert refused.value.field == field
    assert list_boe_postings(sessions, world.kobe, today=TODAY).postings == []


def test_only_boe_staff_post_openings(sessions: Sessions, world: World) -> None:
    with pytest.raises(AccessDeniedError):
        create_posting(sessions, world.emily, _fields(), today=TODAY)


def test_the_public_board_lists_only_open_unexpired_postings_with_filters(
    sessions: Sessions, world: World
) -> None:
    open_one = _post(sessions, world)
    expiring = _post(sessions, world, closes_on=dt.date(2027, 1, 20), min_jlpt=Jlpt.N4)
    closed = _post(sessions, world, school_levels=[SchoolLevel.JUNIOR_HIGH])
    close_posting(sessions, world.kobe, closed, version=1, today=TODAY)
    sendai = create_posting(sessions, world.himeji, _fields(title_en="Sendai ALT"), today=TODAY).id

    ids = [p.id for p in list_open_postings(sessions, today=TODAY).postings]
    assert set(ids) == {open_one, expiring, sendai}
    later = dt.date(2027, 1, 21)
    assert expiring not in [p.id for p in list_open_postings(sessions, today=later).postings]
    hyogo = list_open_postings(sessions, prefecture="hyogo", today=TODAY).postings
    assert {p.id for p in hyogo} == {open_one, expiring}
    n3 = list_open_postings(sessions, jlpt=Jlpt.N3, today=TODAY).postings
    assert [p.id for p in n3] == [expiring]
    junior = list_open_postings(sessions, school_level=SchoolLevel.JUNIOR_HIGH, today=TODAY)
    assert junior.postings == []
    with pytest.raises(NotFoundError):
        get_open_posting(sessions, closed, today=TODAY)
    with pytest.raises(NotFoundError):
        get_open_posting(sessions, expiring, today=later)
    assert get_open_posting(sessions, open_one, locale="ja", today=TODAY).posting.title == (
        "神戸市 小学校ALT"
    )


def test_eligibility_is_checked_with_reasons_before_applying(
    sessions: Sessions, world: World
) -> None:
    posting = _post(sessions, world)
    ok = check_eligibility(sessions, world.emily, posting, EMILY, today=TODAY)
    assert ok.eligible and ok.unmet == []
    no = check_eligibility(sessions, world.tom, posting, TOM, today=TODAY)
    assert not no.eligible
    assert [u.requirement for u in no.unmet] == ["alt_years", "jlpt"]
    assert no.unmet[1].reason == "This post needs JLPT N2; you declared N4."


def test_an_ineligible_application_is_refused_naming_each_requirement(
    sessions: Sessions, world: World
) -> None:
    posting = _post(sessions, world)
    with pytest.raises(IneligibleError) as refused:
        apply_to_posting(sessions, world.tom, posting, TOM, today=TODAY)
    assert [u.requirement for u in refused.value.unmet] == ["alt_years", "jlpt"]
    message = render(refused.value.message, "en")
    assert "JLPT N2" in message and "year(s) as an ALT" in message
    assert my_applications(sessions, world.tom).applications == []


def test_applying_twice_to_the_same_posting_is_refused(sessions: Sessions, world: World) -> None:
    posting = _post(sessions, world)
    apply_to_posting(sessions, world.emily, posting, EMILY, today=TODAY)
    with pytest.raises(RuleError) as refused:
        apply_to_posting(sessions, world.emily, posting, EMILY, today=TODAY)
    assert render(refused.value.message, "en") == "You have already applied to this posting."
    with sessions() as session:
        assert len(session.scalars(select(PostingApplication)).all()) == 1


def test_a_closed_posting_takes_no_applications(sessions: Sessions, world: World) -> None:
    posting = _post(sessions, world)
    close_posting(sessions, world.kobe, posting, version=1, today=TODAY)
    with pytest.raises(NotFoundError):
        apply_to_posting(sessions, world.emily, posting, EMILY, today=TODAY)


def _apply_and_get(sessions: Sessions, world: World, openings: int = 1) -> tuple[int, int]:
    posting = _post(sessions, world, openings=openings)
    app = apply_to_posting(sessions, world.emily, posting, EMILY, today=TODAY)
    return posting, app.id


def _walk(sessions: Sessions, actor: Actor, posting: int, app: int, *stages: PostingStage) -> None:
    for stage in stages:
        version = next(
            a.version
            for a in boe_posting_detail(sessions, actor, posting, today=TODAY).applications
            if a.id == app
        )
        move_application(sessions, actor, posting, app, MoveIn(stage=stage, version=version))


def test_hiring_creates_the_employment_contract_and_closes_a_filled_posting(
    sessions: Sessions, world: World
) -> None:
    posting, app = _apply_and_get(sessions, world)
    _walk(
        sessions,
        world.kobe,
        posting,
        app,
        PostingStage.SCREENING,
        PostingStage.INTERVIEW,
        PostingStage.OFFERED,
        PostingStage.HIRED,
    )
    detail = boe_posting_detail(sessions, world.kobe, posting, today=TODAY)
    (hired,) = detail.applications
    assert hired.stage is PostingStage.HIRED and detail.hired == 1
    assert [c.to_stage for c in hired.history] == [
        PostingStage.APPLIED,
        PostingStage.SCREENING,
        PostingStage.INTERVIEW,
        PostingStage.OFFERED,
        PostingStage.HIRED,
    ]
    assert detail.posting.status == "closed"
    with sessions() as session:
        contract = session.get(EmploymentContract, hired.contract_id)
        assert contract is not None
        assert contract.path == "direct_hire"
        assert contract.employer_id == contract.workplace_boe_id == world.kobe_id
        assert contract.user_id == world.emily.user_id
        assert contract.start == dt.date(2027, 4, 1)
        assert contract.end == dt.date(2028, 3, 31)
    assert len(_audit(sessions, "employment_contract.created")) == 1
    (closed,) = _audit(sessions, "posting.closed")
    assert closed.after == {"status": "closed", "reason": "filled"}
    assert len(_audit(sessions, "posting_application.moved")) == 4
    mine = my_applications(sessions, world.emily).applications
    assert mine[0].stage is PostingStage.HIRED and not mine[0].can_withdraw


def test_a_posting_with_two_openings_stays_open_after_one_hire(
    sessions: Sessions, world: World
) -> None:
    posting, app = _apply_and_get(sessions, world, openings=2)
    _walk(
        sessions,
        world.kobe,
        posting,
        app,
        PostingStage.SCREENING,
        PostingStage.INTERVIEW,
        PostingStage.OFFERED,
        PostingStage.HIRED,
    )
    assert boe_posting_detail(sessions, world.kobe, posting).posting.status == "open"


def test_an_illegal_move_is_refused_with_a_clear_message(sessions: Sessions, world: World) -> None:
    posting, app = _apply_and_get(sessions, world)
    with pytest.raises(RuleError) as refused:
        move_application(
            sessions, world.kobe, posting, app, MoveIn(stage=PostingStage.HIRED, version=1)
        )
    assert "can move only to Screening" in render(refused.value.message, "en")
    with sessions() as session:
        assert session.scalars(select(EmploymentContract)).all() == []


def test_a_stale_version_is_refused(sessions: Sessions, world: World) -> None:
    posting, app = _apply_and_get(sessions, world)
    move_application(
        sessions, world.kobe, posting, app, MoveIn(stage=PostingStage.SCREENING, version=1)
    )
    with pytest.raises(StaleError):
        move_application(
            sessions, world.kobe, posting, app, MoveIn(stage=PostingStage.REJECTED, version=1)
        )
    with pytest.raises(StaleError):
        close_posting(sessions, world.kobe, posting, version=99)


def test_another_boes_staff_cannot_see_or_move_the_application(
    sessions: Sessions, world: World
) -> None:
    posting, app = _apply_and_get(sessions, world)
    with pytest.raises(NotFoundError):
        boe_posting_detail(sessions, world.himeji, posting)
    with pytest.raises(NotFoundError):
        move_application(
            sessions, world.himeji, posting, app, MoveIn(stage=PostingStage.REJECTED, version=1)
        )
    with pytest.raises(NotFoundError):
        close_posting(sessions, world.himeji, posting, version=1)
    assert list_boe_postings(sessions, world.himeji).postings == []
    # the operator, at the command line, sees it
    assert boe_posting_detail(sessions, OPERATOR, posting).applications[0].id == app


def test_the_applicant_withdraws_and_no_one_else_can(sessions: Sessions, world: World) -> None:
    _posting, app = _apply_and_get(sessions, world)
    with pytest.raises(NotFoundError):
        withdraw_application(sessions, world.tom, app, version=1)
    out = withdraw_application(sessions, world.emily, app, version=1)
    assert out.stage is PostingStage.WITHDRAWN and [c.by for c in out.history] == [
        "applicant",
        "applicant",
    ]
    with pytest.raises(RuleError):
        withdraw_application(sessions, world.emily, app, version=2)
    counts = list_boe_postings(sessions, world.kobe).postings[0].by_stage
    assert counts[PostingStage.WITHDRAWN] == 1 and counts[PostingStage.APPLIED] == 0


def test_the_advisor_finds_the_open_postings_a_profile_qualifies_for(
    sessions: Sessions, world: World
) -> None:
    easy = _post(sessions, world, min_alt_years=0, min_jlpt=Jlpt.N4)
    _post(sessions, world)  # asks for N2 and two years
    tom = Declared(
        alt_years=1,
        jlpt=Jlpt.N4,
        residence=Residence.JAPAN,
        status_of_residence=StatusOfResidence.INSTRUCTOR,
    )
    links = postings_for(sessions, tom, today=TODAY)
    assert [(link.id, link.url) for link in links] == [(easy, f"/postings/{easy}")]
    assert postings_for(sessions, DeclaredIn().to_domain(), today=TODAY) == []


def test_rows_seeded_by_other_tools_with_odd_declarations_still_show(
    sessions: Sessions, world: World
) -> None:
    posting = _post(sessions, world)
    with sessions.begin() as session:
        session.add(
            PostingApplication(
                posting_id=posting,
                user_id=world.tom.user_id,
                declared={"alt_years": 4, "jlpt": "N7", "hobby": "judo"},
                stage="screening",
            )
        )
    (app,) = boe_posting_detail(sessions, world.kobe, posting).applications
    assert app.declared.alt_years == 4 and app.declared.jlpt is Jlpt.NONE
    assert app.history == [] and not app.eligible
    assert [m.value for m in app.moves] == ["interview", "rejected"]
