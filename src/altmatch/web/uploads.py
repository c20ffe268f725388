"""Uploaded import files: the limits from the settings, and reading at most one byte too many.

Starlette spools a multipart file to a temporary file (memory up to 1 MiB, then disk) before a
handler runs; the handler then reads at most `max_bytes + 1` bytes into memory, so an oversized
upload is refused by the importer's size check without ever being held whole. `BodyLimit`
(registered on the app) also stops a request body from being spooled past the limit at all, and
holds every route that takes no file to the small `request_max_bytes` (1 MiB): an anonymous JSON
or form body is never large, so parsing and validating it on the event loop stays cheap.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request, UploadFile, params
from fastapi._compat import ModelField
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from starlette.datastructures import UploadFile as StarletteUpload
from starlette.routing import BaseRoute, compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from altmatch.config import Settings
from altmatch.i18n import gettext as _
from altmatch.i18n import use_locale
from altmatch.io.limits import ImportLimits
from altmatch.web.locale import request_locale

FORM_OVERHEAD = 1024 * 1024  # multipart boundaries and the other fields of an import form
UPLOAD_MARK = "altmatch_takes_uploads"
_Endpoint = TypeVar("_Endpoint", bound=Callable[..., Any])


def import_limits(request: Request) -> ImportLimits:
    settings: Settings = request.app.state.settings
    return ImportLimits.from_settings(settings)


ImportLimitsDep = Annotated[ImportLimits, Depends(import_limits)]


async def read_upload(file: UploadFile, limits: ImportLimits) -> bytes:
    """The file's bytes, at most one past the limit (so the importer can say it is too big)."""
    return await file.read(limits.max_bytes + 1)


def read_upload_blocking(file: StarletteUpload, limit: int) -> bytes:
    """The same for a plain `def` route, which FastAPI runs in the thread pool: the spooled
    file is read directly, at most `limit + 1` bytes."""
    return file.file.read(limit + 1)


class BodyLimit:
    """ASGI middleware: a request body over its route's limit gets 413 before it is read.

    The routes that take files (`upload_routes`) may receive `upload_max_bytes`; every other
    request at most `max_bytes`, so no anonymous JSON or form body can be large. Content-Length
    is checked first, before any byte is read; a chunked body is counted as it streams in."""

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        upload_max_bytes: int | None = None,
        upload_routes: Sequence[UploadRoute] = (),
    ) -> None:
        self.app, self.max_bytes = app, max_bytes
        self.upload_max_bytes = upload_max_bytes if upload_max_bytes is not None else max_bytes
        self.upload_routes = tuple(upload_routes)

    def limit(self, scope: Scope) -> int:
        """The largest body this request may have: the upload limit on an upload route."""
        if any(route.matches(scope) for route in self.upload_routes):
            return self.upload_max_bytes
        return self.max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit(scope)
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length", b"").decode("latin-1").strip()
        if declared.isdigit() and int(declared) > limit:
            await _too_large(scope, send)
            return
        seen = 0
        exceeded = False

        async def counted() -> Message:
            nonlocal seen, exceeded
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    exceeded = True
                    raise _BodyTooLargeError
            return message

        async def guarded_send(message: Message) -> None:
            if not exceeded:  # the app's own answer to a cut-off body (a 400) is replaced
                await send(message)

        with contextlib.suppress(_BodyTooLargeError):
            await self.app(scope, counted, guarded_send)
        if exceeded:
            await _too_large(scope, send)


@dataclass(frozen=True)
class UploadRoute:
    """A route that takes files: its full path pattern and methods."""

    path: str
    methods: frozenset[str]
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "pattern", compile_path(self.path)[0])

    def matches(self, scope: Scope) -> bool:
        if scope.get("method") not in self.methods:
            return False
        path: str = scope["path"]
        root = scope.get("root_path", "")
        if root and path.startswith(root):
            path = path[len(root) :]
        return self.pattern.fullmatch(path) is not None


def upload_routes(routes: Sequence[BaseRoute]) -> list[UploadRoute]:
    """The routes that take files: a `File()` parameter, a documented multipart body, or an
    endpoint marked with `takes_uploads` (one that reads `request.form()` itself)."""
    found = []
    for context in _flat_routes(routes):
        route = context.original_route
        if isinstance(route, APIRoute) and (
            getattr(route.endpoint, UPLOAD_MARK, False)
            or _documents_multipart(route)
            or any(isinstance(field.field_info, params.File) for field in _body_params(route))
        ):
            found.append(UploadRoute(context.path or route.path, frozenset(route.methods or ())))
    return found


def takes_uploads(endpoint: _Endpoint) -> _Endpoint:
    """Mark a route that reads uploaded files from `request.form()` itself, so `BodyLimit`
    grants it the upload limit."""
    setattr(endpoint, UPLOAD_MARK, True)
    return endpoint


def _flat_routes(routes: Sequence[BaseRoute]) -> Iterator[RouteContext]:
    """Every route with its full path, also inside included routers."""
    return iter_route_contexts(routes)


def _body_params(route: APIRoute) -> list[ModelField]:
    """The body parameters of a route and of all its dependencies."""
    found: list[ModelField] = []
    pending = [route.dependant]
    while pending:
        dependant = pending.pop()
        found.extend(dependant.body_params)
        pending.extend(dependant.dependencies)
    return found


def _documents_multipart(route: APIRoute) -> bool:
    body = (route.openapi_extra or {}).get("requestBody") or {}
    return "multipart/form-data" in (body.get("content") or {})


class _BodyTooLargeError(Exception):
    pass


async def _too_large(scope: Scope, send: Send) -> None:
    """413, as JSON `{"detail": …}` under /api/ and as text elsewhere, in the reader's words."""
    request = Request(scope)
    with use_locale(request_locale(request)):
        message = _("This request is too large, so it was refused.")
    response: Response
    if request.url.path.startswith("/api/"):
        response = JSONResponse({"detail": message}, status_code=413)
    else:
        response = PlainTextResponse(message, status_code=413)
    response.headers["connection"] = "close"  # the rest of the body is never read

    async def nothing() -> Message:
        return {"type": "http.disconnect"}

    await response(scope, nothing, send)


def body_limit(settings: Settings) -> int:
    """The largest request body an upload route accepts: an import file plus its form."""
    return settings.import_max_bytes + FORM_OVERHEAD
