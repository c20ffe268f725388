"""A Board of Education's schools: who may list them, and adding one (audited).

BoE staff see and add their own BoE's schools; the programme's coordinators see the schools
of every BoE in their programme; administrators see and add any. Anyone else, and anyone
asking about an organisation that is not a BoE they may see, gets NotFoundError.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from altmatch.db import Sessions
from altmatch.db import schools as repo
from altmatch.db.models import Organisation, School
from altmatch.domain.access import (
    Actor,
    NotFoundError,
    OrgKind,
    Permission,
    Role,
    require,
    sees_organisation,
)
from altmatch.i18n import N_, Message
from altmatch.rulebook.vocabulary import Area, SchoolLevel
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.errors import RuleError


class SchoolFields(BaseModel):
    """What a BoE says about one of its schools."""

    external_id: str = Field(min_length=1, max_length=64)
    name_en: str = Field(min_length=1, max_length=200)
    name_ja: str = Field(min_length=1, max_length=200)
    level: SchoolLevel
    area: Area
    municipality: str = Field(min_length=1, max_length=200)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)


class SchoolOut(SchoolFields):
    id: int
    boe_id: int


class SchoolsOut(BaseModel):
    boe_id: int
    boe: str
    boe_ja: str
    can_edit: bool
    schools: list[SchoolOut]


def school_out(row: School) -> SchoolOut:
    return SchoolOut.model_validate(row, from_attributes=True)


def access_boe(session: Session, actor: Actor, boe_id: int) -> Organisation:
    """The BoE, if the actor may see its data (the operator sees every BoE)."""
    boe = session.get(Organisation, boe_id)
    if boe is None or boe.kind != OrgKind.BOE:
        raise NotFoundError("boe")
    if sees_organisation(actor, boe.id, programme_id=boe.programme_id):
        return boe
    raise NotFoundError("boe")


def _may_edit(actor: Actor, boe: Organisation) -> bool:
    if actor.role is Role.ADMIN:
        return True
    return actor.can(Permission.SCHOOL_EDIT) and actor.organisation_id == boe.id


def list_schools(sessions: Sessions, actor: Actor, boe_id: int) -> SchoolsOut:
    """The BoE's schools by level and name."""
    require(actor, Permission.SCHOOL_VIEW)
    with sessions() as session:
        boe = access_boe(session, actor, boe_id)
        return SchoolsOut(
            boe_id=boe.id,
            boe=boe.name_en,
            boe_ja=boe.name_ja,
            can_edit=_may_edit(actor, boe),
            schools=[school_out(r) for r in repo.schools_of(session, boe.id)],
        )


def add_schools(
    sessions: Sessions, actor: Actor, boe_id: int, fields: Sequence[SchoolFields]
) -> list[SchoolOut]:
    """Add schools to a BoE in one transaction, each audited: all of them or none.

    BoE staff add to their own BoE, administrators (and the operator) to any.
    """
    who = require(actor, Permission.SCHOOL_EDIT)
    with sessions.begin() as session:
        boe = access_boe(session, actor, boe_id)
        if not _may_edit(actor, boe):
            raise NotFoundError("boe")
        taken = repo.external_ids(session, boe.id)
        added: list[SchoolOut] = []
        for item in fields:
            external_id = item.external_id.strip()
            if external_id in taken:
                raise RuleError(
                    Message(N_("This Board of Education already has a school with this id.")),
                    "external_id",
                )
            taken.add(external_id)
            row = School(
                boe_id=boe.id,
                **(item.model_dump() | {"external_id": external_id}),
            )
            session.add(row)
            session.flush()
            out = school_out(row)
            added.append(out)
            after = out.model_dump(mode="json", exclude={"id"})
            record_audit(
                session, who, "school.added", "school", row.id, None, after, tenant_id=boe.id
            )
        return added


def add_school(sessions: Sessions, actor: Actor, boe_id: int, fields: SchoolFields) -> SchoolOut:
    """Add one school to a BoE (audited)."""
    return add_schools(sessions, actor, boe_id, [fields])[0]
