"""Schools in the database on SQLite and PostgreSQL: who sees which BoE's, and audited adds."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from sqlalchemy import select

from altmatch.db import Sessions
from altmatch.db.models import AuditEntry
from altmatch.domain.access import OPERATOR, AccessDeniedError, Actor, NotFoundError, OrgKind, Role
from altmatch.rulebook.vocabulary import Area, SchoolLevel
from altmatch.services.accounts.schools import SchoolFields, add_school, list_schools
from altmatch.services.accounts.users import create_organisation
from altmatch.services.kernel.errors import RuleError


def _school(external_id: str = "s01", name: str = "Kobe Minami Elementary School") -> SchoolFields:
    return SchoolFields(
        external_id=external_id,
        name_en=name,
        name_ja="神戸市立神戸南小学校",
        level=SchoolLevel.ELEMENTARY,
        area=Area.URBAN,
        municipality="Kobe",
        latitude=34.69,
        longitude=135.2,
    )


@pytest.fixture
def orgs(sessions: Sessions) -> Mapping[str, int]:
    def org(kind: OrgKind, name: str, programme: int | None = None) -> int:
        return create_organisation(
            sessions, actor=OPERATOR, kind=kind, name_en=name, name_ja=name, programme_id=programme
        ).id

    jet = org(OrgKind.PROGRAMME, "JET")
    other = org(OrgKind.PROGRAMME, "Other programme")
    return {
        "jet": jet,
        "other": other,
        "kobe": org(OrgKind.BOE, "Kobe City BoE", jet),
        "himeji": org(OrgKind.BOE, "Himeji City BoE", jet),
    }


def _staff(orgs: Mapping[str, int], boe: str) -> Actor:
    return Actor(
        user_id=10, role=Role.BOE_STAFF, organisation_id=orgs[boe], programme_id=orgs["jet"]
    )


def test_boe_staff_add_and_list_their_own_schools_with_coordinates(
    sessions: Sessions, orgs: Mapping[str, int]
) -> None:
    kobe = _staff(orgs, "kobe")
    add_school(sessions, kobe, orgs["kobe"], _school())

    listed = list_schools(sessions, kobe, orgs["kobe"])

    assert [s.name_en for s in listed.schools] == ["Kobe Minami Elementary School"]
    assert listed.schools[0].latitude == pytest.approx(34.69) and listed.can_edit


def test_another_boes_schools_are_not_found_for_reading_or_adding(
    sessions: Sessions, orgs: Mapping[str, int]
) -> None:
    add_school(sessions, OPERATOR, orgs["kobe"], _school())
    himeji = _staff(orgs, "himeji")

    with pytest.raises(NotFoundError):
        list_schools(sessions, himeji, orgs["kobe"])
    with pytest.raises(NotFoundError):
        add_school(sessions, himeji, orgs["kobe"], _school("s02"))
    assert len(list_schools(sessions, OPERATOR, orgs["kobe"]).schools) == 1


def test_coordinators_see_their_programmes_boes_only_and_cannot_add(
    sessions: Sessions, orgs: Mapping[str, int]
) -> None:
    add_school(sessions, OPERATOR, orgs["kobe"], _school())
    ours = Actor(user_id=2, role=Role.COORDINATOR, organisation_id=orgs["jet"])
    theirs = Actor(user_id=3, role=Role.COORDINATOR, organisation_id=orgs["other"])

    assert len(list_schools(sessions, ours, orgs["kobe"]).schools) == 1
    assert not list_schools(sessions, ours, orgs["kobe"]).can_edit
    with pytest.raises(NotFoundError):
        list_schools(sessions, theirs, orgs["kobe"])
    with pytest.raises(AccessDeniedError):
        add_school(sessions, ours, orgs["kobe"], _school("s02"))


def test_a_candidate_is_refused_and_a_programme_is_not_a_boe(
    sessions: Sessions, orgs: Mapping[str, int]
) -> None:
    candidate = Actor(user_id=5, role=Role.CANDIDATE)
    admin = Actor(user_id=1, role=Role.ADMIN)

    with pytest.raises(AccessDeniedError):
        list_schools(sessions, candidate, orgs["kobe"])
    with pytest.raises(NotFoundError):
        list_schools(sessions, admin, orgs["jet"])


def test_adding_a_school_is_audited_in_the_boes_tenant_and_duplicates_are_refused(
    sessions: Sessions, orgs: Mapping[str, int]
) -> None:
    kobe = _staff(orgs, "kobe")
    school = add_school(sessions, kobe, orgs["kobe"], _school())

    with pytest.raises(RuleError):
        add_school(sessions, kobe, orgs["kobe"], _school(name="Another name"))

    with sessions() as session:
        entries = list(session.scalars(select(AuditEntry).where(AuditEntry.entity == "school")))
    assert [(e.action, e.actor_user_id, e.tenant_id, e.entity_id) for e in entries] == [
        ("school.added", 10, orgs["kobe"], str(school.id))
    ]
    assert entries[0].after is not None and entries[0].after["external_id"] == "s01"
