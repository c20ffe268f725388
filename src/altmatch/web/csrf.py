"""CSRF defence: unsafe requests that carry the session cookie must come from this site itself.

Browsers say where a request comes from and pages cannot forge it: `Sec-Fetch-Site` (Fetch
Metadata) in every current browser, `Origin` in older ones. So no token is needed in forms.
Scripts that use a session cookie must send `Origin: <scheme>://<host>` themselves. Sign-in
(both steps: the password and the second factor), sign-up and setting an account up through a
mailed link are checked too, though no cookie exists yet, so another site cannot sign a visitor
into its own account ("login CSRF"); there only a foreign origin is refused, so clients that
send no such header can still sign in.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from altmatch.i18n import gettext as _
from altmatch.i18n import use_locale
from altmatch.web.auth import SESSION_COOKIE
from altmatch.web.locale import request_locale

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Sign-in, its second factor, sign-up and setting an account up through a mailed link, as
# pages and in JSON: no session cookie yet.
SESSION_STARTING_PATHS = frozenset(
    {
        "/sign-in",
        "/sign-in/code",
        "/sign-up",
        "/verify-email/account",
        "/api/v1/session",
        "/api/v1/session/second-factor",
        "/api/v1/signup",
        "/api/v1/verify-email/account",
    }
)


def is_cross_site_forgery(
    method: str, headers: Mapping[str, str], own_origin: str, *, strict: bool
) -> bool:
    """Whether to refuse this request.

    `strict` (the request carries the session cookie): it must prove it is same-origin, by
    `Sec-Fetch-Site: same-origin|none` or, from browsers without Fetch Metadata, an `Origin`
    equal to `own_origin`. Not strict: refuse only a request that says it is foreign.
    """
    if method.upper() not in UNSAFE_METHODS:
        return False
    site = headers.get("sec-fetch-site")
    origin = headers.get("origin")
    if site is not None:
        return site not in ("same-origin", "none")
    if origin is not None:
        return origin != own_origin
    return strict


class CsrfMiddleware:
    """Applies `is_cross_site_forgery` before any route runs (403 on refusal)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in UNSAFE_METHODS:
            request = Request(scope)
            strict = SESSION_COOKIE in request.cookies
            if strict or request.url.path in SESSION_STARTING_PATHS:
                own = f"{request.url.scheme}://{request.headers.get('host', '')}"
                if is_cross_site_forgery(request.method, request.headers, own, strict=strict):
                    await _refusal(request)(scope, receive, send)
                    return
        await self.app(scope, receive, send)


def _refusal(request: Request) -> Response:
    with use_locale(request_locale(request)):
        message = _("This request did not come from an altmatch page, so it was refused.")
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": message}, status_code=403)
    return PlainTextResponse(message, status_code=403)
