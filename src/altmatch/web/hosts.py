"""Which `Host` the app answers to, and whose `X-Forwarded-For` it believes.

A request naming a host not in `ALTMATCH_ALLOWED_HOSTS` gets 400 before any route runs, so a
forged `Host` can never reach a link, a redirect or the CSRF check's own origin. The client
address (used by the sign-in limits) is the connection's, unless the connection comes from one of
`ALTMATCH_TRUSTED_PROXIES`: only then are `X-Forwarded-For` and `X-Forwarded-Proto` read.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from altmatch.config import Settings

ANY_ADDRESS = frozenset({"", "0.0.0.0", "::"})


def allowed_hosts(settings: Settings) -> list[str]:
    """The allowed host names, with the address `altmatch serve` listens on when it is one."""
    hosts = [_normalised(host) for host in settings.allowed_hosts]
    own = _normalised(settings.host)
    if own not in ANY_ADDRESS and own not in hosts:
        hosts.append(own)
    return hosts


def host_name(header: str) -> str:
    """The host of a `Host` header without its port: `[::1]:8000` → `::1`, `a.jp:80` → `a.jp`."""
    value = header.strip()
    if value.startswith("["):
        end = value.find("]")
        return _normalised(value[1:end]) if end > 0 else ""
    if value.count(":") == 1:
        value = value.split(":", 1)[0]
    return _normalised(value)


def is_allowed(host: str, patterns: Iterable[str]) -> bool:
    """`host` matches a pattern: equal, `*` (any), or `*.example.jp` (any subdomain of it)."""
    if not host:
        return False
    for pattern in patterns:
        if pattern == "*" or host == pattern:
            return True
        if pattern.startswith("*.") and host.endswith(pattern[1:]):
            return True
    return False


class AllowedHostsMiddleware:
    """400 for a request whose `Host` header is missing or not allowed."""

    def __init__(self, app: ASGIApp, hosts: Iterable[str]) -> None:
        self.app, self.hosts = app, tuple(hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            header = next(
                (value for name, value in scope.get("headers") or [] if name == b"host"), b""
            )
            if not is_allowed(host_name(header.decode("latin-1")), self.hosts):
                response = PlainTextResponse("Invalid host header", status_code=400)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class TrustedProxiesMiddleware:
    """uvicorn's proxy-header handling for the configured proxies only (the rightmost
    `X-Forwarded-For` address not itself a trusted proxy is the client); none configured, the
    headers are ignored, so no client can choose the address the sign-in limits count."""

    def __init__(self, app: ASGIApp, proxies: Iterable[str]) -> None:
        trusted = list(proxies)
        self.app = app
        if trusted:  # uvicorn types the app with its own (equivalent) ASGI aliases
            self.app = ProxyHeadersMiddleware(app, trusted_hosts=trusted)  # type: ignore[arg-type,assignment]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


def _normalised(host: str) -> str:
    return host.strip().strip("[]").rstrip(".").lower()
