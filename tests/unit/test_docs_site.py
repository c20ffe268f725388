"""The docs stay true: the quick start, every setting and command, every image, a strict build."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import typer.main

from altmatch.cli import app
from altmatch.config import Settings

ROOT = Path(__file__).parents[2]
DOCS = ROOT / "docs"
README = (ROOT / "README.md").read_text(encoding="utf-8")


def load_hook() -> ModuleType:
    """docs/hooks/reference.py, the MkDocs hook that renders the reference pages."""
    spec = importlib.util.spec_from_file_location("docs_reference", DOCS / "hooks" / "reference.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def hook() -> ModuleType:
    return load_hook()


def pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if "hooks" not in p.parts)


def quick_start_commands(text: str) -> list[str]:
    section = text.split("## Quick start", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the quick start has no sh block"
    return [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.strip()]


def test_the_quick_start_is_exactly_two_commands_in_the_readme_and_the_docs() -> None:
    assert quick_start_commands(README) == ["make run", "make test"]
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    assert quick_start_commands(index) == ["make run", "make test"]


def test_ci_runs_the_readmes_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, re.M)


def test_make_test_builds_the_docs_strictly() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    test_target = re.search(r"^test:(.*)$", makefile, re.M)
    assert test_target and "docs" in test_target.group(1).split()
    assert re.search(r"^docs:.*\n\t.*mkdocs build --strict", makefile, re.M)


def test_every_setting_has_a_description_and_is_in_the_settings_reference(
    hook: ModuleType,
) -> None:
    rendered = hook.render_settings_reference()
    for name, field in Settings.model_fields.items():
        variable = f"ALTMATCH_{name.upper()}"
        assert field.description, f"{variable} has no description in altmatch.config.Settings"
        assert f"`{variable}`" in rendered, f"{variable} is missing from the settings reference"


def cli_command_names() -> Iterator[str]:
    """Every command and subcommand of `altmatch`, walked here apart from the hook's walker."""

    def walk(command: Any, name: str) -> Iterator[str]:
        yield name
        for sub_name, sub in (getattr(command, "commands", None) or {}).items():
            if not sub.hidden:
                yield from walk(sub, f"{name} {sub_name}")

    root = typer.main.get_group(app)
    root.load_all()  # type: ignore[attr-defined]  # the root imports its commands lazily
    yield from walk(root, "altmatch")


def test_every_cli_command_and_subcommand_is_in_the_cli_reference(hook: ModuleType) -> None:
    rendered = hook.render_cli_reference()
    names = list(cli_command_names())
    assert "altmatch dispatch assign" in names  # the walk reaches subcommands
    for name in names:
        assert re.search(rf"^#+ `{re.escape(name)}`$", rendered, re.M), f"`{name}` undocumented"


def test_the_cli_reference_shows_each_options_help(hook: ModuleType) -> None:
    rendered = hook.render_cli_reference()
    assert "Usage: altmatch match [OPTIONS]" in rendered
    assert "`--seed <int range>`" in rendered
    assert "Lottery seed; drawn and recorded if omitted." in rendered


def test_every_rulebook_edition_is_listed_with_its_sources(hook: ModuleType) -> None:
    from altmatch.rulebook import available_years

    rendered = hook.render_rulebook_sources()
    for year in available_years():
        assert re.search(rf"^## {year} edition$", rendered, re.M)
    assert "<https://" in rendered


def test_the_api_page_names_where_the_app_serves_its_schema_and_docs(
    tmp_path: Path,
) -> None:
    from altmatch.web.api_docs import DOCS_PATH
    from altmatch.web.app import create_app

    served = create_app(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path}/a.db"))
    api_page = (DOCS / "reference" / "api.md").read_text(encoding="utf-8")
    assert served.openapi_url and f"`{served.openapi_url}`" in api_page
    assert any(getattr(r, "path", None) == DOCS_PATH for r in served.routes)
    assert f"`{DOCS_PATH}`" in api_page
    served.state.engine.dispose()


def test_every_page_asks_only_for_generated_sections_the_hook_knows(hook: ModuleType) -> None:
    for page in pages():
        for name in hook.MARKER.findall(page.read_text(encoding="utf-8")):
            assert name in hook.RENDERERS, f"{page.relative_to(ROOT)}: unknown section {name}"


IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)[^)]*\)|<img [^>]*src=\"([^\"]+)\"")


def test_every_image_the_docs_and_the_readme_show_exists() -> None:
    shown = 0
    for page in [ROOT / "README.md", *pages()]:
        for match in IMAGE.finditer(page.read_text(encoding="utf-8")):
            target = match.group(1) or match.group(2)
            if target.startswith(("http://", "https://")):
                pytest.fail(f"{page.relative_to(ROOT)} shows a remote image: {target}")
            assert (page.parent / target).is_file(), f"{page.relative_to(ROOT)}: {target}"
            shown += 1
    assert shown >= 10


def test_every_file_of_the_repository_the_docs_name_exists() -> None:
    named = re.compile(r"`((?:tests|benchmarks|scripts|src/altmatch|examples)/[\w./*-]+)`")
    for page in pages():
        for path in named.findall(page.read_text(encoding="utf-8")):
            assert list(ROOT.glob(path.rstrip("/"))), f"{page.relative_to(ROOT)} names {path}"


def test_the_site_builds_strictly_and_loads_nothing_from_the_network(tmp_path: Path) -> None:
    site = tmp_path / "site"
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    assert (site / "index.html").is_file()
    assert (site / "reference" / "cli.html").is_file()  # directory URLs off: opens from disk
    remote = re.compile(r"<(?:script|link|img)\b[^>]*\b(?:src|href)=\"(?:https?:)?//", re.I)
    for page in site.rglob("*.html"):
        found = remote.search(page.read_text(encoding="utf-8"))
        assert not found, f"{page.relative_to(site)} loads {found.group(0)}"
