"""The README stays true: two quick-start commands, every setting and command documented."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from altmatch.cli import app
from altmatch.config import Settings

ROOT = Path(__file__).parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the quick start has no sh block"
    return [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.strip()]


def test_the_quick_start_is_exactly_two_commands() -> None:
    assert quick_start_commands() == ["make run", "make test"]


def test_ci_runs_the_readmes_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, re.M)


def test_every_setting_is_documented() -> None:
    for name in Settings.model_fields:
        assert f"ALTMATCH_{name.upper()}" in README, f"ALTMATCH_{name.upper()} is undocumented"


def test_every_cli_command_is_documented() -> None:
    group = typer.main.get_group(app)
    for name, command in group.commands.items():
        subcommands = getattr(command, "commands", None)
        if subcommands:
            for sub in subcommands:
                assert f"altmatch {name} {sub}" in README, f"`altmatch {name} {sub}` undocumented"
        else:
            assert f"altmatch {name}" in README, f"`altmatch {name}` is undocumented"


def test_the_readme_screenshots_exist() -> None:
    for image in re.findall(r"\((docs/screenshots/[^)]+\.png)\)", README):
        assert (ROOT / image).is_file(), image
