"""Who may do what, and whose data they may see: the one place permissions are decided.

Every service checks here before reading or writing; pages and API routes never decide access
themselves. Organisations are tenants: a BoE's staff see their BoE, a company's staff their
company, a candidate or ALT only their own records. The programme's coordinators run the
season for every BoE in it; administrators manage accounts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from altmatch.i18n import N_, register_labels


class Role(StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    BOE_STAFF = "boe_staff"
    COMPANY_STAFF = "company_staff"
    CANDIDATE = "candidate"
    ALT = "alt"
    # Sits on interview panels (an officer, a former participant, an educator): sees only the
    # candidates of the panels they sit on (recorded panel membership), scores them, declares
    # conflicts of interest. Belongs to a programme.
    ASSESSOR = "assessor"


register_labels(
    Role,
    {
        Role.ADMIN: N_("Administrator"),
        Role.COORDINATOR: N_("Programme coordinator"),
        Role.BOE_STAFF: N_("Board of Education staff"),
        Role.COMPANY_STAFF: N_("Dispatch company staff"),
        Role.CANDIDATE: N_("Candidate"),
        Role.ALT: N_("Assistant Language Teacher"),
        Role.ASSESSOR: N_("Interview assessor"),
    },
)


class OrgKind(StrEnum):
    """The kinds of tenant."""

    PROGRAMME = "programme"
    BOE = "boe"
    COMPANY = "company"


register_labels(
    OrgKind,
    {
        OrgKind.PROGRAMME: N_("Programme"),
        OrgKind.BOE: N_("Board of Education"),
        OrgKind.COMPANY: N_("Dispatch company"),
    },
)


# Which kind of organisation a role's user belongs to (None: the user has no organisation).
ROLE_ORG_KIND: Mapping[Role, OrgKind | None] = {
    Role.ADMIN: None,
    Role.COORDINATOR: OrgKind.PROGRAMME,
    Role.BOE_STAFF: OrgKind.BOE,
    Role.COMPANY_STAFF: OrgKind.COMPANY,
    Role.CANDIDATE: None,
    Role.ALT: None,
    Role.ASSESSOR: OrgKind.PROGRAMME,
}


class Permission(StrEnum):
    """Actions a user can attempt; each maps to the roles allowed to attempt it."""

    USERS_MANAGE = "users.manage"
    AUDIT_VIEW = "audit.view"
    SEASON_MANAGE = "season.manage"  # open a season, import candidates, run, publish
    SEASON_VIEW = "season.view"
    REQUEST_EDIT = "request.edit"  # file and edit a BoE's requests (until the deadline)
    REQUEST_VIEW = "request.view"
    PLACEMENT_VIEW = "placement.view"  # who was placed where (BoE: its own requests only)
    APPLICATION_VIEW = "application.view"
    APPLICATION_EDIT_OWN = "application.edit_own"  # a candidate's preferences and consent
    # Delete one's own account (APPI): people only; staff accounts are disabled by an admin.
    ACCOUNT_DELETE_OWN = "account.delete_own"
    OUTCOME_VIEW_OWN = "outcome.view_own"
    PLACEMENT_VIEW_OWN = "placement.view_own"  # an employed ALT's own contract(s) and workplace
    EXPORT = "export"
    SCHOOL_VIEW = "school.view"  # a BoE's schools (BoE staff: their own; coordinators: programme)
    SCHOOL_EDIT = "school.edit"  # add schools to a BoE (BoE staff: their own)
    # Dispatch: a company runs its contracts, tenders, roster, assignment, coverage, transfers.
    DISPATCH_MANAGE = "dispatch.manage"
    # A dispatch contract and the ALTs working under it (BoE staff: contracts with their BoE).
    CONTRACT_VIEW = "contract.view"
    TRANSFER_REQUEST_OWN = "transfer.request_own"  # an employed dispatch ALT asks to move
    # Direct hire: a BoE's postings and the applications to them (BoE staff: their own).
    POSTING_MANAGE = "posting.manage"
    POSTING_APPLY = "posting.apply"  # check eligibility for and apply to an open posting
    # Support: an employed ALT opens cases; the responsible organisation's handlers answer.
    CASE_OPEN_OWN = "case.open_own"
    CASE_HANDLE = "case.handle"  # cases routed to the handler's organisation (and to them)
    SUPPORT_ROUTING_MANAGE = "support.routing_manage"  # an organisation's routing table
    SUPPORT_METRICS_VIEW = "support.metrics_view"  # anonymised support figures per employer
    # Recruiting offices and their screeners (issue 19); an office's queue needs membership too.
    OFFICES_MANAGE = "offices.manage"
    # The interview round: an office's staff plan panels, sessions and slots (membership of the
    # office needed too); assessors score the candidates of their own panels (panel membership).
    INTERVIEWS_PLAN = "interviews.plan"
    INTERVIEWS_SCORE = "interviews.score"


PERMISSIONS: Mapping[Permission, frozenset[Role]] = {
    Permission.USERS_MANAGE: frozenset({Role.ADMIN}),
    Permission.AUDIT_VIEW: frozenset({Role.ADMIN, Role.COORDINATOR}),
    Permission.SEASON_MANAGE: frozenset({Role.COORDINATOR}),
    Permission.SEASON_VIEW: frozenset({Role.COORDINATOR, Role.BOE_STAFF, Role.CANDIDATE}),
    Permission.REQUEST_EDIT: frozenset({Role.BOE_STAFF}),
    Permission.REQUEST_VIEW: frozenset({Role.COORDINATOR, Role.BOE_STAFF}),
    Permission.PLACEMENT_VIEW: frozenset({Role.COORDINATOR, Role.BOE_STAFF}),
    Permission.APPLICATION_VIEW: frozenset({Role.COORDINATOR, Role.CANDIDATE}),
    Permission.APPLICATION_EDIT_OWN: frozenset({Role.CANDIDATE}),
    Permission.ACCOUNT_DELETE_OWN: frozenset({Role.CANDIDATE, Role.ALT}),
    Permission.OUTCOME_VIEW_OWN: frozenset({Role.CANDIDATE}),
    Permission.PLACEMENT_VIEW_OWN: frozenset({Role.ALT}),
    Permission.EXPORT: frozenset({Role.COORDINATOR, Role.BOE_STAFF, Role.CANDIDATE}),
    Permission.SCHOOL_VIEW: frozenset({Role.ADMIN, Role.COORDINATOR, Role.BOE_STAFF}),
    Permission.SCHOOL_EDIT: frozenset({Role.ADMIN, Role.BOE_STAFF}),
    Permission.DISPATCH_MANAGE: frozenset({Role.COMPANY_STAFF}),
    Permission.CONTRACT_VIEW: frozenset({Role.COMPANY_STAFF, Role.BOE_STAFF}),
    Permission.TRANSFER_REQUEST_OWN: frozenset({Role.ALT}),
    Permission.POSTING_MANAGE: frozenset({Role.BOE_STAFF}),
    Permission.POSTING_APPLY: frozenset({Role.CANDIDATE, Role.ALT}),
    Permission.CASE_OPEN_OWN: frozenset({Role.ALT}),
    Permission.CASE_HANDLE: frozenset({Role.BOE_STAFF, Role.COMPANY_STAFF}),
    Permission.SUPPORT_ROUTING_MANAGE: frozenset({Role.ADMIN, Role.BOE_STAFF, Role.COMPANY_STAFF}),
    Permission.SUPPORT_METRICS_VIEW: frozenset(
        {Role.ADMIN, Role.COORDINATOR, Role.BOE_STAFF, Role.COMPANY_STAFF}
    ),
    Permission.OFFICES_MANAGE: frozenset({Role.ADMIN, Role.COORDINATOR}),
    Permission.INTERVIEWS_PLAN: frozenset({Role.COORDINATOR}),
    Permission.INTERVIEWS_SCORE: frozenset({Role.ASSESSOR, Role.COORDINATOR}),
}


@dataclass(frozen=True)
class Actor:
    """Whoever a service runs for: a signed-in user, or the operator (OPERATOR).

    The operator runs altmatch's command line on the server and controls the database anyway,
    so every permission is theirs and they see every organisation; they have no account
    (`user_id` is None), and their audit entries name no user. Only OPERATOR is built without a
    user id: web routes build Actors from a signed-in user's row, and "nobody signed in" is
    None, never an Actor, so a route cannot pass for the operator.
    """

    user_id: int | None
    role: Role
    organisation_id: int | None = None  # their tenant (programme, BoE or company)
    programme_id: int | None = None  # the programme their organisation belongs to, if any
    candidate_id: int | None = None  # for candidates: their own candidate record

    @property
    def is_operator(self) -> bool:
        return self.user_id is None

    def can(self, permission: Permission) -> bool:
        return self.is_operator or self.role in PERMISSIONS[permission]

    def own_user_id(self) -> int:
        """The user's id, for what only someone with an account can do (their own records)."""
        if self.user_id is None:
            raise AccessDeniedError("the operator has no account of their own")
        return self.user_id


