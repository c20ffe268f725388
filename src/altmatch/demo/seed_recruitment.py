"""The demo's online applications (issue 19): the eight recruiting offices, a screener for
each (the programme coordinator persona screens for Washington and London), and an open
"online intake" season with applicants across the offices: drafts, submitted applications with
both references in, and some already screened in or out with their reasons.

Idempotent: offices by code, accounts by e-mail, the season by name, applications by
applicant; running it again adds nothing. Deterministic: names and answers come from the
demo's seed. Referees "upload" through the same single-use links a real referee follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from altmatch.clock import utc_now
from altmatch.db import Sessions
from altmatch.db.models import OfficeStaff, RecruitingOffice, User
from altmatch.demo.draw import Draw
from altmatch.demo.interview_round import new_accounts, seed_demo_interview_round
from altmatch.demo.interview_sheets import seed_sheets
from altmatch.demo.personas import DEMO_PASSWORD, LOGIN_DOMAIN
from altmatch.demo.recruiting_offices import OFFICES
from altmatch.domain.access import OPERATOR, Actor, Role
from altmatch.domain.recruitment import DocumentKind
from altmatch.rulebook.recruitment import Decision
from altmatch.rulebook.vocabulary import Degree, English, Jlpt
from altmatch.services.accounts.authentication import act_as
from altmatch.services.accounts.users import create_user
from altmatch.services.season.application_reads import (
    ApplicationIn,
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
from altmatch.services.season.recruiting_offices import OfficeIn, add_office_in
from altmatch.services.season.references import upload_reference
from altmatch.services.season.screening import ScreeningIn, decide_screening
from altmatch.services.season.setup import list_seasons, open_season

SITE = "http://demo.invalid"  # referee links are followed in-process, never mailed
PDF = b"%PDF-1.4\n% altmatch demo document\n%%EOF\n"
FIRST = (
    "Olivia",
    "Noah",
    "Amelia",
    "Jack",
    "Chloe",
    "Ethan",
    "Grace",
    "Lucas",
    "Maya",
    "Owen",
    "Ruby",
    "Sean",
    "Thandi",
    "Kiri",
    "Ana",
    "Paolo",
)
LAST = (
    "Smith",
    "Brown",
    "Wilson",
    "Taylor",
    "Murphy",
    "Nguyen",
    "Dlamini",
    "Reyes",
    "Campbell",
    "Walker",
    "Kelly",
    "Ngata",
)
STATES = ("draft", "draft", "submitted", "submitted", "screened_in", "screened_out")
COORDINATOR_OFFICES = ("washington", "london")  # the coordinator persona screens for these
# Two applicants per office (its first country), each in the state its number picks.
APPLICANTS = tuple(
    (number, office, STATES[number % len(STATES)])
    for number, office in enumerate(OFFICES * 2, start=1)
)
SUBMITTED = sum(1 for _, _, state in APPLICANTS if state != "draft")
# The offices that interview (demo.interview_round): those with a screened-in applicant.
INTERVIEWING = tuple(
    dict.fromkeys(office.code for _, office, state in APPLICANTS if state == "screened_in")
)
# a screener per office, the applicants, and the interview round's assessors
NEW_ACCOUNTS = len(OFFICES) + len(APPLICANTS) + new_accounts(len(INTERVIEWING))


@dataclass(frozen=True)
class RecruitmentSeeded:
    season_id: int
    offices: int
    applications: int


def _login(key: str) -> str:
    return f"{key}@{LOGIN_DOMAIN}"


def seed_demo_recruitment(
    sessions: Sessions,
    programme_id: int,
    coordinator_login: str,
    *,
    seed: int,
    contract_start: date,
    deadline: datetime,
) -> RecruitmentSeeded:
    codes = _offices(sessions, programme_id)
    _screeners(sessions, programme_id, coordinator_login, codes)
    coordinator = act_as(sessions, OPERATOR, coordinator_login)
    season_id = _season(sessions, coordinator, contract_start, deadline)
    draw = Draw(seed, "online-applications")
    added = 0
    for number, office, state in APPLICANTS:
        added += _applicant(sessions, draw, season_id, number, office.countries[0], state, codes)
    seed_demo_interview_round(sessions, programme_id, season_id, INTERVIEWING)
    # Sheets for the interviews heard by now (none yet on a fresh demo: seeding again after the
    # interview days adds them) and one declared conflict, which the planner then flags.
    with sessions.begin() as session:
        seed_sheets(session, season_id, now=utc_now())
    return RecruitmentSeeded(season_id, len(codes), added)


def _offices(sessions: Sessions, programme_id: int) -> dict[str, int]:
    with sessions.begin() as session:
        have = {
            o.code: o.id
            for o in session.scalars(
                select(RecruitingOffice).where(RecruitingOffice.programme_id == programme_id)
            )
        }
        for office in OFFICES:
            if office.code not in have:
                have[office.code] = add_office_in(
                    session,
                    OPERATOR,
                    programme_id,
                    OfficeIn(
                        code=office.code,
                        name_en=office.name_en,
                        name_ja=office.name_ja,
                        countries=list(office.countries),
                        time_zone=office.time_zone,
                        email=office.email,
                    ),
                )
        return have


def _user_id(sessions: Sessions, email: str) -> int | None:
    with sessions() as session:
        return session.scalar(select(User.id).where(User.email == email))


def _screeners(
    sessions: Sessions, programme_id: int, coordinator_login: str, codes: dict[str, int]
) -> None:
    coordinator_id = _user_id(sessions, coordinator_login)
    for code, office_id in codes.items():
        login = _login(f"screener_{code}")
        user_id = _user_id(sessions, login)
        if user_id is None:
            user_id = create_user(
                sessions,
                actor=OPERATOR,
                email=login,
                display_name=f"Screener ({code.title()})",
                role=Role.COORDINATOR,
                password=DEMO_PASSWORD,
                organisation_id=programme_id,
            ).id
        members = [user_id]
        if code in COORDINATOR_OFFICES and coordinator_id is not None:
            members.append(coordinator_id)
        with sessions.begin() as session:
            for member in members:
                if session.get(OfficeStaff, (office_id, member)) is None:
                    session.add(OfficeStaff(office_id=office_id, user_id=member))


def _season(
    sessions: Sessions, coordinator: Actor, contract_start: date, deadline: datetime
) -> int:
    name = f"{contract_start.year} online intake"
    for season in list_seasons(sessions, coordinator):
        if season.name == name:
            return season.id
    return open_season(
        sessions,
        coordinator,
        name=name,
        year=contract_start.year,
        request_deadline=deadline,
        contract_start=contract_start,
    ).id


def _applicant(
    sessions: Sessions,
    draw: Draw,
    season_id: int,
    number: int,
    country: str,
    state: str,
    codes: dict[str, int],
) -> int:
    name = f"{draw.one(FIRST)} {draw.one(LAST)}"
    body = ApplicationIn(
        name=name,
        citizenship=country,
        degree=draw.one((Degree.BACHELOR, Degree.BACHELOR, Degree.MASTER)),
        english=English.NATIVE,
        jlpt=draw.one((Jlpt.NONE, Jlpt.N5, Jlpt.N4, Jlpt.N3, Jlpt.N2)),
        teaching_years=draw.integer(0, 4),
        driving_licence=draw.chance(0.7),
        preferred_prefectures=[draw.one(("Hokkaido", "Hyogo", "Nagano", "Okinawa", "Kyoto"))],
        statement=(
            f"My name is {name}. I want to teach English in Japan because I have tutored "
            "children in my town for years and I want to share my language and culture with "
            "students, while learning Japanese and supporting my school's English teachers. "
        )
        * 2,
    )
    login = _login(f"applicant_{number:02d}")
    if _user_id(sessions, login) is None:
        create_user(
            sessions,
            actor=OPERATOR,
            email=login,
            display_name=name,
            role=Role.CANDIDATE,
            password=DEMO_PASSWORD,
        )
    applicant = act_as(sessions, OPERATOR, login)
    if application_page(sessions, applicant, season_id).application is not None:
        return 0
    out = save_draft(sessions, applicant, season_id, body, version=None)
    if state == "draft" and number % 4 == 0:
        return 1  # answers only
    for kind in DocumentKind:
        upload = UploadFileIn(filename=f"{kind.value}.pdf", data=PDF)
        out = upload_document(sessions, applicant, season_id, kind, upload, version=out.version)
    for slot in (1, 2):
        referee = RefereeIn(
            slot=slot, name=f"Referee {slot} of {name}", email=f"referee{slot}.{number}@example.org"
        )
        out, letter = name_referee(
            sessions, applicant, season_id, referee, version=out.version, site_url=SITE
        )
        if state != "draft" or slot == 1:  # a draft still waits for its second reference
            token = letter.body.split(f"{SITE}/references/")[1].split()[0]
            upload_reference(sessions, token, UploadFileIn(filename="reference.pdf", data=PDF))
    if state == "draft":
        return 1
    out = submit_application(sessions, applicant, season_id, version=out.version)
    if state in ("screened_in", "screened_out") and out.office is not None:
        screener = act_as(sessions, OPERATOR, _login(f"screener_{out.office.code}"))
        decision = ScreeningIn(
            decision=Decision.SCREEN_IN if state == "screened_in" else Decision.SCREEN_OUT,
            reason_code="eligible" if state == "screened_in" else "statement_insufficient",
            note="Complete and eligible; a clear statement."
            if state == "screened_in"
            else "The statement repeats itself and says little about teaching.",
        )
        decide_screening(
            sessions, screener, codes[out.office.code], out.id, decision, version=out.version
        )
    return 1
