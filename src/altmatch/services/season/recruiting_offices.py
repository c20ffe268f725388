"""Recruiting offices (embassies and consulates) and who screens for each (issue 19).

Who may see an office's applications follows recorded membership, never a setting: a
programme coordinator sees an office's queue, documents and references only while they are
one of its staff (`office_staff`). A coordinator of the programme without membership sees the
offices and their staff, not the applicants. Administrators manage accounts, not applications:
they (and the operator) may add and remove staff, and only the operator reads every queue.
Later slices hang interview days and panels on the same offices.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from altmatch.clock import utc_now
from altmatch.db import Sessions
from altmatch.db import recruitment as repo
from altmatch.db.models import (
    OfficeStaff,
    Organisation,
    RecruitingOffice,
    User,
)
from altmatch.domain.access import (
    AccessDeniedError,
    Actor,
    NotFoundError,
    Permission,
    Role,
    require,
)
from altmatch.domain.recruitment import Office
from altmatch.i18n import N_, Message
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.errors import RuleError
from altmatch.services.notifications import notify


class OfficeIn(BaseModel):
    code: str = Field(min_length=2, max_length=32, pattern=r"^[a-z][a-z0-9_-]*$")
    name_en: str = Field(min_length=1, max_length=200)
    name_ja: str = Field(min_length=1, max_length=200)
    countries: list[str] = Field(min_length=1, max_length=60)
    time_zone: str = Field(min_length=1, max_length=64)
    email: str = Field(min_length=3, max_length=254)


class OfficeStaffOut(BaseModel):
    user_id: int
    name: str
    email: str


class OfficeOut(BaseModel):
    id: int
    programme_id: int
    code: str
    name_en: str
    name_ja: str
    countries: list[str]
    time_zone: str
    email: str
    staff: list[OfficeStaffOut]
    submitted: int  # submitted applications waiting in or past its queue
    screens: bool  # the reader is one of its staff (sees its queue)
    addable: list[OfficeStaffOut] = []  # the programme's coordinators not on its staff yet


def office_domain(row: RecruitingOffice) -> Office:
    return Office(code=row.code, countries=frozenset(row.countries))


def programme_offices(session: Session, programme_id: int) -> list[RecruitingOffice]:
    return repo.programme_offices(session, programme_id)


def is_staff(session: Session, actor: Actor, office: RecruitingOffice) -> bool:
    """Whether the actor screens for the office: the operator, or a coordinator of its
    programme recorded as its staff."""
    if actor.is_operator:
        return True
    if actor.role is not Role.COORDINATOR or actor.programme_id != office.programme_id:
        return False
    row = session.get(OfficeStaff, (office.id, actor.user_id))
    return row is not None


def access_office(session: Session, actor: Actor, office_id: int) -> RecruitingOffice:
    """An office its screeners (and the operator) may work in; anyone else: not found."""
    office = session.get(RecruitingOffice, office_id)
    if office is None or not is_staff(session, actor, office):
        raise NotFoundError("office")
    return office


def list_offices(
    sessions: Sessions, actor: Actor, programme_id: int | None = None
) -> list[OfficeOut]:
    """Recruiting offices with their staff: a coordinator's programme's; for administrators
    and the operator, `programme_id`'s or every programme's. Nobody else manages offices."""
    require(actor, Permission.OFFICES_MANAGE)
    with sessions() as session:
        if actor.role is Role.COORDINATOR and actor.programme_id is not None:
            rows = programme_offices(session, actor.programme_id)
        elif actor.is_operator or actor.role is Role.ADMIN:
            rows = repo.offices(session, programme_id)
        else:
            raise AccessDeniedError("offices")
        return [_out(session, actor, o) for o in rows]


def _out(session: Session, actor: Actor, office: RecruitingOffice) -> OfficeOut:
    staff = repo.office_screeners(session, office.id)
    submitted = repo.submitted_to(session, office.id)
    return OfficeOut(
        id=office.id,
        programme_id=office.programme_id,
        code=office.code,
        name_en=office.name_en,
        name_ja=office.name_ja,
        countries=sorted(office.countries),
        time_zone=office.time_zone,
        email=office.email,
        staff=[OfficeStaffOut(user_id=i, name=n, email=e) for i, n, e in staff],
        submitted=submitted,
        screens=is_staff(session, actor, office),
        addable=[
            OfficeStaffOut(user_id=i, name=n, email=e)
            for i, n, e in repo.coordinators_not_in(
                session, office.programme_id, [row[0] for row in staff]
            )
        ],
    )


def add_office_in(session: Session, actor: Actor, programme_id: int, body: OfficeIn) -> int:
    """Record an office (the operator's CLI and the demo); a country served by another office
    of the programme, or an unknown time zone, is refused."""
    try:
        ZoneInfo(body.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise RuleError(
            Message(N_("{zone} is not a time zone name."), {"zone": body.time_zone}),
            "time_zone",
        ) from None
    countries = sorted({c.strip().upper() for c in body.countries})
    if any(len(c) != 2 or not c.isalpha() for c in countries):
        raise RuleError(Message(N_("A country is a two-letter ISO code.")), "countries")
    taken = {c for o in programme_offices(session, programme_id) for c in o.countries}
    clash = sorted(taken & set(countries))
    if clash:
        raise RuleError(
            Message(N_("Another office already serves {countries}."), {"countries": clash}),
            "countries",
        )
    row = RecruitingOffice(
        programme_id=programme_id,
        code=body.code,
        name_en=body.name_en,
        name_ja=body.name_ja,
        countries=countries,
        time_zone=body.time_zone,
        email=body.email,
    )
    session.add(row)
    session.flush()
    record_audit(
        session,
        actor,
        "office.added",
        "recruiting_office",
        row.id,
        None,
        body.model_dump(),
        tenant_id=programme_id,
    )
    return row.id


def _managed_office(session: Session, actor: Actor, office_id: int) -> RecruitingOffice:
    """An office whose staff the actor may change: the operator, an administrator, or a
    coordinator of its programme."""
    office = session.get(RecruitingOffice, office_id)
    if office is None:
        raise NotFoundError("office")
    if actor.is_operator or actor.role is Role.ADMIN:
        return office
    if actor.role is Role.COORDINATOR and actor.programme_id == office.programme_id:
        return office
    raise NotFoundError("office")


def set_office_staff(
    sessions: Sessions, actor: Actor, office_id: int, user_id: int, *, member: bool
) -> OfficeOut:
    """Add (`member`) or remove a programme coordinator as one of the office's screeners."""
    require(actor, Permission.OFFICES_MANAGE)
    with sessions.begin() as session:
        office = _managed_office(session, actor, office_id)
        user = session.get(User, user_id)
        org_id = user.organisation_id if user else None
        org = session.get(Organisation, org_id) if org_id else None
        if (
            user is None
            or user.role != Role.COORDINATOR.value
            or org is None
            or org.id != office.programme_id
        ):
            raise RuleError(
                Message(N_("Only a coordinator of this programme can screen for its offices.")),
                "user_id",
            )
        row = session.get(OfficeStaff, (office.id, user.id))
        changed = (row is None) if member else (row is not None)
        if member and row is None:
            session.add(
                OfficeStaff(
                    office_id=office.id, user_id=user.id, added_at=utc_now(), added_by=actor.user_id
                )
            )
        elif not member and row is not None:
            session.delete(row)
        session.flush()
        if changed:
            notify(
                session,
                [user.id],
                kind="office_staff",
                message=Message(
                    N_("You now screen the applications of {office}.")
                    if member
                    else N_("You no longer screen the applications of {office}."),
                    {"office": office.name_ja if user.locale == "ja" else office.name_en},
                ),
                link="/offices",
            )
        record_audit(
            session,
            actor,
            "office.staff_added" if member else "office.staff_removed",
            "recruiting_office",
            office.id,
            None,
            {"user_id": user.id},
            tenant_id=office.programme_id,
        )
        return _out(session, actor, office)