OPERATOR = Actor(user_id=None, role=Role.ADMIN)


def require_operator(actor: Actor) -> Actor:
    """The actor, if it is the operator: for what only the server's command line may do."""
    if not actor.is_operator:
        raise AccessDeniedError("operator only")
    return actor


class AccessDeniedError(Exception):
    """The actor may not do this. Adapters answer 404 for objects (never confirming that
    another tenant's object exists) and 403 for actions."""


class NotFoundError(AccessDeniedError):
    """The object does not exist, or the actor may not see it. Both answer 404, so a refusal
    never confirms that another tenant's object exists; `access_<thing>` helpers raise it."""


def require(actor: Actor | None, permission: Permission) -> Actor:
    """The actor, if signed in and allowed; otherwise AccessDeniedError."""
    if actor is None or not actor.can(permission):
        raise AccessDeniedError(permission.value)
    return actor


def sees_organisation(actor: Actor, organisation_id: int, *, programme_id: int | None) -> bool:
    """Whether the actor may see data owned by `organisation_id` (belonging to `programme_id`).

    Staff see their own organisation; coordinators every organisation in their programme;
    administrators everything. Candidates and ALTs see no organisation's internal data.
    """
    if actor.is_operator or actor.role is Role.ADMIN:
        return True
    if actor.role is Role.COORDINATOR:
        return programme_id is not None and programme_id == actor.organisation_id
    if actor.role in (Role.BOE_STAFF, Role.COMPANY_STAFF):
        return organisation_id == actor.organisation_id
    return False
