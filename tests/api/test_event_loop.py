"""No route blocks the event loop: blocking work (the database with sync SQLAlchemy, importers,
templates) runs in the thread pool, so one long import never holds up other requests.

Two checks. Statically: every `async def` in web/pages and web/api only awaits; it calls no
service, repository, file reader or template, and touches no `sessions` (a route that needs them
is a plain `def`, which FastAPI runs in the thread pool, and reads its form through an async
dependency first). Behaviourally: while an import page's importer works, a static file and the
home page are served at once, many times over.
"""

from __future__ import annotations

import ast
import asyncio
import csv
import importlib
import inspect
import io
import statistics
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from tests.api.helpers import SAME_ORIGIN, MakeAccount, flat_routes, run_async, sign_in

import altmatch.web
from altmatch.domain.access import Role
from altmatch.io.roster_file import ROSTER_COLUMNS

WEB = Path(altmatch.web.__file__).parent
ADAPTERS = sorted([*(WEB / "pages").rglob("*.py"), *(WEB / "api").rglob("*.py")])
# Whatever lives here blocks: the database, the importers and exports, the algorithms, Jinja2.
BLOCKING = ("altmatch.services", "altmatch.db", "altmatch.io", "altmatch.engine")
BLOCKING_NAMES = {"render_page", "sessions"}


def _module_name(path: Path) -> str:
    relative = path.relative_to(WEB.parent.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _blocking_uses(function: ast.AsyncFunctionDef, module: Any) -> list[str]:
    """Names in `function` that reach blocking code without an `await` in front of the call."""
    awaited = {id(node.value) for node in ast.walk(function) if isinstance(node, ast.Await)}
    found = []
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and node.id in BLOCKING_NAMES:
            found.append(f"line {node.lineno}: {node.id}")
        if not isinstance(node, ast.Call) or id(node) in awaited:
            continue
        root = node.func
        while isinstance(root, ast.Attribute):
            root = root.value
        if not isinstance(root, ast.Name):
            continue
        target = getattr(module, root.id, None)
        if inspect.ismodule(target):
            origin = target.__name__
        elif inspect.isfunction(target) or inspect.ismethod(target):
            origin = target.__module__
        else:
            continue  # a class (a pydantic model of bounded input), a builtin, a local
        if origin.startswith(BLOCKING):
            found.append(f"line {node.lineno}: {ast.unparse(node.func)}() from {origin}")
    return found


def test_async_functions_of_the_pages_and_the_api_only_await() -> None:
    offenders = []
    for path in ADAPTERS:
        module = importlib.import_module(_module_name(path))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.AsyncFunctionDef):
                offenders += [
                    f"{path.name}:{node.name} {use}" for use in _blocking_uses(node, module)
                ]
    assert not offenders, "async code that blocks the event loop:\n" + "\n".join(offenders)


def test_the_check_finds_a_blocking_async_route() -> None:
    source = (
        "async def route(sessions, actor, file):\n"
        "    content = await file.read()\n"
        "    return import_roster(sessions, actor, content=content)\n"
    )
    function = ast.parse(source).body[0]
    assert isinstance(function, ast.AsyncFunctionDef)
    pages = importlib.import_module("altmatch.web.pages.dispatch.contracts")
    uses = _blocking_uses(function, pages)
    assert any("import_roster() from altmatch.services.dispatch.roster" in use for use in uses)
    assert any("sessions" in use for use in uses)


def test_every_async_endpoint_is_in_the_checked_modules(client: TestClient) -> None:
    """An async route defined anywhere else would escape the check above."""
    checked = {_module_name(path) for path in ADAPTERS}
    for route, _ in flat_routes(client.app):  # type: ignore[arg-type]
        endpoint = getattr(route, "endpoint", None)
        mine = getattr(endpoint, "__module__", "").startswith("altmatch.")
        if mine and inspect.iscoroutinefunction(endpoint):
            assert endpoint.__module__ in checked, (route, endpoint.__module__)


# --- behaviour ----------------------------------------------------------------------------

BUSY_SECONDS = 1.5  # blocking work the importer does on top of the real import


def _roster_csv(count: int) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(ROSTER_COLUMNS)
    cells = ("Hyogo", "Kobe", "34.69", "135.19", "elementary", "yes", "N3", "2027-03-31")
    writer.writerows((f"A{i:06d}", f"Name {i}", *cells, "renewing", "Hyogo") for i in range(count))
    return buffer.getvalue().encode()


def _slowed(real: Callable[..., Any], started: threading.Event) -> Callable[..., Any]:
    """The importer, announcing that it runs and blocking its thread a while longer (as a
    100,000-row file does), so the check does not depend on the machine's speed."""

    def importer(*args: Any, **kwargs: Any) -> Any:
        started.set()
        time.sleep(BUSY_SECONDS)
        return real(*args, **kwargs)

    return importer


async def _serve_during_import(
    client: TestClient, url: str, files: dict[str, Any], started: threading.Event
) -> tuple[float, list[float]]:
    """(the import's duration, the durations of the GETs answered while its importer ran)."""
    transport = httpx.ASGITransport(app=client.app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", cookies=dict(client.cookies)
    ) as browser:
        began = time.perf_counter()
        upload = asyncio.create_task(
            browser.post(url, files=files, data={"action": "preview"}, headers=SAME_ORIGIN)
        )
        while not started.is_set() and not upload.done():
            await asyncio.sleep(0.005)
        during = []
        while not upload.done():
            for page in ("/static/site.css", "/"):
                asked = time.perf_counter()
                response = await browser.get(page)
                assert response.status_code == 200, page
                if not upload.done():
                    during.append(time.perf_counter() - asked)
        imported = await upload
        assert imported.status_code in (200, 422), imported.text[:500]
        return time.perf_counter() - began, during


@pytest.mark.parametrize("page", ["roster", "season"])
def test_other_requests_are_served_while_an_import_runs(
    page: str, client: TestClient, make_account: MakeAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = threading.Event()
    if page == "roster":
        from altmatch.web.pages.dispatch import contracts as module

        sign_in(client, make_account(Role.COMPANY_STAFF))
        monkeypatch.setattr(module, "import_roster", _slowed(module.import_roster, started))
        url, content = "/dispatch/roster/import", _roster_csv(5_000)
    else:
        from altmatch.web.pages.season import seasons as module  # type: ignore[no-redef]

        sign_in(client, make_account(Role.COORDINATOR))
        opened = client.post(
            "/seasons",
            data={
                "name": "JET 2031",
                "year": "2031",
                "request_deadline": "2030-12-01",
                "contract_start": "2031-08-01",
            },
            headers=SAME_ORIGIN,
            follow_redirects=False,
        )
        assert opened.status_code == 303, opened.text
        url = f"{opened.headers['location']}/import/candidates"
        content = b"email,name\n" + b"".join(b"x%d@example.org,X\n" % i for i in range(5_000))
        monkeypatch.setattr(module, "import_candidates", _slowed(module.import_candidates, started))
    files = {"file": ("upload.csv", content, "text/csv")}
    duration, during = run_async(_serve_during_import(client, url, files, started))
    assert started.is_set()
    assert duration >= BUSY_SECONDS
    # Blocked, the loop would answer nothing until the import is over: here it keeps answering.
    assert len(during) >= 4, (duration, during)
    # The median, not the slowest: on a loaded 2-core machine one answer may wait on the GIL.
    assert statistics.median(during) < duration / 3, (duration, during)
