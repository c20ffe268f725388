"""Write the advisor's shipped JET calibrations.

Run: `.venv/bin/python scripts/calibrate_jet_chances.py [YEAR...]`

Simulates the synthetic JET season for each edition (default: every edition installed) and each
published applicants-per-place figure, and writes
`src/altmatch/services/advice/jet_calibration/<year>.json`. Run it after changing an edition's
`chances` figures, adding an edition, or changing the engine's results;
`tests/unit/services/advice/test_jet_calibration.py` fails until the files match.
"""

from __future__ import annotations

import sys

from altmatch.rulebook import available_years, load_rulebook
from altmatch.services.advice.jet_calibration import (
    calibration_document,
    data_file,
    render_document,
)


def main(years: list[int]) -> None:
    for year in years or available_years():
        path = data_file(year)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render_document(calibration_document(load_rulebook(year))), "utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]])
