"""Who is signed in: the session cookie, `ActorDep`/`OptionalActorDep`, and permission gates."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Response

from altmatch.config import Settings
from altmatch.domain.access import Actor, Permission, require
from altmatch.services.accounts import UserOut, get_me
from altmatch.services.authentication import SignedIn, SignInPolicy, resolve_session
from altmatch.web.deps import SessionsDep, request_sessions

SESSION_COOKIE = "altmatch_session"
_UNRESOLVED = object()


class SignInRequiredError(Exception):
    """No valid session: the API answers 401, pages redirect to /sign-in?next=..."""


def optional_actor(request: Request, sessions: SessionsDep) -> Actor | None:
    """The signed-in Actor or None; looked up once per request however often it is asked for."""
    cached = getattr(request.state, "altmatch_actor", _UNRESOLVED)
    if cached is _UNRESOLVED:
        cached = resolve_session(sessions, request.cookies.get(SESSION_COOKIE))
        request.state.altmatch_actor = cached
    assert cached is None or isinstance(cached, Actor)
    return cached


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


# One alias per permission a route needs: `def route(actor: UsersManagerDep)`.
UsersManagerDep = Annotated[Actor, Depends(PermissionGate(Permission.USERS_MANAGE))]
AuditViewerDep = Annotated[Actor, Depends(PermissionGate(Permission.AUDIT_VIEW))]
OwnApplicationDep = Annotated[Actor, Depends(PermissionGate(Permission.APPLICATION_EDIT_OWN))]
SeasonManagerDep = Annotated[Actor, Depends(PermissionGate(Permission.SEASON_MANAGE))]
SeasonViewerDep = Annotated[Actor, Depends(PermissionGate(Permission.SEASON_VIEW))]
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
    settings: Settings = request.app.state.settings
    secure = settings.secure_cookies == "always" or (
        settings.secure_cookies == "auto" and request.url.scheme == "https"
    )
    response.set_cookie(
        SESSION_COOKIE,
        signed_in.token,
        expires=signed_in.expires_at,
        path="/",
        httponly=True,
        samesite="lax",
        secure=secure,
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")
