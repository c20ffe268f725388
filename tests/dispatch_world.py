"""A small dispatch company for assignment and transfer tests: two BoEs (Kobe, Osaka), four
positions, four ALTs, three of them assigned; ALT A1 may sign in (to request transfers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from altmatch.clock import today_in_japan
from altmatch.db import Sessions
from altmatch.db.models import (
    ContractPosition,
    DispatchContract,
    RosterAlt,
    RosterAssignment,
    School,
)
from altmatch.domain.access import OPERATOR, OrgKind, Role
from altmatch.services.accounts.users import create_organisation, create_user

# Relative to today: pages, the API's proposals and the CLI plan for today by default.
ON = today_in_japan()
START, END = ON - timedelta(days=200), ON + timedelta(days=300)
PASSWORD = "correct horse battery"
KOBE_HOME, KOBE_K2_HOME, OSAKA = (34.690, 135.195), (34.722, 135.232), (34.690, 135.500)


@dataclass
class DispatchWorld:
    company_id: int
    kobe_boe_id: int
    osaka_boe_id: int
    alts: dict[str, int]  # external id -> RosterAlt.id
    positions: dict[str, int]  # external id -> ContractPosition.id
    alt_user_email: str


def _school(session: Session, boe: int, ext: str, lat: float, lon: float, muni: str) -> int:
    school = School(
        boe_id=boe,
        external_id=ext,
        name_en=f"{ext} Junior High",
        name_ja=f"{ext}中学校",
        level="junior_high",
        area="urban",
        municipality=muni,
        latitude=lat,
        longitude=lon,
    )
    session.add(school)
    session.flush()
    return school.id


def build_dispatch_world(
    sessions: Sessions,
    *,
    company_id: int | None = None,
    kobe_boe_id: int | None = None,
    alt_email: str = "alt-a1@example.org",
) -> DispatchWorld:
    if company_id is None:
        company_id = create_organisation(
            sessions, actor=OPERATOR, kind=OrgKind.COMPANY, name_en="Sakura", name_ja="さくら"
        ).id
    if kobe_boe_id is None:
        kobe_boe_id = create_organisation(
            sessions,
            actor=OPERATOR,
            kind=OrgKind.BOE,
            name_en="Kobe BoE",
            name_ja="神戸市教委",
            prefecture="Hyogo",
        ).id
    osaka = create_organisation(
        sessions,
        actor=OPERATOR,
        kind=OrgKind.BOE,
        name_en="Osaka BoE",
        name_ja="大阪市教委",
        prefecture="Osaka",
    ).id
    user = create_user(
        sessions,
        actor=OPERATOR,
        email=alt_email,
        display_name="Alex Brown",
        role=Role.ALT,
        password=PASSWORD,
    )
    with sessions.begin() as session:
        k1 = _school(session, kobe_boe_id, "K1", *KOBE_HOME, "Kobe")
        k2 = _school(session, kobe_boe_id, "K2", *KOBE_K2_HOME, "Kobe")
        o1 = _school(session, osaka, "O1", *OSAKA, "Osaka")
        o2 = _school(session, osaka, "O2", OSAKA[0] + 0.01, OSAKA[1], "Osaka")
        contracts = {}
        for ref, boe in (("KOBE-1", kobe_boe_id), ("OSAKA-1", osaka)):
            c = DispatchContract(
                company_id=company_id,
                boe_id=boe,
                reference=ref,
                contract_type="worker_dispatch",
                start=START,
                end=END,
                renewal_date=None,
                price_per_alt_month=300_000,
            )
            session.add(c)
            session.flush()
            contracts[ref] = c.id
        positions = {}
        for ext, ref, school, licence in (
            ("K1-P", "KOBE-1", k1, False),
            ("K2-P", "KOBE-1", k2, True),
            ("O1-P", "OSAKA-1", o1, False),
            ("O2-P", "OSAKA-1", o2, False),
        ):
            p = ContractPosition(
                contract_id=contracts[ref],
                external_id=ext,
                school_id=school,
                days_per_week=5,
                requires_driving_licence=licence,
                min_jlpt="none",
            )
            session.add(p)
            session.flush()
            positions[ext] = p.id
        alts = {}
        for ext, home, licence, user_id in (
            ("A1", KOBE_HOME, True, user.id),
            ("A2", KOBE_K2_HOME, True, None),
            ("A3", OSAKA, False, None),
            ("A4", (KOBE_HOME[0] + 0.005, KOBE_HOME[1]), False, None),
        ):
            a = RosterAlt(
                company_id=company_id,
                user_id=user_id,
                external_id=ext,
                name=f"ALT {ext}",
                home_prefecture="Osaka" if home == OSAKA else "Hyogo",
                home_municipality="Osaka" if home == OSAKA else "Kobe",
                home_latitude=home[0],
                home_longitude=home[1],
                school_experience=["junior_high"],
                driving_licence=licence,
                jlpt="N3",
                contract_end=END,
                preferred_prefectures=[],
            )
            session.add(a)
            session.flush()
            alts[ext] = a.id
        for alt, position in (("A1", "K1-P"), ("A2", "K2-P"), ("A3", "O1-P")):
            session.add(
                RosterAssignment(alt_id=alts[alt], position_id=positions[position], start=START)
            )
    return DispatchWorld(company_id, kobe_boe_id, osaka, alts, positions, alt_email)
