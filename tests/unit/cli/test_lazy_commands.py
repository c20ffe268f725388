"""The root command list names each command without importing it (cli.lazy): `altmatch
--help` loads none of the heavy libraries, running a command loads only that command, and the
list's one-line help agrees with each command's own."""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer.main
from typer.testing import CliRunner

from altmatch.cli import app
from altmatch.cli.lazy import LazyGroup
from altmatch.cli.root import RootGroup

HEAVY = ("sqlalchemy", "fastapi", "numba", "scipy", "matplotlib", "numpy", "openpyxl", "alembic")


def _modules_after(args: list[str]) -> set[str]:
    """The top-level packages imported by `altmatch ARGS`, in a fresh interpreter."""
    code = (
        "import sys\n"
        "from altmatch.cli import app\n"
        "try:\n"
        f"    app({args!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('MODULES', *sorted({m.split('.')[0] for m in sys.modules}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    last = done.stdout.strip().splitlines()[-1].split()
    assert last[0] == "MODULES"
    return set(last[1:])


def test_the_command_list_imports_no_heavy_library() -> None:
    loaded = _modules_after(["--help"])
    assert "typer" in loaded
    assert loaded.isdisjoint(HEAVY), sorted(loaded & set(HEAVY))


def test_running_a_command_imports_what_it_uses_and_no_more() -> None:
    assert _modules_after(["version"]).isdisjoint(HEAVY)
    assert "sqlalchemy" in _modules_after(["users", "--help"])


@pytest.mark.parametrize("name", list(RootGroup.LAZY))
def test_each_summary_is_the_commands_own_first_line(name: str) -> None:
    real = RootGroup.LAZY[name].load(name)
    assert RootGroup.LAZY[name].summary == (real.help or "").split("\n\n")[0].replace("\n", " ")


def test_every_command_still_runs_and_lists() -> None:
    runner = CliRunner()
    listed = runner.invoke(app, ["--help"])
    assert listed.exit_code == 0
    for name in RootGroup.LAZY:
        assert name in listed.output
        assert runner.invoke(app, [name, "--help"]).exit_code == 0, name
    group = typer.main.get_group(app)
    assert isinstance(group, LazyGroup)
    group.load_all()
    assert set(RootGroup.LAZY) <= set(group.commands)
