"""Who is signed in: the session cookie, `ActorDep`/`OptionalActorDep`, and permission gates."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request, Response

from altmatch.config import Settings
from altmatch.domain.access import AccessDeniedError, Actor, Permission, Role, require
from altmatch.i18n import gettext as _
from altmatch.i18n import use_locale
from altmatch.services.accounts.authentication import SignedIn, SignInPolicy, resolve_session
from altmatch.services.accounts.two_factor import STAFF_ROLES, TWO_FACTOR_ROLES, setup_owed
from altmatch.services.accounts.users import UserOut, get_me
from altmatch.web.deps import SessionsDep, request_sessions
from altmatch.web.locale import request_locale

SESSION_COOKIE = "altmatch_session"
TWO_FACTOR_PAGE = "/account/two-factor"
# What a staff member who owes a second factor may still reach (staff_two_factor=required):
# setting it up, signing in and out. Static files are mounted apart and need no session.
_SETUP_ALLOWED = (TWO_FACTOR_PAGE, "/api/v1/me/two-factor", "/sign-in", "/api/v1/session")
_SETUP_ALLOWED_EXACT = {"/sign-out"}
_UNRESOLVED = object()


class SignInRequiredError(Exception):
    """No valid session: the API answers 401, pages redirect to /sign-in?next=..."""


def optional_actor(request: Request, sessions: SessionsDep) -> Actor | None:
    """The signed-in Actor or None; looked up once per request however often it is asked for.

    This is also the one place `staff_two_factor=required` is enforced: a staff member without
    a second factor is sent to set it up (pages) or refused with 403 (API), once per request.
    """
    cached = getattr(request.state, "altmatch_actor", _UNRESOLVED)
    if cached is _UNRESOLVED:
        cached = resolve_session(sessions, request.cookies.get(SESSION_COOKIE))
        request.state.altmatch_actor = cached
        if cached is not None:
            _check_two_factor_setup(request, sessions, cached)
    assert cached is None or isinstance(cached, Actor)
    return cached


def _check_two_factor_setup(request: Request, sessions: SessionsDep, actor: Actor) -> None:
    settings: Settings = request.app.state.settings
    path = request.url.path
    if (
        settings.staff_two_factor != "required"
        or actor.role not in TWO_FACTOR_ROLES
        or path.startswith(_SETUP_ALLOWED)
        or path in _SETUP_ALLOWED_EXACT
        or not setup_owed(sessions, actor)
    ):
        return
    if not path.startswith("/api/"):
        raise HTTPException(status_code=303, headers={"Location": TWO_FACTOR_PAGE})
    with use_locale(request_locale(request)):
        detail = _("Set up two-factor sign-in first: staff accounts need it here.")
    raise HTTPException(status_code=403, detail=detail)


OptionalActorDep = Annotated[Actor | None, Depends(optional_actor)]


def current_actor(actor: OptionalActorDep) -> Actor:
    if actor is None:
        raise SignInRequiredError
    return actor


ActorDep = Annotated[Actor, Depends(current_actor)]


class PermissionGate:
    """A dependency admitting only actors that hold `permission` (403 otherwise).

    Routes declare their permission with it, which lets the generated access matrix test read
    every route's requirement; the service behind the route checks the same permission again.
    """

    def __init__(self, permission: Permission) -> None:
        self.permission = permission

    def __call__(self, actor: ActorDep) -> Actor:
        return require(actor, self.permission)

    def __repr__(self) -> str:
        return f"PermissionGate({self.permission.value!r})"


class StaffGate:
    """A dependency admitting only the given roles (by default staff: administrators,
    coordinators, BoE and company staff); 403 for the others. The access matrix test reads its
    roles like a PermissionGate's."""

    def __init__(self, roles: frozenset[Role] = STAFF_ROLES) -> None:
        self.roles = roles

    def __call__(self, actor: ActorDep) -> Actor:
        if actor.role not in self.roles:
            raise AccessDeniedError("staff only")
        return actor

    def __repr__(self) -> str:
        return f"StaffGate({sorted(self.roles)!r})"


StaffDep = Annotated[Actor, Depends(StaffGate())]
# Two-factor sign-in's own pages: staff, and assessors (TWO_FACTOR_ROLES).
TwoFactorDep = Annotated[Actor, Depends(StaffGate(TWO_FACTOR_ROLES))]

