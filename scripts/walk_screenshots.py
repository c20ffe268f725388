"""Take the persona walk's screenshots for the docs: `python scripts/walk_screenshots.py`.

Runs tests/e2e/test_persona_walk.py with ALTMATCH_WALK_SHOTS set, for the cases that illustrate
docs/walk.md (each persona in Japanese on a phone, 390 px, and in English on a laptop, 1280 px),
then reduces each picture to a 256-colour palette so the set stays small (a few hundred KB).
The walk's own verdict is printed but does not stop the pictures: a failing page is still worth
showing to whoever fixes it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "docs" / "img" / "walk"
CASES = "ja-390 or en-1280"
BUDGET_BYTES = 3_000_000  # the whole set, so the docs stay light


def shrink(path: Path) -> None:
    """A 256-colour PNG: screenshots of flat interface colours lose nothing a reader sees."""
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
        small.save(path, optimize=True)


def main() -> int:
    TARGET.mkdir(parents=True, exist_ok=True)
    for old in TARGET.glob("*.png"):
        old.unlink()
    env = {**os.environ, "ALTMATCH_WALK_SHOTS": str(TARGET)}
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        str(ROOT / "tests" / "e2e" / "test_persona_walk.py"),
        "-k",
        CASES,
    ]
    verdict = subprocess.run(command, cwd=ROOT, env=env, check=False).returncode
    shots = sorted(TARGET.glob("*.png"))
    for shot in shots:
        shrink(shot)
    total = sum(shot.stat().st_size for shot in shots)
    print(f"{len(shots)} screenshots in {TARGET.relative_to(ROOT)}, {total:,} bytes")
    print(f"the walk itself: {'passed' if verdict == 0 else 'found problems (see above)'}")
    if not shots:
        return 1
    return 1 if total > BUDGET_BYTES else 0


if __name__ == "__main__":
    raise SystemExit(main())
