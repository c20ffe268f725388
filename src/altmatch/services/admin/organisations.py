"""Organisations for administrators: a searchable, paged list; creating and editing one, with
every field's problem reported at once (in the reader's language, at the field)."""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy.orm import Session

from altmatch.db import Sessions
from altmatch.db import accounts as accounts_repo
from altmatch.db import admin_queries as repo
from altmatch.db.models import Organisation
from altmatch.domain.access import Actor, NotFoundError, OrgKind, Permission, require
from altmatch.i18n import N_, Message
from altmatch.services.accounts.users import OrganisationOut, organisation_out
from altmatch.services.admin.filters import clamped_page
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.errors import RuleError

PER_PAGE = 50
NAME_LIMIT = 200
PLACE_LIMIT = {"prefecture": 64, "municipality": 200}


class OrganisationFieldsIn(BaseModel):
    """What an administrator types: free text, checked by `organisation_problems`."""

    kind: str = ""
    name_en: str = ""
    name_ja: str = ""
    prefecture: str = ""
    municipality: str = ""
    programme_id: int | None = None


class OrganisationProblemsError(RuleError):
    """The form's problems, each on its field (raised so nothing is written); as a RuleError it
    names the first, for callers that show one."""

    def __init__(self, problems: list[tuple[str, Message]]) -> None:
        super().__init__(problems[0][1], problems[0][0])
        self.problems = problems


class AdminOrganisationRow(OrganisationOut):
    programme_name_en: str | None
    programme_name_ja: str | None


class AdminOrganisationsOut(BaseModel):
    q: str
    kind: OrgKind | None
    page: int
    pages: int
    per_page: int
    total: int
    rows: list[AdminOrganisationRow]
    programmes: list[OrganisationOut]  # the choices for a BoE's programme


class AdminOrganisationOut(BaseModel):
    organisation: AdminOrganisationRow
    users: int
    members: int  # organisations taking part (a programme)
    programmes: list[OrganisationOut]


def _programmes(session: Session) -> list[OrganisationOut]:
    return [
        organisation_out(o)
        for o in accounts_repo.list_organisations(session)
        if o.kind == OrgKind.PROGRAMME.value
    ]


def _row(session: Session, org: Organisation) -> AdminOrganisationRow:
    programme = (
        accounts_repo.get_organisation(session, org.programme_id) if org.programme_id else None
    )
    return AdminOrganisationRow(
        **organisation_out(org).model_dump(),
        programme_name_en=programme.name_en if programme else None,
        programme_name_ja=programme.name_ja if programme else None,
    )


def admin_organisations(
    sessions: Sessions,
    actor: Actor,
    *,
    q: str = "",
    kind: OrgKind | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
) -> AdminOrganisationsOut:
    """One page of organisations whose name (English or Japanese) contains `q`."""
    require(actor, Permission.USERS_MANAGE)
    q = q.strip()[:100]
    with sessions() as session:
        kind_value = kind.value if kind else None
        found = clamped_page(
            lambda offset, limit: repo.organisations_page(
                session, search=q, kind=kind_value, offset=offset, limit=limit
            ),
            page,
            per_page,
        )
        number, pages, rows, total = found.number, found.pages, found.rows, found.total
        return AdminOrganisationsOut(
            q=q,
            kind=kind,
            page=number,
            pages=pages,
            per_page=per_page,
            total=total,
            rows=[_row(session, o) for o in rows],
            programmes=_programmes(session),
        )


def _organisation(session: Session, organisation_id: int) -> Organisation:
    org = accounts_repo.get_organisation(session, organisation_id)
    if org is None:
        raise NotFoundError("organisation")
    return org


def admin_organisation(
    sessions: Sessions, actor: Actor, organisation_id: int
) -> AdminOrganisationOut:
    require(actor, Permission.USERS_MANAGE)
    with sessions() as session:
        org = _organisation(session, organisation_id)
        return AdminOrganisationOut(
            organisation=_row(session, org),
            users=repo.organisation_user_count(session, org.id),
            members=repo.organisation_member_count(session, org.id),
            programmes=_programmes(session),
        )


