"""The interactive API docs, served without a network: Swagger UI's files come installed with the
package (fastapi-offline ships them; nothing else of it is used), and a script of ours starts it,
so the page loads nothing from another host and runs no inline script."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

DOCS_PATH = "/api/v1/docs"
ASSETS_PATH = f"{DOCS_PATH}/assets"
OPENAPI_PATH = "/api/v1/openapi.json"

_PAGE = f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>altmatch API</title>
  <link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="{ASSETS_PATH}/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui" data-openapi-url="{OPENAPI_PATH}"></div>
  <script src="{ASSETS_PATH}/swagger-ui-bundle.js"></script>
  <script src="/static/api-docs.js"></script>
</body>
</html>
"""


def swagger_assets() -> Path:
    """The folder of Swagger UI's installed files."""
    return Path(str(resources.files("fastapi_offline"))) / "static"


def install_api_docs(app: FastAPI) -> None:
    """Serve the docs page at DOCS_PATH and Swagger UI's files under ASSETS_PATH."""
    app.mount(ASSETS_PATH, StaticFiles(directory=swagger_assets()), name="api-docs-assets")

    @app.get(DOCS_PATH, include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return HTMLResponse(_PAGE)
