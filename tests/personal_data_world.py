"""A person with data in every context, built through the services, and people around them who
must stay untouched: for the APPI export and account-deletion tests.

Emily Carter (emily@example.org) applied in a JET season (C01, placed by a published run, so a
JET contract was made), then became an employed ALT: the season import links only candidate
accounts, so her account's role is changed to `alt` afterwards, as the programme would when
she arrives. She is on a dispatch company's roster with an assignment and a dispatch contract
in force today, asked for a transfer, applied to two direct-hire postings (hired by one), and
opened a support case with a file, which a handler answered (naming her) and noted on.

Liam Walsh (C02, a candidate) and the company's other ALTs are the other people.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from tests.dispatch_world import END, START, DispatchWorld, build_dispatch_world
from tests.season_world import PASSWORD, PUBLISH_ANYWAY, World, build_world, filled_season

from altmatch.clock import today_in_japan
from altmatch.db import Sessions
from altmatch.db.models import EmploymentContract, RosterAlt, SeasonCandidate, User
from altmatch.domain.access import OPERATOR, Actor, Role
from altmatch.domain.direct_hire import PostingStage
from altmatch.domain.support import RouteRole
from altmatch.rulebook.vocabulary import (
    CaseCategory,
    Jlpt,
    Residence,
    SchoolLevel,
    StatusOfResidence,
)
from altmatch.services.accounts.authentication import actor_for, sign_in
from altmatch.services.accounts.users import create_user
from altmatch.services.direct_hire.applications import (
    ApplyIn,
    MoveIn,
    apply_to_posting,
    move_application,
)
from altmatch.services.direct_hire.postings import PostingFields, create_posting
from altmatch.services.dispatch.transfers import TransferIn, request_my_transfer
from altmatch.services.season.publish import publish_run
from altmatch.services.season.runs import run_season_match
from altmatch.services.support.cases import CaseIn, MessageIn, UploadIn, open_case, post_message
from altmatch.services.support.routing import set_role_handlers

EMAIL = "emily@example.org"
NAME = "Emily Carter"
ATTACHMENT = b"%PDF-1.4 Emily Carter's payslip\n" + bytes(range(256)) * 64
HANDLER_REPLY = "Dear Emily Carter, we will call your school (emily@example.org) tomorrow."
INTERNAL_NOTE = "Emily says the vice-principal shouts at her; Carter has asked before."
EMILY_MESSAGE = "Thank you. It happened again today."


@dataclass
class PersonWorld:
    season: World
    dispatch: DispatchWorld
    season_id: int
    run_id: int
    emily: Actor
    handler: Actor  # the company's support desk
    candidate_id: int  # Emily's SeasonCandidate row
    roster_id: int
    case_id: int
    hired_application_id: int
    open_application_id: int
    dispatch_contract_id: int


def _posting(sessions: Sessions, kobe: Actor, title: str, today: dt.date) -> int:
    fields = PostingFields.model_validate(
        {
            "title_en": title,
            "title_ja": title,
            "school_levels": [SchoolLevel.ELEMENTARY],
            "openings": 1,
            "min_alt_years": 1,
            "min_jlpt": Jlpt.N5,
            "monthly_pay": 280_000,
            "benefits": [],
            "start": today + dt.timedelta(days=120),
            "closes_on": today + dt.timedelta(days=30),
        }
    )
    return create_posting(sessions, kobe, fields, today=today).id


def build_person_world(sessions: Sessions) -> PersonWorld:
    today = today_in_japan()
    season_world = build_world(sessions)
    season_id = filled_season(sessions, season_world)
    run = run_season_match(sessions, season_world.coordinator, season_id, seed=3).run.id
    publish_run(sessions, season_world.coordinator, season_id, run, overrides=PUBLISH_ANYWAY)
    with sessions.begin() as session:
        user = session.scalars(select(User).where(User.email == EMAIL)).one()
        user.role = Role.ALT.value  # she arrived: an employed ALT now
        candidate = session.scalars(
            select(SeasonCandidate).where(SeasonCandidate.user_id == user.id)
        ).one()
        candidate_id = candidate.id
    with sessions() as session:
        user = session.scalars(select(User).where(User.email == EMAIL)).one()
        emily = actor_for(session, user)
    sign_in(sessions, email=EMAIL, password=PASSWORD, ip="198.51.100.7")
    dispatch = build_dispatch_world(sessions, alt_email="alex@example.org")
    with sessions.begin() as session:
        alt = session.get_one(RosterAlt, dispatch.alts["A1"])
        alt.user_id, alt.name = emily.user_id, NAME
        contract = EmploymentContract(
            user_id=emily.user_id,
            employer_id=dispatch.company_id,
            workplace_boe_id=dispatch.kobe_boe_id,
            path="dispatch",
            start=START,
            end=END,
        )
        session.add(contract)
        session.flush()
        dispatch_contract_id = contract.id
    desk = create_user(
        sessions,
        actor=OPERATOR,
        email="desk@sakura.example.org",
        display_name="Sakura Desk",
        role=Role.COMPANY_STAFF,
        password=None,
        organisation_id=dispatch.company_id,
    )
    handler = Actor(user_id=desk.id, role=Role.COMPANY_STAFF, organisation_id=dispatch.company_id)
    set_role_handlers(
        sessions, OPERATOR, dispatch.company_id, [(RouteRole.SUPPORT_DESK, desk.email)]
    )
    request_my_transfer(
        sessions,
        emily,
        TransferIn(to_prefecture="Osaka", to_municipality="Osaka", reasons="My partner moved."),
    )
    kobe = season_world.kobe
    application = ApplyIn(
        alt_years=2,
        jlpt=Jlpt.N3,
        residence=Residence.JAPAN,
        status_of_residence=StatusOfResidence.INSTRUCTOR,
        driving_licence=True,
        cover_note="I am Emily Carter and I love Kobe.",
    )
    hired_posting = _posting(sessions, kobe, "Elementary ALT, Kobe", today)
    hired = apply_to_posting(sessions, emily, hired_posting, application, today=today).id
    for stage in (PostingStage.SCREENING, PostingStage.INTERVIEW, PostingStage.OFFERED):
        version = _version(sessions, hired)
        move_application(
            sessions, kobe, hired_posting, hired, MoveIn(stage=stage, version=version, note="")
        )
    version = _version(sessions, hired)
    move_application(
        sessions,
        kobe,
        hired_posting,
        hired,
        MoveIn(stage=PostingStage.HIRED, version=version, note="Welcome, Emily!"),
    )
    open_posting = _posting(sessions, kobe, "Junior high ALT, Kobe", today)
    still_open = apply_to_posting(sessions, emily, open_posting, application, today=today).id
    case = open_case(
        sessions,
        emily,
        CaseIn(
            category=CaseCategory.HARASSMENT,
            subject="Emily Carter: shouting at school",
            description="The vice-principal shouts at me, Emily, every morning.",
        ),
        [UploadIn(filename="emily-payslip.pdf", content_type="application/pdf", data=ATTACHMENT)],
    )
    post_message(sessions, handler, case.id, MessageIn(body=HANDLER_REPLY))
    post_message(sessions, handler, case.id, MessageIn(body=INTERNAL_NOTE, internal=True))
    post_message(sessions, emily, case.id, MessageIn(body=EMILY_MESSAGE))
    return PersonWorld(
        season=season_world,
        dispatch=dispatch,
        season_id=season_id,
        run_id=run,
        emily=emily,
        handler=handler,
        candidate_id=candidate_id,
        roster_id=dispatch.alts["A1"],
        case_id=case.id,
        hired_application_id=hired,
        open_application_id=still_open,
        dispatch_contract_id=dispatch_contract_id,
    )


def _version(sessions: Sessions, application_id: int) -> int:
    from altmatch.db.models import PostingApplication

    with sessions() as session:
        return session.get_one(PostingApplication, application_id).version
