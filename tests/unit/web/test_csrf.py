"""The CSRF rule on its own: which unsafe requests count as coming from another site."""

from __future__ import annotations

import pytest

from altmatch.web.csrf import is_cross_site_forgery

OWN = "https://altmatch.example"


@pytest.mark.parametrize(
    ("method", "headers", "strict", "refused"),
    [
        ("GET", {"origin": "https://evil.example"}, True, False),  # safe methods are not checked
        ("POST", {}, True, True),  # a cookie with no proof of origin
        ("POST", {}, False, False),  # no cookie, no headers: scripts signing in
        ("POST", {"origin": OWN}, True, False),
        ("PUT", {"origin": "https://evil.example"}, True, True),
        ("PATCH", {"origin": "https://evil.example"}, False, True),
        ("DELETE", {"origin": "http://altmatch.example"}, True, True),  # scheme differs
        ("POST", {"sec-fetch-site": "same-origin"}, True, False),
        ("POST", {"sec-fetch-site": "none"}, True, False),  # typed into the address bar
        ("POST", {"sec-fetch-site": "same-site"}, True, True),  # a sibling subdomain
        ("POST", {"sec-fetch-site": "cross-site", "origin": OWN}, True, True),  # metadata wins
        ("POST", {"sec-fetch-site": "cross-site"}, False, True),  # login CSRF
    ],
)
def test_only_requests_proven_or_claimed_foreign_are_refused(
    method: str, headers: dict[str, str], strict: bool, refused: bool
) -> None:
    assert is_cross_site_forgery(method, headers, OWN, strict=strict) is refused
