"""The header's script and the design tokens are served from this origin under the strict
Content-Security-Policy, and pages load them as files, never inline."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize(
    ("path", "kind", "needle"),
    [
        (
            "/static/vendor/digital-go-jp-design-tokens/tokens.css",
            "text/css",
            "--color-primitive-blue-900",
        ),
        ("/static/nav.js", "javascript", 'getElementById("menu-toggle")'),
        ("/static/site.css", "text/css", "--primary: var(--color-primitive-blue-900)"),
    ],
)
def test_the_design_assets_are_served_here(
    client: TestClient, path: str, kind: str, needle: str
) -> None:
    answer = client.get(path)
    assert answer.status_code == 200
    assert kind in answer.headers["content-type"]
    assert needle in answer.text
    assert "style-src 'self';" in answer.headers["content-security-policy"]


@pytest.mark.parametrize("path", ["/", "/advisor", "/sign-in"])
def test_pages_load_the_tokens_then_the_site_styles_and_the_menu_script_as_files(
    client: TestClient, path: str
) -> None:
    html = client.get(path).text
    sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)">', html)
    assert sheets == ["/static/vendor/digital-go-jp-design-tokens/tokens.css", "/static/site.css"]
    assert '<script src="/static/nav.js"></script>' in html
    assert html.index('<script src="/static/nav.js">') > html.index("</header>")
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # no inline script
    assert " style=" not in html  # no inline style
