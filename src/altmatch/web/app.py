"""`create_app(settings)`: the one FastAPI application serving pages, static files and the API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from altmatch import __version__
from altmatch.config import Settings
from altmatch.db import make_engine, session_factory
from altmatch.rulebook import use_edition
from altmatch.services import jobs
from altmatch.web.api import api_router
from altmatch.web.api_docs import OPENAPI_PATH, install_api_docs
from altmatch.web.csrf import CsrfMiddleware
from altmatch.web.errors import install_error_handlers
from altmatch.web.headers import SecurityHeadersMiddleware
from altmatch.web.hosts import AllowedHostsMiddleware, TrustedProxiesMiddleware, allowed_hosts
from altmatch.web.pages import pages_router
from altmatch.web.uploads import BodyLimit, body_limit, upload_routes


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """On start, jobs whose worker died are failed and orphaned queued ones run, so none hangs;
    a sibling process's live job is left alone."""
    jobs.recover_jobs(app.state.sessions)
    yield


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; everything it needs comes from `settings`, so tests can make their own.

    `altmatch serve --workers N` calls it with no argument in each worker process (a uvicorn
    factory), so the settings then come from the environment. It also sets this process's job
    queue (services.jobs.configure). Starting it (the ASGI lifespan: `altmatch serve`, or a
    `with TestClient(app)` block) recovers the jobs a stopped process left.
    """
    settings = settings or Settings()
    app = FastAPI(
        lifespan=_lifespan,
        title="altmatch",
        version=__version__,
        openapi_url=OPENAPI_PATH,
        docs_url=None,  # web/api_docs.py serves them offline
        redoc_url=None,
    )
    app.state.settings = settings
    use_edition(settings.rulebook_year)
    jobs.configure(settings)
    app.state.engine = make_engine(settings)
    app.state.sessions = session_factory(app.state.engine)
    static_dir = Path(str(resources.files("altmatch.web"))) / "static"
    app.mount("/static", StaticFiles(directory=static_dir), name="static")
    install_api_docs(app)
    app.include_router(api_router, prefix="/api/v1")
    app.include_router(pages_router)
    app.add_middleware(CsrfMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(
        BodyLimit,
        max_bytes=settings.request_max_bytes,
        upload_max_bytes=body_limit(settings),
        upload_routes=upload_routes(app.routes),
    )
    app.add_middleware(AllowedHostsMiddleware, hosts=allowed_hosts(settings))
    app.add_middleware(TrustedProxiesMiddleware, proxies=settings.trusted_proxies)
    install_error_handlers(app)
    return app