def organisation_problems(
    session: Session, fields: OrganisationFieldsIn, *, current: Organisation | None = None
) -> tuple[dict[str, object], list[tuple[str, Message]]]:
    """The cleaned values and every problem, each with its field."""
    problems: list[tuple[str, Message]] = []
    try:
        kind: OrgKind | None = OrgKind(fields.kind)
    except ValueError:
        kind = None
        problems.append(("kind", Message(N_("Choose the kind of organisation."))))
    clean: dict[str, object] = {"kind": kind.value if kind else None}
    for name in ("name_en", "name_ja"):
        value = getattr(fields, name).strip()
        if not value:
            problems.append((name, Message(N_("This field is required."))))
        elif len(value) > NAME_LIMIT:
            problems.append(
                (name, Message(N_("Use at most {count} characters."), {"count": NAME_LIMIT}))
            )
        clean[name] = value
    for name, limit in PLACE_LIMIT.items():
        value = getattr(fields, name).strip()
        if len(value) > limit:
            problems.append(
                (name, Message(N_("Use at most {count} characters."), {"count": limit}))
            )
        clean[name] = value or None
    programme_id = fields.programme_id
    if programme_id is not None:
        programme = accounts_repo.get_organisation(session, programme_id)
        if kind is not None and kind is not OrgKind.BOE:
            problems.append(
                (
                    "programme_id",
                    Message(N_("Only a Board of Education takes part in a programme.")),
                )
            )
        elif programme is None or programme.kind != OrgKind.PROGRAMME.value:
            problems.append(("programme_id", Message(N_("There is no programme with that id."))))
    elif kind is OrgKind.BOE:
        problems.append(
            ("programme_id", Message(N_("Choose the programme this Board of Education is in.")))
        )
    clean["programme_id"] = programme_id
    changes_kind = current is not None and kind is not None and kind.value != current.kind
    if changes_kind and current is not None:
        taken = repo.organisation_user_count(session, current.id)
        if taken or repo.organisation_member_count(session, current.id):
            problems.append(
                (
                    "kind",
                    Message(N_("The kind cannot change while users or members belong to it.")),
                )
            )
    return clean, problems


def create_organisation(
    sessions: Sessions, actor: Actor, fields: OrganisationFieldsIn
) -> AdminOrganisationOut:
    """Add an organisation; OrganisationProblemsError lists every field at fault."""
    who = require(actor, Permission.USERS_MANAGE)
    with sessions.begin() as session:
        clean, problems = organisation_problems(session, fields)
        if problems:
            raise OrganisationProblemsError(problems)
        org = accounts_repo.add_organisation(session, **clean)  # type: ignore[arg-type]
        after = organisation_out(org).model_dump(mode="json", exclude={"id"})
        record_audit(
            session,
            who,
            "organisation.created",
            "organisation",
            org.id,
            None,
            after,
            tenant_id=org.id,
        )
        new_id = org.id
    return admin_organisation(sessions, who, new_id)


def update_organisation(
    sessions: Sessions, actor: Actor, organisation_id: int, fields: OrganisationFieldsIn
) -> AdminOrganisationOut:
    """Change an organisation's names, place, programme (and kind, while nobody belongs to
    it); audited with the values before and after."""
    who = require(actor, Permission.USERS_MANAGE)
    with sessions.begin() as session:
        org = _organisation(session, organisation_id)
        clean, problems = organisation_problems(session, fields, current=org)
        if problems:
            raise OrganisationProblemsError(problems)
        before = organisation_out(org).model_dump(mode="json", exclude={"id"})
        for key, value in clean.items():
            setattr(org, key, value)
        session.flush()
        after = organisation_out(org).model_dump(mode="json", exclude={"id"})
        if after != before:
            record_audit(
                session,
                who,
                "organisation.edited",
                "organisation",
                org.id,
                before,
                after,
                tenant_id=org.id,
            )
    return admin_organisation(sessions, who, organisation_id)
