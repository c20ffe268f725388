"""Recruiting offices and online applications for tests: the season world's programme with
London (GB) and Dublin (IE), a screener for each, an empty open season, and helpers that fill
a complete application the way an applicant would."""

from __future__ import annotations

from dataclasses import dataclass

from tests.season_world import CONTRACT_START, PASSWORD, World, _actor, build_world, future_deadline

from altmatch.db import Sessions
from altmatch.domain.access import OPERATOR, Actor, Role
from altmatch.domain.recruitment import DocumentKind
from altmatch.rulebook.vocabulary import Degree, English, Jlpt
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
    upload_document,
)
from altmatch.services.season.recruiting_offices import OfficeIn, add_office_in, set_office_staff
from altmatch.services.season.references import upload_reference
from altmatch.services.season.setup import open_season

PDF = b"%PDF-1.4\n% a test document\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
STATEMENT = "I want to teach in Japan because " + "I love languages and children. " * 10
SITE = "http://testserver"


@dataclass(frozen=True)
class RecruitWorld:
    world: World
    season_id: int
    london: int  # office ids
    dublin: int
    london_screener: Actor
    dublin_screener: Actor
    emily: Actor  # a candidate, British
    liam: Actor  # a candidate, Irish


def build_recruitment(sessions: Sessions) -> RecruitWorld:
    world = build_world(sessions)
    season = open_season(
        sessions,
        world.coordinator,
        name="2027 intake",
        year=2027,
        request_deadline=future_deadline(),
        contract_start=CONTRACT_START,
    ).id
    with sessions.begin() as session:
        offices = {
            code: add_office_in(
                session,
                OPERATOR,
                world.programme_id,
                OfficeIn(
                    code=code,
                    name_en=f"Embassy in {code.title()}",
                    name_ja=f"{code}大使館",
                    countries=[country],
                    time_zone=zone,
                    email=f"{code}@example.org",
                ),
            )
            for code, country, zone in (
                ("london", "GB", "Europe/London"),
                ("dublin", "IE", "Europe/Dublin"),
            )
        }
    screeners = {}
    for code in offices:
        email = f"screener-{code}@example.org"
        user = create_user(
            sessions,
            actor=OPERATOR,
            email=email,
            display_name=f"Screener {code}",
            role=Role.COORDINATOR,
            password=PASSWORD,
            organisation_id=world.programme_id,
        )
        set_office_staff(sessions, OPERATOR, offices[code], user.id, member=True)
        screeners[code] = _actor(sessions, email)
    return RecruitWorld(
        world,
        season,
        offices["london"],
        offices["dublin"],
        screeners["london"],
        screeners["dublin"],
        world.emily,
        world.liam,
    )


def answers(
    name: str = "Emily Carter", citizenship: str = "GB", **changes: object
) -> ApplicationIn:
    base: dict[str, object] = {
        "name": name,
        "citizenship": citizenship,
        "degree": Degree.BACHELOR,
        "english": English.NATIVE,
        "jlpt": Jlpt.N3,
        "teaching_years": 2,
        "driving_licence": True,
        "preferred_prefectures": ["Hyogo", "Nagano"],
        "statement": STATEMENT,
    }
    return ApplicationIn.model_validate({**base, **changes})


def complete_application(
    sessions: Sessions,
    rw: RecruitWorld,
    who: Actor,
    body: ApplicationIn,
    *,
    references: bool = True,
    existing: bool = False,
) -> int:
    """Draft (`existing`: the one already saved), both documents, both referees (and their
    letters): the version to submit with."""
    version = None
    if existing:
        page = application_page(sessions, who, rw.season_id).application
        assert page is not None
        version = page.version
    out = save_draft(sessions, who, rw.season_id, body, version=version)
    for kind in DocumentKind:
        out = upload_document(
            sessions,
            who,
            rw.season_id,
            kind,
            UploadFileIn(filename=f"{kind.value}.pdf", data=PDF),
            version=out.version,
        )
    for slot in (1, 2):
        out, letter = name_referee(
            sessions,
            who,
            rw.season_id,
            RefereeIn(slot=slot, name=f"Referee {slot}", email=f"ref{slot}@example.net"),
            version=out.version,
            site_url=SITE,
        )
        if references:
            upload_reference(
                sessions, token_of(letter.body), UploadFileIn(filename="ref.pdf", data=PDF)
            )
    return out.version


def token_of(body: str) -> str:
    """The token in a referee letter's link."""
    start = body.index(f"{SITE}/references/") + len(f"{SITE}/references/")
    return body[start:].split()[0]
