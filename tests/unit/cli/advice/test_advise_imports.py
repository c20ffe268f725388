"""`altmatch advise` starts light: with the edition's shipped JET calibration it simulates
nothing, so it loads neither the engine (Numba, SciPy) nor the database code (issue 16)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).parents[4] / "examples"
HEAVY = ("numba", "scipy", "sqlalchemy", "matplotlib", "altmatch.engine", "altmatch.db")
PROGRAM = (
    "import json, sys\n"
    "from altmatch.cli import app\n"
    "try:\n"
    "    app(sys.argv[1:])\n"
    "except SystemExit as exit:\n"
    "    assert not exit.code, exit.code\n"
    f"loaded = sorted(m for m in {HEAVY!r} if m in sys.modules)\n"
    "sys.stderr.write('LOADED ' + json.dumps(loaded))\n"
)


def test_advise_json_loads_no_engine_and_no_database() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROGRAM, "advise", "--json", str(EXAMPLES / "profile.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    jet = next(p for p in json.loads(done.stdout)["paths"] if p["path"] == "jet")
    assert jet["chance"]["seasons"] > 0  # the chance is there, from the shipped calibration
    assert json.loads(done.stderr.rsplit("LOADED ", 1)[1]) == []
