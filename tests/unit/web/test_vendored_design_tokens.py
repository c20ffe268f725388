"""The Digital Agency's design tokens are committed built (no Node needed to set up), carry their
licence, and ship in the package so /static/ can serve them."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import altmatch

PACKAGE = Path(altmatch.__file__).parent
VENDOR = PACKAGE / "web" / "static" / "vendor" / "digital-go-jp-design-tokens"
PYPROJECT = PACKAGE.parents[1] / "pyproject.toml"


def test_the_built_tokens_and_their_licence_are_committed() -> None:
    tokens = (VENDOR / "tokens.css").read_text(encoding="utf-8")
    assert "--color-primitive-blue-900: #0017c1;" in tokens
    assert "--color-semantic-error-2:" in tokens
    assert "MIT License" in (VENDOR / "LICENSE").read_text(encoding="utf-8")
    readme = (VENDOR / "README.md").read_text(encoding="utf-8")
    assert "@digital-go-jp/design-tokens" in readme
    assert re.search(r"version \d+\.\d+\.\d+", readme)
    assert re.search(r"Fetched: \d{4}-\d{2}-\d{2}", readme)


def test_the_package_data_takes_every_vendored_file() -> None:
    patterns = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"
    ]["altmatch"]
    shipped = {path for pattern in patterns for path in PACKAGE.glob(pattern)}
    vendored = {path for path in VENDOR.iterdir() if path.is_file()}
    assert {"tokens.css", "LICENSE", "README.md"} <= {path.name for path in vendored}
    assert vendored <= shipped


def test_the_site_stylesheet_is_built_on_the_tokens() -> None:
    site = (PACKAGE / "web" / "static" / "site.css").read_text(encoding="utf-8")
    assert "--primary: var(--color-primitive-blue-900);" in site
    assert "--error: var(--color-semantic-error-2);" in site
    base = (PACKAGE / "web" / "templates" / "base.html").read_text(encoding="utf-8")
    tokens_link = base.index("/static/vendor/digital-go-jp-design-tokens/tokens.css")
    assert tokens_link < base.index("/static/site.css")  # the tokens are defined first
