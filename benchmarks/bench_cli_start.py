"""Benchmark: how long an `altmatch` command takes to start, in a fresh interpreter each time.

Run: `.venv/bin/python benchmarks/bench_cli_start.py [--runs 5] [--before REF]`

Each row runs `altmatch ARGS` `--runs` times (a new process each time, as a shell does) and
prints the median wall time and how many modules the process loaded. With `--before REF` the
same rows run against the source at git revision REF (checked out into a temporary worktree and
put first on the path), so the table compares this version with that one: for issue 16, the
revision before commands were imported lazily.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = (["--help"], ["version"], ["match", "--help"], ["users", "--help"])
PROGRAM = (
    "import sys\n"
    "from altmatch.cli import app\n"
    "try:\n"
    "    app(sys.argv[1:])\n"
    "except SystemExit:\n"
    "    pass\n"
    "sys.stderr.write(f'MODULES {len(sys.modules)}\\n')\n"
)


def _time(args: list[str], src: Path, runs: int) -> tuple[float, int]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    times, modules = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", PROGRAM, *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        times.append(time.perf_counter() - start)
        modules = int(done.stderr.rsplit("MODULES", 1)[-1].split()[0])
    return statistics.median(times), modules


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--before", help="a git revision to compare with")
    args = parser.parse_args()
    trees = {"now": ROOT / "src"}
    with tempfile.TemporaryDirectory() as folder:
        if args.before:
            worktree = Path(folder) / "before"
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(worktree), args.before],
                check=True,
                capture_output=True,
            )
            trees = {f"before ({args.before})": worktree / "src", **trees}
        try:
            print(f"{'command':<24}" + "".join(f"{label:>28}" for label in trees))
            for command in COMMANDS:
                cells = []
                for src in trees.values():
                    seconds, modules = _time(command, src, args.runs)
                    cells.append(f"{seconds:>8.2f} s, {modules:>5} modules")
                line = "altmatch " + " ".join(command)
                print(f"{line:<24}" + "".join(f"{c:>28}" for c in cells))
        finally:
            if args.before:
                subprocess.run(
                    ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(worktree)],
                    check=False,
                    capture_output=True,
                )


if __name__ == "__main__":
    main()
