"""A small dispatch world for the survey tests (services, API, browser): one company with three
ALTs at three Kobe schools, another company, a BoE and an ALT with an account."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from altmatch.db import Sessions
from altmatch.db.models import (
    ContractPosition,
    DispatchContract,
    RosterAlt,
    RosterAssignment,
    School,
)
from altmatch.domain.access import OPERATOR, Actor, OrgKind, Role
from altmatch.services.accounts.users import create_organisation, create_user
from altmatch.services.kernel.mail import folder_messages

PASSWORD = "correct horse battery"
# A day in the 2nd term of school year 2031 (its round: open 10 Dec, closes 14 Jan 2032,
# reminders 9 Jan 2032).
ON = dt.date(2031, 12, 12)
NOW = dt.datetime(2031, 12, 12, 3, 0, tzinfo=dt.UTC)


@dataclass
class SurveyWorld:
    company_id: int
    other_company_id: int
    staff: Actor
    other_staff: Actor
    boe_staff: Actor
    alt_actor: Actor  # A1's account
    alts: dict[str, int]  # external id -> roster id
    schools: dict[str, int]  # S1..S3 -> school id
    positions: dict[str, int]  # P1..P3 -> position id


def _user(sessions: Sessions, email: str, role: Role, org: int | None) -> Actor:
    user = create_user(
        sessions,
        actor=OPERATOR,
        email=email,
        display_name=email.split("@")[0].title(),
        role=role,
        password=PASSWORD,
        organisation_id=org,
    )
    return Actor(user_id=user.id, role=role, organisation_id=org)


def build_world(
    sessions: Sessions,
    *,
    start: dt.date = dt.date(2030, 4, 1),
    working_from: dt.date = dt.date(2031, 4, 1),
    prefix: str = "",
) -> SurveyWorld:
    """Sakura holds contract K-1 with Kobe BoE (from `start`, 2030-04-01, for five years): P1
    at S1 (contact Sato), P2 at S2 (contact Ito), P3 at S3 (no contact). From `working_from`
    A1 (with an account) works P1, A2 (no account) P2, A3 (with an account) P3. Minato is
    another company. `prefix` starts every e-mail address (a shared database)."""
    org = create_organisation
    sakura = org(sessions, actor=OPERATOR, kind=OrgKind.COMPANY, name_en="Sakura", name_ja="さくら")
    minato = org(sessions, actor=OPERATOR, kind=OrgKind.COMPANY, name_en="Minato", name_ja="みなと")
    kobe = org(sessions, actor=OPERATOR, kind=OrgKind.BOE, name_en="Kobe BoE", name_ja="神戸市教委")
    staff = _user(sessions, f"{prefix}naoko@example.org", Role.COMPANY_STAFF, sakura.id)
    other = _user(sessions, f"{prefix}daisuke@example.org", Role.COMPANY_STAFF, minato.id)
    boe = _user(sessions, f"{prefix}kyoko@example.org", Role.BOE_STAFF, kobe.id)
    a1 = _user(sessions, f"{prefix}amy@example.org", Role.ALT, None)
    a3 = _user(sessions, f"{prefix}cara@example.org", Role.ALT, None)
    schools: dict[str, int] = {}
    positions: dict[str, int] = {}
    alts: dict[str, int] = {}
    with sessions.begin() as session:
        contract = DispatchContract(
            company_id=sakura.id,
            boe_id=kobe.id,
            reference="K-1",
            contract_type="worker_dispatch",
            start=start,
            end=start.replace(year=start.year + 5) - dt.timedelta(days=1),
            price_per_alt_month=300_000,
        )
        session.add(contract)
        session.flush()
        contacts = {
            "S1": ("佐藤 花子", f"{prefix}sato@s1.example.jp"),
            "S2": ("伊藤 健", f"{prefix}ito@s2.example.jp"),
        }
        for n, (lat, lon) in enumerate(((34.70, 135.20), (34.72, 135.22), (34.74, 135.18)), 1):
            school = School(
                boe_id=kobe.id,
                external_id=f"S{n}",
                name_en=f"Kobe No. {n} JHS",
                name_ja=f"神戸第{n}中学校",
                level="junior_high",
                area="urban",
                municipality="Kobe",
                latitude=lat,
                longitude=lon,
            )
            session.add(school)
            session.flush()
            schools[f"S{n}"] = school.id
            name, email = contacts.get(f"S{n}", (None, None))
            position = ContractPosition(
                contract_id=contract.id,
                external_id=f"P{n}",
                school_id=school.id,
                days_per_week=5,
                contact_name=name,
                contact_email=email,
            )
            session.add(position)
            session.flush()
            positions[f"P{n}"] = position.id
        for n, (name, user) in enumerate(
            (("Amy Clark", a1.user_id), ("Ben Davis", None), ("Cara Evans", a3.user_id)), 1
        ):
            alt = RosterAlt(
                company_id=sakura.id,
                user_id=user,
                external_id=f"A{n}",
                name=name,
                home_prefecture="Hyogo",
                home_municipality="Kobe",
                home_latitude=34.71,
                home_longitude=135.2,
                school_experience=["junior_high"],
                driving_licence=False,
                jlpt="N3",
                contract_end=dt.date(2035, 3, 31),
            )
            session.add(alt)
            session.flush()
            alts[f"A{n}"] = alt.id
            session.add(
                RosterAssignment(alt_id=alt.id, position_id=positions[f"P{n}"], start=working_from)
            )
    return SurveyWorld(sakura.id, minato.id, staff, other, boe, a1, alts, schools, positions)


def links_in(folder: Path) -> dict[str, str]:
    """The newest survey token mailed to each address in the mail folder."""
    out: dict[str, str] = {}
    for message in folder_messages(folder):
        found = re.search(r"/survey\?token=([A-Za-z0-9_\-]+)", message.body)
        if found:
            out[message.to] = found.group(1)
    return out


def add_spare(sessions: Sessions, world: SurveyWorld) -> None:
    """Add S4 with a vacant position P4 at S1's very place, and A4, a spare ALT living where A1
    does: A1 and A4 then cost the same at P1 and P4, so only continuity keeps A1 at P1."""
    with sessions.begin() as session:
        s1 = session.get_one(School, world.schools["S1"])
        p1 = session.get_one(ContractPosition, world.positions["P1"])
        a1 = session.get_one(RosterAlt, world.alts["A1"])
        s4 = School(
            boe_id=s1.boe_id,
            external_id="S4",
            name_en="Kobe No. 4 JHS",
            name_ja="神戸第4中学校",
            level="junior_high",
            area="urban",
            municipality="Kobe",
            latitude=s1.latitude,
            longitude=s1.longitude,
        )
        session.add(s4)
        session.flush()
        session.add(
            ContractPosition(
                contract_id=p1.contract_id, external_id="P4", school_id=s4.id, days_per_week=5
            )
        )
        a4 = RosterAlt(
            company_id=world.company_id,
            external_id="A4",
            name="Dan Ford",
            home_prefecture="Hyogo",
            home_municipality="Kobe",
            home_latitude=a1.home_latitude,
            home_longitude=a1.home_longitude,
            school_experience=["junior_high"],
            driving_licence=False,
            jlpt="N3",
            contract_end=a1.contract_end,
        )
        session.add(a4)
        session.flush()
        world.alts["A4"] = a4.id
