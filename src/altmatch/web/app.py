"""`create_app(settings)`: the one FastAPI application serving pages, static files and the API."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from altmatch import __version__
from altmatch.config import Settings
from altmatch.db import make_engine, session_factory
from altmatch.web.api import api_router
from altmatch.web.csrf import CsrfMiddleware
from altmatch.web.errors import install_error_handlers
from altmatch.web.pages import pages_router


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; everything it needs comes from `settings`, so tests can make their own."""
    settings = settings or Settings()
    app = FastAPI(
        title="altmatch",
        version=__version__,
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = make_engine(settings)
    app.state.sessions = session_factory(app.state.engine)
    static_dir = Path(str(resources.files("altmatch.web"))) / "static"
    app.mount("/static", StaticFiles(directory=static_dir), name="static")
    app.include_router(api_router, prefix="/api/v1")
    app.include_router(pages_router)
    app.add_middleware(CsrfMiddleware)
    install_error_handlers(app)
    return app
