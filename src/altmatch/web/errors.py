"""How refusals reach people: 401 or a sign-in redirect, 403 for actions, 404 for hidden objects,
503 while the database is out of reach."""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException

from altmatch.db.models import ImmutableRunError
from altmatch.db.problems import StorageProblem, storage_problem
from altmatch.domain.access import AccessDeniedError, NotFoundError
from altmatch.i18n import gettext as _
from altmatch.i18n import render, use_locale
from altmatch.services.accounts.authentication import RateLimitedError, SignInError
from altmatch.services.kernel.errors import RuleError, StaleError
from altmatch.web.api.errors import field_errors
from altmatch.web.auth import SignInRequiredError
from altmatch.web.locale import request_locale
from altmatch.web.pages.forms import FormErrors
from altmatch.web.pages.templating import render_page

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 10  # long enough for a database restart or fail-over to finish
BUSY_RETRY_AFTER_SECONDS = 5  # another writer (an import) usually finishes within this


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def sign_in_required(request: Request, exc: Exception) -> Response:
    if is_api(request):
        with use_locale(request_locale(request)):
            detail = _("Sign in first.")
        headers = {"WWW-Authenticate": 'Cookie realm="altmatch"'}
        return JSONResponse({"detail": detail}, status_code=401, headers=headers)
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/sign-in?next={quote(target, safe='')}", status_code=303)


def access_denied(request: Request, exc: Exception) -> Response:
    """NotFoundError (an object the actor may not see) → 404; any other refusal → 403."""
    status = 404 if isinstance(exc, NotFoundError) else 403
    locale = request_locale(request)
    if is_api(request):
        with use_locale(locale):
            detail = _("Not found.") if status == 404 else _("You may not do this.")
        return JSONResponse({"detail": detail}, status_code=status)
    name = "not_found.html" if status == 404 else "forbidden.html"
    return render_page(request, name, locale, {}, status_code=status)


def http_refused(request: Request, exc: Exception) -> Response:
    """Starlette's own refusals (no such path, a method the path does not take): the API keeps
    FastAPI's JSON; a page address nobody serves gets the not-found page in the reader's
    language, not a JSON body. Synchronous, so it runs in the thread pool: the page's header
    asks the database who is signed in."""
    assert isinstance(exc, HTTPException)
    if is_api(request) or exc.status_code != 404:
        if exc.status_code in (204, 304):
            return Response(status_code=exc.status_code, headers=exc.headers)
        body = {"detail": exc.detail}
        return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)
    return render_page(request, "not_found.html", request_locale(request), {}, status_code=404)


def sign_in_refused(request: Request, exc: Exception) -> Response:
    """Refused sign-ins through the API: 401, or 429 with Retry-After when rate limited."""
    assert isinstance(exc, SignInError)
    detail = render(exc.message, request_locale(request))
    if isinstance(exc, RateLimitedError):
        headers = {"Retry-After": str(exc.retry_after_seconds)}
        return JSONResponse({"detail": detail}, status_code=429, headers=headers)
    return JSONResponse({"detail": detail}, status_code=401)


def rule_refused(request: Request, exc: Exception) -> Response:
    """A business rule refuses the request: 422 naming the field, like a validation error (a
    page gets the refusal page)."""
    assert isinstance(exc, RuleError)
    message = render(exc.message, request_locale(request))
    loc = ["body", exc.field] if exc.field else ["body"]
    detail = [{"loc": loc, "msg": message, "type": "value_error"}]
    if not is_api(request):
        return render_page(
            request, "refused.html", request_locale(request), {"message": message}, status_code=422
        )
    return JSONResponse({"detail": detail}, status_code=422)


async def request_refused(request: Request, exc: Exception) -> Response:
    """Input refused before a route runs (a path, query or form value of the wrong kind): the
    API answers FastAPI's usual 422 shape with catalog messages, without echoing the input; a
    page gets the refusal page in the reader's words."""
    assert isinstance(exc, RequestValidationError)
    locale = request_locale(request)
    if is_api(request):  # where, what and which kind, in the reader's words; never the input
        detail = field_errors(exc.errors(), locale)
        return JSONResponse({"detail": detail}, status_code=422)
    message = " ".join(FormErrors.from_validation(exc.errors(), locale).messages)
    return render_page(request, "refused.html", locale, {"message": message}, status_code=422)


def conflict(request: Request, exc: Exception) -> Response:
    """A stale version, a passed deadline or a published run: 409, so the client reloads."""
    locale = request_locale(request)
    if isinstance(exc, StaleError):
        message = render(exc.message, locale)
    else:
        with use_locale(locale):
            message = _("This run is published: it can no longer change. Make a new run instead.")
    if not is_api(request):
        return render_page(request, "refused.html", locale, {"message": message}, status_code=409)
    return JSONResponse({"detail": message}, status_code=409)


def database_unavailable(request: Request, exc: Exception) -> Response:
    """The database could not do it (db.problems): busy with another writer (503, retry in a
    moment), unable to store anything (a full disk, a read-only file: 503, logged as an error for
    the operator) or out of reach (refused, reset, shutting down: 503 with Retry-After). Each is
    logged once without a traceback; the transaction died, so nothing of it was written. Any
    other database error is a bug and is raised on as a 500."""
    assert isinstance(exc, DBAPIError)
    problem = storage_problem(exc)
    if problem is None:
        raise exc
    reason = " ".join(str(exc.orig).split())[:300]
    where = f"{request.method} {request.url.path}"
    locale = request_locale(request)
    headers: dict[str, str] = {}
    with use_locale(locale):
        if problem is StorageProblem.BUSY:
            logger.warning("database busy during %s: %s", where, reason)
            headers["Retry-After"] = str(BUSY_RETRY_AFTER_SECONDS)
            message = _(
                "The database is busy with another change just now. Nothing was changed; "
                "try again in a moment."
            )
        elif problem is StorageProblem.STORAGE:
            logger.error("database cannot store changes during %s: %s", where, reason)
            message = _(
                "The database cannot store changes: its disk is full or it is read-only. "
                "Nothing was changed; please tell the administrator."
            )
        else:
            logger.warning("database unavailable during %s: %s", where, reason)
            headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
            message = _(
                "The database cannot be reached just now. Nothing was changed; "
                "try again in a moment."
            )
    if is_api(request):
        return JSONResponse({"detail": message}, status_code=503, headers=headers)
    request.state.altmatch_user = None  # the page header must not ask the database who is signed in
    page = render_page(request, "unavailable.html", locale, {"message": message}, status_code=503)
    page.headers.update(headers)
    return page


def is_outage(exc: DBAPIError) -> bool:
    """A storage problem (busy, unable to store, out of reach), not a broken query or
    constraint."""
    return storage_problem(exc) is not None


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DBAPIError, database_unavailable)
    app.add_exception_handler(HTTPException, http_refused)
    app.add_exception_handler(SignInRequiredError, sign_in_required)
    app.add_exception_handler(SignInError, sign_in_refused)
    app.add_exception_handler(AccessDeniedError, access_denied)
    app.add_exception_handler(RuleError, rule_refused)
    app.add_exception_handler(RequestValidationError, request_refused)
    app.add_exception_handler(StaleError, conflict)
    app.add_exception_handler(ImmutableRunError, conflict)
