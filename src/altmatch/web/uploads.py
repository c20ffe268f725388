"""Uploaded import files: the limits from the settings, and reading at most one byte too many.

Starlette spools a multipart file to a temporary file (memory up to 1 MiB, then disk) before a
handler runs; the handler then reads at most `max_bytes + 1` bytes into memory, so an oversized
upload is refused by the importer's size check without ever being held whole. `BodyLimit`
(registered on the app) also stops a request body from being spooled past the limit at all.
"""

from __future__ import annotations

import contextlib
from typing import Annotated

from fastapi import Depends, Request, UploadFile
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from altmatch.config import Settings
from altmatch.io.limits import ImportLimits

FORM_OVERHEAD = 1024 * 1024  # multipart boundaries and the other fields of an import form


def import_limits(request: Request) -> ImportLimits:
    settings: Settings = request.app.state.settings
    return ImportLimits.from_settings(settings)


ImportLimitsDep = Annotated[ImportLimits, Depends(import_limits)]


async def read_upload(file: UploadFile, limits: ImportLimits) -> bytes:
    """The file's bytes, at most one past the limit (so the importer can say it is too big)."""
    return await file.read(limits.max_bytes + 1)


class BodyLimit:
    """ASGI middleware: a request body over `max_bytes` gets 413 before it is spooled anywhere.

    Content-Length is checked first; a chunked body is counted as it streams in."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length", b"").decode("latin-1")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await _too_large(send)
            return
        seen = 0
        exceeded = False

        async def counted() -> Message:
            nonlocal seen, exceeded
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    exceeded = True
                    raise _BodyTooLargeError
            return message

        async def guarded_send(message: Message) -> None:
            if not exceeded:  # the app's own answer to a cut-off body (a 400) is replaced
                await send(message)

        with contextlib.suppress(_BodyTooLargeError):
            await self.app(scope, counted, guarded_send)
        if exceeded:
            await _too_large(send)


class _BodyTooLargeError(Exception):
    pass


async def _too_large(send: Send) -> None:
    body = b"Request body too large"
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def body_limit(settings: Settings) -> int:
    """The largest request body the app accepts: an import file plus its form."""
    return settings.import_max_bytes + FORM_OVERHEAD
