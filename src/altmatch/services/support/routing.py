"""Routing tables: who answers an organisation's support cases, level by level.

An organisation's route is data: for each role (a BoE's supervisor and section chief, the
prefecture's programme adviser; a company's support desk and area manager) the staff users who
handle cases at that level. The organisation's own staff (or an administrator) keep it; a
handler must be staff of that organisation.

The table only decides where a case goes next. `record_reached` copies the handlers on the
route into the case (`support_case_handlers`) when the case reaches a level: when it opens,
escalates, or reaches a level that had nobody routed once the table names someone. Who may
handle a case is read from those rows (`reached_handlers`), never from today's table, so
putting oneself on a route reveals no case that already exists, and taking a handler off it
does not cut them off from the cases they were handling. Every change of a table is audited
and notified to the handlers on it before and after the change.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from altmatch.clock import utc_now
from altmatch.db import Sessions
from altmatch.db import accounts as accounts_repo
from altmatch.db import support as repo
from altmatch.db.models import (
    CaseEvent,
    Organisation,
    SupportCase,
    SupportCaseHandler,
    SupportRoute,
    User,
)
from altmatch.domain.access import (
    Actor,
    NotFoundError,
    OrgKind,
    Permission,
    Role,
    require,
)
from altmatch.domain.support import ROUTE_BY_PATH, RouteRole
from altmatch.i18n import N_, Message
from altmatch.rulebook.vocabulary import HiringPath
from altmatch.services.kernel.audit import record_audit
from altmatch.services.kernel.bounds import RowId
from altmatch.services.kernel.errors import RuleError
from altmatch.services.support.notifications import notify

# Which roles an organisation's table may hold: a BoE's posts and a company's posts.
ROLES_BY_KIND: dict[str, tuple[RouteRole, ...]] = {
    OrgKind.BOE.value: (
        RouteRole.SUPERVISOR,
        RouteRole.SECTION_CHIEF,
        RouteRole.PROGRAMME_ADVISER,
    ),
    OrgKind.COMPANY.value: (RouteRole.SUPPORT_DESK, RouteRole.AREA_MANAGER),
}


class RouteEntryIn(BaseModel):
    role: RouteRole
    user_id: RowId


class RoutesIn(BaseModel):
    """The whole table: it replaces the organisation's current one."""

    entries: list[RouteEntryIn] = Field(default_factory=list, max_length=100)


class RouteEntryOut(BaseModel):
    role: RouteRole
    user_id: int
    name: str
    email: str


class RoutesOut(BaseModel):
    organisation_id: int
    organisation: str
    roles: list[RouteRole]  # the roles this kind of organisation may fill, in level order
    entries: list[RouteEntryOut]


def _routable(session: Session, actor: Actor, organisation_id: int) -> Organisation:
    """The organisation, if the actor may keep its routing table (its staff, an administrator
    or the operator); NotFoundError otherwise (also for a programme, which has no route)."""
    require(actor, Permission.SUPPORT_ROUTING_MANAGE)
    org = session.get(Organisation, organisation_id)
    if org is None or org.kind not in ROLES_BY_KIND:
        raise NotFoundError("organisation")
    if actor.role is not Role.ADMIN and actor.organisation_id != org.id:
        raise NotFoundError("organisation")
    return org


def _routes_out(session: Session, org: Organisation) -> RoutesOut:
    order = {role: i for i, role in enumerate(ROLES_BY_KIND[org.kind])}
    rows = repo.routes_with_users(session, org.id)
    entries = sorted(
        (
            RouteEntryOut(role=RouteRole(r.role), user_id=u.id, name=u.display_name, email=u.email)
            for r, u in rows
        ),
        key=lambda e: (order.get(e.role, 99), e.name, e.user_id),
    )
    return RoutesOut(
        organisation_id=org.id,
        organisation=org.name_en,
        roles=list(ROLES_BY_KIND[org.kind]),
        entries=entries,
    )


def list_routes(sessions: Sessions, actor: Actor, organisation_id: int) -> RoutesOut:
    with sessions() as session:
        return _routes_out(session, _routable(session, actor, organisation_id))


def set_routes(sessions: Sessions, actor: Actor, organisation_id: int, body: RoutesIn) -> RoutesOut:
    """Replace the organisation's routing table; every handler must be active staff of it."""
    with sessions.begin() as session:
        org = _routable(session, actor, organisation_id)
        allowed = ROLES_BY_KIND[org.kind]
        for i, entry in enumerate(body.entries):
            if entry.role not in allowed:
                raise RuleError(
                    Message(
                        N_("This organisation cannot have the role {role} on its route."),
                        {"role": entry.role.value},
                    ),
                    f"entries.{i}.role",
                )
            user = session.get(User, entry.user_id)
            if user is None or user.organisation_id != org.id or user.disabled:
                raise RuleError(
                    Message(
                        N_("User {user_id} is not active staff of this organisation."),
                        {"user_id": entry.user_id},
                    ),
                    f"entries.{i}.user_id",
                )
        before = sorted((r.role, r.user_id) for r in repo.routes(session, org.id))
        repo.delete_routes(session, org.id)
        wanted = sorted({(e.role.value, e.user_id) for e in body.entries})
        session.add_all(
            SupportRoute(organisation_id=org.id, role=role, user_id=user_id)
            for role, user_id in wanted
        )
        session.flush()
        record_audit(
            session,
            actor,
            "support.routes_set",
            "organisation",
            org.id,
            {"routes": [list(x) for x in before]},
            {"routes": [list(x) for x in wanted]},
            tenant_id=org.id,
        )
        if before != wanted:
            _notify_route_change(session, actor, [u for _, u in before + wanted])
            _route_waiting_cases(session, actor, org.id)
        return _routes_out(session, org)