# One alias per permission a route needs: `def route(actor: UsersManagerDep)`.
UsersManagerDep = Annotated[Actor, Depends(PermissionGate(Permission.USERS_MANAGE))]
AuditViewerDep = Annotated[Actor, Depends(PermissionGate(Permission.AUDIT_VIEW))]
OwnApplicationDep = Annotated[Actor, Depends(PermissionGate(Permission.APPLICATION_EDIT_OWN))]
OwnAccountDeleterDep = Annotated[Actor, Depends(PermissionGate(Permission.ACCOUNT_DELETE_OWN))]
SeasonManagerDep = Annotated[Actor, Depends(PermissionGate(Permission.SEASON_MANAGE))]
SeasonViewerDep = Annotated[Actor, Depends(PermissionGate(Permission.SEASON_VIEW))]
InterviewsPlanDep = Annotated[Actor, Depends(PermissionGate(Permission.INTERVIEWS_PLAN))]
RequestEditorDep = Annotated[Actor, Depends(PermissionGate(Permission.REQUEST_EDIT))]
RequestViewerDep = Annotated[Actor, Depends(PermissionGate(Permission.REQUEST_VIEW))]
PlacementViewerDep = Annotated[Actor, Depends(PermissionGate(Permission.PLACEMENT_VIEW))]
ApplicationViewerDep = Annotated[Actor, Depends(PermissionGate(Permission.APPLICATION_VIEW))]
OwnOutcomeDep = Annotated[Actor, Depends(PermissionGate(Permission.OUTCOME_VIEW_OWN))]
OwnPlacementDep = Annotated[Actor, Depends(PermissionGate(Permission.PLACEMENT_VIEW_OWN))]
ExporterDep = Annotated[Actor, Depends(PermissionGate(Permission.EXPORT))]
SchoolViewerDep = Annotated[Actor, Depends(PermissionGate(Permission.SCHOOL_VIEW))]
SchoolEditorDep = Annotated[Actor, Depends(PermissionGate(Permission.SCHOOL_EDIT))]
DispatchManagerDep = Annotated[Actor, Depends(PermissionGate(Permission.DISPATCH_MANAGE))]
ContractViewerDep = Annotated[Actor, Depends(PermissionGate(Permission.CONTRACT_VIEW))]
OwnTransferDep = Annotated[Actor, Depends(PermissionGate(Permission.TRANSFER_REQUEST_OWN))]
PostingManagerDep = Annotated[Actor, Depends(PermissionGate(Permission.POSTING_MANAGE))]
PostingApplicantDep = Annotated[Actor, Depends(PermissionGate(Permission.POSTING_APPLY))]
OwnCaseDep = Annotated[Actor, Depends(PermissionGate(Permission.CASE_OPEN_OWN))]
CaseHandlerDep = Annotated[Actor, Depends(PermissionGate(Permission.CASE_HANDLE))]
RoutingManagerDep = Annotated[Actor, Depends(PermissionGate(Permission.SUPPORT_ROUTING_MANAGE))]
SupportMetricsDep = Annotated[Actor, Depends(PermissionGate(Permission.SUPPORT_METRICS_VIEW))]


def signed_in_user(request: Request) -> UserOut | None:
    """The signed-in user's account for the page header, or None (no dependency injection:
    render_page calls it for every page)."""
    cached = getattr(request.state, "altmatch_user", _UNRESOLVED)
    if cached is _UNRESOLVED:
        sessions = request_sessions(request)
        actor = optional_actor(request, sessions)
        cached = get_me(sessions, actor) if actor else None
        request.state.altmatch_user = cached
    assert cached is None or isinstance(cached, UserOut)
    return cached


def sign_in_policy(request: Request) -> SignInPolicy:
    settings: Settings = request.app.state.settings
    return SignInPolicy.from_settings(settings)


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def set_session_cookie(request: Request, response: Response, signed_in: SignedIn) -> None:
    """HttpOnly (no script can read it), SameSite=Lax, Secure as configured, expiring with the
    session."""
    response.set_cookie(
        SESSION_COOKIE,
        signed_in.token,
        expires=signed_in.expires_at,
        path="/",
        httponly=True,
        samesite="lax",
        secure=_secure(request),
    )


def _secure(request: Request) -> bool:
    settings: Settings = request.app.state.settings
    return settings.secure_cookies == "always" or (
        settings.secure_cookies == "auto" and request.url.scheme == "https"
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")


CHALLENGE_COOKIE = "altmatch_challenge"
CHALLENGE_COOKIE_PATH = "/sign-in"


def set_challenge_cookie(request: Request, response: Response, token: str, max_age: int) -> None:
    """The second-factor challenge of a sign-in page: HttpOnly, only sent to /sign-in..., and
    gone after a few minutes."""
    response.set_cookie(
        CHALLENGE_COOKIE,
        token,
        max_age=max_age,
        path=CHALLENGE_COOKIE_PATH,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
    )


def clear_challenge_cookie(response: Response) -> None:
    response.delete_cookie(
        CHALLENGE_COOKIE, path=CHALLENGE_COOKIE_PATH, httponly=True, samesite="lax"
    )
