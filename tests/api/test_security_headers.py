"""Every response carries the security headers; our pages need nothing the policy forbids."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from altmatch.web.headers import POLICY

TEMPLATES = Path(__file__).parents[2] / "src" / "altmatch" / "web" / "templates"


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/advisor", 200),
        ("/api/v1/advice/options", 200),
        ("/no-such-page", 404),
        ("/api/v1/me", 401),
        ("/seasons", 303),
        ("/static/site.css", 200),
    ],
)
def test_every_response_carries_the_security_headers(
    client: TestClient, path: str, status: int
) -> None:
    response = client.get(path, follow_redirects=False)
    assert response.status_code == status
    policy = response.headers["content-security-policy"]
    assert policy == POLICY
    assert "script-src 'self';" in policy and "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "same-origin"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_refused_cross_site_post_carries_them_too(client: TestClient) -> None:
    response = client.post("/api/v1/session", json={}, headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert response.headers["content-security-policy"] == POLICY


def test_the_api_docs_load_nothing_from_another_host(client: TestClient) -> None:
    page = client.get("/api/v1/docs")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy
    assert "http" not in policy  # no other origin may be named
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert assets and all(a.startswith("/") and not a.startswith("//") for a in assets)
    assert not re.search(r"<script(?![^>]*\bsrc=)", page.text), "inline <script>"
    for asset in assets:
        answer = client.get(asset)
        assert answer.status_code == 200 and len(answer.content) > 100, asset
    assert client.get("/api/v1/openapi.json").json()["info"]["title"] == "altmatch"


@pytest.mark.parametrize("template", sorted(TEMPLATES.glob("*.html")), ids=lambda p: p.name)
def test_no_template_has_inline_scripts_handlers_or_styles(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)", text), "inline <script>"
    assert not re.search(r"\son[a-z]+\s*=", text), "inline event handler"
    assert not re.search(r"\sstyle\s*=", text) and "<style" not in text, "inline style"