def _notify_route_change(session: Session, actor: Actor, user_ids: list[int]) -> None:
    """Tell the handlers on the table before and after a change (not the one who made it), so
    nobody can quietly put themselves where new cases arrive."""
    by = session.get(User, actor.user_id) if actor.user_id is not None else None
    if by is None:
        message = Message(
            N_(
                "Your organisation's support routing table was changed from the command line. "
                "Check who now receives new support cases under support routes."
            )
        )
    else:
        message = Message(
            N_(
                "Your organisation's support routing table was changed by {name}. Check who "
                "now receives new support cases under support routes."
            ),
            {"name": by.display_name},
        )
    notify(
        session,
        [u for u in user_ids if u != actor.user_id],
        kind="routes_changed",
        message=message,
    )


def _route_waiting_cases(session: Session, actor: Actor, organisation_id: int) -> None:
    """Open cases of the organisation that reached a level with nobody on it reach the
    handlers the table now names there (who are told); cases with handlers keep them."""
    for case in repo.cases_of_organisations(session, [organisation_id], include_resolved=False):
        at = utc_now()
        added = record_reached(session, case, range(1, case.level + 1), at)
        if not added:
            continue
        session.add(
            CaseEvent(
                case_id=case.id,
                at=at,
                by_user_id=actor.user_id,
                action="routed",
                detail={"handlers": added},
            )
        )
        notify(
            session,
            added,
            kind="case_routed",
            message=Message(
                N_("Support case #{case_id} had nobody to answer it and is now routed to you."),
                {"case_id": case.id},
            ),
            case_id=case.id,
        )


def route_length(case: SupportCase) -> int:
    return len(ROUTE_BY_PATH[HiringPath(case.path)])


def level_posts(case: SupportCase, levels: Iterable[int]) -> list[tuple[int, RouteRole]]:
    """(organisation, role) for each of the given 1-based levels of the case's route: JET's
    programme adviser sits at the prefecture's own BoE, every other post at the employer."""
    roles = ROUTE_BY_PATH[HiringPath(case.path)]
    posts = []
    for level in levels:
        if not 1 <= level <= len(roles):
            continue
        role = roles[level - 1]
        org = case.adviser_org_id if role is RouteRole.PROGRAMME_ADVISER else case.employer_id
        if org is not None:
            posts.append((org, role))
    return posts


def record_reached(
    session: Session, case: SupportCase, levels: Iterable[int], at: datetime
) -> list[int]:
    """Record on the case the handlers that today's table names at each of these levels that
    has no recorded handler yet; returns the user ids added (each once). A level that already
    has handlers keeps them: a route change never takes a case away from its handlers."""
    have = repo.case_handler_levels(session, case.id)
    roles = ROUTE_BY_PATH[HiringPath(case.path)]
    added: dict[int, None] = {}
    for level in levels:
        if level in have or not 1 <= level <= len(roles):
            continue
        for org, role in level_posts(case, [level]):
            for user_id in repo.handler_ids(session, org, role.value):
                session.add(
                    SupportCaseHandler(
                        case_id=case.id, user_id=user_id, level=level, role=role.value, added_at=at
                    )
                )
                added[user_id] = None
    session.flush()
    return list(added)


def reached_handlers(session: Session, case: SupportCase) -> list[int]:
    """The handlers recorded on the case: everyone it has reached, at any level."""
    return repo.case_handler_ids(session, case.id)


def set_role_handlers(
    sessions: Sessions,
    actor: Actor,
    organisation_id: int,
    handlers: list[tuple[RouteRole, str]],
) -> RoutesOut:
    """Replace the handlers of each named role (by e-mail), keeping the other roles' entries:
    what `altmatch support routes ORG --set ROLE=EMAIL` does."""
    with sessions() as session:
        current = _routes_out(session, _routable(session, actor, organisation_id))
        entries = [
            RouteEntryIn(role=e.role, user_id=e.user_id)
            for e in current.entries
            if e.role not in {role for role, _ in handlers}
        ]
        for i, (role, email) in enumerate(handlers):
            found = accounts_repo.get_user_by_email(session, email.strip().lower())
            if found is None:
                raise RuleError(
                    Message(N_("There is no user with the e-mail {email}."), {"email": email}),
                    f"entries.{i}.user_id",
                )
            entries.append(RouteEntryIn(role=role, user_id=found.id))
    return set_routes(sessions, actor, organisation_id, RoutesIn(entries=entries))
