"""A support-case world: the JET programme; Kobe City BoE and Hyogo's prefectural BoE (whose
programme adviser is JET's last level); a dispatch company; an ALT per path with a contract
covering today; handlers with routes; and outsiders (another BoE and company, a coordinator,
a candidate, an administrator) who must see nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from time_machine import TimeMachineFixture

from altmatch.clock import today_in_japan
from altmatch.db import Sessions
from altmatch.db.models import EmploymentContract, School, SupportRoute
from altmatch.domain.access import OPERATOR, Actor, OrgKind, Role
from altmatch.services.accounts.users import create_organisation, create_user

PASSWORD = "correct horse battery"


@dataclass
class SupportWorld:
    programme_id: int
    kobe_id: int  # municipal BoE: employs the JET and the direct-hire ALT
    hyogo_id: int  # the prefecture's own BoE (municipality NULL)
    company_id: int
    osaka_id: int  # another BoE
    other_company_id: int
    school_id: int  # a school of Kobe City BoE
    actors: dict[str, Actor] = field(default_factory=dict)
    emails: dict[str, str] = field(default_factory=dict)


# name -> (role, organisation key or None, route role or None)
PEOPLE: dict[str, tuple[Role, str | None, str | None]] = {
    "jet_alt": (Role.ALT, None, None),
    "direct_alt": (Role.ALT, None, None),
    "dispatch_alt": (Role.ALT, None, None),
    "jobless_alt": (Role.ALT, None, None),
    "kobe_supervisor": (Role.BOE_STAFF, "kobe", "supervisor"),
    "kobe_chief": (Role.BOE_STAFF, "kobe", "section_chief"),
    "kobe_clerk": (Role.BOE_STAFF, "kobe", None),
    "hyogo_adviser": (Role.BOE_STAFF, "hyogo", "programme_adviser"),
    "company_desk": (Role.COMPANY_STAFF, "company", "support_desk"),
    "company_manager": (Role.COMPANY_STAFF, "company", "area_manager"),
    "company_clerk": (Role.COMPANY_STAFF, "company", None),
    "osaka_staff": (Role.BOE_STAFF, "osaka", None),
    "other_company_staff": (Role.COMPANY_STAFF, "other_company", None),
    "coordinator": (Role.COORDINATOR, "programme", None),
    "candidate": (Role.CANDIDATE, None, None),
    "admin": (Role.ADMIN, None, None),
}
CONTRACTS = {"jet_alt": ("jet", "kobe"), "direct_alt": ("direct_hire", "kobe")}


def _org(
    sessions: Sessions,
    kind: OrgKind,
    name: str,
    *,
    prefecture: str | None = None,
    municipality: str | None = None,
    programme_id: int | None = None,
) -> int:
    return create_organisation(
        sessions,
        actor=OPERATOR,
        kind=kind,
        name_en=name,
        name_ja=name,
        prefecture=prefecture,
        municipality=municipality,
        programme_id=programme_id,
    ).id


def build_support_world(
    sessions: Sessions,
    *,
    programme_id: int | None = None,
    company_id: int | None = None,
    with_routes: bool = True,
) -> SupportWorld:
    programme = programme_id or _org(sessions, OrgKind.PROGRAMME, "JET Programme")
    orgs = {
        "programme": programme,
        "kobe": _org(
            sessions,
            OrgKind.BOE,
            "Kobe City BoE",
            prefecture="Hyogo",
            municipality="Kobe",
            programme_id=programme,
        ),
        "hyogo": _org(
            sessions,
            OrgKind.BOE,
            "Hyogo Prefectural BoE",
            prefecture="Hyogo",
            programme_id=programme,
        ),
        "company": company_id or _org(sessions, OrgKind.COMPANY, "Sakura ALT"),
        "osaka": _org(
            sessions, OrgKind.BOE, "Osaka City BoE", prefecture="Osaka", municipality="Osaka"
        ),
        "other_company": _org(sessions, OrgKind.COMPANY, "Other Dispatch"),
    }
    today = today_in_japan()
    world = SupportWorld(
        programme_id=programme,
        kobe_id=orgs["kobe"],
        hyogo_id=orgs["hyogo"],
        company_id=orgs["company"],
        osaka_id=orgs["osaka"],
        other_company_id=orgs["other_company"],
        school_id=0,
    )
    for name, (role, org_key, _route) in PEOPLE.items():
        email = f"{name.replace('_', '-')}@support.example.org"
        user = create_user(
            sessions,
            actor=OPERATOR,
            email=email,
            display_name=name.replace("_", " ").title(),
            role=role,
            password=PASSWORD,
            organisation_id=orgs[org_key] if org_key else None,
        )
        world.emails[name] = email
        world.actors[name] = Actor(
            user_id=user.id,
            role=role,
            organisation_id=orgs[org_key] if org_key else None,
            programme_id=programme if org_key in ("kobe", "hyogo", "programme") else None,
        )
    contracts = {**CONTRACTS, "dispatch_alt": ("dispatch", "company")}
    with sessions.begin() as session:
        for name, (path, org_key) in contracts.items():
            session.add(
                EmploymentContract(
                    user_id=world.actors[name].user_id,
                    employer_id=orgs[org_key],
                    workplace_boe_id=orgs["kobe"],
                    path=path,
                    start=today - timedelta(days=100),
                    end=today + timedelta(days=265),
                )
            )
        # The jobless ALT's only contract ended yesterday.
        session.add(
            EmploymentContract(
                user_id=world.actors["jobless_alt"].user_id,
                employer_id=orgs["kobe"],
                path="jet",
                start=today - timedelta(days=400),
                end=today - timedelta(days=1),
            )
        )
        if with_routes:
            for name, (_role, org_key, route) in PEOPLE.items():
                if route and org_key:
                    session.add(
                        SupportRoute(
                            organisation_id=orgs[org_key],
                            role=route,
                            user_id=world.actors[name].user_id,
                        )
                    )
        school = School(
            boe_id=orgs["kobe"],
            external_id="KOBE-JH1",
            name_en="Kobe Minato Junior High",
            name_ja="神戸港中学校",
            level="junior_high",
            area="urban",
            municipality="Kobe",
            latitude=34.69,
            longitude=135.19,
        )
        session.add(school)
        session.flush()
        world.school_id = school.id
    return world


# Monday 30 November 2026, 09:00 in Japan: a business day, well inside office hours.
MONDAY_9 = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)


def monday_support_world(sessions: Sessions, clock: TimeMachineFixture) -> SupportWorld:
    """The world on the Monday its cases open: services that read "now" where a test passes
    none read that Monday."""
    clock.move_to(MONDAY_9, tick=False)
    return build_support_world(sessions)
